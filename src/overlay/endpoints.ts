// Outer (underlay) addresses: VTEPs and multicast groups, interned into small integers. IPv4 keys are
// one word, IPv6 keys four, so both families share one numbering.
import { ipv4FromNumber, ipv6Text } from '../dissect/bytes';
import { WordTable } from './word-table';

export class EndpointTable {
  private readonly table = new WordTable();
  private groupFlags = new Uint8Array(64);
  private texts: string[] = [];
  // The compare() order of all endpoints (sorted()), as of rankedCount endpoints.
  private rank = new Int32Array(0);
  private byRank: number[] = [];
  private rankedCount = 0;

  get count(): number {
    return this.table.count;
  }

  /** The scratch key to fill before internV4/internV6... when reading words straight from a key. */
  internV4(ip: number): number {
    this.table.key[0] = ip;
    return this.finish(1, ip >>> 28 === 14);
  }

  internV6(w0: number, w1: number, w2: number, w3: number): number {
    const key = this.table.key;
    key[0] = w0;
    key[1] = w1;
    key[2] = w2;
    key[3] = w3;
    return this.finish(4, w0 >>> 24 === 0xff);
  }

  /** Interns the address held in `words[at..at+length)` (length 1 = IPv4, 4 = IPv6). */
  internWords(words: Uint32Array, at: number, length: number): number {
    return length === 1 ? this.internV4(words[at]) : this.internV6(words[at], words[at + 1], words[at + 2], words[at + 3]);
  }

  /** Interns an address from 4 or 16 bytes at `offset`. */
  internBytes(buf: Uint8Array, offset: number, length: 4 | 16): number {
    if (length === 4) return this.internV4(readWord(buf, offset));
    return this.internV6(readWord(buf, offset), readWord(buf, offset + 4), readWord(buf, offset + 8), readWord(buf, offset + 12));
  }

  isGroup(endpoint: number): boolean {
    return this.groupFlags[endpoint] === 1;
  }

  isV6(endpoint: number): boolean {
    return this.table.keyLength[endpoint] === 4;
  }

  isLinkLocalV6(endpoint: number): boolean {
    return this.isV6(endpoint) && this.table.word(endpoint, 0) >>> 22 === 0x3fa;
  }

  text(endpoint: number): string {
    let text = this.texts[endpoint];
    if (text === undefined) {
      text = this.isV6(endpoint) ? ipv6FromWords(this.table.arena, this.table.keyStart[endpoint]) : ipv4FromNumber(this.table.word(endpoint, 0));
      this.texts[endpoint] = text;
    }
    return text;
  }

  /** Sort order: IPv4 before IPv6, then numerically. */
  compare(a: number, b: number): number {
    const la = this.table.keyLength[a];
    const lb = this.table.keyLength[b];
    if (la !== lb) return la - lb;
    for (let i = 0; i < la; i++) {
      const d = this.table.word(a, i) - this.table.word(b, i);
      if (d !== 0) return d;
    }
    return 0;
  }

  /**
   * The endpoints of `list` in compare() order. Reports sort the VTEPs of thousands of tenants: ranking
   * every endpoint once makes each of those sorts a numeric one.
   */
  sorted(list: Iterable<number>): number[] {
    const rank = this.ranks();
    const ranks = Int32Array.from(list, (e) => rank[e]).sort();
    return Array.from(ranks, (r) => this.byRank[r]);
  }

  /** Each endpoint's place in compare() order, ranked anew once endpoints were added. */
  private ranks(): Int32Array {
    if (this.rankedCount !== this.count) {
      this.byRank = Array.from({ length: this.count }, (_, e) => e).sort((a, b) => this.compare(a, b));
      this.rank = new Int32Array(this.count);
      this.byRank.forEach((e, r) => (this.rank[e] = r));
      this.rankedCount = this.count;
    }
    return this.rank;
  }

  private finish(length: number, group: boolean): number {
    const endpoint = this.table.intern(length);
    if (this.table.added) {
      if (endpoint === this.groupFlags.length) {
        const flags = new Uint8Array(endpoint * 2);
        flags.set(this.groupFlags);
        this.groupFlags = flags;
      }
      this.groupFlags[endpoint] = group ? 1 : 0;
    }
    return endpoint;
  }
}

function readWord(buf: Uint8Array, o: number): number {
  return ((buf[o] << 24) >>> 0) + ((buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]);
}

const V6_BYTES = new Uint8Array(16);

export function ipv6FromWords(words: Uint32Array, at: number): string {
  for (let i = 0; i < 4; i++) {
    const w = words[at + i];
    V6_BYTES[i * 4] = w >>> 24;
    V6_BYTES[i * 4 + 1] = (w >>> 16) & 255;
    V6_BYTES[i * 4 + 2] = (w >>> 8) & 255;
    V6_BYTES[i * 4 + 3] = w & 255;
  }
  return ipv6Text(V6_BYTES, 0);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

/**
 * Whether a MAC's text (as macFromWords writes it) contains `part` (lower case), tested on bytes without
 * making the text: searches test millions of MACs.
 */
export function macTextContains(part: string): (hi: number, lo: number) => boolean {
  const pattern = new TextEncoder().encode(part);
  const text = new Uint8Array(17);
  for (let i = 2; i < 17; i += 3) text[i] = 58; // ':'
  if (pattern.length === 0) return () => true;
  if (pattern.length > 17) return () => false;
  return (hi, lo) => {
    for (let b = 0; b < 6; b++) {
      const byte = b < 2 ? (hi >>> (8 - 8 * b)) & 255 : (lo >>> (40 - 8 * b)) & 255;
      text[b * 3] = HEX_DIGITS[byte >>> 4];
      text[b * 3 + 1] = HEX_DIGITS[byte & 15];
    }
    outer: for (let at = 0; at + pattern.length <= 17; at++) {
      for (let k = 0; k < pattern.length; k++) if (text[at + k] !== pattern[k]) continue outer;
      return true;
    }
    return false;
  };
}

/** A MAC held as its upper 16 bits and lower 32 bits. */
export function macFromWords(hi: number, lo: number): string {
  return `${HEX[(hi >>> 8) & 255]}:${HEX[hi & 255]}:${HEX[lo >>> 24]}:${HEX[(lo >>> 16) & 255]}:${HEX[(lo >>> 8) & 255]}:${HEX[lo & 255]}`;
}
