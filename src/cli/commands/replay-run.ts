// tunnelscope replay CAPTURE --flows FILE --bridge FILE: runs every frame through the switch in capture
// order and checks the frames the capture shows leaving against the pipeline's predictions.
// The work behind `tunnelscope replay`, loaded only when that command runs (see replay.ts).
import { CaptureIndexer } from '../../dissect/indexer';
import { SwitchInputError } from '../../switch/load';
import { FrameSource, ReplaySetupError, runReplay as replayCapture } from '../../switch/replay-driver';
import { formatReplayText } from '../../switch/replay-format';
import { formatVtepText } from '../../switch/vtep-model';
import { UserError } from '../errors';
import { terminalSafe } from '../../overlay/output/terminal-text';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
export interface ReplayOptions {
  flows?: string;
  bridge?: string;
  localVtep?: string;
  format: 'text' | 'jsonl';
}

export function runReplay(capture: string, options: ReplayOptions): void {
  if (options.flows && !options.bridge) throw new UserError('replay with --flows needs --bridge (which port is which tunnel)', 2);
  let file: ReturnType<typeof openCaptureOrFail> | undefined;
  const frames: FrameSource = (visit) => {
    file = openCaptureOrFail(capture);
    const opened = file;
    const index = opened.index;
    const info = { frame: 0, time: 0, interfaceName: '', direction: 0, outerSrc: 0, outerDst: 0 };
    new CaptureIndexer(opened).run((ctx, frame) => {
      info.frame = frame + 1;
      info.time = index.tsSec[frame] + index.tsNsec[frame] / 1e9;
      info.interfaceName = opened.interfaces[index.iface[frame]]?.name ?? '';
      info.direction = index.flags[frame] & 3;
      info.outerSrc = index.outerSrc[frame];
      info.outerDst = index.outerDst[frame];
      visit(ctx, info);
    });
  };
  let outcome: ReturnType<typeof replayCapture>;
  try {
    outcome = replayCapture({ flowsPath: options.flows, bridgePath: options.bridge, localVtep: options.localVtep }, frames);
  } catch (e) {
    if (e instanceof ReplaySetupError) throw new UserError('without --flows, give --local-vtep IP (or a --bridge with localVtep)', 2);
    if (e instanceof SwitchInputError) throw new UserError(e.message);
    throw e;
  }
  const lines: string[] = [];
  if (outcome.mode === 'flows') {
    for (const r of outcome.records) lines.push(options.format === 'jsonl' ? JSON.stringify(r) : formatReplayText(r));
  } else {
    for (const r of outcome.records) lines.push(options.format === 'jsonl' ? JSON.stringify(r) : formatVtepText(r));
  }
  // Interface names come from the capture: made safe for a terminal (JSON lines already escape them).
  if (lines.length > 0) process.stdout.write(lines.join('\n').split('\n').map(terminalSafe).join('\n') + '\n');
  if (file) reportCaptureProblem(file);
}
