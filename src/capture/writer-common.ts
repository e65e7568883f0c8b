// Types and small helpers shared by the pcap and pcapng writers (see writer.ts for the entry point).
export type CaptureFileFormat = 'pcap' | 'pcapng';

export interface CaptureWriterOptions {
  format: CaptureFileFormat;
  /** Nanosecond timestamps: pcap magic a1b23c4d, pcapng if_tsresol = 9. Default: microseconds. */
  nanosecond?: boolean;
  /** pcapng only: the section header's shb_userappl. Default "Tunnelscope". */
  application?: string;
  /** Size of the write buffer in bytes (default 4 MiB). */
  bufferBytes?: number;
}

export interface InterfaceDescription {
  /** A LINKTYPE_ value (see link-types.ts), e.g. 1 for Ethernet. */
  linkType: number;
  /** Largest captured length; longer packets are truncated to it. 0 means no limit. Default 262144. */
  snapLen?: number;
  /** pcapng only: if_name. */
  name?: string;
  /**
   * pcapng only: this interface's timestamp units per second (if_tsresol: 10^n or 2^n) and offset in
   * seconds (if_tsoffset), so that a copied frame keeps its time exactly. Default: the writer's resolution, no offset.
   */
  tsUnitsPerSecond?: number;
  tsOffset?: number;
}

/** epb_flags direction values (the low 2 bits of the flags word). */
export const PACKET_INBOUND = 1;
export const PACKET_OUTBOUND = 2;

export const DEFAULT_SNAPLEN = 262144;

export interface CaptureWriter {
  readonly format: CaptureFileFormat;
  readonly nanosecond: boolean;
  /** Packets written so far. */
  readonly packetCount: number;
  /**
   * Declares an interface and returns its id for writePacket. Classic pcap holds one link type:
   * further interfaces must use the same link type and share the file header (their names are lost).
   */
  addInterface(description: InterfaceDescription): number;
  /**
   * Appends one packet. tsNsec is the fraction of the second in nanoseconds (truncated to
   * microseconds for a microsecond file). origLen defaults to bytes.length. flags (epb_flags, e.g.
   * PACKET_INBOUND) and comment (opt_comment) are pcapng-only and ignored by classic pcap.
   * Returns false, writing nothing, when the time does not fit the format (pcap's 32-bit seconds,
   * pcapng's 64-bit count of units).
   */
  writePacket(
    ifaceId: number,
    tsSec: number,
    tsNsec: number,
    bytes: Uint8Array,
    origLen?: number,
    flags?: number,
    comment?: string,
  ): boolean;
  /** Hands buffered records to the operating system. */
  flush(): void;
  /** Flushes, fsyncs and puts the file at its path (it appears only now, complete). */
  close(): void;
  /** Drops the output: nothing appears at its path, a file already there is left as it was. */
  abort(): void;
}

/** Seconds and nanoseconds with the nanoseconds brought into [0, 1e9). */
export function normalizeTimestamp(tsSec: number, tsNsec: number): [number, number] {
  if (tsNsec >= 0 && tsNsec < 1e9) return [tsSec, tsNsec];
  const carry = Math.floor(tsNsec / 1e9);
  return [tsSec + carry, tsNsec - carry * 1e9];
}

const TWO_POW_32 = 4294967296;
const MAX_U64 = 0xffffffffffffffffn;

/**
 * Fills out.high/out.low with a time as a 64-bit count of `unitsPerSecond` units (pcapng's EPB
 * timestamp). Exact: present-day times in doubles split into 16-bit pieces, anything else in BigInt.
 * Returns false when the count is negative or does not fit 64 bits.
 */
export function timestampUnits(tsSec: number, tsNsec: number, unitsPerSecond: number, out: { high: number; low: number }): boolean {
  const fraction = unitsPerSecond === 1e9 ? tsNsec : unitsPerSecond === 1e6 ? Math.floor(tsNsec / 1000) : Math.floor((tsNsec * unitsPerSecond) / 1e9);
  if (tsSec >= 0 && tsSec < TWO_POW_32 && Number.isInteger(tsSec) && unitsPerSecond <= 1e9 && Number.isInteger(unitsPerSecond)) {
    const secHigh = Math.floor(tsSec / 65536);
    const secLow = tsSec - secHigh * 65536;
    // total = secHigh * units * 2^16 + secLow * units + fraction, every product below 2^53
    const a = secHigh * unitsPerSecond;
    const aHigh = Math.floor(a / 65536);
    const aLow = a - aHigh * 65536;
    const c = aLow * 65536 + secLow * unitsPerSecond + fraction;
    const carry = Math.floor(c / TWO_POW_32);
    out.high = aHigh + carry;
    out.low = c - carry * TWO_POW_32;
    return true;
  }
  if (!Number.isFinite(tsSec) || !Number.isFinite(unitsPerSecond)) return false;
  let total = BigInt(Math.floor(tsSec)) * BigInt(Math.round(unitsPerSecond)) + BigInt(fraction);
  // Beyond 2^53 a double's seconds are rounded (2^64 - 1 reads as 2^64): within that rounding, the largest count.
  if (total > MAX_U64 && tsSec >= 2 ** 53 && total - MAX_U64 <= BigInt(Math.round(unitsPerSecond)) * 4096n) total = MAX_U64;
  if (total < 0n || total > MAX_U64) return false;
  out.high = Number(total >> 32n);
  out.low = Number(total & 0xffffffffn);
  return true;
}

/** The captured length after applying a snap length (0 = unlimited). */
export function capturedLength(length: number, snapLen: number): number {
  return snapLen > 0 && length > snapLen ? snapLen : length;
}
