// `tunnelscope tenants`, once the worker of a large capture is started (tenants-run.ts): the capture
// is analysed on two threads (src/overlay/pipeline) or, when small, on this one.
import { CaptureAnalysis } from '../../overlay/analyze-capture';
import { analysePipelined } from '../../overlay/pipeline/reader';
import { StartedPipeline } from '../../overlay/pipeline/start';
import { CaptureFile } from '../../capture/capture-file';
import { closeAfter, openCapturesOrFail, reportCaptureProblem } from '../open-capture';
import { printTenantsReport } from '../../overlay/output/print-reports';
import { STDOUT } from '../output';
import { decodeAsOverrides } from '../decode-as-overrides';
import type { TenantsOptions } from './options';

export function analyseTenants(paths: string[], options: TenantsOptions, started: StartedPipeline | null): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCapturesOrFail(paths, decodeAs);
  // One pass, front to back, nothing read back: frames are counted, not indexed.
  if (file instanceof CaptureFile) file.keepIndex = false;
  if (started !== null && file instanceof CaptureFile) {
    return closeAfter(file, analysePipelined(file, started));
  }
  const analysis = new CaptureAnalysis(file, { mtu: options.mtu, decodeAs, reassemble: options.reassemble, learn: false });
  analysis.update(true);
  file.close();
  printTenantsReport(analysis.analyzer, options.format, file.problem, STDOUT);
  reportCaptureProblem(file);
}
