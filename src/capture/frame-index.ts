// Per-frame index in typed arrays (48 bytes a frame): where each frame is in the file, when it was
// captured, how long it is, and a few bytes of classification filled by the first dissection pass.
// Frames are re-read from the file by offset when needed, the way Wireshark re-dissects on demand.
// The columns are declared once (INDEX_COLUMNS); growing, slicing, appending, handing columns to
// another thread and the bytes per frame all follow from that declaration.

export const enum FrameFlags {
  DirectionMask = 0x03, // pcapng epb_flags: 1 inbound, 2 outbound
  Malformed = 0x04,
  Classified = 0x08,
  /** An IP fragment whose datagram a later frame completes and carries (counted there, not here). */
  Fragment = 0x10,
}

/** The index's columns and their element types: the one list of them. */
export const INDEX_COLUMNS = {
  fileOffset: Float64Array,
  tsSec: Float64Array,
  tsNsec: Uint32Array,
  capLen: Uint32Array,
  origLen: Uint32Array,
  /** Interface id: pcapng's is 32 bits. */
  iface: Uint32Array,
  flags: Uint8Array,
  tenantType: Uint8Array,
  tenantId: Uint32Array,
  /** Protocol id of the innermost layer (for the Protocol column and colouring). */
  topProto: Uint16Array,
  /** Outer IPv4 source/destination (VTEPs of an encapsulated frame); 0 when none or IPv6. */
  outerSrc: Uint32Array,
  outerDst: Uint32Array,
} as const;

export type IndexColumnName = keyof typeof INDEX_COLUMNS;

/** One typed array per column (a whole index, or a slice of frames handed to another thread). */
export type IndexColumns = { [K in IndexColumnName]: InstanceType<(typeof INDEX_COLUMNS)[K]> };

export const INDEX_COLUMN_NAMES = Object.keys(INDEX_COLUMNS) as IndexColumnName[];

export const INDEX_BYTES_PER_FRAME = INDEX_COLUMN_NAMES.reduce((sum, name) => sum + INDEX_COLUMNS[name].BYTES_PER_ELEMENT, 0);

type AnyColumn = IndexColumns[IndexColumnName];

function makeColumn(name: IndexColumnName, length: number): AnyColumn {
  return new INDEX_COLUMNS[name](length);
}

/** The buffers of a set of columns, to transfer them to another thread instead of copying. */
export function columnBuffers(columns: Partial<IndexColumns>): ArrayBuffer[] {
  return Object.values(columns).map((column) => (column as AnyColumn).buffer as ArrayBuffer);
}

/** Gives FrameIndex one typed field per declared column; the constructor fills them. */
const WithColumns = class {} as new () => IndexColumns;

export class FrameIndex extends WithColumns {
  count = 0;
  private capacity = 0;

  constructor(initialCapacity = 1024) {
    super();
    for (const name of INDEX_COLUMN_NAMES) (this as Record<IndexColumnName, AnyColumn>)[name] = makeColumn(name, 0);
    this.grow(initialCapacity);
  }

  /** An index of `count` frames made of the given columns (the others empty), e.g. the frame times a worker receives. */
  static fromColumns(columns: Partial<IndexColumns>, count: number): FrameIndex {
    const index = new FrameIndex(0);
    for (const name of INDEX_COLUMN_NAMES) {
      const column = columns[name];
      if (column !== undefined) (index as Record<IndexColumnName, AnyColumn>)[name] = column;
    }
    index.count = count;
    index.capacity = count;
    return index;
  }

  private grow(capacity: number): void {
    const columns = this as Record<IndexColumnName, AnyColumn>;
    for (const name of INDEX_COLUMN_NAMES) {
      const next = makeColumn(name, capacity);
      next.set(columns[name].subarray(0, this.count) as never);
      columns[name] = next;
    }
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

  /** Copies of frames [from, to) of the named columns (all by default). */
  slice<K extends IndexColumnName = IndexColumnName>(from: number, to: number, names: readonly K[] = INDEX_COLUMN_NAMES as K[]): Pick<IndexColumns, K> {
    const out: Partial<Record<IndexColumnName, AnyColumn>> = {};
    for (const name of names) out[name] = this[name].slice(from, to);
    return out as Pick<IndexColumns, K>;
  }

  /** Appends frames [skip, count) of columns given as slice() made them (every column). */
  append(columns: IndexColumns, count: number, skip = 0): void {
    const added = count - skip;
    if (added <= 0) return;
    if (this.count + added > this.capacity) this.grow(Math.max(this.capacity * 2, this.count + added));
    for (const name of INDEX_COLUMN_NAMES) this[name].set(columns[name].subarray(skip, count) as never, this.count);
    this.count += added;
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
