// Writes frames of an open capture into a new capture file: the one writer behind `tunnelscope export`
// and the app's Save As. Each frame keeps its time (its interface's resolution and offset are copied),
// lengths, interface and direction. The output appears complete or not at all, and is refused when it
// is one of the captures being read.
import { OutputError, refuseInputAsOutput } from '../capture/atomic-output';
import type { CaptureInterface } from '../capture/format-parser';
import type { FrameSource } from '../capture/frame-source';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../capture/link-types';
import { CaptureFileFormat, CaptureWriter, createCaptureWriter } from '../capture/writer';

const LINK_TYPE_LABELS: Record<number, string> = { [LINKTYPE_ETHERNET]: 'inner Ethernet', [LINKTYPE_RAW]: 'inner IP' };

export { OutputError };

export class FrameWriter {
  private readonly writer: CaptureWriter;
  /** Output interfaces created on first use, keyed by source interface and link type. */
  private readonly ids = new Map<number, number>();
  private pcapLinkType = -1;
  private readonly interfaces: readonly CaptureInterface[];

  /**
   * Opens `target` for writing frames of `file`, whose interfaces are `interfaces` (by default the
   * ones its own scan found). Throws OutputError when the target is `file` itself or another open
   * capture (`alsoOpen`), after symlinks.
   */
  constructor(
    private readonly file: FrameSource,
    readonly target: string,
    readonly format: CaptureFileFormat,
    options: { interfaces?: readonly CaptureInterface[]; alsoOpen?: readonly FrameSource[] } = {},
  ) {
    this.interfaces = options.interfaces ?? file.interfaces;
    refuseInputAsOutput(target, [file, ...(options.alsoOpen ?? [])].flatMap((f) => f.descriptors.map((fd) => ({ fd }))));
    this.writer = createCaptureWriter(target, { format, nanosecond: true });
  }

  get written(): number {
    return this.writer.packetCount;
  }

  /**
   * The output interface for frames of source interface `iface` written with `linkType`, or why
   * they cannot be written (classic pcap holds a single link type).
   */
  private idFor(iface: number, linkType: number, decap: boolean): number | string {
    // Link types are below 2^26 (pcap's field); interface ids below 2^26 too in any file that fits a disk.
    const key = iface * 0x4000000 + linkType;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.writer.format === 'pcapng' && linkType > 0xffff) return `link type ${linkType} does not fit pcapng's 16 bits (write .pcap)`;
    if (this.writer.format === 'pcap') {
      if (this.pcapLinkType >= 0 && this.pcapLinkType !== linkType) {
        return `link type ${linkType} does not fit a classic pcap of link type ${this.pcapLinkType} (write .pcapng)`;
      }
      this.pcapLinkType = linkType;
    }
    const source = this.interfaces[iface];
    const name = source?.name || `interface ${iface}`;
    const id = this.writer.addInterface({
      linkType,
      snapLen: source?.snapLen ?? 0,
      name: decap ? `${name} (${LINK_TYPE_LABELS[linkType] ?? 'inner'}, decapsulated)` : name,
      tsUnitsPerSecond: source?.unitsPerSecond,
      tsOffset: source?.tsOffset,
    });
    this.ids.set(key, id);
    return id;
  }

  /** Without decapsulation the output interfaces mirror the input's one for one, so interface ids stay equal. */
  mirrorInterfaces(upTo = this.interfaces.length - 1): void {
    if (this.format !== 'pcapng') return;
    for (let i = 0; i <= upTo && i < this.interfaces.length; i++) this.idFor(i, this.interfaces[i].linkType, false);
  }

  /**
   * Writes frame `frame` (0-based) of the capture: its bytes, or with `inner` only the inner frame
   * from byte `inner.start` of `bytes`. Returns null, or why the frame could not be written.
   */
  write(frame: number, bytes: Uint8Array, inner?: { start: number; linkType: number }): string | null {
    const index = this.file.index;
    const iface = index.iface[frame];
    if (inner === undefined) this.mirrorInterfaces(iface);
    const id = this.idFor(iface, inner?.linkType ?? this.interfaces[iface]?.linkType ?? -1, inner !== undefined);
    if (typeof id === 'string') return id;
    const start = inner?.start ?? 0;
    const direction = index.flags[frame] & 3;
    const pcapng = this.format === 'pcapng';
    // A reassembled datagram is longer than the frame that completed it: its inner frame is whole.
    const origLen = bytes.length > index.origLen[frame] ? bytes.length - start : index.origLen[frame] - start;
    const ok = this.writer.writePacket(id, index.tsSec[frame], index.tsNsec[frame], bytes.subarray(start), origLen, pcapng && direction !== 0 ? direction : undefined);
    return ok ? null : pcapng ? 'time beyond what pcapng holds' : "time beyond classic pcap's 32-bit seconds (write .pcapng)";
  }

  /** Puts the complete file in place. */
  commit(): void {
    this.writer.close();
  }

  /** Drops the output; the target is left as it was. */
  abort(): void {
    this.writer.abort();
  }
}
