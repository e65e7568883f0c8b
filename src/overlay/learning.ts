// The one learning model of RFC 7348 section 4, applied frame by frame, for the analysis and for
// replay's flood-and-learn VTEP. A VTEP's forwarding database maps (tenant, inner MAC) to where the MAC
// lives:
// - remote learning: a VTEP that receives an encapsulated frame learns the inner source MAC behind the
//   outer source address (`learn`; a different remote VTEP for a known MAC: `move`);
// - local learning: a VTEP that encapsulates a frame learns its inner source MAC as local (`local`); a
//   local MAC replacing a remote entry is a VM that moved here (`migrate`), and the other VTEPs record
//   the move when they receive its frames;
// - ageing: an entry not refreshed for `ageing` seconds (300 by default, the Linux bridge's) is removed
//   (`age`, timed when it expired).
// The same mapping again only refreshes (no event). Events live in typed arrays (a million-packet
// capture has tens of thousands) and become objects only when a report asks for them.
import { DEFAULT_AGEING_SECONDS } from './defaults';
import { WordTable, growFloat64, growInt32 } from './word-table';
import { DeadlineHeap } from './deadline-heap';

export { DEFAULT_AGEING_SECONDS };

/** Idle expiries are looked for at most this often (seconds of capture time), like the bridge's periodic clean-up. */
const SWEEP_INTERVAL = 1;

/**
 * Events are kept in blocks of 2^EVENT_BLOCK_BITS: a new block when one fills, never a bigger array
 * and a copy (a head-end replicated broadcast is an event per copy, and copying tens of megabytes
 * of events as they double cost more than recording them).
 */
const EVENT_BLOCK_BITS = 13;
const EVENT_BLOCK = 1 << EVENT_BLOCK_BITS;

export const enum EventCode {
  Learn = 0,
  Move = 1,
  Flood = 2,
  Local = 3,
  Migrate = 4,
  Age = 5,
}

/** Event kind names by EventCode, as reports spell them. */
export const EVENT_KINDS = ['learn', 'move', 'flood', 'local', 'migrate', 'age'] as const;

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
  /** Age events: when the entry expired (seconds since the epoch); the event's frame is the first after it. */
  ExpiredAt = 15,
  /** When the event happened (seconds since the epoch): its frame's time, or ExpiredAt for an age event. */
  Time = 16,
  /** The FDB slot a learn, move, local, migrate or age event changed (-1 for a flood). */
  Slot = 17,
  Stride = 18,
}

export interface FdbState {
  /** learner endpoint -> entries; an entry whose remote is the learner itself is a local MAC. */
  entries: Map<number, { tenant: number; macHi: number; macLo: number; remote: number; since: number }[]>;
}

/** Every FDB slot's entry at one frame: its remote VTEP (-1: none) and the frame that set it (0-based). */
export interface FdbSnapshot {
  remote: Int32Array;
  since: Int32Array;
}

/** What learnAt did: an event's code, or Refreshed (the same mapping again). */
export const Refreshed = -1;

export class VtepLearning {
  private readonly fdb: WordTable;
  /** Current remote VTEP of each FDB slot (the learner itself when local); -1 until learned or once aged. */
  remote: Int32Array;
  /** When each slot was last learned or refreshed (seconds since the epoch). */
  lastSeen: Float64Array;
  /** The frame of each slot's last event that set its remote (learn, move, local, migrate). */
  private sinceFrame: Int32Array;
  eventCount = 0;
  /** Event i is eventBlocks[i >> EVENT_BLOCK_BITS] at (i & (EVENT_BLOCK - 1)) * Ev.Stride. */
  private readonly eventBlocks: Float64Array[] = [];
  /** The block of the event newEvent() made last. */
  private events = new Float64Array(0);
  receivers: Int32Array;
  private receiversUsed = 0;
  /** Where the last list of receivers written starts, and its length. */
  private lastReceiversStart = -1;
  private lastReceiversCount = 0;
  /** No entry can have expired before this time: sweep() is not needed until then. */
  private nextSweep = Infinity;
  /**
   * Learned entries by deadline, for sweep(). Each learned entry has one valid heap item, whose deadline
   * is queuedAt[slot] (NaN: none) and at most its real one (lastSeen + ageing): a refresh moves nothing
   * unless the capture's clock went back.
   */
  private readonly expiry = new DeadlineHeap();
  private queuedAt: Float64Array;

  /** Sized for about `expectedEvents` events (and as many FDB entries) so that it seldom grows. */
  constructor(
    expectedEvents = 256,
    readonly ageing = DEFAULT_AGEING_SECONDS,
  ) {
    this.fdb = new WordTable(expectedEvents);
    this.remote = new Int32Array(this.fdb.keyStart.length).fill(-1);
    this.lastSeen = new Float64Array(this.fdb.keyStart.length);
    this.sinceFrame = new Int32Array(this.fdb.keyStart.length);
    this.queuedAt = new Float64Array(this.fdb.keyStart.length).fill(NaN);
    this.receivers = new Int32Array(4 * Math.max(256, expectedEvents));
  }

  /** The FDB slot of (learner, tenant, mac), created empty if new. */
  slot(learner: number, tenant: number, macHi: number, macLo: number): number {
    this.fillKey(learner, tenant, macHi, macLo);
    const slot = this.fdb.intern(4);
    if (slot >= this.remote.length) {
      this.remote = growInt32(this.remote, this.remote.length * 2, -1);
      this.lastSeen = growFloat64(this.lastSeen, this.lastSeen.length * 2);
      this.sinceFrame = growInt32(this.sinceFrame, this.sinceFrame.length * 2);
      this.queuedAt = growFloat64(this.queuedAt, this.queuedAt.length * 2, NaN);
    }
    return slot;
  }

  /** Where (learner, tenant, mac) lives at `now`: a remote VTEP, the learner itself (local), or -1. */
  lookup(learner: number, tenant: number, macHi: number, macLo: number, now: number): number {
    const slot = this.findSlot(learner, tenant, macHi, macLo);
    if (slot < 0 || this.remote[slot] < 0 || now - this.lastSeen[slot] > this.ageing) return -1;
    return this.remote[slot];
  }

  /**
   * The hot path: when the slot already maps to `remote` and has not aged at `now`, refreshes it and
   * returns true; otherwise learnAt() has work to do.
   */
  refresh(slot: number, remote: number, now: number): boolean {
    if (this.remote[slot] !== remote || now - this.lastSeen[slot] > this.ageing) return false;
    this.touch(slot, now);
    return true;
  }

  /** The slot was seen at `now`; it stays in the expiry heap with a deadline no later than its real one. */
  private touch(slot: number, now: number): void {
    this.lastSeen[slot] = now;
    const deadline = now + this.ageing;
    if (!(this.queuedAt[slot] <= deadline)) {
      this.expiry.push(deadline, slot);
      this.queuedAt[slot] = deadline;
    }
  }

  /** `learner` saw a frame of `tenant` with source MAC hi:lo living at `remote` (itself: local). Returns the FDB slot. */
  learn(frame: number, now: number, learner: number, tenant: number, macHi: number, macLo: number, remote: number): number {
    const slot = this.slot(learner, tenant, macHi, macLo);
    this.learnAt(slot, frame, now, learner, tenant, macHi, macLo, remote);
    return slot;
  }

  /**
   * As learn(), with the FDB slot of (learner, tenant, mac) already known. An entry idle for longer than
   * the ageing time is aged out first. Returns the event made, or Refreshed.
   */
  learnAt(slot: number, frame: number, now: number, learner: number, tenant: number, macHi: number, macLo: number, remote: number): number {
    let previous = this.remote[slot];
    if (previous >= 0 && now - this.lastSeen[slot] > this.ageing) {
      this.expire(slot, frame);
      previous = -1;
    }
    this.touch(slot, now);
    if (previous === remote) return Refreshed;
    if (previous < 0) this.nextSweep = Math.min(this.nextSweep, now + this.ageing);
    this.remote[slot] = remote;
    this.sinceFrame[slot] = frame;
    const local = remote === learner;
    const code = local ? (previous < 0 ? EventCode.Local : EventCode.Migrate) : previous < 0 ? EventCode.Learn : EventCode.Move;
    const e = this.newEvent(frame, now, code, learner, tenant, macHi, macLo);
    this.events[e + Ev.Remote] = remote;
    this.events[e + Ev.Previous] = previous;
    this.events[e + Ev.Slot] = slot;
    return code;
  }

  /**
   * Ages out every entry idle for longer than the ageing time at `now`, with `age` events at `frame` (the
   * first frame after they expired), oldest first. Cheap to call per frame: it works only once the
   * earliest possible expiry has passed, and then at most once per SWEEP_INTERVAL.
   */
  sweep(now: number, frame: number): void {
    if (now <= this.nextSweep) return;
    const expired: number[] = [];
    let earliest = Infinity;
    const heap = this.expiry;
    while (heap.size > 0) {
      const queued = heap.topDeadline();
      const slot = heap.topSlot();
      if (queued !== this.queuedAt[slot]) {
        heap.pop(); // superseded by an earlier deadline
        continue;
      }
      const deadline = this.lastSeen[slot] + this.ageing;
      if (this.remote[slot] >= 0 && deadline === queued && !(now > deadline)) {
        // The earliest real deadline of all: every other item is later, and none is later than its entry's.
        earliest = deadline;
        break;
      }
      heap.pop();
      this.queuedAt[slot] = NaN;
      if (this.remote[slot] < 0) continue; // aged out when next seen, not learned again
      if (deadline === queued) {
        expired.push(slot);
        continue;
      }
      // Refreshed since it was queued: back in at its real deadline.
      heap.push(deadline, slot);
      this.queuedAt[slot] = deadline;
    }
    expired.sort((a, b) => this.lastSeen[a] - this.lastSeen[b] || a - b);
    for (const slot of expired) this.expire(slot, frame);
    this.nextSweep = earliest === Infinity ? Infinity : Math.max(earliest, now + SWEEP_INTERVAL);
  }

  /** Removes an entry that aged out, with its `age` event. */
  private expire(slot: number, frame: number): void {
    const fdb = this.fdb;
    const expiredAt = this.lastSeen[slot] + this.ageing;
    const e = this.newEvent(frame, expiredAt, EventCode.Age, fdb.word(slot, 0), fdb.word(slot, 1), fdb.word(slot, 2), fdb.word(slot, 3));
    this.events[e + Ev.Remote] = this.remote[slot];
    this.events[e + Ev.ExpiredAt] = expiredAt;
    this.events[e + Ev.Slot] = slot;
    this.remote[slot] = -1;
  }

  /** A flooded frame: who sent it, why, where to (group or -1), who received it. */
  flood(frame: number, now: number, sender: number, tenant: number, macHi: number, macLo: number, dstHi: number, dstLo: number, reason: FloodCode, group: number, receivers: readonly number[], assumed: boolean): void {
    const e = this.newEvent(frame, now, EventCode.Flood, sender, tenant, macHi, macLo);
    const ev = this.events;
    ev[e + Ev.DstHi] = dstHi;
    ev[e + Ev.DstLo] = dstLo;
    ev[e + Ev.Group] = group;
    ev[e + Ev.Reason] = reason;
    ev[e + Ev.Assumed] = assumed ? 1 : 0;
    ev[e + Ev.ReceiversCount] = receivers.length;
    // Floods of one sender to one group mostly reach the same VTEPs: such an event shares the list
    // of the one before instead of copying it.
    if (this.sameAsLastReceivers(receivers)) {
      ev[e + Ev.ReceiversStart] = this.lastReceiversStart;
      return;
    }
    if (this.receiversUsed + receivers.length > this.receivers.length) {
      this.receivers = growInt32(this.receivers, Math.max(this.receivers.length * 2, this.receiversUsed + receivers.length));
    }
    ev[e + Ev.ReceiversStart] = this.lastReceiversStart = this.receiversUsed;
    this.lastReceiversCount = receivers.length;
    for (const r of receivers) this.receivers[this.receiversUsed++] = r;
  }

  private sameAsLastReceivers(receivers: readonly number[]): boolean {
    if (this.lastReceiversStart < 0 || receivers.length !== this.lastReceiversCount) return false;
    for (let i = 0; i < receivers.length; i++) if (this.receivers[this.lastReceiversStart + i] !== receivers[i]) return false;
    return true;
  }

  /** Column `field` of event i. */
  get(i: number, field: Ev): number {
    return this.eventBlocks[i >> EVENT_BLOCK_BITS][(i & (EVENT_BLOCK - 1)) * Ev.Stride + field];
  }

  receiversOf(i: number): number[] {
    const start = this.get(i, Ev.ReceiversStart);
    return Array.from(this.receivers.subarray(start, start + this.get(i, Ev.ReceiversCount)));
  }

  /** FDB slots made so far: (learner, tenant, MAC) keys, learned or not. */
  get slotCount(): number {
    return this.fdb.count;
  }

  /** Word k of a slot's key: 0 learner, 1 tenant, 2 MAC high, 3 MAC low. */
  slotWord(slot: number, k: 0 | 1 | 2 | 3): number {
    return this.fdb.word(slot, k);
  }

  /** The FDB slot of (learner, tenant, mac), or -1 if it was never learned. */
  findSlot(learner: number, tenant: number, macHi: number, macLo: number): number {
    this.fillKey(learner, tenant, macHi, macLo);
    return this.fdb.find(4);
  }

  /** The FDB table's scratch key: (learner, tenant, MAC). */
  private fillKey(learner: number, tenant: number, macHi: number, macLo: number): void {
    const key = this.fdb.key;
    key[0] = learner;
    key[1] = tenant;
    key[2] = macHi;
    key[3] = macLo;
  }

  /**
   * Every FDB entry after `frame` (0-based), by slot: where it lives (-1: not in the FDB) and the frame
   * of the event that put it there. The learning events up to the frame replayed on typed arrays; from
   * the last event on, the databases as they are now.
   */
  stateAt(frame: number): FdbSnapshot {
    const count = this.fdb.count;
    if (this.eventCount === 0 || this.get(this.eventCount - 1, Ev.Frame) <= frame) {
      return { remote: this.remote.slice(0, count), since: this.sinceFrame.slice(0, count) };
    }
    const remote = new Int32Array(count).fill(-1);
    const since = new Int32Array(count);
    for (let i = 0; i < this.eventCount; i++) {
      const block = this.eventBlocks[i >> EVENT_BLOCK_BITS];
      const e = (i & (EVENT_BLOCK - 1)) * Ev.Stride;
      if (block[e + Ev.Frame] > frame) break;
      const kind = block[e + Ev.Kind];
      if (kind === EventCode.Flood) continue;
      const slot = block[e + Ev.Slot];
      if (kind === EventCode.Age) {
        remote[slot] = -1;
        continue;
      }
      remote[slot] = block[e + Ev.Remote];
      since[slot] = block[e + Ev.Frame];
    }
    return { remote, since };
  }

  /** Where one FDB slot's entry lived after `frame` (0-based): its remote and since frame, or null. */
  entryAt(frame: number, slot: number): { remote: number; since: number } | null {
    let found: { remote: number; since: number } | null = null;
    for (let i = 0; i < this.eventCount; i++) {
      const block = this.eventBlocks[i >> EVENT_BLOCK_BITS];
      const e = (i & (EVENT_BLOCK - 1)) * Ev.Stride;
      if (block[e + Ev.Frame] > frame) break;
      if (block[e + Ev.Slot] !== slot) continue;
      found = block[e + Ev.Kind] === EventCode.Age ? null : { remote: block[e + Ev.Remote], since: block[e + Ev.Frame] };
    }
    return found;
  }

  /** Forwarding database of every VTEP after `frame` (0-based), by learner (entries in slot order). */
  fdbAt(frame: number): FdbState {
    const { remote, since } = this.stateAt(frame);
    const fdb = this.fdb;
    const entries: FdbState['entries'] = new Map();
    for (let slot = 0; slot < remote.length; slot++) {
      if (remote[slot] < 0) continue;
      const learner = fdb.word(slot, 0);
      let list = entries.get(learner);
      if (list === undefined) entries.set(learner, (list = []));
      list.push({ tenant: fdb.word(slot, 1), macHi: fdb.word(slot, 2), macLo: fdb.word(slot, 3), remote: remote[slot], since: since[slot] });
    }
    return { entries };
  }

  /** Starts event eventCount in this.events (its block); returns where in the block it is. */
  private newEvent(frame: number, time: number, kind: EventCode, vtep: number, tenant: number, macHi: number, macLo: number): number {
    const i = this.eventCount++;
    const inBlock = i & (EVENT_BLOCK - 1);
    if (inBlock === 0) {
      this.events = new Float64Array(EVENT_BLOCK * Ev.Stride);
      this.eventBlocks.push(this.events);
    }
    const e = inBlock * Ev.Stride;
    const ev = this.events;
    ev[e + Ev.Frame] = frame;
    ev[e + Ev.Time] = time;
    ev[e + Ev.Kind] = kind;
    ev[e + Ev.Vtep] = vtep;
    ev[e + Ev.Tenant] = tenant;
    ev[e + Ev.MacHi] = macHi;
    ev[e + Ev.MacLo] = macLo;
    ev[e + Ev.Group] = -1;
    ev[e + Ev.Slot] = -1;
    return e;
  }
}
