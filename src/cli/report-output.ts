// The `tenants` and `vteps` reports of one analysis, printed to stdout in text or JSON: the same
// code for a capture analysed on this thread and on the pipeline's worker.
import { OverlayAnalyzer } from '../analysis/analyzer';
import { ByteWriter } from '../analysis/byte-writer';
import { writeTenantsReportJson } from '../tenants/json';
import { buildTenantsReport } from '../tenants/report';
import { tenantsReportText } from '../tenants/text';
import { writeVtepReportJson } from '../vtep/json';
import { buildVtepReport } from '../vtep/report';
import { vtepReportText } from '../vtep/text';
import { LineWriter } from './output';

export type ReportFormat = 'text' | 'json';

/** The tenants report (the two-thread JSON output is put together in pipeline.ts instead). */
export function printTenantsReport(analyzer: OverlayAnalyzer, format: ReportFormat, problem: string | null): void {
  if (format === 'json') {
    const out = new ByteWriter();
    writeTenantsReportJson(analyzer, problem, out);
    out.byte(0x0a);
    out.flush();
    return;
  }
  const out = new LineWriter();
  for (const line of tenantsReportText(buildTenantsReport(analyzer, problem))) out.line(line);
  out.flush();
}

/** The VTEP report as of frame `atFrame` (1-based; default the last). */
export function printVtepReport(analyzer: OverlayAnalyzer, format: ReportFormat, atFrame: number | undefined, problem: string | null): void {
  if (format === 'json') {
    const out = new ByteWriter();
    writeVtepReportJson(analyzer, atFrame, problem, out);
    out.byte(0x0a);
    out.flush();
    return;
  }
  const out = new LineWriter();
  for (const line of vtepReportText(buildVtepReport(analyzer, atFrame, problem), analyzer.time(0))) out.line(line);
  out.flush();
}
