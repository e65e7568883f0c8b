// `tunnelscope tenants`, once the worker of a large capture is started (tenants-run.ts): the capture
// is analysed on two threads (pipeline.ts) or, when small, on this one.
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { analysePipelined } from '../../analysis/pipeline';
import { StartedPipeline } from '../../analysis/pipeline-start';
import { ByteWriter } from '../../analysis/byte-writer';
import { buildTenantsReport } from '../../tenants/report';
import { writeTenantsReportJson } from '../../tenants/json';
import { tenantsReportText } from '../../tenants/text';
import { closeAfter, openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { LineWriter } from '../output';
import { decodeAsOverrides } from '../decode-as-overrides';
import type { TenantsOptions } from './tenants-run';

export function analyseTenants(path: string, options: TenantsOptions, started: StartedPipeline | null): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  if (started !== null) {
    return closeAfter(file, analysePipelined(file, started));
  }
  const analysis = new CaptureAnalysis(file, { mtu: options.mtu, decodeAs });
  analysis.update(true);
  file.close();
  if (options.format === 'json') {
    const out = new ByteWriter();
    writeTenantsReportJson(analysis.analyzer, file.problem, out);
    out.byte(0x0a);
    out.flush();
  } else {
    const out = new LineWriter();
    for (const line of tenantsReportText(buildTenantsReport(analysis.analyzer, file.problem))) out.line(line);
    out.flush();
  }
  reportCaptureProblem(file);
}
