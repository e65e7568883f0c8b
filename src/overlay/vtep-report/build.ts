// The VTEP report: VTEPs with their tenants, groups with their members, the learning timeline, and
// every VTEP's forwarding database, all as of one frame (the last, or `--at FRAME`).
import { OverlayAnalyzer } from '../analyzer';
import { macFromWords } from '../endpoints';
import { FdbEntry, FloodReason, GroupSummary, LearningEvent, VtepFdb, VtepReport, VtepSummary } from '../report-types';
import { EVENT_KINDS, Ev, EventCode } from '../learning';

const FLOOD_REASONS: FloodReason[] = ['broadcast', 'multicast', 'unknown-unicast'];

/**
 * `atFrame` is 1-based; default the last frame analysed. Without `withEvents` the events list is left
 * empty (json.ts writes it from the learning's arrays; the app pages them), without `withFdb` the
 * forwarding databases (the app pages them too: millions of entries at thousands of VTEPs).
 */
export function buildVtepReport(analyzer: OverlayAnalyzer, atFrame?: number, problem?: string | null, withEvents = true, withFdb = true): VtepReport {
  const at = (atFrame ?? analyzer.frames) - 1;
  const { endpoints, tenants, membership } = analyzer;
  const groups = membership.all.filter((g) => firstFrameOfGroup(analyzer, g.group, g.history) <= at);
  groups.sort((a, b) => endpoints.compare(a.group, b.group));

  const groupSummaries: GroupSummary[] = groups.map((g) => {
    const history = g.history.filter((h) => h.frame <= at);
    return {
      group: endpoints.text(g.group),
      members: membership.membersAt(g, at).map((m) => endpoints.text(m)),
      reported: history.length > 0,
      tenants: g.tenants.filter((_, i) => g.tenantFrames[i] <= at).map((t) => tenants.ref(t)),
      history: history.map((h) => ({ frame: h.frame + 1, vtep: endpoints.text(h.vtep), action: h.join ? ('join' as const) : ('leave' as const), via: h.via })),
    };
  });

  const tenantsByVtep = new Map<number, number[]>();
  const pairs = analyzer.vtepTenants;
  for (let entry = 0; entry < pairs.count; entry++) {
    if (analyzer.vtepTenantFrame[entry] > at) continue;
    const vtep = pairs.word(entry, 0);
    let list = tenantsByVtep.get(vtep);
    if (!list) tenantsByVtep.set(vtep, (list = []));
    list.push(pairs.word(entry, 1));
  }
  // Each group's members replayed once (not once per VTEP: thousands of each), in group order.
  const joinedBy = new Map<number, string[]>();
  for (const g of groups) {
    for (const member of membership.membersAt(g, at)) {
      let joined = joinedBy.get(member);
      if (joined === undefined) joinedBy.set(member, (joined = []));
      joined.push(endpoints.text(g.group));
    }
  }
  const vteps: VtepSummary[] = [];
  for (let e = 0; e < endpoints.count; e++) {
    if (endpoints.isGroup(e)) continue;
    const first = analyzer.endpointFirstFrame[e];
    const joined = joinedBy.get(e) ?? [];
    if ((first === undefined || first > at) && joined.length === 0) continue;
    const vtepTenants = tenantsByVtep.get(e) ?? [];
    vteps.push({
      ip: endpoints.text(e),
      tenants: vtepTenants.sort((a, b) => tenants.compare(a, b)).map((t) => tenants.ref(t)),
      groups: joined,
      firstFrame: (first ?? firstMembershipFrame(groups, e)) + 1,
    });
  }
  sortByAddress(vteps);

  const notes: string[] = [];
  for (const g of groups) {
    if (g.history.some((h) => h.frame <= at)) continue;
    const names = g.tenants.filter((_, i) => g.tenantFrames[i] <= at).map((t) => tenants.name(t));
    notes.push(`no IGMP/MLD membership report seen for group ${endpoints.text(g.group)} (${names.join(', ')}): its receivers are assumed to be the VTEPs seen with the tenant so far`);
  }

  const report: VtepReport = {
    frames: analyzer.frames,
    atFrame: at + 1,
    vteps,
    groups: groupSummaries,
    events: withEvents ? events(analyzer, at) : [],
    fdb: withFdb ? fdbAt(analyzer, at + 1) : [],
    notes,
  };
  if (problem) report.problem = problem;
  return report;
}

/** Learning events up to frame `at` (0-based), in capture order. */
export function events(analyzer: OverlayAnalyzer, at = Infinity): LearningEvent[] {
  const { learning } = analyzer;
  const out: LearningEvent[] = [];
  for (let i = 0; i < learning.eventCount && learning.get(i, Ev.Frame) <= at; i++) out.push(learningEvent(analyzer, i));
  return out;
}

/** Learning event i as reports write it. */
export function learningEvent(analyzer: OverlayAnalyzer, i: number): LearningEvent {
  const { learning, endpoints, tenants } = analyzer;
  const kind = learning.get(i, Ev.Kind) as EventCode;
  const event: LearningEvent = {
    frame: learning.get(i, Ev.Frame) + 1,
    ts: learning.get(i, Ev.Time),
    kind: EVENT_KINDS[kind],
    vtep: endpoints.text(learning.get(i, Ev.Vtep)),
    tenant: tenants.ref(learning.get(i, Ev.Tenant)),
    mac: macFromWords(learning.get(i, Ev.MacHi), learning.get(i, Ev.MacLo)),
  };
  if (kind === EventCode.Flood) {
    event.destination = macFromWords(learning.get(i, Ev.DstHi), learning.get(i, Ev.DstLo));
    event.reason = FLOOD_REASONS[learning.get(i, Ev.Reason)];
    const group = learning.get(i, Ev.Group);
    if (group >= 0) event.group = endpoints.text(group);
    event.receivers = learning.receiversOf(i).map((r) => endpoints.text(r));
    if (learning.get(i, Ev.Assumed) === 1) event.membersAssumed = true;
  } else {
    if (hasRemote(kind)) event.remoteVtep = endpoints.text(learning.get(i, Ev.Remote));
    if (hasPrevious(kind)) event.previousVtep = endpoints.text(learning.get(i, Ev.Previous));
  }
  return event;
}

/** Events that say where the MAC lives (or lived, for age). */
export function hasRemote(kind: EventCode): boolean {
  return kind === EventCode.Learn || kind === EventCode.Move || kind === EventCode.Age;
}

/** Events that say where the MAC lived before. */
export function hasPrevious(kind: EventCode): boolean {
  return kind === EventCode.Move || kind === EventCode.Migrate;
}

/** Forwarding database of every VTEP after `frame` (1-based), VTEPs and entries sorted. */
export function fdbAt(analyzer: OverlayAnalyzer, frame: number): VtepFdb[] {
  const { endpoints, tenants } = analyzer;
  const state = analyzer.learning.fdbAt(frame - 1);
  const learners = endpoints.sorted(state.entries.keys());
  return learners.map((learner) => ({
    vtep: endpoints.text(learner),
    entries: state.entries
      .get(learner)!
      .slice()
      .sort((a, b) => tenants.compare(a.tenant, b.tenant) || a.macHi - b.macHi || a.macLo - b.macLo)
      .map((e): FdbEntry => {
        const entry: FdbEntry = { tenant: tenants.ref(e.tenant), mac: macFromWords(e.macHi, e.macLo), remoteVtep: endpoints.text(e.remote), since: e.since + 1 };
        if (e.remote === learner) entry.local = true;
        return entry;
      }),
  }));
}

function firstFrameOfGroup(analyzer: OverlayAnalyzer, group: number, history: { frame: number }[]): number {
  const seen = analyzer.endpointFirstFrame[group];
  const reported = history.length > 0 ? history[0].frame : Infinity;
  return Math.min(seen ?? Infinity, reported);
}

function firstMembershipFrame(groups: { history: { frame: number; vtep: number }[] }[], vtep: number): number {
  let first = Infinity;
  for (const g of groups) for (const h of g.history) if (h.vtep === vtep && h.frame < first) first = h.frame;
  return first === Infinity ? -1 : first;
}

/** IPv4 numerically, then IPv6 by text; each address read once (thousands of VTEPs). */
function sortByAddress(vteps: VtepSummary[]): void {
  const v4 = new Map<VtepSummary, number | null>();
  for (const v of vteps) v4.set(v, v.ip.includes(':') ? null : v.ip.split('.').reduce((n, part) => n * 256 + Number(part), 0));
  vteps.sort((a, b) => {
    const x = v4.get(a)!;
    const y = v4.get(b)!;
    if (x !== null && y !== null) return x - y;
    if (x !== null) return -1;
    if (y !== null) return 1;
    return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
  });
}
