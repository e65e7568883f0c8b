// Classic libpcap files: both byte orders, microsecond and nanosecond magics, and the "modified"
// (Kuznetzov) variant whose records carry 8 extra bytes.
import { CaptureError } from './capture-error';
import { CaptureInterface, CaptureSection, FormatParser, MAX_RECORD_BYTES, RecordSink } from './format-parser';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;
export const PCAP_HEADER_BYTES = 24;

export function isPcapMagic(head: Buffer): boolean {
  if (head.length < 4) return false;
  const be = head.readUInt32BE(0);
  const le = head.readUInt32LE(0);
  return [MAGIC_US, MAGIC_NS, MAGIC_MODIFIED].some((m) => m === be || m === le);
}

export class PcapFormat implements FormatParser {
  readonly format = 'pcap' as const;
  readonly interfaces: CaptureInterface[];
  readonly sections: CaptureSection[] = [];
  private readonly littleEndian: boolean;
  private readonly recordHeaderBytes: number;
  private readonly nanoseconds: boolean;

  /** Reads the 24-byte file header. */
  constructor(header: Buffer) {
    if (header.length < PCAP_HEADER_BYTES) throw new CaptureError('file ends inside the pcap file header');
    const le = header.readUInt32LE(0);
    this.littleEndian = le === MAGIC_US || le === MAGIC_NS || le === MAGIC_MODIFIED;
    const magic = this.littleEndian ? le : header.readUInt32BE(0);
    this.nanoseconds = magic === MAGIC_NS;
    this.recordHeaderBytes = magic === MAGIC_MODIFIED ? 24 : 16;
    const u32 = (o: number) => (this.littleEndian ? header.readUInt32LE(o) : header.readUInt32BE(o));
    const major = this.littleEndian ? header.readUInt16LE(4) : header.readUInt16BE(4);
    if (major !== 2) throw new CaptureError(`unsupported pcap version ${major}`);
    const snapLen = u32(16);
    // The upper bits of the link-type word carry FCS information; the type is the low 26 bits.
    const linkType = u32(20) & 0x03ffffff;
    this.interfaces = [{ linkType, snapLen, name: '', unitsPerSecond: this.nanoseconds ? 1e9 : 1e6, tsOffset: 0 }];
  }

  get headerBytes(): number {
    return PCAP_HEADER_BYTES;
  }

  parse(buf: Buffer, start: number, end: number, fileBase: number, sink: RecordSink): number {
    const le = this.littleEndian;
    const hdr = this.recordHeaderBytes;
    const nsFactor = this.nanoseconds ? 1 : 1000;
    let pos = start;
    while (end - pos >= hdr) {
      const tsSec = recordWord(buf, pos, le);
      const tsFrac = recordWord(buf, pos + 4, le);
      const capLen = recordWord(buf, pos + 8, le);
      const origLen = recordWord(buf, pos + 12, le);
      if (capLen > MAX_RECORD_BYTES) {
        throw new CaptureError(`corrupt pcap record at byte ${fileBase + pos}: captured length ${capLen} is larger than any packet`);
      }
      if (end - pos - hdr < capLen) break;
      const data = pos + hdr;
      sink.packet(buf, data, fileBase + data, tsSec, tsFrac * nsFactor, capLen, origLen < capLen ? capLen : origLen, 0, 0);
      pos = data + capLen;
    }
    return pos;
  }
}

/**
 * A record header's 32-bit word. Plain byte reads: Buffer.readUInt32* checks bounds on every call, and
 * this runs per packet. One function, not a closure made per parse() call: each new closure made the
 * optimised per-packet loop, which inlines it, start over.
 */
function recordWord(buf: Buffer, o: number, le: boolean): number {
  return le ? (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16)) + buf[o + 3] * 0x1000000 : buf[o] * 0x1000000 + ((buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]);
}
