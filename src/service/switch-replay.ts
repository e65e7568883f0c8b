// Switch replay for the UI: runs the capture through the one replay driver (src/switch/replay-driver),
// keeps the outcome with the session and hands the UI pages of it, so a capture of any size can be
// replayed and only the rows on screen are ever formatted.
import { Dissection } from '../dissect/dissection';
import { dissectFrame } from '../dissect/engine';
import { formatActions } from '../switch/actions';
import { SwitchInputError } from '../switch/load';
import { formatMatch } from '../switch/match-format';
import { describeBrief, ReplayRecord } from '../switch/replay';
import { FrameSource, ReplayOutcome, runReplay } from '../switch/replay-driver';
import { formatReplayText } from '../switch/replay-format';
import { formatVtepText, VtepRecord } from '../switch/vtep-model';
import type { ReplayFrame, ReplayPage, ReplayReport } from './api';
import type { CaptureSession } from './capture-session';
import { UserFacingError } from './capture-session';

export interface ReplayRequest {
  mode: 'flows' | 'vtep';
  flowsPath: string;
  bridgePath: string;
  localVtep: string;
}

interface StoredReplay {
  outcome: ReplayOutcome;
  /** Record positions whose verdict is a disagreement, for the "only disagreements" view. */
  disagreeing: number[];
}

const replays = new WeakMap<CaptureSession, StoredReplay>();

function sessionFrames(session: CaptureSession): FrameSource {
  return (visit) => {
    const ctx = new Dissection();
    const ix = session.file.index;
    const info = { frame: 0, time: 0, interfaceName: '', direction: 0, outerSrc: 0, outerDst: 0 };
    for (let f = 0; f < session.frames; f++) {
      const bytes = session.file.readFrame(f);
      dissectFrame(ctx, bytes, 0, bytes.length, ix.origLen[f], session.linkType(f));
      info.frame = f + 1;
      info.time = ix.time(f);
      info.interfaceName = session.interfaces[ix.iface[f]]?.name ?? '';
      info.direction = ix.flags[f] & 3;
      info.outerSrc = ix.outerSrc[f];
      info.outerDst = ix.outerDst[f];
      visit(ctx, info);
    }
  };
}

/** The plain-language problem with what the user filled in, or null. */
function missingInput(request: ReplayRequest): string | null {
  if (request.mode === 'flows') {
    if (!request.flowsPath.trim() && !request.bridgePath.trim()) return 'choose the flow table file and the bridge description first';
    if (!request.flowsPath.trim()) return 'choose the flow table file (ovs-ofctl dump-flows output) first';
    if (!request.bridgePath.trim()) return 'choose the bridge description (ovs-vsctl show + ovs-ofctl show output, or JSON) first';
    return null;
  }
  if (!request.localVtep.trim() && !request.bridgePath.trim()) return 'enter the local VTEP address (the IP this host encapsulates from), e.g. 192.168.100.1';
  return null;
}

export function runSwitchReplay(session: CaptureSession, request: ReplayRequest): ReplayReport {
  if (session.indexing) throw new UserFacingError('wait until indexing has finished before replaying');
  const problem = missingInput(request);
  if (problem) throw new UserFacingError(problem);
  let outcome: ReplayOutcome;
  try {
    outcome = runReplay(
      request.mode === 'flows'
        ? { flowsPath: request.flowsPath.trim(), bridgePath: request.bridgePath.trim() }
        : { localVtep: request.localVtep.trim(), bridgePath: request.bridgePath.trim() || undefined },
      sessionFrames(session),
    );
  } catch (err) {
    if (err instanceof SwitchInputError) throw new UserFacingError(err.message);
    throw err;
  }
  const disagreeing: number[] = [];
  const records: readonly (ReplayRecord | VtepRecord)[] = outcome.records;
  records.forEach((r, i) => {
    if (verdictOf(outcome, r) === 'disagree') disagreeing.push(i);
  });
  replays.set(session, { outcome, disagreeing });
  if (outcome.mode === 'vtep') {
    return {
      mode: 'vtep',
      bridge: `VTEP ${outcome.localVtep}`,
      frameCount: outcome.records.length,
      traced: outcome.records.filter((r) => r.role !== 'other').length,
      learned: outcome.records.flatMap((r) => (r.learned ? [{ frame: r.frame, flow: `${r.learned.kind} ${r.learned.mac} behind ${r.learned.remote} in VNI ${r.vni}` }] : [])),
      hits: [],
      disagreements: disagreeing.length,
      source: `flood-and-learn replay as VTEP ${outcome.localVtep}`,
    };
  }
  const multi = outcome.bridges.length > 1;
  return {
    mode: 'flows',
    bridge: outcome.bridges.map((b) => b.bridge?.name ?? 'br0').join(' + '),
    frameCount: outcome.records.length,
    traced: outcome.records.filter((r) => r.role === 'ingress').length,
    learned: outcome.records.flatMap((r) => (r.learned ?? []).map((flow) => ({ frame: r.frame, flow }))),
    hits: outcome.bridges.flatMap(({ bridge, tables }) =>
      tables.tableIds().flatMap((table) =>
        tables.rulesOf(table).map((rule) => ({
          ...(multi ? { bridge: bridge?.name } : {}),
          table,
          priority: rule.priority,
          match: formatMatch(rule.match, rule.priority).replace(/^priority=\d+,?/, '') || '*',
          actions: formatActions(rule.actions),
          hits: rule.packets,
        })),
      ),
    ),
    disagreements: disagreeing.length,
    source: `flow-table replay of ${request.flowsPath} on ${request.bridgePath}`,
  };
}

/** One page of the last replay's rows (all frames, or only the disagreements). */
export function switchReplayPage(session: CaptureSession, start: number, count: number, onlyDisagreements: boolean): ReplayPage {
  const stored = replays.get(session);
  if (!stored) throw new UserFacingError('run the replay first');
  const records: readonly (ReplayRecord | VtepRecord)[] = stored.outcome.records;
  const positions = onlyDisagreements ? stored.disagreeing : null;
  const total = positions ? positions.length : records.length;
  const frames: ReplayFrame[] = [];
  for (let k = start; k < Math.min(total, start + count); k++) frames.push(toReplayFrame(stored.outcome, records[positions ? positions[k] : k]));
  return { total, start, frames };
}

/** The row of one frame of the last replay (the frame selected elsewhere in the app), or null. */
export function switchReplayFrame(session: CaptureSession, frame: number): ReplayFrame | null {
  const stored = replays.get(session);
  if (!stored) return null;
  const records: readonly (ReplayRecord | VtepRecord)[] = stored.outcome.records;
  // Records are one per frame, in frame order.
  const r = records[frame - 1];
  return r && r.frame === frame ? toReplayFrame(stored.outcome, r) : null;
}

function verdictOf(outcome: ReplayOutcome, r: ReplayRecord | VtepRecord): ReplayFrame['verdict'] {
  if (r.role === 'other') return 'none';
  const agrees = outcome.mode === 'flows' && r.role === 'egress' ? (r as ReplayRecord).egress?.agrees : r.agrees;
  return agrees === true ? 'agree' : agrees === false ? 'disagree' : 'unseen';
}

function toReplayFrame(outcome: ReplayOutcome, r: ReplayRecord | VtepRecord): ReplayFrame {
  if (outcome.mode === 'vtep') {
    const v = r as VtepRecord;
    const text = formatVtepText(v);
    return {
      frame: v.frame,
      time: v.time,
      role: v.role,
      interface: '',
      direction: null,
      verdict: verdictOf(outcome, v),
      summary: text.replace(/^\s*\d+\s+[\d.]+\s+/, '').trim(),
      microflow: null,
      path: [],
      outputs: [],
      learned: v.learned ? [`${v.learned.kind} ${v.learned.mac} behind ${v.learned.remote}`] : [],
      text,
    };
  }
  const s = r as ReplayRecord;
  const text = formatReplayText(s);
  return {
    frame: s.frame,
    time: s.time,
    role: s.role,
    interface: s.interface,
    direction: s.direction,
    verdict: verdictOf(outcome, s),
    summary: text.split('\n')[0].replace(/^\s*\d+\s+[\d.]+\s+/, '').trim(),
    microflow: s.microflow ?? null,
    path: s.path ?? [],
    outputs: (s.outputs ?? []).map(describeBrief),
    learned: s.learned ?? [],
    text,
  };
}
