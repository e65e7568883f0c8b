// Which bucket of a select group a packet takes, as Open vSwitch 3.x picks it. Without a
// selection_method (and with selection_method=dp_hash and a symmetric-L4 parameter), OVS spreads
// 16-64 hash values over the buckets in proportion to their weights (the Sainte-Laguë method) and
// the datapath hashes the packet's addresses, protocol and TCP/SCTP ports symmetrically
// (hash(sym_l4(0))); the bucket is the one at that hash value.
import { ETH_TYPE_IP, ETH_TYPE_IPV6, IPPROTO_SCTP, IPPROTO_TCP, Slot } from './fields';
import { Flow } from './flow';
import { GroupBucket, GroupEntry } from './flow-file';
import { HASH_FIELDS } from './group-hash-fields';
import { hashAdd, hashFinish, ovsHashInt } from './ovs-hash';

/** A network-order 32-bit field as OVS reads it on a little-endian host. */
function be32(v: bigint): number {
  const n = Number(v & 0xffffffffn);
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

function be16(v: bigint): number {
  const n = Number(v & 0xffffn);
  return ((n & 0xff) << 8) | (n >> 8);
}

/** flow_hash_symmetric_l3l4(flow, basis, false): 0 for a packet that is not IP. */
export function symmetricL3L4Hash(flow: Flow, basis: number): number {
  const dlType = flow.get(Slot.DlType);
  let hash = basis >>> 0;
  if (dlType === ETH_TYPE_IP) {
    hash = hashAdd(hash, be32(flow.get(Slot.NwSrc) ^ flow.get(Slot.NwDst)));
  } else if (dlType === ETH_TYPE_IPV6) {
    const x = flow.get(Slot.Ipv6Src) ^ flow.get(Slot.Ipv6Dst);
    // Two 64-bit words in memory order, each read little-endian and added low half first.
    for (const shift of [64n, 0n]) {
      const word = (x >> shift) & 0xffffffffffffffffn;
      hash = hashAdd(hash, be32(word >> 32n));
      hash = hashAdd(hash, be32(word));
    }
  } else {
    return 0;
  }
  const proto = flow.get(Slot.NwProto);
  hash = hashAdd(hash, Number(proto));
  if (!(flow.get(Slot.NwFrag) & 1n) && (proto === IPPROTO_TCP || proto === IPPROTO_SCTP)) {
    hash = hashAdd(hash, be16(flow.get(Slot.TpSrc) ^ flow.get(Slot.TpDst)));
  }
  return hashFinish(hash, basis >>> 0);
}

/** hash_bytes: 32-bit little-endian words of the bytes, then the tail, finished with the length. */
function hashBytes(bytes: Uint8Array, basis: number): number {
  let hash = basis >>> 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) hash = hashAdd(hash, (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0);
  if (i < bytes.length) {
    let tail = 0;
    for (let j = 0; i + j < bytes.length; j++) tail |= bytes[i + j] << (8 * j);
    hash = hashAdd(hash, tail >>> 0);
  }
  return hashFinish(hash, bytes.length);
}

/** xlate_hash_fields_select_group: hash of the chosen fields (skipping those whose prerequisite fails), best-scoring bucket. */
function hashFieldsBucket(group: GroupEntry, flow: Flow): { bucket: GroupBucket; hash: number } | null {
  const param = group.selectionMethodParam;
  // hash_uint64(param): hash_add64(0, param) then hash_finish(.., 8).
  let basis = hashFinish(hashAdd(hashAdd(0, Number(param & 0xffffffffn)), Number((param >> 32n) & 0xffffffffn)), 8);
  for (const { index, mask } of group.hashFields ?? []) {
    const f = HASH_FIELDS[index];
    if (!flow.satisfies(f.prereq)) continue;
    const value = flow.get(f.slot) & mask;
    const bytes = new Uint8Array(f.bytes);
    for (let i = 0; i < f.bytes; i++) bytes[i] = Number((value >> BigInt(8 * (f.bytes - 1 - i))) & 0xffn);
    basis = hashBytes(bytes, basis);
  }
  return bestLiveBucket(group.buckets, basis);
}

/** group_best_live_bucket: the highest (hash_int(bucket_id, basis) & 0xffff) * weight, ties to the later bucket. */
function bestLiveBucket(buckets: readonly GroupBucket[], basis: number): { bucket: GroupBucket; hash: number } | null {
  let best: GroupBucket | null = null;
  let bestScore = 0;
  for (const b of buckets) {
    const score = (ovsHashInt(b.id, basis) & 0xffff) * b.weight;
    if (score >= bestScore) {
      best = b;
      bestScore = score;
    }
  }
  return best && { bucket: best, hash: basis };
}

/** group_setup_dp_hash_table: hash value -> bucket, or null when it needs more than `maxHash` values. */
export function dpHashTable(buckets: readonly GroupBucket[], maxHash = 64): GroupBucket[] | null {
  const total = buckets.reduce((sum, b) => sum + b.weight, 0);
  if (buckets.length === 0 || total === 0) return null;
  const minWeight = Math.min(...buckets.filter((b) => b.weight > 0).map((b) => b.weight));
  const minSlots = Math.ceil(total / minWeight);
  let pow2 = 1;
  while (pow2 < minSlots) pow2 *= 2;
  const nHash = Math.max(16, pow2);
  if (nHash > maxHash) return null;
  const webster = buckets.map((bucket) => ({ bucket, divisor: 1, value: bucket.weight }));
  const table: GroupBucket[] = [];
  for (let h = 0; h < nHash; h++) {
    let winner = webster[0];
    for (const w of webster.slice(1)) if (w.value > winner.value) winner = w;
    winner.divisor += 2;
    winner.value = winner.bucket.weight / winner.divisor;
    table.push(winner.bucket);
  }
  return table;
}

const tables = new WeakMap<GroupEntry, GroupBucket[] | null>();

export interface Selection {
  bucket: GroupBucket;
  /** How it was chosen, for the explanation. */
  reason: string;
}

/** The bucket a packet takes, or a reason why the emulator cannot tell. */
export function selectBucket(group: GroupEntry, flow: Flow): Selection | { error: string } {
  const param = group.selectionMethodParam;
  const alg = Number(param >> 32n);
  const basis = Number(param & 0xffffffffn);
  if (group.selectionMethod === 'hash') {
    const chosen = hashFieldsBucket(group, flow);
    if (!chosen) return { error: `select group ${group.id}: no bucket` };
    return { bucket: chosen.bucket, reason: `selection_method=hash: hash 0x${chosen.hash.toString(16)} of the group's fields scores bucket ${chosen.bucket.id} highest` };
  }
  const symmetric = group.selectionMethod === '' || (group.selectionMethod === 'dp_hash' && alg === 1);
  if (!symmetric) {
    return { error: `select group ${group.id}: selection_method=${group.selectionMethod}${param ? `,selection_method_param=${param}` : ''} is not emulated (the default and dp_hash with the symmetric L4 hash are)` };
  }
  let table = tables.get(group);
  if (table === undefined) {
    table = dpHashTable(group.buckets.filter((b) => b.weight > 0));
    tables.set(group, table);
  }
  if (!table) return { error: `select group ${group.id}: its weights need more than 64 hash values, where Open vSwitch falls back to a hash it computes in user space: not emulated` };
  const hash = symmetricL3L4Hash(flow, group.selectionMethod === '' ? 0 : basis);
  const bucket = table[hash & (table.length - 1)];
  return { bucket, reason: `dp_hash 0x${hash.toString(16)} (symmetric L3/L4 hash) selects hash value ${hash & (table.length - 1)} of ${table.length}: bucket ${bucket.id}` };
}
