// pcapng: sections in either byte order, several interfaces each with its own link type and
// timestamp resolution; EPB, SPB and the obsolete OPB carry packets; unknown blocks are skipped.
import { CaptureError } from './capture-error';
import { CaptureInterface, CaptureSection, FormatParser, MAX_RECORD_BYTES, RecordSink, splitTimestamp } from './format-parser';

export const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_OPB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_END = 0;
const OPT_COMMENT = 1;
const OPT_SHB_HARDWARE = 2;
const OPT_SHB_OS = 3;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_NAME = 2;
const OPT_IF_DESCRIPTION = 3;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const OPT_EPB_FLAGS = 2;

export function isPcapngMagic(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === BLOCK_SHB;
}

export class PcapngFormat implements FormatParser {
  readonly format = 'pcapng' as const;
  /** Every interface of every section, in file order; a section's local ids map onto this list. */
  readonly interfaces: CaptureInterface[] = [];
  readonly sections: CaptureSection[] = [];
  private sectionInterfaces: number[] = [];
  private littleEndian = true;
  private readonly ts = { sec: 0, nsec: 0 };

  private u16(buf: Buffer, o: number): number {
    return this.littleEndian ? buf.readUInt16LE(o) : buf.readUInt16BE(o);
  }

  private u32(buf: Buffer, o: number): number {
    return this.littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
  }

  parse(buf: Buffer, start: number, end: number, fileBase: number, sink: RecordSink): number {
    let pos = start;
    while (end - pos >= 12) {
      // The SHB's own byte order decides how to read it (its type reads the same both ways).
      if (buf.readUInt32LE(pos) === BLOCK_SHB) {
        if (end - pos < 12) break;
        const magic = buf.readUInt32LE(pos + 8);
        if (magic === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (magic === 0x4d3c2b1a) this.littleEndian = false;
        else throw new CaptureError(`corrupt pcapng section header at byte ${fileBase + pos}: bad byte-order magic`);
      }
      const type = this.u32(buf, pos);
      const length = this.u32(buf, pos + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
        throw new CaptureError(`corrupt pcapng block at byte ${fileBase + pos}: block length ${length} is invalid`);
      }
      if (end - pos < length) break;
      if (this.u32(buf, pos + length - 4) !== length) {
        throw new CaptureError(`corrupt pcapng block at byte ${fileBase + pos}: trailing length does not match ${length}`);
      }
      const body = pos + 8;
      const bodyEnd = pos + length - 4;
      switch (type) {
        case BLOCK_SHB:
          this.sectionInterfaces = [];
          this.readSection(buf, body, bodyEnd);
          break;
        case BLOCK_IDB:
          this.readInterface(buf, body, bodyEnd, fileBase + pos);
          break;
        case BLOCK_EPB:
          this.readEnhancedPacket(buf, body, bodyEnd, fileBase, sink);
          break;
        case BLOCK_SPB:
          this.readSimplePacket(buf, body, bodyEnd, fileBase, sink);
          break;
        case BLOCK_OPB:
          this.readObsoletePacket(buf, body, bodyEnd, fileBase, sink);
          break;
        default:
          break; // name resolution, statistics, custom and future blocks carry no packets
      }
      pos += length;
    }
    return pos;
  }

  private readSection(buf: Buffer, body: number, bodyEnd: number): void {
    const section: CaptureSection = { hardware: '', os: '', application: '', comment: '' };
    // Body: byte-order magic, version (4 bytes), section length (8 bytes); then options.
    this.forEachOption(buf, body + 16, bodyEnd, (code, at, len) => {
      const text = buf.toString('utf8', at, at + len);
      if (code === OPT_SHB_HARDWARE) section.hardware = text;
      else if (code === OPT_SHB_OS) section.os = text;
      else if (code === OPT_SHB_USERAPPL) section.application = text;
      else if (code === OPT_COMMENT && section.comment === '') section.comment = text;
    });
    this.sections.push(section);
  }

  private readInterface(buf: Buffer, body: number, bodyEnd: number, blockAt: number): void {
    if (bodyEnd - body < 8) throw new CaptureError(`corrupt pcapng interface block at byte ${blockAt}`);
    const iface: CaptureInterface = {
      linkType: this.u16(buf, body),
      snapLen: this.u32(buf, body + 4),
      name: '',
      unitsPerSecond: 1e6,
      tsOffset: 0,
    };
    this.forEachOption(buf, body + 8, bodyEnd, (code, at, len) => {
      if (code === OPT_IF_NAME) iface.name = buf.toString('utf8', at, at + len);
      else if (code === OPT_IF_DESCRIPTION) iface.description = buf.toString('utf8', at, at + len);
      else if (code === OPT_IF_TSRESOL && len >= 1) {
        const v = buf[at];
        iface.unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        const high = this.u32(buf, this.littleEndian ? at + 4 : at);
        const low = this.u32(buf, this.littleEndian ? at : at + 4);
        iface.tsOffset = (high | 0) * 4294967296 + low;
      }
    });
    this.sectionInterfaces.push(this.interfaces.length);
    this.interfaces.push(iface);
  }

  private globalInterface(localId: number, fileOffset: number): number {
    const id = this.sectionInterfaces[localId];
    if (id === undefined) throw new CaptureError(`corrupt pcapng packet at byte ${fileOffset}: interface ${localId} was never described`);
    return id;
  }

  private emit(buf: Buffer, data: number, fileBase: number, iface: number, high: number, low: number, capLen: number, origLen: number, flags: number, sink: RecordSink): void {
    const desc = this.interfaces[iface];
    splitTimestamp(high, low, desc.unitsPerSecond, this.ts);
    sink.packet(buf, data, fileBase + data, this.ts.sec + desc.tsOffset, this.ts.nsec, capLen, origLen < capLen ? capLen : origLen, iface, flags);
  }

  private readEnhancedPacket(buf: Buffer, body: number, bodyEnd: number, fileBase: number, sink: RecordSink): void {
    if (bodyEnd - body < 20) throw new CaptureError(`corrupt pcapng packet block at byte ${fileBase + body - 8}: too short`);
    const iface = this.globalInterface(this.u32(buf, body), fileBase + body - 8);
    const capLen = this.u32(buf, body + 12);
    const origLen = this.u32(buf, body + 16);
    const data = body + 20;
    if (capLen > bodyEnd - data) throw new CaptureError(`corrupt pcapng packet block at byte ${fileBase + body - 8}: captured length ${capLen} overruns the block`);
    let flags = 0;
    const optionsAt = data + ((capLen + 3) & ~3);
    if (optionsAt < bodyEnd) {
      this.forEachOption(buf, optionsAt, bodyEnd, (code, at, len) => {
        if (code === OPT_EPB_FLAGS && len >= 4) flags = this.u32(buf, at) & 0x03;
      });
    }
    this.emit(buf, data, fileBase, iface, this.u32(buf, body + 4), this.u32(buf, body + 8), capLen, origLen, flags, sink);
  }

  private readSimplePacket(buf: Buffer, body: number, bodyEnd: number, fileBase: number, sink: RecordSink): void {
    const iface = this.globalInterface(0, fileBase + body - 8);
    const origLen = this.u32(buf, body);
    const data = body + 4;
    const snap = this.interfaces[iface].snapLen || 0xffffffff;
    const capLen = Math.min(origLen, snap, bodyEnd - data);
    // SPBs carry no timestamp: Wireshark shows them at time zero.
    sink.packet(buf, data, fileBase + data, 0, 0, capLen, origLen, iface, 0);
  }

  private readObsoletePacket(buf: Buffer, body: number, bodyEnd: number, fileBase: number, sink: RecordSink): void {
    if (bodyEnd - body < 20) throw new CaptureError(`corrupt pcapng packet block at byte ${fileBase + body - 8}: too short`);
    const iface = this.globalInterface(this.u16(buf, body), fileBase + body - 8);
    const capLen = this.u32(buf, body + 12);
    const origLen = this.u32(buf, body + 16);
    const data = body + 20;
    if (capLen > bodyEnd - data) throw new CaptureError(`corrupt pcapng packet block at byte ${fileBase + body - 8}: captured length ${capLen} overruns the block`);
    this.emit(buf, data, fileBase, iface, this.u32(buf, body + 4), this.u32(buf, body + 8), capLen, origLen, 0, sink);
  }

  private forEachOption(buf: Buffer, pos: number, end: number, visit: (code: number, at: number, len: number) => void): void {
    while (end - pos >= 4) {
      const code = this.u16(buf, pos);
      const len = this.u16(buf, pos + 2);
      if (code === OPT_END || pos + 4 + len > end) return;
      visit(code, pos + 4, len);
      pos += 4 + ((len + 3) & ~3);
    }
  }
}
