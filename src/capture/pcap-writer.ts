// Classic libpcap file writer: little-endian, version 2.4, microsecond (a1b2c3d4) or nanosecond
// (a1b23c4d) magic. One link type per file, so extra interfaces must share it.
import { BufferedFileSink } from './buffered-file-sink';
import {
  CaptureWriter,
  DEFAULT_SNAPLEN,
  InterfaceDescription,
  capturedLength,
  normalizeTimestamp,
} from './writer-common';

const MAGIC_MICROSECOND = 0xa1b2c3d4;
const MAGIC_NANOSECOND = 0xa1b23c4d;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

export class PcapWriter implements CaptureWriter {
  readonly format = 'pcap' as const;
  packetCount = 0;
  private readonly sink: BufferedFileSink;
  private linkType = -1;
  private snapLen = 0;
  private interfaceCount = 0;

  constructor(path: string, readonly nanosecond: boolean, bufferBytes?: number) {
    this.sink = new BufferedFileSink(path, bufferBytes);
  }

  addInterface(description: InterfaceDescription): number {
    if (this.interfaceCount === 0) {
      this.linkType = description.linkType;
      this.snapLen = description.snapLen ?? DEFAULT_SNAPLEN;
      this.writeFileHeader();
    } else if (description.linkType !== this.linkType) {
      throw new Error(
        `classic pcap holds one link type: cannot add link type ${description.linkType} to a ${this.linkType} file (use pcapng)`,
      );
    }
    return this.interfaceCount++;
  }

  writePacket(ifaceId: number, tsSec: number, tsNsec: number, bytes: Uint8Array, origLen?: number): boolean {
    if (ifaceId < 0 || ifaceId >= this.interfaceCount) throw new Error(`unknown interface id ${ifaceId}`);
    [tsSec, tsNsec] = normalizeTimestamp(tsSec, tsNsec);
    if (!(tsSec >= 0 && tsSec <= 0xffffffff)) return false;
    const capLen = capturedLength(bytes.length, this.snapLen);
    const wireLen = Math.max(origLen ?? bytes.length, capLen);
    const sink = this.sink;
    const offset = sink.reserve(RECORD_HEADER_BYTES + capLen);
    const buf = sink.buffer;
    buf.writeUInt32LE(tsSec >>> 0, offset);
    buf.writeUInt32LE(this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000), offset + 4);
    buf.writeUInt32LE(capLen, offset + 8);
    buf.writeUInt32LE(wireLen, offset + 12);
    buf.set(capLen === bytes.length ? bytes : bytes.subarray(0, capLen), offset + RECORD_HEADER_BYTES);
    this.packetCount++;
    return true;
  }

  flush(): void {
    this.sink.flush();
  }

  close(): void {
    // A file nobody declared an interface for still gets a valid header (an empty Ethernet capture).
    if (this.interfaceCount === 0) this.addInterface({ linkType: 1 });
    this.sink.close();
  }

  abort(): void {
    this.sink.abort();
  }

  private writeFileHeader(): void {
    const offset = this.sink.reserve(FILE_HEADER_BYTES);
    const buf = this.sink.buffer;
    buf.writeUInt32LE(this.nanosecond ? MAGIC_NANOSECOND : MAGIC_MICROSECOND, offset);
    buf.writeUInt16LE(2, offset + 4); // version 2.4
    buf.writeUInt16LE(4, offset + 6);
    buf.writeInt32LE(0, offset + 8); // thiszone
    buf.writeUInt32LE(0, offset + 12); // sigfigs
    buf.writeUInt32LE(this.snapLen, offset + 16);
    buf.writeUInt32LE(this.linkType, offset + 20);
  }
}
