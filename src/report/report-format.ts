// Which report a path asks for, from its extension, and rendering it.
import * as path from 'node:path';
import { conversationsCsv, tenantsCsv } from './csv-report';
import { renderHtmlReport } from './html/html-report';
import { renderJsonReport } from './json-report';
import { ReportData } from './report-data';

export type ReportFormat = 'html' | 'csv' | 'json';

const EXTENSIONS: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.csv': 'csv', '.json': 'json' };

/** The format for an output path, or null when the extension is not one of .html, .csv, .json. */
export function reportFormatFor(outPath: string): ReportFormat | null {
  return EXTENSIONS[path.extname(outPath).toLowerCase()] ?? null;
}

export interface RenderOptions {
  /** CSV only: one row per conversation instead of per tenant. */
  conversations?: boolean;
}

export function renderReport(data: ReportData, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'html':
      return renderHtmlReport(data);
    case 'csv':
      return options.conversations ? conversationsCsv(data) : tenantsCsv(data);
    case 'json':
      return renderJsonReport(data);
  }
}
