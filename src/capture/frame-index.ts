// Per-frame index in typed arrays (46 bytes a frame): where each frame is in the file, when it was
// captured, how long it is, and a few bytes of classification filled by the first dissection pass.
// Frames are re-read from the file by offset when needed, the way Wireshark re-dissects on demand.

export const enum FrameFlags {
  DirectionMask = 0x03, // pcapng epb_flags: 1 inbound, 2 outbound
  Malformed = 0x04,
  Classified = 0x08,
  /** An IP fragment whose datagram a later frame completes and carries (counted there, not here). */
  Fragment = 0x10,
}

export const INDEX_BYTES_PER_FRAME = 8 + 8 + 4 + 4 + 4 + 2 + 1 + 1 + 4 + 2 + 4 + 4;

export class FrameIndex {
  count = 0;
  private capacity = 0;
  fileOffset = new Float64Array(0);
  tsSec = new Float64Array(0);
  tsNsec = new Uint32Array(0);
  capLen = new Uint32Array(0);
  origLen = new Uint32Array(0);
  iface = new Uint16Array(0);
  flags = new Uint8Array(0);
  tenantType = new Uint8Array(0);
  tenantId = new Uint32Array(0);
  /** Protocol id of the innermost layer (for the Protocol column and colouring). */
  topProto = new Uint16Array(0);
  /** Outer IPv4 source/destination (VTEPs of an encapsulated frame); 0 when none or IPv6. */
  outerSrc = new Uint32Array(0);
  outerDst = new Uint32Array(0);

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.count) as never);
      return next;
    };
    this.fileOffset = copy(this.fileOffset, (n) => new Float64Array(n));
    this.tsSec = copy(this.tsSec, (n) => new Float64Array(n));
    this.tsNsec = copy(this.tsNsec, (n) => new Uint32Array(n));
    this.capLen = copy(this.capLen, (n) => new Uint32Array(n));
    this.origLen = copy(this.origLen, (n) => new Uint32Array(n));
    this.iface = copy(this.iface, (n) => new Uint16Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
    this.tenantType = copy(this.tenantType, (n) => new Uint8Array(n));
    this.tenantId = copy(this.tenantId, (n) => new Uint32Array(n));
    this.topProto = copy(this.topProto, (n) => new Uint16Array(n));
    this.outerSrc = copy(this.outerSrc, (n) => new Uint32Array(n));
    this.outerDst = copy(this.outerDst, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }

  /** Makes room for about `frames` frames at once (a guess from the file size avoids repeated regrowth). */
  reserve(frames: number): void {
    if (frames > this.capacity) this.grow(Math.ceil(frames));
  }

  /** Appends a frame and returns its 0-based index. */
  add(fileOffset: number, tsSec: number, tsNsec: number, capLen: number, origLen: number, iface: number, flags: number): number {
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const i = this.count++;
    this.fileOffset[i] = fileOffset;
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.capLen[i] = capLen;
    this.origLen[i] = origLen;
    this.iface[i] = iface;
    this.flags[i] = flags;
    return i;
  }

  /** Timestamp as seconds since the epoch (double; microsecond-exact for present-day dates). */
  time(i: number): number {
    return this.tsSec[i] + this.tsNsec[i] / 1e9;
  }

  /** Bytes of index memory actually used per frame (for the benchmark's memory target). */
  static bytesPerFrame(): number {
    return INDEX_BYTES_PER_FRAME;
  }
}
