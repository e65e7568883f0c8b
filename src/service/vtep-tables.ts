// The VTEP view's tables, paged in the analysis worker as the packet list and the Conversations are:
// the forwarding database of every VTEP at a frame (millions of entries at thousands of flooding VTEPs,
// read from the learning's typed arrays, never an object per entry but for the rows of a page), the
// VTEP-to-VTEP pairs and the multicast groups. Sorted and searched orders are cached, so scrolling
// sorts nothing again.
import type { OverlayAnalyzer } from '../overlay/analyzer';
import { macFromWords, macTextContains } from '../overlay/endpoints';
import { compareAddresses } from '../report/ipv4-text';
import { FdbRanks, fdbKeys, fdbRanks, liveSlots, radixSort, RadixKey } from '../overlay/fdb-order';
import type { FdbEntry, GroupRow, VtepPair, VtepTablePage, VtepTableQuery } from './api';
import { tenantText } from './overlay-views';

type Query = Omit<VtepTableQuery, 'sessionId'>;
/** Sorted or searched orders kept (a few sorts, searches and frames of each table). */
const KEPT_ORDERS = 8;
/** FDB states kept: the selected frame's and the one before it (the Forwarding subtree's). */
const KEPT_STATES = 2;

/** A bounded map: the oldest key goes first. */
class Kept<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = make();
      if (this.map.size >= this.size) this.map.delete(this.map.keys().next().value!);
      this.map.set(key, value);
    }
    return value;
  }
}

/** The FDB entries at one frame: the slots in the database, and each slot's remote and since frame. */
interface FdbState {
  slots: Int32Array;
  remote: Int32Array;
  since: Int32Array;
}

export class VtepTables {
  private readonly states = new Kept<FdbState>(KEPT_STATES);
  private readonly orders = new Kept<Int32Array>(KEPT_ORDERS);
  private readonly rowOrders = new Kept<number[]>(KEPT_ORDERS);
  /** Each endpoint's and tenant's place in address / report order. */
  private ranks: FdbRanks | null = null;
  private readonly tenantTexts: string[];

  constructor(
    private readonly analyzer: OverlayAnalyzer,
    /** Frames analysed: the FDB's frame is clamped to them. */
    private readonly frames: number,
    private readonly pairs: VtepPair[],
    private readonly groups: GroupRow[],
  ) {
    const tenants = analyzer.tenants;
    this.tenantTexts = Array.from({ length: tenants.count }, (_, t) => tenantText(tenants.ref(t)));
  }

  page(q: Query): VtepTablePage {
    const start = q.start;
    const end = q.start + q.count;
    if (q.table === 'fdb') {
      const frame = Math.min(Math.max(1, q.frame), Math.max(1, this.frames));
      const state = this.stateAt(frame - 1);
      const order = this.fdbOrder(frame - 1, state, q);
      return { table: 'fdb', frame, total: order.length, rows: Array.from(order.subarray(start, end), (slot) => this.fdbEntry(state, slot)) };
    }
    if (q.table === 'pairs') {
      const order = this.rowOrder(q, this.pairs, PAIR_TEXT, PAIR_ORDER);
      return { table: 'pairs', frame: q.frame, total: order.length, rows: order.slice(start, end).map((i) => this.pairs[i]) };
    }
    const order = this.rowOrder(q, this.groups, GROUP_TEXT, GROUP_ORDER);
    return { table: 'groups', frame: q.frame, total: order.length, rows: order.slice(start, end).map((i) => this.groups[i]) };
  }

  /** The FDB entry of `slot` in the database after `frame` (0-based) that the sender had, or null. */
  fdbEntryAt(frame: number, learner: number, tenant: number, macHi: number, macLo: number): { remote: number; since: number } | null {
    const learning = this.analyzer.learning;
    const slot = learning.findSlot(learner, tenant, macHi, macLo);
    return slot < 0 ? null : learning.entryAt(frame, slot);
  }

  private stateAt(frame: number): FdbState {
    return this.states.get(String(frame), () => {
      const { remote, since } = this.analyzer.learning.stateAt(frame);
      return { slots: liveSlots(remote), remote, since };
    });
  }

  private fdbEntry(state: FdbState, slot: number): FdbEntry {
    const { learning, endpoints } = this.analyzer;
    const learner = learning.slotWord(slot, 0);
    const remote = state.remote[slot];
    return {
      vtep: endpoints.text(learner),
      tenant: this.tenantTexts[learning.slotWord(slot, 1)],
      mac: macFromWords(learning.slotWord(slot, 2), learning.slotWord(slot, 3)),
      remoteVtep: endpoints.text(remote),
      local: remote === learner,
      learnedFrame: state.since[slot] + 1,
    };
  }

  /** The FDB's slots in the asked order, searched. */
  private fdbOrder(frame: number, state: FdbState, q: Query): Int32Array {
    const search = q.search.trim().toLowerCase();
    const sorted = this.orders.get(`${frame}|${q.sortColumn}|${q.sortDirection}|`, () => this.sortFdb(state, q.sortColumn, q.sortDirection));
    if (search === '') return sorted;
    return this.orders.get(`${frame}|${q.sortColumn}|${q.sortDirection}|${search}`, () => this.searchFdb(state, sorted, search));
  }

  /**
   * The FDB's entries by the column, then by VTEP, tenant and MAC (the table's own order), without a
   * comparison sort of millions of entries: a stable counting sort per integer key, least significant
   * first (the MAC in three 16-bit parts).
   */
  private sortFdb(state: FdbState, column: string, direction: 'asc' | 'desc'): Int32Array {
    const { learning } = this.analyzer;
    const ranks = this.rankings();
    const { learner, tenant, mac } = fdbKeys(this.analyzer, state.slots, ranks);
    const own = [learner, tenant, ...mac];
    let keys: RadixKey[];
    if (column === 'tenant') keys = [tenant, learner, ...mac];
    else if (column === 'mac') keys = [...mac, learner, tenant];
    else if (column === 'remoteVtep') {
      // Local entries (shown as "local") first, then by the remote's address.
      const remoteRank = new Int32Array(learning.slotCount);
      for (const slot of state.slots) remoteRank[slot] = state.remote[slot] === learning.slotWord(slot, 0) ? 0 : 1 + ranks.endpoint[state.remote[slot]];
      keys = [{ of: remoteRank, range: ranks.endpoint.length + 1 }, ...own];
    } else if (column === 'learnedFrame') keys = [{ of: state.since, range: this.frames + 1 }, ...own];
    else keys = own;
    const order = radixSort(state.slots, keys);
    return direction === 'desc' ? order.reverse() : order;
  }

  private searchFdb(state: FdbState, sorted: Int32Array, search: string): Int32Array {
    const { learning, endpoints } = this.analyzer;
    const endpointHit = Uint8Array.from({ length: endpoints.count }, (_, e) => (endpoints.text(e).includes(search) ? 1 : 0));
    const tenantHit = Uint8Array.from(this.tenantTexts, (t) => (t.includes(search) ? 1 : 0));
    const local = 'local'.includes(search);
    const macHas = macTextContains(search);
    // The entries are tested in slot order (the learning's tables read straight through), then the
    // sorted order keeps the hits: read in sorted order, every entry's key would be a cache miss.
    const hits = new Uint8Array(learning.slotCount);
    let n = 0;
    const slots = state.slots;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const learner = learning.slotWord(slot, 0);
      const remote = state.remote[slot];
      const hit =
        endpointHit[learner] === 1 ||
        tenantHit[learning.slotWord(slot, 1)] === 1 ||
        (remote === learner ? local : endpointHit[remote] === 1) ||
        macHas(learning.slotWord(slot, 2), learning.slotWord(slot, 3));
      if (hit) {
        hits[slot] = 1;
        n++;
      }
    }
    const out = new Int32Array(n);
    for (let i = 0, k = 0; k < n; i++) if (hits[sorted[i]] === 1) out[k++] = sorted[i];
    return out;
  }

  private rankings(): FdbRanks {
    return (this.ranks ??= fdbRanks(this.analyzer));
  }

  /** Row numbers of a small table (pairs, groups) in the asked order, searched. */
  private rowOrder<T extends object>(q: Query, rows: T[], text: (row: T) => string, own: (a: T, b: T) => number): number[] {
    const search = q.search.trim().toLowerCase();
    return this.rowOrders.get(`${q.table}|${q.sortColumn}|${q.sortDirection}|${search}`, () => {
      const column = q.sortColumn as keyof T;
      const compare = q.sortColumn === '' || !(rows.length > 0 && column in rows[0]) ? own : (a: T, b: T) => compareCells(a[column], b[column]) || own(a, b);
      const order = rows.map((_, i) => i).filter((i) => search === '' || text(rows[i]).includes(search));
      order.sort((i, j) => compare(rows[i], rows[j]));
      return q.sortColumn !== '' && q.sortDirection === 'desc' ? order.reverse() : order;
    });
  }
}

/** Numbers by value, addresses by address, lists by length. */
function compareCells(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if (Array.isArray(x) && Array.isArray(y)) return x.length - y.length;
  return compareAddresses(String(x), String(y));
}

const PAIR_TEXT = (p: VtepPair) => `${p.from} ${p.to} ${p.tenants.join(' ')}`.toLowerCase();
/** Busiest first, as the matrix opens. */
const PAIR_ORDER = (a: VtepPair, b: VtepPair) => b.frames - a.frames || compareAddresses(a.from, b.from) || compareAddresses(a.to, b.to);
const GROUP_TEXT = (g: GroupRow) => `${g.group} ${g.members.join(' ')} ${g.tenants.join(' ')}`.toLowerCase();
const GROUP_ORDER = (a: GroupRow, b: GroupRow) => compareAddresses(a.group, b.group);
