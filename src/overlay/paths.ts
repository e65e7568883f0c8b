// Underlay paths between VTEPs from several hosts' captures: per ordered VTEP pair (and per tenant),
// what the sender's capture shows leaving for the other VTEP while the receiver's capture was
// running, what the receiver's capture shows arriving, what was lost on the way (with the sender's
// frame numbers), the one-way latency after clock correction and how many arrived out of order.
// A frame sent to a multicast group counts toward every member of the group.
import { ipv4FromNumber } from '../dissect/bytes';
import { TENANT_TYPE_NAMES, TenantType } from '../dissect/tenant-id';
import { CaptureSetInfo } from './captures';

export interface LatencySummary {
  /** Seconds. */
  min: number;
  median: number;
  p99: number;
  max: number;
}

export interface LostFrame {
  /** The sender's capture (its name) and the frame's number in it (1-based). */
  capture: string;
  frame: number;
  /** Its number in the merged order (1-based), as `dissect` shows it over the same captures. */
  merged: number;
  tenant: string | null;
}

export interface PathCounts {
  sent: number;
  received: number;
  lost: number;
  latency: LatencySummary | null;
  /** Arrivals that came after one sent later (reordering on the path). */
  reordered: number;
}

export interface TenantPath extends PathCounts {
  tenant: string;
}

export interface PairPath extends PathCounts {
  from: string;
  to: string;
  lostFrames: LostFrame[];
  tenants: TenantPath[];
}

export interface PathCapture {
  file: string;
  name: string;
  vtep: string | null;
  /** Seconds relative to the first capture (its clock minus the first one's). */
  clockOffset: number;
  /** False when no traffic both ways tied this capture's clock to the first one's (offset then 0). */
  clockOffsetEstimated: boolean;
  frames: number;
}

export interface PathsReport {
  captures: PathCapture[];
  pairs: PairPath[];
  /** Transmissions seen in at least one capture, and how many of them were seen in two or more. */
  transmissions: number;
  correlated: number;
}

/** Members of each multicast group (IPv4 numbers), e.g. from the IGMP reports in the captures. */
export type GroupMembers = Map<number, number[]>;

export function latencySummary(values: number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, p99: sorted[Math.ceil(0.99 * n) - 1], max: sorted[n - 1] };
}

/** One path's (or one tenant's on it) counts, and its arrivals as (sent, arrived) times in a typed array. */
class Counter {
  sent = 0;
  lost = 0;
  private times = new Float64Array(64);
  private arrivals = 0;

  arrive(sent: number, arrived: number): void {
    if (this.arrivals * 2 === this.times.length) {
      const bigger = new Float64Array(this.times.length * 2);
      bigger.set(this.times);
      this.times = bigger;
    }
    this.times[this.arrivals * 2] = sent;
    this.times[this.arrivals * 2 + 1] = arrived;
    this.arrivals++;
  }

  finish(): PathCounts {
    const times = this.times;
    // In order of sending (ties in order of arrival in the report's pass).
    const order = Uint32Array.from({ length: this.arrivals }, (_, i) => i).sort((a, b) => times[a * 2] - times[b * 2] || a - b);
    let latest = -Infinity;
    let reordered = 0;
    const latencies: number[] = [];
    for (const i of order) {
      const arrived = times[i * 2 + 1];
      if (arrived < latest) reordered++;
      latest = Math.max(latest, arrived);
      latencies.push(arrived - times[i * 2]);
    }
    return { sent: this.sent, received: this.arrivals, lost: this.lost, latency: latencySummary(latencies), reordered };
  }
}

interface PairCounters {
  from: number;
  to: number;
  all: Counter;
  lostFrames: LostFrame[];
  /** By tenant number (type * 2^32 + id). */
  tenants: Map<number, Counter>;
}

/** A tenant as one number (type * 2^32 + id) and back as the report names it. */
function tenantNumber(type: number, id: number): number {
  return type * 0x100000000 + id;
}

function tenantName(n: number): string {
  return `${TENANT_TYPE_NAMES[Math.floor(n / 0x100000000)]}:${n % 0x100000000}`;
}

function isMulticast(ip: number): boolean {
  return ip >>> 28 === 14;
}

export function buildPathsReport(info: CaptureSetInfo, groups: GroupMembers): PathsReport {
  const { set, correlation: k, hosts } = info;
  const members = set.members;
  const corrected = (c: number, f: number): number => {
    const idx = members[c].file.index;
    return idx.tsSec[f] - members[c].clockOffset + idx.tsNsec[f] / 1e9;
  };
  const windows = members.map((m, c) => (m.file.frameCount > 0 ? { start: corrected(c, 0), end: corrected(c, m.file.frameCount - 1) } : null));
  const captureOfHost = new Map<number, number>();
  hosts.forEach((h, c) => {
    if (h !== null && !captureOfHost.has(h)) captureOfHost.set(h, c);
  });
  // By sender then receiver VTEP (IPv4 numbers).
  const pairsFrom = new Map<number, Map<number, PairCounters>>();
  const pairs: PairCounters[] = [];
  const pairOf = (from: number, to: number): PairCounters => {
    let byReceiver = pairsFrom.get(from);
    if (byReceiver === undefined) pairsFrom.set(from, (byReceiver = new Map()));
    let pair = byReceiver.get(to);
    if (pair === undefined) {
      byReceiver.set(to, (pair = { from, to, all: new Counter(), lostFrames: [], tenants: new Map() }));
      pairs.push(pair);
    }
    return pair;
  };
  let correlated = 0;
  const receivers: number[] = [];
  for (let t = 0; t < k.transmissions; t++) {
    const first = k.sightingStart[t];
    const last = k.sightingStart[t + 1];
    if (last - first > 1) correlated++;
    const sender = k.senderCapture[t];
    if (sender < 0) continue;
    let sendFrame = -1;
    for (let s = first; s < last; s++) if (k.sightingCapture[s] === sender) sendFrame = k.sightingFrame[s];
    const idx = members[sender].file.index;
    const from = idx.outerSrc[sendFrame];
    const dst = idx.outerDst[sendFrame];
    receivers.length = 0;
    if (isMulticast(dst)) {
      for (const m of groups.get(dst) ?? []) if (m !== from) receivers.push(m);
    } else {
      receivers.push(dst);
    }
    const sentAt = corrected(sender, sendFrame);
    const type = idx.tenantType[sendFrame] as TenantType;
    const tenant = type !== TenantType.None ? tenantNumber(type, idx.tenantId[sendFrame]) : -1;
    for (const to of receivers) {
      const rc = captureOfHost.get(to);
      if (rc === undefined) continue;
      let arrived: number | null = null;
      for (let s = first; s < last; s++) if (k.sightingCapture[s] === rc) arrived = corrected(rc, k.sightingFrame[s]);
      const window = windows[rc];
      // Only what left while the receiver's capture was running can be expected in it (what it
      // holds obviously was).
      if (arrived === null && (window === null || sentAt < window.start || sentAt > window.end)) continue;
      const pair = pairOf(from, to);
      let byTenant: Counter | null = null;
      if (tenant >= 0) {
        byTenant = pair.tenants.get(tenant) ?? null;
        if (byTenant === null) pair.tenants.set(tenant, (byTenant = new Counter()));
      }
      for (const c of [pair.all, byTenant]) {
        if (c === null) continue;
        c.sent++;
        if (arrived === null) c.lost++;
        else c.arrive(sentAt, arrived);
      }
      if (arrived === null) {
        pair.lostFrames.push({ capture: members[sender].name, frame: sendFrame + 1, merged: set.mergedFrameOf(sender, sendFrame) + 1, tenant: tenant >= 0 ? tenantName(tenant) : null });
      }
    }
  }
  const ordered = [...pairs].sort((a, b) => a.from - b.from || a.to - b.to);
  return {
    captures: members.map((m, c) => ({
      file: m.file.path,
      name: m.name,
      vtep: m.host,
      clockOffset: m.clockOffset,
      clockOffsetEstimated: k.offsetKnown[c],
      frames: m.file.frameCount,
    })),
    pairs: ordered.map((p) => ({
      from: ipv4FromNumber(p.from),
      to: ipv4FromNumber(p.to),
      ...p.all.finish(),
      lostFrames: p.lostFrames,
      tenants: [...p.tenants.entries()]
        .map(([n, c]) => [tenantName(n), c] as const)
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
        .map(([tenant, c]) => ({ tenant, ...c.finish() })),
    })),
    transmissions: k.transmissions,
    correlated,
  };
}

export function pathsText(report: PathsReport): string {
  const lines: string[] = [];
  lines.push(`${report.captures.length} capture(s), ${report.transmissions} transmission(s), ${report.correlated} seen at both ends`);
  lines.push('');
  lines.push('CAPTURE              VTEP             CLOCK OFFSET   FRAMES');
  for (const c of report.captures) {
    const offset = `${c.clockOffset >= 0 ? '+' : ''}${c.clockOffset.toFixed(6)} s${c.clockOffsetEstimated ? '' : ' (?)'}`;
    lines.push(`${c.name.padEnd(20)} ${(c.vtep ?? '(unknown)').padEnd(16)} ${offset.padStart(13)}  ${String(c.frames).padStart(7)}`);
  }
  lines.push('');
  lines.push('FROM             TO               SENT  RECEIVED  LOST  REORD      MIN   MEDIAN      P99      MAX');
  const row = (label: string, p: PathCounts): string => {
    const l = p.latency;
    const lat = l === null ? '' : [l.min, l.median, l.p99, l.max].map((v) => (v * 1e6).toFixed(1).padStart(8)).join(' ');
    return `${label} ${String(p.sent).padStart(5)} ${String(p.received).padStart(9)} ${String(p.lost).padStart(5)} ${String(p.reordered).padStart(6)} ${lat}`;
  };
  for (const p of report.pairs) {
    lines.push(row(`${p.from.padEnd(16)} ${p.to.padEnd(16)}`, p));
    for (const t of p.tenants) lines.push(row(`  ${t.tenant.padEnd(31)}`, t));
  }
  lines.push('(latency in µs, one way, after clock correction)');
  const lost = report.pairs.filter((p) => p.lostFrames.length > 0);
  if (lost.length > 0) {
    lines.push('');
    lines.push('Lost:');
    for (const p of lost) {
      lines.push(`  ${p.from} -> ${p.to}: ${p.lostFrames.map((f) => `${f.capture} #${f.frame}`).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
