// Mutations of capture files for the fuzzer, driven by a seeded generator so that every input is
// reproducible from (seed, iteration): bit flips, boundary values written as 8/16/32-bit numbers in
// either byte order (lengths, counts and type fields are where parsers break), truncation, chunk
// duplication and removal, and splicing two captures together.
import { seededRandom } from '../../src/craft/random';

export const random = seededRandom;

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x08, 0x40];
const INTERESTING_16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x0800, 0x86dd, 0x6558, 0x8100, 4789, 6081, 47, 0xfffe];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x0a0d0d0a, 0x1a2b3c4d, 0xa1b2c3d4, 65536, 70000, 0x00010000];

export class Mutator {
  constructor(private readonly rnd: () => number) {}

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** `input` changed in 1-8 places (or spliced with `other`). Never returns the same array. */
  mutate(input: Uint8Array, other: Uint8Array): Uint8Array {
    let out: Uint8Array = Uint8Array.from(input);
    const steps = 1 + this.int(8);
    for (let s = 0; s < steps; s++) out = this.step(out, other);
    return out;
  }

  private step(buf: Uint8Array, other: Uint8Array): Uint8Array {
    if (buf.length === 0) return Uint8Array.of(this.int(256));
    const at = this.int(buf.length);
    switch (this.int(9)) {
      case 0: {
        buf[at] ^= 1 << this.int(8);
        return buf;
      }
      case 1: {
        buf[at] = this.pick(INTERESTING_8);
        return buf;
      }
      case 2: {
        const v = this.pick(INTERESTING_16);
        if (at + 2 <= buf.length) new DataView(buf.buffer, buf.byteOffset).setUint16(at, v, this.rnd() < 0.5);
        return buf;
      }
      case 3: {
        const v = this.pick(INTERESTING_32);
        if (at + 4 <= buf.length) new DataView(buf.buffer, buf.byteOffset).setUint32(at, v, this.rnd() < 0.5);
        return buf;
      }
      case 4:
        return buf.subarray(0, at); // cut short
      case 5: {
        // duplicate a chunk in place (repeats headers, records, options)
        const len = 1 + this.int(Math.min(256, buf.length - at));
        const out = new Uint8Array(buf.length + len);
        out.set(buf.subarray(0, at + len), 0);
        out.set(buf.subarray(at), at + len);
        return out;
      }
      case 6: {
        const len = 1 + this.int(Math.min(64, buf.length - at));
        const out = new Uint8Array(buf.length - len);
        out.set(buf.subarray(0, at), 0);
        out.set(buf.subarray(at + len), at);
        return out;
      }
      case 7: {
        // splice: the head of this file and the tail of another
        const from = this.int(Math.max(1, other.length));
        const out = new Uint8Array(at + other.length - from);
        out.set(buf.subarray(0, at), 0);
        out.set(other.subarray(from), at);
        return out;
      }
      default: {
        const len = 1 + this.int(16);
        for (let i = 0; i < len && at + i < buf.length; i++) buf[at + i] = this.int(256);
        return buf;
      }
    }
  }
}
