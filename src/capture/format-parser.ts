// What a capture format parser (pcap, pcapng) hands to the file reader for every packet record.

export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name: string;
  /** Timestamp units per second (1e6 for microseconds, 1e9 for nanoseconds, 2^n for binary resolutions). */
  unitsPerSecond: number;
  /** Seconds to add to every timestamp (pcapng if_tsoffset). */
  tsOffset: number;
  /** pcapng if_description, "" when absent. */
  description?: string;
}

/** What a pcapng section header says about where the capture was made ("" when absent). */
export interface CaptureSection {
  hardware: string;
  os: string;
  application: string;
  comment: string;
}

export interface RecordSink {
  /** A packet whose captured bytes are buf[dataOffset, dataOffset + capLen), at fileOffset in the file. */
  packet(buf: Buffer, dataOffset: number, fileOffset: number, tsSec: number, tsNsec: number, capLen: number, origLen: number, iface: number, flags: number): void;
}

export interface FormatParser {
  readonly format: 'pcap' | 'pcapng';
  readonly interfaces: CaptureInterface[];
  /** pcapng section headers, in file order (classic pcap has none). */
  readonly sections: CaptureSection[];
  /**
   * Parses the complete records in buf[start, end) (buf[0] is at fileBase in the file) and returns the
   * offset of the first byte not consumed (the start of a record cut by the end of the buffer).
   * Throws CaptureError on data that cannot be a record.
   */
  parse(buf: Buffer, start: number, end: number, fileBase: number, sink: RecordSink): number;
}

/** Largest record accepted: anything bigger is corruption, not a packet. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Splits a 64-bit timestamp (high and low 32-bit words) counted in `unitsPerSecond` into whole seconds
 * and nanoseconds exactly, without BigInt: long division in 16-bit limbs keeps every step below 2^53.
 */
export function splitTimestamp(high: number, low: number, unitsPerSecond: number, out: { sec: number; nsec: number }): void {
  const d = unitsPerSecond;
  if (d <= 0x40000000) {
    const hq = Math.floor(high / d);
    let rem = high - hq * d;
    let cur = rem * 65536 + (low >>> 16);
    const q1 = Math.floor(cur / d);
    rem = cur - q1 * d;
    cur = rem * 65536 + (low & 0xffff);
    const q2 = Math.floor(cur / d);
    rem = cur - q2 * d;
    out.sec = hq * 4294967296 + q1 * 65536 + q2;
    out.nsec = Math.floor(rem * (1e9 / d));
  } else {
    // Sub-nanosecond resolutions: doubles are close enough (nanoseconds are all we keep).
    const total = high * 4294967296 + low;
    out.sec = Math.floor(total / d);
    out.nsec = Math.floor(((total - out.sec * d) * 1e9) / d);
  }
}
