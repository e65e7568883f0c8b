// Open vSwitch's Murmur3-based hash (lib/hash.h, the portable build without SSE4.2): the flood order of
// output:FLOOD/ALL (its port hash table) and select groups' bucket choice both depend on it.
const mul = (a: number, b: number): number => Math.imul(a, b) >>> 0;
const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** OVS's hash_add (Murmur3 step; a zero word leaves the hash as it is). */
export function hashAdd(hash: number, data: number): number {
  data >>>= 0;
  if (data !== 0) {
    let d = mul(data, 0xcc9e2d51);
    d = rotl(d, 15);
    d = mul(d, 0x1b873593);
    hash = (hash ^ d) >>> 0;
  }
  hash = rotl(hash, 13);
  return (mul(hash, 5) + 0xe6546b64) >>> 0;
}

export function hashFinish(hash: number, final: number): number {
  hash = (hash ^ final) >>> 0;
  hash = (hash ^ (hash >>> 16)) >>> 0;
  hash = mul(hash, 0x85ebca6b);
  hash = (hash ^ (hash >>> 13)) >>> 0;
  hash = mul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** OVS's hash_int(x, basis). */
export function ovsHashInt(x: number, basis: number): number {
  return hashFinish(hashAdd(hashAdd(x >>> 0, 0), basis >>> 0), 8);
}
