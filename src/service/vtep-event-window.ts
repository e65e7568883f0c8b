// The VTEP timeline's drawing data: a time window of the learning events, filtered by tenant, MAC or
// VTEP, as single events when they fit the drawing's columns, else as per-column counts per lane (the
// density drawing), so a million-packet capture's events are drawn without sending them all.
import type { VtepEventQuery, VtepEventWindow } from './api';
import { shownEvent, TimelineEvent } from './overlay-views';

/** Single events are drawn while no lane has more than one per column and all of them stay few. */
const EVENTS_PER_COLUMN = 1;
const MAX_SINGLE_EVENTS = 5000;

export class VtepEventIndex {
  /** Events by time (frame order is time order in a capture file read in order). */
  constructor(private readonly events: TimelineEvent[]) {}

  private firstAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].time < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  window(q: Omit<VtepEventQuery, 'sessionId'>): VtepEventWindow {
    const mac = q.mac.trim().toLowerCase();
    const passes = (e: TimelineEvent) => (q.tenant === '' || e.tenant === q.tenant) && (q.vtep === '' || e.vtep === q.vtep) && (mac === '' || (e.mac ?? '').includes(mac));
    const picked: TimelineEvent[] = [];
    // Captures are not always in time order: scan from the first event at or after `from` while times
    // stay inside the window, which is exact for ordered files and close for nearly ordered ones.
    for (let i = this.firstAtOrAfter(q.from); i < this.events.length && this.events[i].time <= q.to; i++) {
      if (passes(this.events[i])) picked.push(this.events[i]);
    }
    const span = Math.max(1e-9, q.to - q.from);
    const perLane = new Map<string, number>();
    for (const e of picked) perLane.set(e.vtep, (perLane.get(e.vtep) ?? 0) + 1);
    const busiest = Math.max(0, ...perLane.values());
    if (picked.length <= MAX_SINGLE_EVENTS && busiest <= q.bins * EVENTS_PER_COLUMN) return { from: q.from, to: q.to, total: picked.length, events: picked.map(shownEvent), density: null };
    const lanes = new Map<string, number[]>();
    for (const e of picked) {
      let counts = lanes.get(e.vtep);
      if (!counts) lanes.set(e.vtep, (counts = new Array<number>(q.bins).fill(0)));
      counts[Math.min(q.bins - 1, Math.floor(((e.time - q.from) / span) * q.bins))]++;
    }
    return { from: q.from, to: q.to, total: picked.length, events: null, density: [...lanes.entries()].map(([vtep, counts]) => ({ vtep, counts })) };
  }
}
