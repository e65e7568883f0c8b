// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
// The work behind `tunnelscope vteps`, loaded only when that command runs (see vteps.ts).
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { vtepReportText } from '../../vtep/text';
import { UserError } from '../errors';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { LineWriter } from '../output';
import { decodeAsOverrides } from '../decode-as-overrides';
export interface VtepsOptions {
  format: 'text' | 'json';
  at?: number;
  decodeAs: string[];
}


export function runVteps(path: string, options: VtepsOptions): void {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  const analysis = new CaptureAnalysis(file, { decodeAs, lastFrame: options.at });
  analysis.update(true);
  file.close();
  const frames = file.frameCount;
  if (options.at !== undefined && options.at > frames) {
    if (file.problem) reportCaptureProblem(file);
    throw new UserError(`--at ${options.at}: the capture has ${frames} frame(s)`);
  }
  const report = analysis.vteps(options.at);
  const out = new LineWriter();
  if (options.format === 'json') out.line(JSON.stringify(report));
  else for (const line of vtepReportText(report, frames > 0 ? file.index.time(0) : 0)) out.line(line);
  out.flush();
  reportCaptureProblem(file);
}
