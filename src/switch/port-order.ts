// The order in which Open vSwitch floods. NORMAL walks the bridge's bundles in the order they were
// added (one bundle per port); output:FLOOD and output:ALL walk the bridge's ports in the order of
// its port hash table, keyed by hash_int(OpenFlow number, 0) (Murmur3 as OVS builds it without
// SSE4.2). That table is rebuilt on every reconfiguration by inserting the ports in bundle order,
// so both orders follow from the port numbers and the order the ports were added.
import { Bridge, BridgePort } from './bridge';
import { ovsHashInt } from './ovs-hash';
import { OFPP_LOCAL } from './values';

/** OVS's hmap calc_mask: the bucket mask for a table holding `capacity` nodes. */
function calcMask(capacity: number): number {
  let mask = Math.floor(capacity / 2);
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  return mask | ((mask & 1) << 1);
}

/**
 * Iteration order of an OVS hmap after inserting `keys` in order with hmap_insert (each insert puts
 * the node at the head of its bucket; growing rehashes bucket by bucket, which reverses chains).
 */
export function hmapOrder(keys: readonly number[], hash: (key: number) => number): number[] {
  let mask = 0;
  let buckets: number[][] = [[]];
  const place = (into: number[][], m: number, key: number): void => {
    into[hash(key) & m].unshift(key);
  };
  keys.forEach((key, i) => {
    place(buckets, mask, key);
    const n = i + 1;
    if (Math.floor(n / 2) > mask) {
      const grown = calcMask(n);
      if (grown > mask) {
        const next: number[][] = Array.from({ length: grown + 1 }, () => []);
        for (const bucket of buckets) for (const k of bucket) place(next, grown, k);
        buckets = next;
        mask = grown;
      }
    }
  });
  return buckets.flat();
}

const floodOrders = new WeakMap<Bridge, BridgePort[]>();

/** The ports in the order output:FLOOD / output:ALL visits them (the input port is skipped by the caller). */
export function floodOrder(bridge: Bridge): BridgePort[] {
  let order = floodOrders.get(bridge);
  if (!order) {
    const byNumber = new Map(bridge.ports.map((p) => [p.ofport, p]));
    // Every bridge has its own port (LOCAL, created with it): it shapes the table even when not described.
    const numbers = bridge.ports.map((p) => p.ofport);
    if (!byNumber.has(OFPP_LOCAL)) numbers.unshift(OFPP_LOCAL);
    order = hmapOrder(numbers, (ofport) => ovsHashInt(ofport, 0)).flatMap((n) => byNumber.get(n) ?? []);
    floodOrders.set(bridge, order);
  }
  return order;
}
