// A sample capture under construction: frames with their intended protocol chain (tshark's
// frame.protocols) and an optional note, a deterministic clock, and a writer at the end. The golden
// tests read the same descriptions back through tshark.
import { createCaptureWriter } from '../capture/writer';
import { LINKTYPE_ETHERNET } from '../capture/link-types';

/** 2024-01-01T00:00:00Z: every sample starts here. */
export const SAMPLE_EPOCH = 1704067200;

export interface SampleFrame {
  iface: number;
  tsSec: number;
  tsNsec: number;
  bytes: Uint8Array;
  /** The frame.protocols tshark is expected to print. */
  chain: string;
  /** pcapng epb_flags (direction), when the sample records it. */
  flags?: number;
  /** Written as the packet comment in pcapng samples: what this frame shows. */
  note?: string;
}

export interface SampleInterface {
  name: string;
  linkType: number;
}

export class SampleCapture {
  readonly frames: SampleFrame[] = [];
  readonly interfaces: SampleInterface[] = [];
  /** Named frame numbers (1-based) that the README and the tests refer to, e.g. "vni101Flood". */
  readonly keyFrames: Record<string, number> = {};
  private clockNs = 0;

  constructor(
    /** Path relative to the samples directory, e.g. "ovs-gre/host1.pcapng". */
    readonly file: string,
    readonly format: 'pcap' | 'pcapng',
    readonly nanosecond: boolean,
  ) {}

  addInterface(name: string, linkType = LINKTYPE_ETHERNET): number {
    this.interfaces.push({ name, linkType });
    return this.interfaces.length - 1;
  }

  /** Moves the clock forward. */
  advance(microseconds: number): this {
    this.clockNs += Math.round(microseconds * 1000);
    return this;
  }

  /**
   * Appends a frame at the current clock, then advances it by `gapUs` (default 1 ms).
   * Returns its frame number; `key` names it in keyFrames.
   */
  add(frame: { bytes: Uint8Array; chain: string; iface?: number; flags?: number; note?: string; key?: string }, gapUs = 1000): number {
    const tsSec = SAMPLE_EPOCH + Math.floor(this.clockNs / 1e9);
    // Microsecond files cannot hold finer timestamps, so keep what the reader will see.
    const rawNs = this.clockNs % 1e9;
    const tsNsec = this.nanosecond ? rawNs : Math.floor(rawNs / 1000) * 1000;
    this.frames.push({
      iface: frame.iface ?? 0,
      tsSec,
      tsNsec,
      bytes: frame.bytes,
      chain: frame.chain,
      flags: frame.flags,
      note: frame.note,
    });
    const number = this.frames.length;
    if (frame.key !== undefined) this.keyFrames[frame.key] = number;
    this.advance(gapUs);
    return number;
  }

  write(path: string): void {
    const writer = createCaptureWriter(path, { format: this.format, nanosecond: this.nanosecond });
    if (this.interfaces.length === 0) this.addInterface('eth0');
    for (const iface of this.interfaces) writer.addInterface({ linkType: iface.linkType, snapLen: 262144, name: iface.name });
    for (const f of this.frames) writer.writePacket(f.iface, f.tsSec, f.tsNsec, f.bytes, undefined, f.flags, f.note);
    writer.close();
  }
}
