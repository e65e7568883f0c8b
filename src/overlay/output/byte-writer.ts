// Writes ASCII text (JSON of big reports) straight into a byte buffer and out to a file descriptor:
// numbers, MACs and IPv4 addresses are formatted digit by digit, so ~100k conversations cost no
// string objects and no UTF-8 encoding pass. The put* functions write at a position and return the
// next one: a hot writer reserves room once (ensure) and calls them with the buffer in hand.
import { writeFully } from './write-fully';

const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class ByteWriter {
  private buf: Buffer;
  /** Where the next byte goes (put* callers set it back after writing). */
  at = 0;

  /**
   * Writes to file descriptor `fd`, or with fd -1 only into memory (see take()), then best with a
   * `capacity` that holds it all (growing copies).
   */
  constructor(
    private readonly fd: number,
    capacity = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written so far (fd -1): the writer starts over empty. */
  take(): Buffer {
    const bytes = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(1 << 20);
    this.at = 0;
    return bytes;
  }

  /** Bytes written and not yet flushed. */
  get length(): number {
    return this.at;
  }

  /** The buffer, with room for n more bytes from `at`. */
  ensure(n: number): Buffer {
    if (this.at + n > this.buf.length) this.makeRoom(n);
    return this.buf;
  }

  /** Pre-encoded constant text. */
  bytes(text: Uint8Array): void {
    const buf = this.ensure(text.length);
    this.at = putBytes(buf, this.at, text);
  }

  /** ASCII (or Latin-1) text. */
  ascii(text: string): void {
    const n = text.length;
    const buf = this.ensure(n);
    if (n > 32) {
      this.at += buf.write(text, this.at, 'latin1');
      return;
    }
    let p = this.at;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    this.at = p;
  }

  /** Any text; encoded as UTF-8. */
  text(text: string): void {
    const length = Buffer.byteLength(text);
    const buf = this.ensure(length);
    this.at += buf.write(text, this.at);
  }

  /** A number exactly as JSON.stringify writes it. */
  number(n: number): void {
    const buf = this.ensure(MAX_NUMBER_BYTES);
    const p = putNumber(buf, this.at, n);
    if (p >= 0) this.at = p;
    else this.ascii(JSON.stringify(n));
  }

  /** A non-negative integer below 2^53. */
  unsigned(n: number): void {
    const buf = this.ensure(MAX_NUMBER_BYTES);
    this.at = putUint(buf, this.at, n);
  }

  /** MAC from its upper 16 and lower 32 bits, "aa:bb:cc:dd:ee:ff". */
  mac(hi: number, lo: number): void {
    const buf = this.ensure(17);
    this.at = putMac(buf, this.at, hi, lo);
  }

  ipv4(ip: number): void {
    const buf = this.ensure(15);
    this.at = putIpv4(buf, this.at, ip);
  }

  byte(b: number): void {
    const buf = this.ensure(1);
    buf[this.at++] = b;
  }

  flush(): void {
    if (this.fd < 0) return;
    writeFully(this.fd, this.buf, 0, this.at);
    this.at = 0;
  }

  private makeRoom(n: number): void {
    if (this.fd < 0) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
      return;
    }
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
}

/** Half an ulp, in microseconds, of a double whose exponent is e (2^e <= n < 2^(e + 1)). */
const HALF_ULP_MICROS = Float64Array.from({ length: 64 }, (_, e) => 5e5 * 2 ** (e - 52));

/** Room that putNumber and putUint may need: 2^53 has 16 digits, a microsecond time 18 characters. */
export const MAX_NUMBER_BYTES = 24;

/** Copies constant bytes; a loop beats TypedArray#set (a builtin call) for the short keys of a report. */
export function putBytes(buf: Uint8Array, p: number, text: Uint8Array): number {
  const n = text.length;
  if (n > 32) {
    buf.set(text, p);
    return p + n;
  }
  for (let i = 0; i < n; i++) buf[p + i] = text[i];
  return p + n;
}

/**
 * Writes n as JSON.stringify does for whole numbers up to 2^53 and for capture times (see
 * putMicroseconds); returns -1, writing nothing, for any other number.
 */
export function putNumber(buf: Uint8Array, p: number, n: number): number {
  if (n >= 0 && n <= 9007199254740991 && Math.floor(n) === n) return putUint(buf, p, n);
  return putMicroseconds(buf, p, n);
}

/** A non-negative integer below 2^53. */
export function putUint(buf: Uint8Array, p: number, n: number): number {
  if (n <= 0x7fffffff) {
    // Small integers stay in int32 arithmetic.
    let v = n | 0;
    let end = p + 1;
    for (let limit = 10; end - p < 10 && v >= limit; limit *= 10) end++;
    let q = end;
    do {
      const d = (v / 10) | 0;
      buf[--q] = 48 + v - d * 10;
      v = d;
    } while (v !== 0);
    return end;
  }
  let count = 10;
  for (let limit = 1e10; count < 16 && n >= limit; limit *= 10) count++;
  let q = p + count;
  do {
    const d = Math.floor(n / 10);
    buf[--q] = 48 + (n - d * 10);
    n = d;
  } while (n > 0);
  return p + count;
}

/**
 * Writes n as JSON.stringify would when n is the double nearest to a whole number of microseconds
 * (capture timestamps: seconds since the epoch with six decimals); returns -1, writing nothing,
 * otherwise. Exactness: for 2^20 <= n < 2^33 the fraction and fraction * 1e6 are exact doubles, and
 * a decimal with at most six fractional digits within half an ulp of n is its shortest round-trip
 * text, because any shorter decimal lies at least 1e-6 (more than an ulp) away.
 */
export function putMicroseconds(buf: Uint8Array, p: number, n: number): number {
  if (!(n >= 1048576 && n < 8589934592)) return -1;
  const whole = Math.floor(n);
  const micros = (n - whole) * 1e6;
  const rounded = Math.round(micros);
  // Half an ulp of n, in microseconds: n's exponent e (2^e <= n) gives an ulp of 2^(e - 52).
  const exponent = whole >= 4294967296 ? 32 : 31 - Math.clz32(whole);
  if (rounded >= 1e6 || !(Math.abs(micros - rounded) < HALF_ULP_MICROS[exponent])) return -1;
  p = putUint(buf, p, whole);
  let fraction = rounded | 0;
  if (fraction === 0) return p;
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction = (fraction / 10) | 0;
    digits--;
  }
  buf[p] = 46; // '.'
  let q = p + digits;
  for (let i = 0; i < digits; i++) {
    const d = (fraction / 10) | 0;
    buf[q--] = 48 + fraction - d * 10;
    fraction = d;
  }
  return p + digits + 1;
}

/** MAC from its upper 16 and lower 32 bits, "aa:bb:cc:dd:ee:ff". */
export function putMac(buf: Uint8Array, p: number, hi: number, lo: number): number {
  hexByte(buf, p, (hi >>> 8) & 255);
  hexByte(buf, p + 3, hi & 255);
  hexByte(buf, p + 6, lo >>> 24);
  hexByte(buf, p + 9, (lo >>> 16) & 255);
  hexByte(buf, p + 12, (lo >>> 8) & 255);
  hexByte(buf, p + 15, lo & 255);
  buf[p + 2] = buf[p + 5] = buf[p + 8] = buf[p + 11] = buf[p + 14] = 58; // ':'
  return p + 17;
}

export function putIpv4(buf: Uint8Array, p: number, ip: number): number {
  p = putUint(buf, p, ip >>> 24);
  buf[p++] = 46;
  p = putUint(buf, p, (ip >>> 16) & 255);
  buf[p++] = 46;
  p = putUint(buf, p, (ip >>> 8) & 255);
  buf[p++] = 46;
  return putUint(buf, p, ip & 255);
}

function hexByte(buf: Uint8Array, at: number, byte: number): void {
  buf[at] = HEX[byte >>> 4];
  buf[at + 1] = HEX[byte & 15];
}

/** Constant text, encoded once. */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
