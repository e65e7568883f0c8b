// The `tenants` and `vteps` reports of one analysis, written to a file descriptor (the CLI's stdout)
// in text or JSON: the same code for a capture analysed on this thread and on the pipeline's worker.
import { OverlayAnalyzer } from '../analyzer';
import { ByteWriter } from './byte-writer';
import { writeTenantsReportJson } from '../tenants-report/json';
import { buildTenantsReport } from '../tenants-report/build';
import { tenantsReportText } from '../tenants-report/text';
import { writeVtepReportJson } from '../vtep-report/json';
import { vtepTextLines, vtepTextSource } from '../vtep-report/text';
import { LineWriter } from './line-writer';

export type ReportFormat = 'text' | 'json';

/** The tenants report (the two-thread JSON output is put together in pipeline/reader.ts instead). */
export function printTenantsReport(analyzer: OverlayAnalyzer, format: ReportFormat, problem: string | null, fd: number): void {
  if (format === 'json') {
    const out = new ByteWriter(fd);
    writeTenantsReportJson(analyzer, problem, out);
    out.byte(0x0a);
    out.flush();
    return;
  }
  const out = new LineWriter(fd);
  for (const line of tenantsReportText(buildTenantsReport(analyzer, problem))) out.line(line);
  out.flush();
}

/** The VTEP report as of frame `atFrame` (1-based; default the last). */
export function printVtepReport(analyzer: OverlayAnalyzer, format: ReportFormat, atFrame: number | undefined, problem: string | null, fd: number): void {
  if (format === 'json') {
    const out = new ByteWriter(fd);
    writeVtepReportJson(analyzer, atFrame, problem, out);
    out.byte(0x0a);
    out.flush();
    return;
  }
  const out = new LineWriter(fd);
  for (const line of vtepTextLines(vtepTextSource(analyzer, atFrame, problem), analyzer.startTime)) out.line(line);
  out.flush();
}
