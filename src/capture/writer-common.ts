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
   */
  writePacket(
    ifaceId: number,
    tsSec: number,
    tsNsec: number,
    bytes: Uint8Array,
    origLen?: number,
    flags?: number,
    comment?: string,
  ): void;
  /** Hands buffered records to the operating system. */
  flush(): void;
  /** Flushes, fsyncs and closes the file. */
  close(): void;
}

/** Seconds and nanoseconds with the nanoseconds brought into [0, 1e9). */
export function normalizeTimestamp(tsSec: number, tsNsec: number): [number, number] {
  if (tsNsec >= 0 && tsNsec < 1e9) return [tsSec, tsNsec];
  const carry = Math.floor(tsNsec / 1e9);
  return [tsSec + carry, tsNsec - carry * 1e9];
}

/** The captured length after applying a snap length (0 = unlimited). */
export function capturedLength(length: number, snapLen: number): number {
  return snapLen > 0 && length > snapLen ? snapLen : length;
}
