// One open capture: its index (filled by the scan worker in batches), the current view (display
// filter + sort as a list of frames), rows and frame details dissected on demand from the file.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import type { CaptureInterface } from '../capture/format-parser';
import { DecodeAsOverrides, Dissection, TreeNode } from '../dissect/dissection';
import { decodeAsOverrides } from '../dissect/decode-as';
import { dissectFrame, dissectFrameTree, FrameMeta } from '../dissect/engine';
import { fieldDef, formatFieldValue, protocolById } from '../dissect/fields';
import { buildDissectorRegistry } from '../dissect/registry';
import { FragmentLinks } from '../dissect/reassembly';
import { prepareRedissection, StoredFrame } from '../dissect/redissect';
import { FrameFlags } from '../capture/frame-index';
import type { CaptureInterfaceInfo, DetailNode, FrameDetail, PacketRow, SessionInfo, SortColumn, SortDirection, ViewState } from './api';
import type { IndexBatch, ScanMessage, ScanRequest } from './scan-protocol';
import { hexOf, tenantLabel, vtepsLabel } from './row-format';
import { RowCache } from './row-cache';
import { applySetLayout, mergedSetOf, openUnindexed, sourceName } from './capture-source';
import { HeadIndex, indexHead } from './head-index';

/** A one-line error for the user; `code` names the input it belongs to (live capture: 'bad-filter'...). */
export class UserFacingError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** Above this many rows, sorting by a dissected column (Source, Destination, Info) is refused. */
export const MAX_DISSECTED_SORT = 200_000;

export interface SessionListener {
  indexProgress(session: CaptureSession, done: boolean): void;
  viewProgress(session: CaptureSession, scanned: number, matched: number): void;
  viewReady(session: CaptureSession, elapsedMs: number, error: string | null): void;
}

export function scanWorker(request: ScanRequest): Worker {
  return new Worker(path.join(__dirname, 'scan-worker.js'), { workerData: request });
}

export class CaptureSession {
  /** One capture file, or several merged into one CaptureSet (capture-source.ts). */
  readonly file: FrameSource;
  readonly name: string;
  sizeBytes: number;
  interfaces: CaptureInterfaceInfo[] = [];
  /** The interfaces as the index worker read them (the file object here indexes nothing itself). */
  captureInterfaces: CaptureInterface[] = [];
  indexing = true;
  cancelled = false;
  problem: string | null = null;
  indexMs: number | null = null;
  bytesRead = 0;
  private indexWorker: Worker | null;
  private readonly openedAt = Date.now();

  /** Frames (0-based) in display order; null = every indexed frame in file order. */
  private order: Uint32Array | null = null;
  private viewVersion = 0;
  private viewPending = false;
  private filterText = '';
  private sortColumn: SortColumn = 'number';
  private sortDirection: SortDirection = 'asc';
  private filterWorker: Worker | null = null;

  private readonly rowCtx = new Dissection();
  private readonly decodeAsOverrides: DecodeAsOverrides | null;
  /** What the index pass's IP reassembly found, so a frame dissected again rebuilds the same datagram. */
  private readonly fragmentLinks = new FragmentLinks();
  private readonly storedFrame = (frame: number): StoredFrame => {
    const ix = this.file.index;
    return { bytes: this.file.readFrame(frame), origLen: ix.origLen[frame], linkType: this.linkType(frame), time: ix.time(frame) };
  };
  private readonly rows = new RowCache<PacketRow>(50_000);
  /** Frames of each capture of a set (from the index worker). */
  private memberFrames: number[] = [];
  /** Datagrams of the head's reassembly that the pass's first batches report again. */
  private knownDatagrams = 0;

  /**
   * `live`: the file is a live capture's and still growing; the index worker follows it until
   * finishFollowing() (the capture program has exited).
   */
  constructor(
    readonly id: string,
    /** One capture file, or several files and folders (FILE@NAME) read as one. */
    readonly paths: string[],
    private readonly listener: SessionListener,
    readonly live = false,
    /** Decode As rules (the CLI's -d syntax): every pass and dissection of this session uses them. */
    readonly decodeAs: string[] = [],
    /** Another worker's pass indexes the file and hands its messages to indexMessage() (the analysis's). */
    indexedElsewhere = false,
  ) {
    // Rows name protocols from the index before this thread dissects anything (the scan runs in a worker).
    buildDissectorRegistry();
    this.file = openUnindexed(paths);
    this.name = sourceName(paths);
    this.sizeBytes = this.memberPaths().reduce((sum, p) => sum + fs.statSync(p).size, 0);
    this.rowCtx.wantColumns = true;
    this.decodeAsOverrides = decodeAsOverrides(decodeAs);
    this.rowCtx.decodeAs = this.decodeAsOverrides;
    // Rows to show before the pass over the whole file has started (a live capture's file is followed from its start).
    if (!live) this.adoptHead(indexHead(paths, decodeAs));
    if (indexedElsewhere) {
      this.indexWorker = null;
      return;
    }
    this.indexWorker = scanWorker({ task: 'index', paths, follow: live, decodeAs });
    this.indexWorker.on('message', (m: ScanMessage) => this.indexMessage(m));
    this.indexWorker.on('error', (err) => this.finishIndexing(`indexing failed: ${err.message}`));
  }

  get path(): string {
    return this.file.path;
  }

  get frames(): number {
    return this.file.index.count;
  }

  /** Several captures merged, or null for one file. */
  get set(): CaptureSet | null {
    return this.file instanceof CaptureSet ? this.file : null;
  }

  /** The files read (one, or every member of a set). */
  memberPaths(): string[] {
    return this.set?.members.map((m) => m.file.path) ?? [this.file.path];
  }

  info(): SessionInfo {
    const ix = this.file.index;
    return {
      sessionId: this.id,
      path: this.path,
      paths: this.paths,
      captures: this.set?.members.map((m, c) => ({ path: m.file.path, name: m.name, host: m.host, clockOffset: m.clockOffset, frames: this.memberFrames[c] ?? 0 })) ?? null,
      name: this.name,
      format: this.file.format,
      sizeBytes: this.sizeBytes,
      frames: ix.count,
      indexing: this.indexing,
      live: this.live,
      cancelled: this.cancelled,
      problem: this.problem,
      interfaces: this.interfaces,
      firstTime: ix.count > 0 ? ix.time(0) : null,
      lastTime: ix.count > 0 ? ix.time(ix.count - 1) : null,
      indexMs: this.indexMs,
      decodeAs: this.decodeAs,
    };
  }

  /** A message of the pass indexing the file (this session's index worker, or the analysis worker's pass). */
  indexMessage(m: ScanMessage): void {
    if (!this.indexing) return;
    if (m.kind === 'set-layout') {
      applySetLayout(this.set!, m.layout);
      this.memberFrames = m.layout.members.map((member) => member.frames);
    } else if (m.kind === 'index-batch') {
      this.appendBatch(m.batch);
      this.listener.indexProgress(this, false);
    } else if (m.kind === 'index-done') {
      this.finishIndexing(m.problem);
    } else if (m.kind === 'error') {
      this.finishIndexing(m.message);
    }
  }

  private adoptHead(head: HeadIndex | null): void {
    if (head === null || head.count === 0) return;
    const interfaces = head.captureInterfaces.map((i) => ({ name: i.name ?? '', linkType: i.linkType }));
    this.appendBatch({ from: 0, to: head.count, columns: head.columns, interfaces, captureInterfaces: head.captureInterfaces, reassembled: head.reassembled });
    this.knownDatagrams = head.reassembled.length;
  }

  private appendBatch(b: IndexBatch): void {
    const ix = this.file.index;
    // The pass starts at frame 1: the frames of the head indexed at open are not appended twice.
    ix.append(b.columns, b.to - b.from, Math.max(0, ix.count - b.from));
    this.interfaces = b.interfaces;
    for (const frames of b.reassembled) {
      if (this.knownDatagrams > 0) {
        this.knownDatagrams--;
        continue;
      }
      this.fragmentLinks.add(frames);
      // Earlier fragments were sent before the frame that completed their datagram.
      for (let i = 0; i < frames.length - 1; i++) if (frames[i] < ix.count) ix.flags[frames[i]] |= FrameFlags.Fragment;
    }
    this.captureInterfaces = b.captureInterfaces;
    const last = ix.count - 1;
    if (last >= 0) this.bytesRead = ix.fileOffset[last] + ix.capLen[last];
    if (this.live) this.sizeBytes = Math.max(this.sizeBytes, fileSize(this.path));
    // A set's index offsets belong to different files: progress is the share of its frames posted.
    if (this.set !== null) this.bytesRead = Math.round((this.sizeBytes * ix.count) / Math.max(1, this.memberFrames.reduce((a, b) => a + b, 0)));
  }

  /** A live capture ended: the index worker reads the rest of the file and finishes. */
  finishFollowing(): void {
    this.indexWorker?.postMessage({ kind: 'finish' });
  }

  private finishIndexing(problem: string | null): void {
    if (!this.indexing) return;
    this.indexing = false;
    this.problem = problem;
    this.indexMs = Date.now() - this.openedAt;
    if (this.live) this.sizeBytes = fileSize(this.path) || this.sizeBytes;
    this.bytesRead = this.cancelled ? this.bytesRead : this.sizeBytes;
    const worker = this.indexWorker;
    this.indexWorker = null;
    void worker?.terminate();
    // A sort (or, on a live capture, a filter) chosen while indexing covered only the frames seen then.
    if (this.sortColumn !== 'number' || this.sortDirection !== 'asc' || (this.live && this.filterText.trim() !== '')) this.setView(this.filterText, this.sortColumn, this.sortDirection);
    this.listener.indexProgress(this, true);
  }

  cancelIndexing(): void {
    if (!this.indexing) return;
    this.cancelled = true;
    this.finishIndexing(`indexing cancelled after ${this.frames} frames`);
  }

  linkType(frame: number): number {
    return this.interfaces[this.file.index.iface[frame]]?.linkType ?? -1;
  }

  // ---- view: filter and sort -------------------------------------------------------------------

  view(): ViewState {
    return {
      viewVersion: this.viewVersion,
      count: this.order === null ? this.frames : this.order.length,
      pending: this.viewPending,
      filter: this.filterText,
      sortColumn: this.sortColumn,
      sortDirection: this.sortDirection,
    };
  }

  /** Frame (0-based) shown at a row of the view, or -1 past the end. */
  frameAtRow(row: number): number {
    if (this.order === null) return row < this.frames ? row : -1;
    return row < this.order.length ? this.order[row] : -1;
  }

  rowOfFrame(frame: number): number {
    if (this.order === null) return frame < this.frames ? frame : -1;
    return this.order.indexOf(frame);
  }

  /** The frames of the current view, in display order (for Save As "displayed only"). */
  viewFrames(): Uint32Array {
    if (this.order !== null) return this.order;
    const all = new Uint32Array(this.frames);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }

  setView(filter: string, sortColumn: SortColumn, sortDirection: SortDirection): ViewState {
    this.cancelFilter();
    const filterChanged = filter.trim() !== this.filterText.trim() || this.order === null || this.viewPending;
    this.filterText = filter;
    this.sortColumn = sortColumn;
    this.sortDirection = sortDirection;
    this.viewVersion++;
    if (filter.trim() === '') {
      this.order = this.sortedOrder(null);
      this.viewPending = false;
      return this.view();
    }
    if (!filterChanged && this.order !== null) {
      // Same filter: re-sort the frames it already matched.
      this.order = this.sortedOrder(this.order.slice().sort());
      this.viewPending = false;
      return this.view();
    }
    this.runFilter(filter);
    return this.view();
  }

  private runFilter(filter: string): void {
    this.viewPending = true;
    const version = this.viewVersion;
    const started = Date.now();
    // A file still being indexed is complete on disk: its filter sees every frame. A live capture's file
    // grows: the filtered view holds the frames indexed now (it is run again when the capture stops).
    const limit = this.indexing && !this.live ? Number.MAX_SAFE_INTEGER : this.frames;
    // A set indexed already is handed over merged: the pass does not index and correlate it again.
    const merged = this.set !== null && !this.indexing ? mergedSetOf(this.set) : null;
    const worker = scanWorker({ task: 'filter', paths: this.paths, filter, limit, decodeAs: this.decodeAs, merged });
    this.filterWorker = worker;
    worker.on('message', (m: ScanMessage) => {
      if (version !== this.viewVersion) return;
      if (m.kind === 'filter-progress') this.listener.viewProgress(this, m.scanned, m.matched);
      else if (m.kind === 'filter-done' || m.kind === 'error') {
        this.filterWorker = null;
        void worker.terminate();
        this.viewPending = false;
        let error: string | null = null;
        if (m.kind === 'filter-done') {
          try {
            this.order = this.sortedOrder(m.matches);
          } catch (err) {
            this.order = m.matches;
            error = (err as Error).message;
          }
        } else error = m.message;
        this.viewVersion++;
        this.listener.viewReady(this, Date.now() - started, error);
      }
    });
    worker.on('error', (err) => {
      if (version !== this.viewVersion) return;
      this.viewPending = false;
      this.listener.viewReady(this, Date.now() - started, err.message);
    });
  }

  cancelFilter(): void {
    if (this.filterWorker === null) return;
    void this.filterWorker.terminate();
    this.filterWorker = null;
    this.viewPending = false;
  }

  /** Sorts frames (null = all) by the current column; file order for No. ascending. */
  private sortedOrder(frames: Uint32Array | null): Uint32Array | null {
    const { sortColumn: column, sortDirection: direction } = this;
    if (column === 'number') {
      if (direction === 'asc') return frames;
      const base = frames ?? this.viewFramesIdentity();
      return base.slice().reverse();
    }
    const list = frames ? frames.slice() : this.viewFramesIdentity();
    const key = this.sortKey(column, list);
    const sign = direction === 'asc' ? 1 : -1;
    const positions = new Uint32Array(list.length);
    for (let i = 0; i < positions.length; i++) positions[i] = i;
    if (Array.isArray(key)) {
      const strings = key;
      positions.sort((a, b) => (strings[a] < strings[b] ? -sign : strings[a] > strings[b] ? sign : list[a] - list[b]));
    } else {
      const numbers = key;
      positions.sort((a, b) => (numbers[a] !== numbers[b] ? (numbers[a] - numbers[b]) * sign : list[a] - list[b]));
    }
    const out = new Uint32Array(list.length);
    for (let i = 0; i < out.length; i++) out[i] = list[positions[i]];
    return out;
  }

  private viewFramesIdentity(): Uint32Array {
    const all = new Uint32Array(this.frames);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }

  private sortKey(column: SortColumn, list: Uint32Array): Float64Array | string[] {
    const ix = this.file.index;
    const key = new Float64Array(list.length);
    switch (column) {
      case 'time':
        for (let i = 0; i < list.length; i++) key[i] = ix.time(list[i]);
        return key;
      case 'length':
        for (let i = 0; i < list.length; i++) key[i] = ix.origLen[list[i]];
        return key;
      case 'capture': {
        const set = this.set;
        for (let i = 0; i < list.length; i++) key[i] = set !== null ? set.captureOf[list[i]] : 0;
        return key;
      }
      case 'tenant':
        for (let i = 0; i < list.length; i++) key[i] = ix.tenantType[list[i]] === 0 ? -1 : ix.tenantType[list[i]] * 2 ** 32 + ix.tenantId[list[i]];
        return key;
      case 'vteps':
        for (let i = 0; i < list.length; i++) key[i] = ix.tenantType[list[i]] === 0 ? -1 : ix.outerSrc[list[i]] * 2 ** 32 + ix.outerDst[list[i]];
        return key;
      case 'protocol': {
        const names = new Map<number, string>();
        return Array.from(list, (f) => {
          const id = ix.topProto[f];
          let name = names.get(id);
          if (name === undefined) names.set(id, (name = protocolById(id)?.short ?? ''));
          return name;
        });
      }
      default: {
        if (list.length > MAX_DISSECTED_SORT) {
          throw new UserFacingError(`sorting by ${column} dissects every row: at most ${MAX_DISSECTED_SORT.toLocaleString('en')} rows (this view has ${list.length.toLocaleString('en')}); filter first`);
        }
        return Array.from(list, (f) => {
          const row = this.row(f);
          return column === 'source' ? row.source : column === 'destination' ? row.destination : row.info;
        });
      }
    }
  }

  // ---- rows and details ------------------------------------------------------------------------

  rowsAt(start: number, count: number): PacketRow[] {
    const out: PacketRow[] = [];
    for (let r = start; r < start + count; r++) {
      const frame = this.frameAtRow(r);
      if (frame < 0 || frame >= this.frames) break;
      out.push(this.row(frame));
    }
    return out;
  }

  /** A field's values in a frame as the details show them, comma-separated (a custom column's cell). */
  fieldText(frame: number, name: string): string {
    const ctx = new Dissection();
    ctx.decodeAs = this.decodeAsOverrides;
    ctx.fieldFilter = new Set([name]);
    const bytes = Buffer.from(this.file.readFrame(frame));
    dissectFrameTree(ctx, bytes, 0, bytes.length, this.file.index.origLen[frame], this.frameMeta(frame));
    const def = fieldDef(name);
    const values: string[] = [];
    const walk = (nodes: TreeNode[]) => {
      for (const node of nodes) {
        if (node.name === name) values.push(node.value === undefined ? (def?.label ?? name) : formatFieldValue(def, node.value, node.length));
        if (node.children) walk(node.children);
      }
    };
    walk(ctx.tree);
    return values.join(',');
  }

  /** One packet-list row, dissected (columns only) on first use and cached. */
  row(frame: number): PacketRow {
    const cached = this.rows.get(frame);
    if (cached) return cached;
    const ix = this.file.index;
    const ctx = this.rowCtx;
    prepareRedissection(ctx, this.fragmentLinks, frame, this.storedFrame);
    const bytes = this.file.readFrame(frame);
    dissectFrame(ctx, bytes, 0, bytes.length, ix.origLen[frame], this.linkType(frame));
    const top = ix.topProto[frame];
    const row: PacketRow = {
      number: frame + 1,
      time: ix.tsSec[frame] - ix.tsSec[0] + (ix.tsNsec[frame] - ix.tsNsec[0]) / 1e9,
      source: ctx.colSrc,
      destination: ctx.colDst,
      ...(this.set !== null ? { capture: this.set.members[this.set.captureOf[frame]].name } : {}),
      tenant: tenantLabel(ix.tenantType[frame], ix.tenantId[frame]),
      vteps: vtepsLabel(ix.tenantType[frame], ix.outerSrc[frame], ix.outerDst[frame]),
      protocol: ctx.colProto,
      length: ix.origLen[frame],
      // Wireshark ends a malformed frame's Info with the marker; the reason is in `malformed`.
      info: ctx.malformed !== null ? `${ctx.info}${ctx.info ? ' ' : ''}[Malformed Packet]` : ctx.info,
      malformed: ctx.malformed,
      // Colour by the protocol the Protocol column names (TCP with payload is still TCP, IGMPv3 is igmp).
      colour: ctx.malformed !== null ? 'malformed' : (ctx.colProto || protocolById(top)?.short || 'data').toLowerCase().replace(/v\d+$/, ''),
    };
    this.rows.set(frame, row);
    return row;
  }

  frameMeta(frame: number): FrameMeta {
    const ix = this.file.index;
    const set = this.set;
    const member = set !== null ? set.members[set.captureOf[frame]] : null;
    return {
      ...(member !== null ? { capture: member.name, captureHost: member.host ?? undefined, captureFrame: set!.memberFrame[frame] + 1 } : {}),
      number: frame + 1,
      linkType: this.linkType(frame),
      tsSec: ix.tsSec[frame],
      tsNsec: ix.tsNsec[frame],
      relative: ix.time(frame) - ix.time(0),
      firstTsSec: ix.tsSec[0],
      firstTsNsec: ix.tsNsec[0],
      interfaceId: ix.iface[frame],
      direction: ix.flags[frame] & 3,
    };
  }

  detail(frame: number): FrameDetail {
    if (frame < 0 || frame >= this.frames) throw new UserFacingError(`frame ${frame + 1} does not exist (the capture has ${this.frames} frames)`);
    const ctx = new Dissection();
    ctx.decodeAs = this.decodeAsOverrides;
    prepareRedissection(ctx, this.fragmentLinks, frame, this.storedFrame);
    const bytes = Buffer.from(this.file.readFrame(frame));
    dissectFrameTree(ctx, bytes, 0, bytes.length, this.file.index.origLen[frame], this.frameMeta(frame));
    const reassembled = ctx.reassembledBytes();
    const row = this.row(frame);
    return {
      number: frame + 1,
      tree: detailNodes(ctx.tree),
      bytesHex: hexOf(bytes),
      reassembledHex: reassembled === null ? null : hexOf(reassembled),
      summary: `${row.source} → ${row.destination} ${row.protocol} ${row.info}`,
    };
  }

  close(): void {
    this.cancelFilter();
    if (this.indexWorker) void this.indexWorker.terminate();
    this.indexWorker = null;
    this.indexing = false;
    this.file.close();
  }
}

/** The tree as shown: hidden nodes (filter-only aliases such as ip.addr, tcp.port) are left out. */
/** Wireshark's "Apply as Filter" text for a tree field: `ip.src == 10.0.0.1`, `arp`, `http.host == "x"`. */
export function fieldFilterText(node: TreeNode): string | null {
  const def = node.name ? fieldDef(node.name) : undefined;
  if (!def) return null;
  if (def.type === 'protocol' || def.type === 'label' || node.value === undefined) return node.name;
  const v = node.value;
  if (typeof v === 'boolean') return `${node.name} == ${v ? 1 : 0}`;
  if (typeof v === 'number') return `${node.name} == ${def.hex ? `0x${v.toString(16)}` : v}`;
  if (def.type === 'string') return `${node.name} == ${JSON.stringify(v)}`;
  return `${node.name} == ${v}`;
}

export function detailNodes(nodes: TreeNode[]): DetailNode[] {
  const out: DetailNode[] = [];
  for (const node of nodes) {
    if (node.hidden) continue;
    const shown: DetailNode = { name: node.name, label: node.label, start: node.start, length: node.length };
    if (node.reassembled) shown.reassembled = true;
    const filter = fieldFilterText(node);
    if (filter !== null) shown.filter = filter;
    const children = node.children && node.children.length > 0 ? detailNodes(node.children) : [];
    if (children.length > 0) shown.children = children;
    out.push(shown);
  }
  return out;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
