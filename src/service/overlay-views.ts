// The Tenants and VTEP timeline views' data, shaped from the one tenants/VTEP analysis
// (src/overlay CaptureAnalysis: the same figures as `tunnelscope tenants`, `tunnelscope vteps` and
// the reports) plus the report's traffic accounting (src/report/traffic.ts: per-tenant time bins and
// the VTEP-to-VTEP matrix). Runs in the analysis worker; this file only reshapes, it never counts.
import type * as A from '../overlay/report-types';
import { formatTenant } from '../dissect/tenant-id';
import type { FrameIndex } from '../capture/frame-index';
import type { FrameSource } from '../capture/frame-source';
import { CoveredFrames, summarizeTraffic, TrafficSummary } from '../report/traffic';
import { compareAddresses } from '../report/ipv4-text';
import type { Finding, GroupRow, TenantsReport, TenantSummary, VtepPair, VtepTimeline } from './api';

export const CHART_BINS = 120;
export const ANALYSIS_SOURCE = 'src/overlay CaptureAnalysis (as tunnelscope tenants / vteps and the reports)';

/** "vxlan:101": the Tenant column's text and the `tenant ==` filter's value. */
export function tenantText(t: A.TenantRef): string {
  return formatTenant(t.type, t.id);
}

/**
 * Every indexed frame with the tenant the engine classified it into (the index's own columns); of
 * several captures, each transmission once (its first sighting), as the report counts them.
 */
export function indexedFrames(index: FrameIndex, repeated: Uint8Array | null = null): CoveredFrames {
  const n = index.count;
  if (repeated === null) {
    const frames = new Uint32Array(n);
    for (let i = 0; i < n; i++) frames[i] = i;
    return { frames, codes: index.tenantType.subarray(0, n), ids: index.tenantId.subarray(0, n) };
  }
  let kept = 0;
  for (let i = 0; i < n; i++) if (repeated[i] === 0) kept++;
  const frames = new Uint32Array(kept);
  const codes = new Uint8Array(kept);
  const ids = new Uint32Array(kept);
  for (let i = 0, k = 0; i < n; i++) {
    if (repeated[i] !== 0) continue;
    frames[k] = i;
    codes[k] = index.tenantType[i];
    ids[k++] = index.tenantId[i];
  }
  return { frames, codes, ids };
}

export function trafficOf(source: FrameSource): TrafficSummary {
  return summarizeTraffic(source.index, indexedFrames(source.index, source.repeated), CHART_BINS);
}

export function addressFilter(address: string): string {
  return `${address.includes(':') ? 'ipv6' : 'ip'}.addr == ${address}`;
}

/** "198.51.100.1:80" / "[2001:db8::1]:80" -> address and port. */
export function splitPort(endpoint: string): [string, string] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at).replace(/^\[|\]$/g, ''), endpoint.slice(at + 1)];
}

export function conversationFilter(tenant: string, c: A.Conversation): string {
  const scope = `tenant == ${tenant}`;
  if (c.layer === 'eth') return `${scope} && eth.addr == ${c.a} && eth.addr == ${c.b}`;
  if (c.layer === 'ip') return `${scope} && ${addressFilter(c.a)} && ${addressFilter(c.b)}`;
  const [aa, ap] = splitPort(c.a);
  const [ba, bp] = splitPort(c.b);
  return `${scope} && ${addressFilter(aa)} && ${addressFilter(ba)} && ${c.layer}.port == ${ap} && ${c.layer}.port == ${bp}`;
}

function findingOf(f: A.Finding): Finding {
  const tenants = f.tenants ?? (f.tenant ? [f.tenant] : []);
  const tenant = tenants.map(tenantText).join(', ');
  let filter: string | null = `frame.number == ${f.firstFrame}`;
  if (f.kind === 'duplicate-ip' && f.address) filter = `${f.tenant ? `tenant == ${tenantText(f.tenant)} && ` : ''}arp && ${f.address.includes(':') ? 'ipv6.addr' : 'arp.src.proto_ipv4'} == ${f.address}`;
  else if (f.kind === 'mac-in-two-tenants' && f.mac) filter = `eth.addr == ${f.mac}`;
  return { severity: f.severity, frame: f.firstFrame > 0 ? f.firstFrame : null, tenant, message: f.message, filter };
}

/** The Tenants view: the tenants report, its conversations with a filter each, and traffic over time. */
export function tenantsView(report: A.TenantsReport, traffic: TrafficSummary, live: boolean): TenantsReport {
  const start = report.startTime;
  const tenants: TenantSummary[] = report.tenants.map((t) => ({
    tenant: tenantText(t),
    name: t.name,
    frames: t.packets,
    bytes: t.bytes,
    innerBytes: t.innerBytes,
    firstFrame: t.firstFrame,
    lastFrame: t.lastFrame,
    firstTime: t.firstTime - start,
    lastTime: t.lastTime - start,
    vteps: t.vteps,
    groups: t.groups,
    floodFrames: t.flood.packets,
    floodShare: t.flood.share,
  }));
  const findings = report.findings.map(findingOf);
  if (report.problem) findings.unshift({ severity: 'error', frame: null, tenant: '', message: `the file is cut short or corrupt: ${report.problem} (the figures cover the frames before it)`, filter: null });
  return {
    frames: report.frames,
    tenants,
    underlay: { frames: report.underlay.packets, bytes: report.underlay.bytes },
    findings,
    traffic: trafficSeries(traffic, report.startTime),
    live,
    source: ANALYSIS_SOURCE,
  };
}

/** Frames per bin of every tenant, busiest first (the I/O graph shows the ones the user picks). */
export function trafficSeries(traffic: TrafficSummary, firstFrameTime: number): TenantsReport['traffic'] {
  const offset = traffic.startTime - firstFrameTime;
  const times = Array.from({ length: traffic.bins }, (_, i) => offset + i * traffic.binSeconds);
  const series = traffic.tenants.map((t) => ({ tenant: tenantText(t), frames: t.packetsOverTime }));
  return { times, bucketSeconds: traffic.binSeconds, series };
}

/** Outer traffic between VTEPs (and to groups), all tenants together. */
export function vtepMatrix(traffic: TrafficSummary): VtepPair[] {
  // By source, then destination: no key string per cell (10,000 VTEPs make hundreds of thousands of cells).
  const bySource = new Map<string, Map<string, VtepPair>>();
  for (const t of traffic.tenants) {
    const tenant = tenantText(t);
    for (const cell of t.matrix) {
      let byDestination = bySource.get(cell.from);
      if (!byDestination) bySource.set(cell.from, (byDestination = new Map()));
      let pair = byDestination.get(cell.to);
      if (!pair) {
        byDestination.set(cell.to, (pair = { from: cell.from, to: cell.to, toGroup: cell.toGroup, frames: 0, bytes: 0, tenants: [] }));
      }
      pair.frames += cell.packets;
      pair.bytes += cell.bytes;
      pair.tenants.push(tenant);
    }
  }
  // Sources sorted, then each one's destinations: far fewer comparisons than one sort of every pair.
  return [...bySource.keys()].sort(compareAddresses).flatMap((from) => [...bySource.get(from)!.values()].sort((a, b) => compareAddresses(a.to, b.to)));
}

/** The multicast groups with their members (the VTEP view's groups table). */
export function groupRows(report: A.VtepReport): GroupRow[] {
  return report.groups.map((g) => ({ group: g.group, members: g.members, reported: g.reported, tenants: g.tenants.map(tenantText) }));
}

/** Groups without a membership report named one by one up to this many; more are summed up in one note. */
const UNREPORTED_NAMED = 3;
const UNREPORTED = /^no IGMP\/MLD membership report seen for group (\S+)/;

/** The report's notes, with thousands of groups without a membership report made one note. */
function shownNotes(notes: string[]): string[] {
  const unreported = notes.filter((n) => UNREPORTED.test(n));
  if (unreported.length <= UNREPORTED_NAMED) return notes;
  const groups = unreported.slice(0, UNREPORTED_NAMED).map((n) => UNREPORTED.exec(n)![1]);
  const summary = `no IGMP/MLD membership report seen for ${unreported.length.toLocaleString('en-US')} groups (${groups.join(', ')}, …): their receivers are assumed to be the VTEPs seen with each group's tenants so far (the Multicast groups table lists them)`;
  return [...notes.filter((n) => !UNREPORTED.test(n)), summary];
}

/** The VTEP timeline view's head: lanes, filters' choices, how many events, groups and pairs to page through. */
export function vtepTimelineView(report: A.VtepReport, events: { lanes: string[]; tenants: string[]; count: number }, pairCount: number, index: FrameIndex, live: boolean): VtepTimeline {
  const first = index.count > 0 ? index.time(0) : 0;
  return {
    frames: report.frames,
    vteps: events.lanes,
    eventCount: events.count,
    tenants: events.tenants,
    groupCount: report.groups.length,
    pairCount,
    notes: shownNotes(report.problem ? [...report.notes, report.problem] : report.notes),
    firstTime: 0,
    lastTime: index.count > 0 ? index.time(index.count - 1) - first : 0,
    live,
  };
}
