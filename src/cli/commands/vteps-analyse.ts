// `tunnelscope vteps`, once the worker of a large capture is started (vteps-run.ts): the capture is
// analysed on two threads (src/overlay/pipeline) or, when small, on this one.
import { CaptureAnalysis } from '../../overlay/analyze-capture';
import { analysePipelined } from '../../overlay/pipeline/reader';
import { StartedPipeline } from '../../overlay/pipeline/start';
import { CaptureFile } from '../../capture/capture-file';
import type { FrameSource } from '../../capture/frame-source';
import { UserError } from '../errors';
import { closeAfter, openCapturesOrFail, reportCaptureProblem } from '../open-capture';
import { printVtepReport } from '../../overlay/output/print-reports';
import { STDOUT } from '../output';
import { decodeAsOverrides } from '../decode-as-overrides';
import type { VtepsOptions } from './options';

export function analyseVteps(paths: string[], options: VtepsOptions, started: StartedPipeline | null): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCapturesOrFail(paths, decodeAs);
  // One pass, front to back, nothing read back: frames are counted, not indexed.
  if (file instanceof CaptureFile) file.keepIndex = false;
  if (started !== null && file instanceof CaptureFile) {
    return closeAfter(file, analysePipelined(file, started, () => checkAt(file, options.at)));
  }
  const analysis = new CaptureAnalysis(file, { decodeAs, lastFrame: options.at, ageing: options.ageing, reassemble: options.reassemble });
  analysis.update(true);
  file.close();
  checkAt(file, options.at);
  printVtepReport(analysis.analyzer, options.format, options.at, file.problem, STDOUT);
  reportCaptureProblem(file);
}

/** --at must name a frame of the capture. */
function checkAt(file: FrameSource, at: number | undefined): void {
  if (at === undefined || at <= file.frameCount) return;
  if (file.problem) reportCaptureProblem(file);
  throw new UserError(`--at ${at}: the capture has ${file.frameCount} frame(s)`);
}
