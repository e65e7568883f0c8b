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
import type { FdbEntry, Finding, TenantsReport, TenantSummary, VtepEvent, VtepPair, VtepTimeline } from './api';

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
  const pairs = new Map<string, VtepPair>();
  for (const t of traffic.tenants) {
    for (const cell of t.matrix) {
      const key = `${cell.from}|${cell.to}`;
      let pair = pairs.get(key);
      if (!pair) pairs.set(key, (pair = { from: cell.from, to: cell.to, toGroup: cell.toGroup, frames: 0, bytes: 0, tenants: [] }));
      pair.frames += cell.packets;
      pair.bytes += cell.bytes;
      pair.tenants.push(tenantText(t));
    }
  }
  return [...pairs.values()].sort((a, b) => compareAddresses(a.from, b.from) || compareAddresses(a.to, b.to));
}

function eventText(e: A.LearningEvent, tenant: string): string {
  if (e.kind === 'learn') return `${e.vtep} learns ${e.mac} (${tenant}) is behind ${e.remoteVtep}`;
  if (e.kind === 'move') return `${e.vtep} moves ${e.mac} (${tenant}) from ${e.previousVtep === e.vtep ? 'itself (local)' : e.previousVtep} to ${e.remoteVtep}`;
  if (e.kind === 'local') return `${e.vtep} learns ${e.mac} (${tenant}) is local: it encapsulated its frame`;
  if (e.kind === 'migrate') return `${e.vtep} learns ${e.mac} (${tenant}) moved here from ${e.previousVtep}`;
  if (e.kind === 'age') return `${e.vtep} ages out ${e.mac} (${tenant}), ${e.remoteVtep === e.vtep ? 'local' : `behind ${e.remoteVtep}`}: idle for the ageing time`;
  const to = e.group ? `to group ${e.group}` : 'by unicast copies';
  const receivers = e.receivers ?? [];
  const who = receivers.length === 0 ? 'nobody receives it' : `received by ${receivers.join(', ')}${e.membersAssumed ? ' (members assumed: no IGMP report seen)' : ''}`;
  return `${e.vtep} floods ${tenant} ${e.reason ?? ''} frame ${e.mac} → ${e.destination} ${to}: ${who}`.replace(/\s+/g, ' ');
}

/**
 * A timeline event as kept in the analysis worker: its sentence is written only when the event is
 * shown (a window of single events, a frame's Forwarding subtree), not for every event of the capture.
 */
export interface TimelineEvent extends Omit<VtepEvent, 'text'> {
  /** The learning event it comes from, or null for a group join/leave (whose sentence is `groupText`). */
  learning: A.LearningEvent | null;
  groupText: string | null;
}

/** The event as the app shows it, with its sentence. */
export function shownEvent(e: TimelineEvent): VtepEvent {
  const { learning, groupText, ...shown } = e;
  return { ...shown, text: learning !== null ? eventText(learning, e.tenant) : groupText! };
}

/** The VTEP timeline view: lanes, learn/move/flood and group events, groups, the matrix. */
export function vtepTimelineView(report: A.VtepReport, traffic: TrafficSummary, index: FrameIndex, live: boolean): { timeline: VtepTimeline; events: TimelineEvent[] } {
  const first = index.count > 0 ? index.time(0) : 0;
  const timeOf = (frame: number) => (frame >= 1 && frame <= index.count ? index.time(frame - 1) - first : 0);
  const tenantTexts = new Map<A.TenantRef, string>();
  const events: TimelineEvent[] = report.events.map((e) => {
    let tenant = tenantTexts.get(e.tenant);
    if (tenant === undefined) tenantTexts.set(e.tenant, (tenant = tenantText(e.tenant)));
    return { frame: e.frame, time: e.ts - first, vtep: e.vtep, kind: e.kind, tenant, mac: e.mac, remote: e.kind === 'flood' ? (e.group ?? null) : (e.remoteVtep ?? null), learning: e, groupText: null };
  });
  for (const g of report.groups) {
    for (const h of g.history) {
      events.push({ frame: h.frame, time: timeOf(h.frame), vtep: h.vtep, kind: h.action, tenant: '', mac: null, remote: g.group, learning: null, groupText: `${h.vtep} ${h.action === 'join' ? 'joins' : 'leaves'} group ${g.group} (${h.via} report)` });
    }
  }
  events.sort((a, b) => a.frame - b.frame);
  const lanes = new Set(report.vteps.map((v) => v.ip));
  const tenants = new Set<string>();
  for (const e of events) {
    lanes.add(e.vtep);
    if (e.tenant) tenants.add(e.tenant);
  }
  const timeline: VtepTimeline = {
    frames: report.frames,
    vteps: [...lanes].sort(compareAddresses),
    eventCount: events.length,
    tenants: [...tenants].sort(),
    groups: report.groups.map((g) => ({ group: g.group, members: g.members, reported: g.reported })),
    matrix: vtepMatrix(traffic),
    notes: report.problem ? [...report.notes, report.problem] : report.notes,
    firstTime: 0,
    lastTime: index.count > 0 ? index.time(index.count - 1) - first : 0,
    live,
  };
  return { timeline, events };
}

export function fdbEntries(fdb: A.VtepFdb[]): FdbEntry[] {
  return fdb.flatMap((v) => v.entries.map((e) => ({ vtep: v.vtep, tenant: tenantText(e.tenant), mac: e.mac, remoteVtep: e.remoteVtep, local: e.local === true, learnedFrame: e.since })));
}
