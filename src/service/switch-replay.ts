// Switch replay for the UI: loads a bridge and flow tables, runs the capture through src/switch's
// SwitchReplay in capture order, and shapes the records, learned flows and hit counters for display.
import { Dissection } from '../dissect/dissection';
import { dissectFrame } from '../dissect/engine';
import { FlowTables } from '../switch/flow-tables';
import { formatMatch } from '../switch/match-format';
import { formatActions } from '../switch/actions';
import { loadBridge, loadFlows, SwitchInputError } from '../switch/load';
import { describeBrief, ReplayRecord, SwitchReplay } from '../switch/replay';
import { formatReplayText } from '../switch/replay-format';
import type { ReplayFrame, ReplayReport } from './api';
import type { CaptureSession } from './capture-session';
import { UserFacingError } from './capture-session';

/** Replay runs in the service process: keep it to captures a switch trace is meant for. */
export const MAX_REPLAY_FRAMES = 100_000;

export function runSwitchReplay(session: CaptureSession, flowsPath: string, bridgePath: string): ReplayReport {
  if (session.indexing) throw new UserFacingError('wait until indexing has finished before replaying');
  if (session.frames > MAX_REPLAY_FRAMES) throw new UserFacingError(`switch replay handles at most ${MAX_REPLAY_FRAMES} frames (this capture has ${session.frames}); export a slice first`);
  let tables: FlowTables;
  let bridgeName: string;
  let replay: SwitchReplay;
  try {
    const bridge = loadBridge(bridgePath);
    tables = new FlowTables(loadFlows(flowsPath, bridge));
    bridgeName = bridge.name;
    replay = new SwitchReplay(tables, bridge);
  } catch (err) {
    if (err instanceof SwitchInputError) throw new UserFacingError(err.message);
    throw err;
  }
  const ctx = new Dissection();
  const ix = session.file.index;
  for (let f = 0; f < session.frames; f++) {
    const bytes = session.file.readFrame(f);
    dissectFrame(ctx, bytes, 0, bytes.length, ix.origLen[f], session.linkType(f));
    replay.onFrame(ctx, {
      frame: f + 1,
      time: ix.time(f),
      interfaceName: session.interfaces[ix.iface[f]]?.name ?? '',
      direction: ix.flags[f] & 3,
      outerSrc: ix.outerSrc[f],
      outerDst: ix.outerDst[f],
    });
  }
  const records = replay.finish();
  const frames = records.map(toReplayFrame);
  const learned = records.flatMap((r) => (r.learned ?? []).map((flow) => ({ frame: r.frame, flow })));
  const hits = tables.tableIds().flatMap((table) =>
    tables.rulesOf(table).map((rule) => ({ table, priority: rule.priority, match: formatMatch(rule.match, rule.priority).replace(/^priority=\d+,?/, '') || '*', actions: formatActions(rule.actions), hits: rule.packets })),
  );
  return {
    bridge: bridgeName,
    frames,
    learned,
    hits,
    disagreements: frames.filter((f) => f.verdict === 'disagree').length,
    source: `src/switch replay of ${flowsPath} on ${bridgePath}`,
  };
}

function verdictOf(r: ReplayRecord): ReplayFrame['verdict'] {
  const agrees = r.role === 'egress' ? r.egress?.agrees : r.agrees;
  if (r.role === 'other') return 'none';
  return agrees === true ? 'agree' : agrees === false ? 'disagree' : 'unseen';
}

function toReplayFrame(r: ReplayRecord): ReplayFrame {
  const text = formatReplayText(r);
  return {
    frame: r.frame,
    time: r.time,
    role: r.role,
    interface: r.interface,
    direction: r.direction,
    verdict: verdictOf(r),
    summary: text.split('\n')[0].replace(/^\s*\d+\s+[\d.]+\s+/, '').trim(),
    microflow: r.microflow ?? null,
    path: r.path ?? [],
    outputs: (r.outputs ?? []).map(describeBrief),
    learned: r.learned ?? [],
    text,
  };
}

