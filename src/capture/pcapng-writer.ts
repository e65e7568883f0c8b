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
  timestampUnits,
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
const OPT_IF_TSOFFSET = 14;
const OPT_EPB_FLAGS = 2;

const EPB_FIXED_BYTES = 32; // type, length, interface, ts high, ts low, caplen, origlen, trailing length

/** Rounds up to a multiple of 4. */
function pad4(length: number): number {
  return (length + 3) & ~3;
}

/** The if_tsresol byte for a resolution of 10^n or 2^n units per second, or null for any other. */
function tsresolByte(unitsPerSecond: number): number | null {
  for (let n = 0; n <= 127; n++) {
    if (10 ** n === unitsPerSecond) return n;
    if (2 ** n === unitsPerSecond) return 0x80 | n;
  }
  return null;
}

/** One option as bytes: code, length, value padded to 32 bits. */
function encodeOption(code: number, value: Uint8Array): Buffer {
  // An option's length is 16 bits: a longer value (a copied name with a suffix) is cut to fit.
  if (value.length > 0xffff) value = value.subarray(0, 0xffff);
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
  /** Per interface: timestamp units per second and offset in seconds. */
  private readonly units: number[] = [];
  private readonly offsets: number[] = [];
  private readonly unitsPerSecond: number;
  private readonly ts = { high: 0, low: 0 };

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
    let units = description.tsUnitsPerSecond ?? this.unitsPerSecond;
    let resol = tsresolByte(units);
    if (resol === null) {
      units = this.unitsPerSecond;
      resol = tsresolByte(units)!;
    }
    // Microseconds are pcapng's default resolution and need no if_tsresol.
    if (units !== 1e6) options.push(encodeOption(OPT_IF_TSRESOL, Uint8Array.of(resol)));
    const offset = description.tsOffset ?? 0;
    if (offset !== 0) {
      const value = Buffer.alloc(8);
      value.writeBigInt64LE(BigInt(offset), 0);
      options.push(encodeOption(OPT_IF_TSOFFSET, value));
    }
    this.sink.write(encodeBlock(BLOCK_IDB, body, options));
    this.units.push(units);
    this.offsets.push(offset);
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
  ): boolean {
    const snapLen = this.snapLens[ifaceId];
    if (snapLen === undefined) throw new Error(`unknown interface id ${ifaceId}`);
    [tsSec, tsNsec] = normalizeTimestamp(tsSec, tsNsec);
    const ts = this.ts;
    if (!timestampUnits(tsSec - this.offsets[ifaceId], tsNsec, this.units[ifaceId], ts)) return false;
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
    buf.writeUInt32LE(ts.high, start + 12);
    buf.writeUInt32LE(ts.low, start + 16);
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
    return true;
  }

  flush(): void {
    this.sink.flush();
  }

  close(): void {
    this.sink.close();
  }

  abort(): void {
    this.sink.abort();
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
