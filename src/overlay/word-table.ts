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
  /**
   * Open addressing with linear probing, 2 words a slot: entry + 1 (or EMPTY), hash; at most 3/4
   * full. Kept small: the slots are written all over, and on large captures fresh memory is much of
   * the cost (every page is faulted in at its first touch, and a rehash takes a new table).
   */
  private slots: Int32Array;
  private mask: number;
  private arenaUsed = 0;

  /**
   * `expected` entries fit in the hash slots without a rehash, `reserve` entries (at least `expected`)
   * in the entry arrays (keys, key starts) without growing them, which costs a copy. The slots are
   * written all over, so all their memory is used: they are sized by `expected`. The entry arrays and
   * any per-entry columns sized by keyStart.length fill from the front, and the pages not yet reached
   * take no memory: a generous `reserve` costs address space, not memory, and saves the copies.
   */
  constructor(expected = 256, wordsPerKey = 4, reserve = expected) {
    let capacity = 256;
    while (capacity < expected) capacity *= 2;
    const entries = Math.max(capacity, reserve);
    this.arena = new Uint32Array(entries * (wordsPerKey + 1));
    this.keyStart = new Int32Array(entries);
    this.keyLength = new Uint8Array(entries);
    this.slots = new Int32Array(capacity * 2 * 2);
    this.mask = capacity * 2 - 1;
  }

  /** Entry number of the key in `this.key[0..length)`, or -1. */
  find(length: number): number {
    const key = this.key;
    const hash = hashWords(key, 0, length);
    const { slots, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[slot * 2];
      if (stored === EMPTY) return -1;
      if (slots[slot * 2 + 1] === hash && this.sameKey(this.keyStart[stored - 1], key, 0, length)) return stored - 1;
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
      const stored = slots[slot * 2];
      if (stored === EMPTY) break;
      if (slots[slot * 2 + 1] === hash && this.sameKey(this.keyStart[stored - 1], words, at, length)) {
        this.added = false;
        return stored - 1;
      }
    }
    const entry = this.append(words, at, length);
    slots[slot * 2] = entry + 1;
    slots[slot * 2 + 1] = hash;
    if (this.count * 4 > (mask + 1) * 3) this.rehash();
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

  private append(words: Uint32Array, at: number, length: number): number {
    const entry = this.count++;
    if (entry === this.keyStart.length) {
      const capacity = entry * 2;
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
    this.arenaUsed = start + length;
    return entry;
  }

  /**
   * Doubles the slots. The old slots are read in order: an entry's new slot is at or near its old
   * one or the old size further, so both tables are walked front to back, not hit at random (on a
   * table of a million entries, random order is a cache miss per entry).
   */
  private rehash(): void {
    const old = this.slots;
    const oldSize = this.mask + 1;
    const size = oldSize * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let from = 0; from < oldSize; from++) {
      const stored = old[from * 2];
      if (stored === EMPTY) continue;
      const hash = old[from * 2 + 1];
      let slot = hash & mask;
      while (slots[slot * 2] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot * 2] = stored;
      slots[slot * 2 + 1] = hash;
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

export function growUint32(old: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(capacity);
  next.set(old);
  return next;
}

export function growFloat64(old: Float64Array, capacity: number, fill = 0): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(old);
  if (fill !== 0) next.fill(fill, old.length);
  return next;
}
