// The learning rule of RFC 7348 section 4 applied frame by frame: a VTEP that receives an encapsulated
// frame learns (tenant, inner source MAC) -> outer source address. First entry: `learn`; a different
// remote VTEP for an existing entry: `move`; the same mapping again only refreshes (no event).
// Events live in typed arrays (a million-packet capture has tens of thousands) and become objects
// only when a report asks for them.
import { WordTable, growFloat64, growInt32 } from './word-table';

export const enum EventCode {
  Learn = 0,
  Move = 1,
  Flood = 2,
}

export const enum FloodCode {
  Broadcast = 0,
  Multicast = 1,
  UnknownUnicast = 2,
}

// Event columns.
export const enum Ev {
  Frame = 0,
  Kind = 1,
  Vtep = 2,
  Tenant = 3,
  MacHi = 4,
  MacLo = 5,
  Remote = 6,
  Previous = 7,
  DstHi = 8,
  DstLo = 9,
  Group = 10,
  Reason = 11,
  ReceiversStart = 12,
  ReceiversCount = 13,
  Assumed = 14,
  Stride = 16,
}

export interface FdbState {
  /** learner endpoint -> entries */
  entries: Map<number, { tenant: number; macHi: number; macLo: number; remote: number; since: number }[]>;
}

export class VtepLearning {
  private readonly fdb: WordTable;
  /** Current remote VTEP of each FDB slot; -1 until learned. */
  remote: Int32Array;
  eventCount = 0;
  events: Float64Array;
  receivers: Int32Array;
  private receiversUsed = 0;

  /** Sized for about `expectedEvents` events (and as many FDB entries) so that it seldom grows. */
  constructor(expectedEvents = 256) {
    this.fdb = new WordTable(expectedEvents);
    this.remote = new Int32Array(this.fdb.keyStart.length).fill(-1);
    this.events = new Float64Array(Ev.Stride * Math.max(256, expectedEvents));
    this.receivers = new Int32Array(4 * Math.max(256, expectedEvents));
  }

  /** The FDB slot of (learner, tenant, mac), created empty if new. */
  slot(learner: number, tenant: number, macHi: number, macLo: number): number {
    const key = this.fdb.key;
    key[0] = learner;
    key[1] = tenant;
    key[2] = macHi;
    key[3] = macLo;
    const slot = this.fdb.intern(4);
    if (slot >= this.remote.length) this.remote = growInt32(this.remote, this.remote.length * 2, -1);
    return slot;
  }

  /** `learner` received a frame of `tenant` from `remote` with source MAC hi:lo. Returns the FDB slot. */
  learn(frame: number, learner: number, tenant: number, macHi: number, macLo: number, remote: number): number {
    const slot = this.slot(learner, tenant, macHi, macLo);
    this.learnAt(slot, frame, learner, tenant, macHi, macLo, remote);
    return slot;
  }

  /** As learn(), with the FDB slot of (learner, tenant, mac) already known. */
  learnAt(slot: number, frame: number, learner: number, tenant: number, macHi: number, macLo: number, remote: number): void {
    const previous = this.remote[slot];
    if (previous === remote) return;
    this.remote[slot] = remote;
    const e = this.newEvent(frame, previous < 0 ? EventCode.Learn : EventCode.Move, learner, tenant, macHi, macLo);
    this.events[e + Ev.Remote] = remote;
    this.events[e + Ev.Previous] = previous;
  }

  /** A flooded frame: who sent it, why, where to (group or -1), who received it. */
  flood(frame: number, sender: number, tenant: number, macHi: number, macLo: number, dstHi: number, dstLo: number, reason: FloodCode, group: number, receivers: readonly number[], assumed: boolean): void {
    const e = this.newEvent(frame, EventCode.Flood, sender, tenant, macHi, macLo);
    const ev = this.events;
    ev[e + Ev.DstHi] = dstHi;
    ev[e + Ev.DstLo] = dstLo;
    ev[e + Ev.Group] = group;
    ev[e + Ev.Reason] = reason;
    ev[e + Ev.Assumed] = assumed ? 1 : 0;
    if (this.receiversUsed + receivers.length > this.receivers.length) {
      this.receivers = growInt32(this.receivers, Math.max(this.receivers.length * 2, this.receiversUsed + receivers.length));
    }
    ev[e + Ev.ReceiversStart] = this.receiversUsed;
    ev[e + Ev.ReceiversCount] = receivers.length;
    for (const r of receivers) this.receivers[this.receiversUsed++] = r;
  }

  /** Column `field` of event i. */
  get(i: number, field: Ev): number {
    return this.events[i * Ev.Stride + field];
  }

  receiversOf(i: number): number[] {
    const start = this.get(i, Ev.ReceiversStart);
    return Array.from(this.receivers.subarray(start, start + this.get(i, Ev.ReceiversCount)));
  }

  /** Forwarding database of every VTEP after `frame` (0-based): the learns and moves up to it, replayed. */
  fdbAt(frame: number): FdbState {
    const entries: FdbState['entries'] = new Map();
    const index = new Map<string, { tenant: number; macHi: number; macLo: number; remote: number; since: number }>();
    for (let i = 0; i < this.eventCount; i++) {
      if (this.get(i, Ev.Frame) > frame) break;
      const kind = this.get(i, Ev.Kind);
      if (kind === EventCode.Flood) continue;
      const learner = this.get(i, Ev.Vtep);
      const tenant = this.get(i, Ev.Tenant);
      const macHi = this.get(i, Ev.MacHi);
      const macLo = this.get(i, Ev.MacLo);
      const id = `${learner}/${tenant}/${macHi}/${macLo}`;
      const existing = index.get(id);
      if (existing) {
        existing.remote = this.get(i, Ev.Remote);
        existing.since = this.get(i, Ev.Frame);
        continue;
      }
      const entry = { tenant, macHi, macLo, remote: this.get(i, Ev.Remote), since: this.get(i, Ev.Frame) };
      index.set(id, entry);
      let list = entries.get(learner);
      if (!list) entries.set(learner, (list = []));
      list.push(entry);
    }
    return { entries };
  }

  private newEvent(frame: number, kind: EventCode, vtep: number, tenant: number, macHi: number, macLo: number): number {
    if ((this.eventCount + 1) * Ev.Stride > this.events.length) this.events = growFloat64(this.events, this.events.length * 2);
    const e = this.eventCount++ * Ev.Stride;
    const ev = this.events;
    ev[e + Ev.Frame] = frame;
    ev[e + Ev.Kind] = kind;
    ev[e + Ev.Vtep] = vtep;
    ev[e + Ev.Tenant] = tenant;
    ev[e + Ev.MacHi] = macHi;
    ev[e + Ev.MacLo] = macLo;
    ev[e + Ev.Group] = -1;
    return e;
  }
}
