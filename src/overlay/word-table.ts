// A hash table whose keys are short runs of 32-bit words (addresses, ports, tenant ids packed as
// numbers) and whose values are dense entry numbers 0, 1, 2... in insertion order. Callers keep
// their per-entry data in typed arrays indexed by that number. No strings or objects per lookup:
// this is the per-packet structure of the analysis.

const EMPTY = 0;

export class WordTable {
  /** Scratch key: write the key words here, then call find/intern with the key length. */
  readonly key = new Uint32Array(64);
  /** Number of entries. */
  count = 0;
  /** True when the last intern() created its entry. */
  added = false;
  /** All keys, back to back, each after its length; entry e's key is arena[keyStart[e] .. keyStart[e] + keyLength[e]). */
  arena: Uint32Array;
  keyStart: Int32Array;
  keyLength: Uint8Array;
  private hashes: Int32Array;
  /** Open addressing with linear probing, 3 words a slot: entry + 1 (or EMPTY), hash, key start. */
  private slots: Int32Array;
  private mask: number;
  private arenaUsed = 0;

  /** `expected` entries fit without growing (growing costs a copy and a rehash). */
  constructor(expected = 256, wordsPerKey = 4) {
    let capacity = 256;
    while (capacity < expected) capacity *= 2;
    this.arena = new Uint32Array(capacity * (wordsPerKey + 1));
    this.keyStart = new Int32Array(capacity);
    this.keyLength = new Uint8Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.slots = new Int32Array(capacity * 2 * 3);
    this.mask = capacity * 2 - 1;
  }

  /** Entry number of the key in `this.key[0..length)`, or -1. */
  find(length: number): number {
    const key = this.key;
    const hash = hashWords(key, 0, length);
    const { slots, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[slot * 3];
      if (stored === EMPTY) return -1;
      if (slots[slot * 3 + 1] === hash && this.sameKey(slots[slot * 3 + 2], key, 0, length)) return stored - 1;
    }
  }

  /** Entry number of the key in `this.key[0..length)`, creating it when new (then `added` is true). */
  intern(length: number): number {
    return this.internWords(this.key, 0, length, hashWords(this.key, 0, length));
  }

  /**
   * As intern(), for the key at words[at .. at + length) whose hashWords() is `hash`: the analysis
   * interns flow keys where the reader left them, with the hash the reader computed.
   */
  internWords(words: Uint32Array, at: number, length: number, hash: number): number {
    const { slots, mask } = this;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const stored = slots[slot * 3];
      if (stored === EMPTY) break;
      if (slots[slot * 3 + 1] === hash && this.sameKey(slots[slot * 3 + 2], words, at, length)) {
        this.added = false;
        return stored - 1;
      }
    }
    const entry = this.append(hash, words, at, length);
    slots[slot * 3] = entry + 1;
    slots[slot * 3 + 1] = hash;
    slots[slot * 3 + 2] = this.keyStart[entry];
    if (this.count * 2 > mask) this.rehash();
    this.added = true;
    return entry;
  }

  /** Word i of entry e's key. */
  word(entry: number, i: number): number {
    return this.arena[this.keyStart[entry] + i];
  }

  /** Keys are stored as [length, words...]; start points at the first word. */
  private sameKey(start: number, words: Uint32Array, at: number, length: number): boolean {
    const arena = this.arena;
    if (arena[start - 1] !== length) return false;
    for (let i = 0; i < length; i++) if (arena[start + i] !== words[at + i]) return false;
    return true;
  }

  private append(hash: number, words: Uint32Array, at: number, length: number): number {
    const entry = this.count++;
    if (entry === this.hashes.length) {
      const capacity = entry * 2;
      this.hashes = growInt32(this.hashes, capacity);
      this.keyStart = growInt32(this.keyStart, capacity);
      const lengths = new Uint8Array(capacity);
      lengths.set(this.keyLength);
      this.keyLength = lengths;
    }
    if (this.arenaUsed + length + 1 > this.arena.length) {
      const arena = new Uint32Array(Math.max(this.arena.length * 2, this.arenaUsed + length + 1));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    const arena = this.arena;
    arena[this.arenaUsed] = length;
    const start = this.arenaUsed + 1;
    for (let i = 0; i < length; i++) arena[start + i] = words[at + i];
    this.keyStart[entry] = start;
    this.keyLength[entry] = length;
    this.hashes[entry] = hash;
    this.arenaUsed = start + length;
    return entry;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 3);
    const mask = size - 1;
    for (let entry = 0; entry < this.count; entry++) {
      const hash = this.hashes[entry];
      let slot = hash & mask;
      while (slots[slot * 3] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot * 3] = entry + 1;
      slots[slot * 3 + 1] = hash;
      slots[slot * 3 + 2] = this.keyStart[entry];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** The hash of words[at .. at + length) that WordTable keys go by. */
export function hashWords(words: Uint32Array, at: number, length: number): number {
  let h = Math.imul(length, 0x9e3779b1);
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ words[at + i], 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function growInt32(old: Int32Array, capacity: number, fill = 0): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity);
  next.set(old);
  if (fill !== 0) next.fill(fill, old.length);
  return next;
}

export function growFloat64(old: Float64Array, capacity: number, fill = 0): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(old);
  if (fill !== 0) next.fill(fill, old.length);
  return next;
}
