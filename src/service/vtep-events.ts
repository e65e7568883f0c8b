// The VTEP timeline's events, read where the analysis keeps them: the learning events in the learning's
// typed arrays (millions at thousands of flooding VTEPs) and the IGMP/MLD group changes. A time window
// of them, filtered by tenant, MAC or VTEP, comes as single events when they fit the drawing's columns,
// else as per-column counts per lane (the density drawing), for the lanes on screen only; an event
// becomes an object with its sentence only when it is shown.
import type { OverlayAnalyzer } from '../overlay/analyzer';
import { macTextContains } from '../overlay/endpoints';
import { Ev, EventCode, EVENT_KINDS } from '../overlay/learning';
import type * as A from '../overlay/report-types';
import { learningEvent } from '../overlay/vtep-report/build';
import type { FrameIndex } from '../capture/frame-index';
import { compareAddresses } from '../report/ipv4-text';
import type { VtepEvent, VtepEventQuery, VtepEventWindow } from './api';
import { tenantText } from './overlay-views';

/** Single events are drawn while no lane has more than one per column and all of them stay few. */
const EVENTS_PER_COLUMN = 1;
const MAX_SINGLE_EVENTS = 5000;

/** A group join or leave (a few per VTEP and group). */
interface GroupEvent {
  frame: number;
  time: number;
  vtep: number;
  group: string;
  join: boolean;
  via: string;
}

/** Receivers a marker's sentence names (a flood of a tenant of hundreds of VTEPs has as many). */
const RECEIVERS_NAMED = 8;

/** The event's sentence; `named` receivers of a flood at most, then how many more (the Forwarding subtree names all). */
function learningText(e: A.LearningEvent, tenant: string, named = Infinity): string {
  if (e.kind === 'learn') return `${e.vtep} learns ${e.mac} (${tenant}) is behind ${e.remoteVtep}`;
  if (e.kind === 'move') return `${e.vtep} moves ${e.mac} (${tenant}) from ${e.previousVtep === e.vtep ? 'itself (local)' : e.previousVtep} to ${e.remoteVtep}`;
  if (e.kind === 'local') return `${e.vtep} learns ${e.mac} (${tenant}) is local: it encapsulated its frame`;
  if (e.kind === 'migrate') return `${e.vtep} learns ${e.mac} (${tenant}) moved here from ${e.previousVtep}`;
  if (e.kind === 'age') return `${e.vtep} ages out ${e.mac} (${tenant}), ${e.remoteVtep === e.vtep ? 'local' : `behind ${e.remoteVtep}`}: idle for the ageing time`;
  const to = e.group ? `to group ${e.group}` : 'by unicast copies';
  const receivers = e.receivers ?? [];
  const listed = receivers.length > named ? `${receivers.slice(0, named).join(', ')} and ${receivers.length - named} more` : receivers.join(', ');
  const who = receivers.length === 0 ? 'nobody receives it' : `received by ${listed}${e.membersAssumed ? ' (members assumed: no IGMP report seen)' : ''}`;
  return `${e.vtep} floods ${tenant} ${e.reason ?? ''} frame ${e.mac} → ${e.destination} ${to}: ${who}`.replace(/\s+/g, ' ');
}

export class VtepEvents {
  /** The timeline's lanes: every VTEP with events or in the report, in address order. */
  readonly lanes: string[];
  /** Tenants that have events, sorted (the timeline's tenant choice). */
  readonly tenants: string[];
  private readonly laneOf: Int32Array;
  private readonly groupEvents: GroupEvent[];
  private readonly tenantTexts: string[];
  private endpointByText: Map<string, number> | null = null;
  private tenantByText: Map<string, number> | null = null;

  /** `first`: the capture's first frame time (event times are seconds since it). */
  constructor(
    private readonly analyzer: OverlayAnalyzer,
    index: FrameIndex,
    report: A.VtepReport,
    private readonly first: number,
  ) {
    const { learning, endpoints, tenants } = analyzer;
    this.tenantTexts = Array.from({ length: tenants.count }, (_, t) => tenantText(tenants.ref(t)));
    const isLane = new Uint8Array(endpoints.count);
    const tenantSeen = new Uint8Array(tenants.count);
    for (let i = 0; i < learning.eventCount; i++) {
      isLane[learning.get(i, Ev.Vtep)] = 1;
      tenantSeen[learning.get(i, Ev.Tenant)] = 1;
    }
    this.groupEvents = [];
    for (const g of analyzer.membership.all) {
      const group = endpoints.text(g.group);
      for (const h of g.history) {
        isLane[h.vtep] = 1;
        const time = h.frame < index.count ? index.time(h.frame) - first : 0;
        this.groupEvents.push({ frame: h.frame, time, vtep: h.vtep, group, join: h.join, via: h.via });
      }
    }
    this.groupEvents.sort((a, b) => a.frame - b.frame);
    const laneTexts = new Set(report.vteps.map((v) => v.ip));
    for (let e = 0; e < endpoints.count; e++) if (isLane[e] === 1) laneTexts.add(endpoints.text(e));
    this.lanes = [...laneTexts].sort(compareAddresses);
    this.laneOf = new Int32Array(endpoints.count).fill(-1);
    const laneIndex = new Map(this.lanes.map((v, i) => [v, i]));
    for (let e = 0; e < endpoints.count; e++) this.laneOf[e] = laneIndex.get(endpoints.text(e)) ?? -1;
    this.tenants = this.tenantTexts.filter((_, t) => tenantSeen[t] === 1).sort();
  }

  get count(): number {
    return this.analyzer.learning.eventCount + this.groupEvents.length;
  }

  /** The endpoint of an address text, or -1. */
  endpoint(text: string): number {
    if (this.endpointByText === null) {
      const endpoints = this.analyzer.endpoints;
      this.endpointByText = new Map(Array.from({ length: endpoints.count }, (_, e) => [endpoints.text(e), e]));
    }
    return this.endpointByText.get(text) ?? -1;
  }

  endpointText(endpoint: number): string {
    return this.analyzer.endpoints.text(endpoint);
  }

  /** The tenant number of "vxlan:101", or -1. */
  tenant(text: string): number {
    this.tenantByText ??= new Map(this.tenantTexts.map((t, i) => [t, i]));
    return this.tenantByText.get(text) ?? -1;
  }

  /** The events of frame `frame` (1-based), learning first, then group changes. */
  at(frame: number): VtepEvent[] {
    const learning = this.analyzer.learning;
    const out: VtepEvent[] = [];
    for (let i = this.firstLearningOfFrame(frame - 1); i < learning.eventCount && learning.get(i, Ev.Frame) === frame - 1; i++) out.push(this.shownLearning(i, Infinity));
    for (const g of this.groupEvents) if (g.frame === frame - 1) out.push(this.shownGroup(g));
    return out;
  }

  window(q: Omit<VtepEventQuery, 'sessionId'>): VtepEventWindow {
    const learning = this.analyzer.learning;
    const mac = q.mac.trim().toLowerCase();
    const macHas = macTextContains(mac);
    const tenant = q.tenant === '' ? -1 : this.tenant(q.tenant);
    const vtep = q.vtep === '' ? -1 : this.endpoint(q.vtep);
    const none = (q.tenant !== '' && tenant < 0) || (q.vtep !== '' && vtep < 0);
    const laneStart = q.laneStart ?? 0;
    const laneEnd = q.laneCount === undefined ? this.lanes.length : Math.min(this.lanes.length, laneStart + q.laneCount);
    const rows = q.merged ? 1 : Math.max(0, laneEnd - laneStart);
    const bins = q.bins;
    const span = Math.max(1e-9, q.to - q.from);
    const counts = new Float64Array(rows * bins);
    const perLane = new Int32Array(this.lanes.length);
    const picked: VtepEvent[] = [];
    let total = 0;
    let laneTotal = 0;
    const take = (lane: number, time: number, show: () => VtepEvent) => {
      total++;
      if (lane < laneStart || lane >= laneEnd) return;
      laneTotal++;
      perLane[lane]++;
      const row = q.merged ? 0 : lane - laneStart;
      counts[row * bins + Math.min(bins - 1, Math.max(0, Math.floor(((time - q.from) / span) * bins)))]++;
      if (picked.length <= MAX_SINGLE_EVENTS) picked.push(show());
    };
    if (!none) {
      // Captures are not always in time order: scan from the first event at or after `from` while times
      // stay inside the window, which is exact for ordered files and close for nearly ordered ones.
      for (let i = this.firstLearningAt(q.from); i < learning.eventCount; i++) {
        const time = learning.get(i, Ev.Time) - this.first;
        if (time > q.to) break;
        const sender = learning.get(i, Ev.Vtep);
        if ((tenant >= 0 && learning.get(i, Ev.Tenant) !== tenant) || (vtep >= 0 && sender !== vtep)) continue;
        if (mac !== '' && !macHas(learning.get(i, Ev.MacHi), learning.get(i, Ev.MacLo))) continue;
        take(this.laneOf[sender], time, () => this.shownLearning(i, RECEIVERS_NAMED));
      }
      // Group changes carry no tenant or MAC.
      if (tenant < 0 && mac === '') {
        for (const g of this.groupEvents) {
          if (g.time < q.from || g.time > q.to || (vtep >= 0 && g.vtep !== vtep)) continue;
          take(this.laneOf[g.vtep], g.time, () => this.shownGroup(g));
        }
      }
    }
    let busiest = 0;
    for (let lane = laneStart; lane < laneEnd; lane++) busiest = Math.max(busiest, perLane[lane]);
    const window = { from: q.from, to: q.to, total, laneTotal };
    if (laneTotal <= MAX_SINGLE_EVENTS && busiest <= bins * EVENTS_PER_COLUMN) {
      return { ...window, events: picked.sort((a, b) => a.frame - b.frame), density: null };
    }
    const density: { vtep: string; counts: number[] }[] = [];
    for (let row = 0; row < rows; row++) {
      const cells = counts.subarray(row * bins, (row + 1) * bins);
      if (cells.some((n) => n > 0)) density.push({ vtep: q.merged ? '' : this.lanes[laneStart + row], counts: Array.from(cells) });
    }
    return { ...window, events: null, density };
  }

  private shownLearning(i: number, receiversNamed: number): VtepEvent {
    const learning = this.analyzer.learning;
    const e = learningEvent(this.analyzer, i);
    const tenant = this.tenantTexts[learning.get(i, Ev.Tenant)];
    const kind = EVENT_KINDS[learning.get(i, Ev.Kind) as EventCode];
    return { frame: e.frame, time: e.ts - this.first, vtep: e.vtep, kind, tenant, mac: e.mac, remote: kind === 'flood' ? (e.group ?? null) : (e.remoteVtep ?? null), text: learningText(e, tenant, receiversNamed) };
  }

  private shownGroup(g: GroupEvent): VtepEvent {
    const vtep = this.analyzer.endpoints.text(g.vtep);
    const text = `${vtep} ${g.join ? 'joins' : 'leaves'} group ${g.group} (${g.via} report)`;
    return { frame: g.frame + 1, time: g.time, vtep, kind: g.join ? 'join' : 'leave', tenant: '', mac: null, remote: g.group, text };
  }

  /** The first learning event whose time is at or after `time` (seconds since the first frame). */
  private firstLearningAt(time: number): number {
    const learning = this.analyzer.learning;
    return firstWhere(learning.eventCount, (i) => learning.get(i, Ev.Time) - this.first >= time);
  }

  /** The first learning event of frame `frame` (0-based) or later. */
  private firstLearningOfFrame(frame: number): number {
    const learning = this.analyzer.learning;
    return firstWhere(learning.eventCount, (i) => learning.get(i, Ev.Frame) >= frame);
  }
}

/** The first of 0..count-1 where `holds` (false before it, true from it on), or count. */
function firstWhere(count: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
