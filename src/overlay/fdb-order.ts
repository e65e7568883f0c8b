// The forwarding databases' entries in order without a comparison sort of millions of them (thousands
// of flooding VTEPs learn millions of MACs): each entry's integer keys (its VTEP's and tenant's places
// in report order, its MAC in three 16-bit parts) and a stable counting sort per key, least
// significant first. The `vteps` report writes its FDB in that order; the app sorts its FDB table so.
import type { OverlayAnalyzer } from './analyzer';

/** An integer key of each item (by item number), 0 <= key < range. */
export interface RadixKey {
  of: Int32Array;
  range: number;
}

/** Each endpoint's and tenant's place in report order (address order; type, then id). */
export interface FdbRanks {
  endpoint: Int32Array;
  tenant: Int32Array;
}

export function fdbRanks(analyzer: OverlayAnalyzer): FdbRanks {
  const { endpoints, tenants } = analyzer;
  const endpoint = new Int32Array(endpoints.count);
  endpoints.sorted(Array.from({ length: endpoints.count }, (_, e) => e)).forEach((e, r) => (endpoint[e] = r));
  const tenant = new Int32Array(tenants.count);
  Array.from({ length: tenants.count }, (_, t) => t)
    .sort((a, b) => tenants.compare(a, b))
    .forEach((t, r) => (tenant[t] = r));
  return { endpoint, tenant };
}

/** The keys of FDB slots `slots` (by slot number): the learning VTEP, the tenant, the MAC's three parts. */
export function fdbKeys(analyzer: OverlayAnalyzer, slots: Int32Array, ranks: FdbRanks): { learner: RadixKey; tenant: RadixKey; mac: RadixKey[] } {
  const { learning } = analyzer;
  const count = learning.slotCount;
  const learnerRank = new Int32Array(count);
  const tenantRank = new Int32Array(count);
  const macHigh = new Int32Array(count);
  const macMiddle = new Int32Array(count);
  const macLow = new Int32Array(count);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    learnerRank[slot] = ranks.endpoint[learning.slotWord(slot, 0)];
    tenantRank[slot] = ranks.tenant[learning.slotWord(slot, 1)];
    macHigh[slot] = learning.slotWord(slot, 2) & 0xffff;
    const low = learning.slotWord(slot, 3);
    macMiddle[slot] = low >>> 16;
    macLow[slot] = low & 0xffff;
  }
  return {
    learner: { of: learnerRank, range: ranks.endpoint.length },
    tenant: { of: tenantRank, range: ranks.tenant.length },
    mac: [macHigh, macMiddle, macLow].map((of) => ({ of, range: 0x10000 })),
  };
}

/** The slots in report order: by VTEP, then tenant, then MAC. */
export function fdbReportOrder(analyzer: OverlayAnalyzer, slots: Int32Array, ranks = fdbRanks(analyzer)): Int32Array {
  const keys = fdbKeys(analyzer, slots, ranks);
  return radixSort(slots, [keys.learner, keys.tenant, ...keys.mac]);
}

/** `items` ordered by `keys`, the first most significant: a stable counting sort per key, the last first. */
export function radixSort(items: Int32Array, keys: RadixKey[]): Int32Array {
  const n = items.length;
  let order = items.slice();
  let spare = new Int32Array(n);
  for (let k = keys.length - 1; k >= 0; k--) {
    const { of, range } = keys[k];
    const starts = new Int32Array(range + 1);
    for (let i = 0; i < n; i++) starts[of[order[i]] + 1]++;
    for (let b = 0; b < range; b++) starts[b + 1] += starts[b];
    for (let i = 0; i < n; i++) {
      const item = order[i];
      spare[starts[of[item]]++] = item;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

/** The slots in the FDB after a frame (remote >= 0), in slot order. */
export function liveSlots(remote: Int32Array): Int32Array {
  let live = 0;
  for (let slot = 0; slot < remote.length; slot++) if (remote[slot] >= 0) live++;
  const slots = new Int32Array(live);
  for (let slot = 0, k = 0; slot < remote.length; slot++) if (remote[slot] >= 0) slots[k++] = slot;
  return slots;
}
