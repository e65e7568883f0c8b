// `tunnelscope vteps`, once the worker of a large capture is started (vteps-run.ts): the capture is
// analysed on two threads (pipeline.ts) or, when small, on this one.
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { analysePipelined } from '../../analysis/pipeline';
import { StartedPipeline } from '../../analysis/pipeline-start';
import { CaptureFile } from '../../capture/capture-file';
import { UserError } from '../errors';
import { closeAfter, openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { printVtepReport } from '../report-output';
import { decodeAsOverrides } from '../decode-as-overrides';
import type { VtepsOptions } from './vteps-run';

export function analyseVteps(path: string, options: VtepsOptions, started: StartedPipeline | null): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  if (started !== null) {
    return closeAfter(file, analysePipelined(file, started, () => checkAt(file, options.at)));
  }
  const analysis = new CaptureAnalysis(file, { decodeAs, lastFrame: options.at, reassemble: options.reassemble });
  analysis.update(true);
  file.close();
  checkAt(file, options.at);
  printVtepReport(analysis.analyzer, options.format, options.at, file.problem);
  reportCaptureProblem(file);
}

/** --at must name a frame of the capture. */
function checkAt(file: CaptureFile, at: number | undefined): void {
  if (at === undefined || at <= file.frameCount) return;
  if (file.problem) reportCaptureProblem(file);
  throw new UserError(`--at ${at}: the capture has ${file.frameCount} frame(s)`);
}
