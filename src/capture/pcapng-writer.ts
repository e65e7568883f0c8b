// pcapng writer (little-endian, one section): SHB with shb_userappl, one IDB per interface (link
// type, snaplen, if_name, if_tsresol = 9 for nanoseconds), EPBs with optional epb_flags and comment.
// Every block and option is padded to 32 bits and ends with its total length, as the spec requires.
import { BufferedFileSink } from './buffered-file-sink';
import {
  CaptureWriter,
  DEFAULT_SNAPLEN,
  InterfaceDescription,
  capturedLength,
  normalizeTimestamp,
} from './writer-common';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_NAME = 2;
const OPT_IF_TSRESOL = 9;
const OPT_EPB_FLAGS = 2;

const EPB_FIXED_BYTES = 32; // type, length, interface, ts high, ts low, caplen, origlen, trailing length
const TWO_POW_32 = 4294967296;

/** Rounds up to a multiple of 4. */
function pad4(length: number): number {
  return (length + 3) & ~3;
}

/** One option as bytes: code, length, value padded to 32 bits. */
function encodeOption(code: number, value: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  out.set(value, 4);
  return out;
}

/** A whole block: type, total length, body (already 32-bit aligned), options, total length. */
function encodeBlock(type: number, body: Buffer, options: Buffer[]): Buffer {
  const optionBytes = options.length > 0 ? Buffer.concat([...options, Buffer.alloc(4)]) : Buffer.alloc(0);
  const total = 12 + body.length + optionBytes.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  optionBytes.copy(out, 8 + body.length);
  out.writeUInt32LE(total, total - 4);
  return out;
}

export class PcapngWriter implements CaptureWriter {
  readonly format = 'pcapng' as const;
  packetCount = 0;
  private readonly sink: BufferedFileSink;
  private readonly snapLens: number[] = [];
  private readonly unitsPerSecond: number;

  constructor(path: string, readonly nanosecond: boolean, application: string, bufferBytes?: number) {
    this.sink = new BufferedFileSink(path, bufferBytes);
    this.unitsPerSecond = nanosecond ? 1e9 : 1e6;
    this.writeSectionHeader(application);
  }

  addInterface(description: InterfaceDescription): number {
    const snapLen = description.snapLen ?? DEFAULT_SNAPLEN;
    const body = Buffer.alloc(8);
    body.writeUInt16LE(description.linkType, 0);
    body.writeUInt16LE(0, 2); // reserved
    body.writeUInt32LE(snapLen, 4);
    const options: Buffer[] = [];
    if (description.name !== undefined) options.push(encodeOption(OPT_IF_NAME, Buffer.from(description.name, 'utf8')));
    // Microseconds are pcapng's default resolution, so only nanoseconds need if_tsresol.
    if (this.nanosecond) options.push(encodeOption(OPT_IF_TSRESOL, Uint8Array.of(9)));
    this.sink.write(encodeBlock(BLOCK_IDB, body, options));
    this.snapLens.push(snapLen);
    return this.snapLens.length - 1;
  }

  writePacket(
    ifaceId: number,
    tsSec: number,
    tsNsec: number,
    bytes: Uint8Array,
    origLen?: number,
    flags?: number,
    comment?: string,
  ): void {
    const snapLen = this.snapLens[ifaceId];
    if (snapLen === undefined) throw new Error(`unknown interface id ${ifaceId}`);
    [tsSec, tsNsec] = normalizeTimestamp(tsSec, tsNsec);
    const capLen = capturedLength(bytes.length, snapLen);
    const wireLen = Math.max(origLen ?? bytes.length, capLen);
    const dataBytes = pad4(capLen);
    const commentBytes = comment === undefined ? 0 : Buffer.byteLength(comment, 'utf8');
    let optionBytes = 0;
    if (flags !== undefined) optionBytes += 8;
    if (comment !== undefined) optionBytes += 4 + pad4(commentBytes);
    if (optionBytes > 0) optionBytes += 4; // opt_endofopt
    const total = EPB_FIXED_BYTES + dataBytes + optionBytes;

    const sink = this.sink;
    const start = sink.reserve(total);
    const buf = sink.buffer;
    buf.writeUInt32LE(BLOCK_EPB, start);
    buf.writeUInt32LE(total, start + 4);
    buf.writeUInt32LE(ifaceId, start + 8);
    this.writeTimestamp(buf, start + 12, tsSec, tsNsec);
    buf.writeUInt32LE(capLen, start + 20);
    buf.writeUInt32LE(wireLen, start + 24);
    let pos = start + 28;
    buf.set(capLen === bytes.length ? bytes : bytes.subarray(0, capLen), pos);
    pos += capLen;
    while (pos < start + 28 + dataBytes) buf[pos++] = 0;
    if (flags !== undefined) {
      buf.writeUInt16LE(OPT_EPB_FLAGS, pos);
      buf.writeUInt16LE(4, pos + 2);
      buf.writeUInt32LE(flags >>> 0, pos + 4);
      pos += 8;
    }
    if (comment !== undefined) {
      buf.writeUInt16LE(OPT_COMMENT, pos);
      buf.writeUInt16LE(commentBytes, pos + 2);
      buf.write(comment, pos + 4, commentBytes, 'utf8');
      const end = pos + 4 + pad4(commentBytes);
      pos += 4 + commentBytes;
      while (pos < end) buf[pos++] = 0;
    }
    if (optionBytes > 0) {
      buf.writeUInt32LE(OPT_ENDOFOPT, pos);
      pos += 4;
    }
    buf.writeUInt32LE(total, pos);
    this.packetCount++;
  }

  flush(): void {
    this.sink.flush();
  }

  close(): void {
    this.sink.close();
  }

  /**
   * Writes the 64-bit count of time units as high and low 32-bit words. tsSec * 1e9 exceeds 2^53,
   * so the product is split into pieces that stay exact in doubles.
   */
  private writeTimestamp(buf: Buffer, offset: number, tsSec: number, tsNsec: number): void {
    const units = this.unitsPerSecond;
    const fraction = units === 1e9 ? tsNsec : Math.floor(tsNsec / 1000);
    const secHigh = Math.floor(tsSec / 65536);
    const secLow = tsSec - secHigh * 65536;
    // total = secHigh * units * 2^16 + secLow * units + fraction
    const a = secHigh * units;
    const aHigh = Math.floor(a / 65536);
    const aLow = a - aHigh * 65536;
    const c = aLow * 65536 + secLow * units + fraction;
    const carry = Math.floor(c / TWO_POW_32);
    buf.writeUInt32LE(aHigh + carry, offset);
    buf.writeUInt32LE(c - carry * TWO_POW_32, offset + 4);
  }

  private writeSectionHeader(application: string): void {
    const body = Buffer.alloc(16);
    body.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
    body.writeUInt16LE(1, 4); // version 1.0
    body.writeUInt16LE(0, 6);
    body.writeInt32LE(-1, 8); // section length unknown: -1 as a 64-bit integer
    body.writeInt32LE(-1, 12);
    this.sink.write(encodeBlock(BLOCK_SHB, body, [encodeOption(OPT_SHB_USERAPPL, Buffer.from(application, 'utf8'))]));
  }
}
