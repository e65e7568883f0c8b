// tunnelscope replay CAPTURE --flows FILE --bridge FILE: runs every frame through the switch in capture
// order and checks the frames the capture shows leaving against the pipeline's predictions.
// The work behind `tunnelscope replay`, loaded only when that command runs (see replay.ts).
import { ipv4FromNumber } from '../../dissect/bytes';
import { CaptureIndexer } from '../../dissect/indexer';
import { FlowTables } from '../../switch/flow-tables';
import { loadBridge, loadFlows, SwitchInputError } from '../../switch/load';
import { SwitchReplay } from '../../switch/replay';
import { formatReplayText } from '../../switch/replay-format';
import { formatVtepText, VtepModel } from '../../switch/vtep-model';
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
  let replay: SwitchReplay | null = null;
  let vtep: VtepModel | null = null;
  try {
    const bridge = options.bridge ? loadBridge(options.bridge) : undefined;
    if (options.flows && bridge) replay = new SwitchReplay(new FlowTables(loadFlows(options.flows, bridge)), bridge);
    else {
      const local = options.localVtep ?? bridge?.localVtep;
      if (!local) throw new UserError('without --flows, give --local-vtep IP (or a --bridge with localVtep)', 2);
      vtep = new VtepModel(local);
    }
  } catch (e) {
    if (e instanceof SwitchInputError) throw new UserError(e.message);
    throw e;
  }
  const file = openCaptureOrFail(capture);
  const indexer = new CaptureIndexer(file);
  const index = file.index;
  const info = { frame: 0, time: 0, interfaceName: '', direction: 0, outerSrc: 0, outerDst: 0 };
  indexer.run((ctx, frame) => {
    info.frame = frame + 1;
    info.time = index.tsSec[frame] + index.tsNsec[frame] / 1e9;
    info.interfaceName = file.interfaces[index.iface[frame]]?.name ?? '';
    info.direction = index.flags[frame] & 3;
    info.outerSrc = index.outerSrc[frame];
    info.outerDst = index.outerDst[frame];
    if (replay) replay.onFrame(ctx, info);
    else vtep!.onFrame(ctx, info, ipv4FromNumber);
  });
  const lines: string[] = [];
  if (replay) {
    for (const r of replay.finish()) lines.push(options.format === 'jsonl' ? JSON.stringify(r) : formatReplayText(r));
  } else {
    for (const r of vtep!.records) lines.push(options.format === 'jsonl' ? JSON.stringify(r) : formatVtepText(r));
  }
  // Interface names come from the capture: made safe for a terminal (JSON lines already escape them).
  if (lines.length > 0) process.stdout.write(lines.join('\n').split('\n').map(terminalSafe).join('\n') + '\n');
  reportCaptureProblem(file);
}
