// Writes ASCII text (JSON of big reports) straight into a byte buffer and out to a file descriptor:
// numbers, MACs and IPv4 addresses are formatted digit by digit, so ~100k conversations cost no
// string objects and no UTF-8 encoding pass.
import { writeFully } from '../cli/write-fully';

const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  constructor(private readonly fd = 1) {}

  /** Pre-encoded constant text. */
  bytes(text: Uint8Array): void {
    const n = text.length;
    this.room(n);
    // A byte loop beats TypedArray#set (a builtin call) for the short keys written ~1M times a report.
    if (n > 32) {
      this.buf.set(text, this.pos);
      this.pos += n;
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = text[i];
    this.pos = p;
  }

  /** ASCII (or Latin-1) text. */
  ascii(text: string): void {
    const n = text.length;
    this.room(n);
    if (n > 32) {
      this.pos += this.buf.write(text, this.pos, 'latin1');
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Any text; encoded as UTF-8. */
  text(text: string): void {
    const length = Buffer.byteLength(text);
    this.room(length);
    this.pos += this.buf.write(text, this.pos);
  }

  /** A number exactly as JSON.stringify writes it. */
  number(n: number): void {
    if (n >= 0 && n <= 0xffffffff && Math.floor(n) === n) this.unsigned(n);
    else if (Number.isSafeInteger(n) && n >= 0) this.unsigned(n);
    else if (!this.microseconds(n)) this.ascii(JSON.stringify(n));
  }

  /**
   * Writes n as JSON.stringify would when n is the double nearest to a whole number of microseconds
   * (capture timestamps: seconds since the epoch with six decimals); returns false, writing nothing,
   * otherwise. Exactness: for 2^20 <= n < 2^33 the fraction and fraction * 1e6 are exact doubles, and
   * a decimal with at most six fractional digits within half an ulp of n is its shortest round-trip
   * text, because any shorter decimal lies at least 1e-6 (more than an ulp) away.
   */
  private microseconds(n: number): boolean {
    if (!(n >= 1048576 && n < 8589934592)) return false;
    const whole = Math.floor(n);
    const micros = (n - whole) * 1e6;
    const rounded = Math.round(micros);
    let halfUlpMicros = 5e5 * 2 ** -32; // half an ulp, in microseconds, for n in [2^20, 2^21)
    for (let top = 2097152; top <= n; top *= 2) halfUlpMicros *= 2;
    if (rounded >= 1e6 || !(Math.abs(micros - rounded) < halfUlpMicros)) return false;
    this.unsigned(whole);
    if (rounded === 0) return true;
    let digits = 6;
    let fraction = rounded;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    this.room(digits + 1);
    const buf = this.buf;
    buf[this.pos] = 46; // '.'
    let p = this.pos + digits;
    this.pos = p + 1;
    for (let i = 0; i < digits; i++) {
      const q = Math.floor(fraction / 10);
      buf[p--] = 48 + fraction - q * 10;
      fraction = q;
    }
    return true;
  }

  /** A non-negative integer below 2^53. */
  unsigned(n: number): void {
    let count = 1;
    for (let limit = 10; count < 16 && n >= limit; limit *= 10) count++;
    if (n >= 1e16) count = String(n).length;
    this.room(count);
    const buf = this.buf;
    let p = this.pos + count;
    this.pos = p;
    if (n <= 0x7fffffff) {
      // Small integers stay in int32 arithmetic.
      let v = n | 0;
      do {
        const q = (v / 10) | 0;
        buf[--p] = 48 + v - q * 10;
        v = q;
      } while (v !== 0);
      return;
    }
    do {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** MAC from its upper 16 and lower 32 bits, "aa:bb:cc:dd:ee:ff". */
  mac(hi: number, lo: number): void {
    this.room(17);
    const buf = this.buf;
    const p = this.pos;
    hexByte(buf, p, (hi >>> 8) & 255);
    hexByte(buf, p + 3, hi & 255);
    hexByte(buf, p + 6, lo >>> 24);
    hexByte(buf, p + 9, (lo >>> 16) & 255);
    hexByte(buf, p + 12, (lo >>> 8) & 255);
    hexByte(buf, p + 15, lo & 255);
    buf[p + 2] = buf[p + 5] = buf[p + 8] = buf[p + 11] = buf[p + 14] = 58; // ':'
    this.pos = p + 17;
  }

  ipv4(ip: number): void {
    this.unsigned(ip >>> 24);
    this.byte(46);
    this.unsigned((ip >>> 16) & 255);
    this.byte(46);
    this.unsigned((ip >>> 8) & 255);
    this.byte(46);
    this.unsigned(ip & 255);
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  flush(): void {
    writeFully(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
}

function hexByte(buf: Buffer, at: number, byte: number): void {
  buf[at] = HEX[byte >>> 4];
  buf[at + 1] = HEX[byte & 15];
}

/** Constant text, encoded once. */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
