// `tunnelscope tenants`, once the worker of a large capture is started (tenants-run.ts): the capture
// is analysed on two threads (pipeline.ts) or, when small, on this one.
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { analysePipelined } from '../../analysis/pipeline';
import { StartedPipeline } from '../../analysis/pipeline-start';
import { closeAfter, openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { printTenantsReport } from '../report-output';
import { decodeAsOverrides } from '../decode-as-overrides';
import type { TenantsOptions } from './tenants-run';

export function analyseTenants(path: string, options: TenantsOptions, started: StartedPipeline | null): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  if (started !== null) {
    return closeAfter(file, analysePipelined(file, started));
  }
  const analysis = new CaptureAnalysis(file, { mtu: options.mtu, decodeAs, reassemble: options.reassemble });
  analysis.update(true);
  file.close();
  printTenantsReport(analysis.analyzer, options.format, file.problem);
  reportCaptureProblem(file);
}
