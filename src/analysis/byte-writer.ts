// Writes ASCII text (JSON of big reports) straight into a byte buffer and out to a file descriptor:
// numbers, MACs and IPv4 addresses are formatted digit by digit, so ~100k conversations cost no
// string objects and no UTF-8 encoding pass.
import * as fs from 'node:fs';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DIGITS = new Uint8Array(20);

export class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  constructor(private readonly fd = 1) {}

  /** Pre-encoded constant text. */
  bytes(text: Uint8Array): void {
    this.room(text.length);
    this.buf.set(text, this.pos);
    this.pos += text.length;
  }

  /** ASCII (or Latin-1) text. */
  ascii(text: string): void {
    this.room(text.length);
    this.pos += this.buf.write(text, this.pos, 'latin1');
  }

  /** Any text; encoded as UTF-8. */
  text(text: string): void {
    const length = Buffer.byteLength(text);
    this.room(length);
    this.pos += this.buf.write(text, this.pos);
  }

  /** A number exactly as JSON.stringify writes it. */
  number(n: number): void {
    if (Number.isSafeInteger(n) && n >= 0) this.unsigned(n);
    else this.ascii(JSON.stringify(n));
  }

  unsigned(n: number): void {
    let count = 0;
    do {
      DIGITS[count++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    this.room(count);
    const buf = this.buf;
    for (let i = count - 1; i >= 0; i--) buf[this.pos++] = DIGITS[i];
  }

  /** MAC from its upper 16 and lower 32 bits, "aa:bb:cc:dd:ee:ff". */
  mac(hi: number, lo: number): void {
    this.room(17);
    const buf = this.buf;
    let p = this.pos;
    const bytes = [(hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255];
    for (let i = 0; i < 6; i++) {
      if (i > 0) buf[p++] = 58; // ':'
      buf[p++] = HEX[bytes[i] >>> 4];
      buf[p++] = HEX[bytes[i] & 15];
    }
    this.pos = p;
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
    let done = 0;
    while (done < this.pos) {
      try {
        done += fs.writeSync(this.fd, this.buf, done, this.pos - done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A closed pipe (`| head`) is the reader's choice, not an error of ours.
        if (code === 'EPIPE') process.exit(0);
        if (code !== 'EAGAIN') throw err;
      }
    }
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
}

/** Constant text, encoded once. */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
