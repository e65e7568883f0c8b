// Opens a pcap or pcapng file, indexes it in one sequential pass of large reads (never the whole file
// in memory), re-reads any frame by its offset, and follows a file that is still being written.
import * as fs from 'node:fs';
import { CaptureError } from './capture-error';
import { notRegularFile } from './file-kind';
import { FrameIndex } from './frame-index';
import type { FrameSource, FrameVisitor, VisitedFrame } from './frame-source';
import { CaptureInterface, CaptureSection, FormatParser, RecordSink } from './format-parser';
import { isPcapMagic, PcapFormat, PCAP_HEADER_BYTES } from './pcap-format';
import { isPcapngMagic, PcapngFormat } from './pcapng-format';

export type { FrameVisitor } from './frame-source';

const CHUNK_BYTES = 8 * 1024 * 1024;

export class CaptureFile implements RecordSink, FrameSource {
  readonly index = new FrameIndex();
  /**
   * False for a command that reads the file once, front to back, and never reads a frame back (tenants,
   * vteps): frames are then counted, not indexed, so memory does not grow with them; readFrame fails.
   */
  keepIndex = true;
  readonly visiting: VisitedFrame = { time: 0, capLen: 0, origLen: 0, linkType: -1 };
  /** A single file holds each transmission once. */
  readonly repeated = null;
  /** Set when the file ends inside a record or holds a corrupt one: frames before it are all kept. */
  problem: string | null = null;
  /** Bytes of the file a scan reads at most (the service's quick index of a file's head); all by default. */
  readLimitBytes = Infinity;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  /** File offset of the first byte not yet parsed into records. */
  private parsedUpTo: number;
  private visitor: FrameVisitor | null = null;
  private fd: number;
  private corrupt = false;
  private readonly frameBuf = Buffer.allocUnsafe(65536);

  private constructor(readonly path: string, fd: number, private readonly parser: FormatParser, start: number) {
    this.fd = fd;
    this.parsedUpTo = start;
  }

  /** Opens a capture file; throws CaptureError with a one-line reason when it is not one. */
  static open(path: string): CaptureFile {
    let fd: number;
    try {
      // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, for ever.
      fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
      throw new CaptureError(`cannot open ${path}: ${why}`);
    }
    try {
      const kind = notRegularFile(fs.fstatSync(fd));
      if (kind !== null) throw new CaptureError(`cannot open ${path}: ${kind}, not a capture file`);
      const head = Buffer.alloc(PCAP_HEADER_BYTES);
      const got = fs.readSync(fd, head, 0, head.length, 0);
      const sample = head.subarray(0, got);
      if (isPcapngMagic(sample)) return new CaptureFile(path, fd, new PcapngFormat(), 0);
      if (isPcapMagic(sample)) {
        if (got < PCAP_HEADER_BYTES) throw new CaptureError(`${path}: file ends inside the pcap file header`);
        return new CaptureFile(path, fd, new PcapFormat(sample), PCAP_HEADER_BYTES);
      }
      if (got === 0) throw new CaptureError(`${path}: file is empty`);
      throw new CaptureError(`${path}: not a pcap or pcapng capture file`);
    } catch (err) {
      fs.closeSync(fd);
      if (err instanceof CaptureError) throw err;
      throw new CaptureError(`${path}: ${(err as Error).message}`);
    }
  }

  /** The open file's descriptor (to tell whether an output path is this very file). */
  get descriptor(): number {
    return this.fd;
  }

  get format(): 'pcap' | 'pcapng' {
    return this.parser.format;
  }

  get interfaces(): CaptureInterface[] {
    return this.parser.interfaces;
  }

  get descriptors(): readonly number[] {
    return [this.descriptor];
  }

  get sections(): CaptureSection[] {
    return this.parser.sections;
  }

  get frameCount(): number {
    return this.index.count;
  }

  linkType(frame: number): number {
    return this.parser.interfaces[this.index.iface[frame]]?.linkType ?? -1;
  }

  /**
   * Indexes everything the file holds now, calling visit for each new frame. Returns the number of
   * new frames. With `final`, bytes left over at the end are reported as a cut-short file; without it
   * (following a live capture) they wait for the writer to finish the record.
   */
  scan(visit: FrameVisitor | null = null, final = true): number {
    if (this.corrupt) return 0;
    const before = this.index.count;
    this.visitor = visit;
    const size = Math.min(fs.fstatSync(this.fd).size, this.readLimitBytes);
    // Overlay captures average well over 100 bytes a frame: reserve for that, grow if wrong.
    if (this.keepIndex) this.index.reserve(Math.min((size - this.parsedUpTo) / 128, 50_000_000) + this.index.count);
    let leftover = 0;
    let chunkFileBase = this.parsedUpTo;
    try {
      while (chunkFileBase + leftover < size) {
        const want = Math.min(this.chunk.length - leftover, size - chunkFileBase - leftover);
        const got = fs.readSync(this.fd, this.chunk, leftover, want, chunkFileBase + leftover);
        if (got <= 0) break;
        const end = leftover + got;
        const consumed = this.parser.parse(this.chunk, 0, end, chunkFileBase, this);
        leftover = end - consumed;
        if (consumed === 0 && leftover === this.chunk.length) {
          // A single record larger than the buffer: grow it and read on.
          const bigger = Buffer.allocUnsafe(this.chunk.length * 2);
          this.chunk.copy(bigger, 0, 0, leftover);
          this.chunk = bigger;
          continue;
        }
        if (leftover > 0) this.chunk.copyWithin(0, consumed, end);
        chunkFileBase += consumed;
        this.parsedUpTo = chunkFileBase;
      }
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      this.corrupt = true;
      this.problem = `${err.message} (after frame ${this.index.count})`;
    } finally {
      this.visitor = null;
    }
    if (final && !this.corrupt && size > this.parsedUpTo) {
      this.problem = `file ends in the middle of a packet: ${size - this.parsedUpTo} bytes after frame ${this.index.count} are cut short`;
    }
    return this.index.count - before;
  }

  packet(buf: Buffer, dataOffset: number, fileOffset: number, tsSec: number, tsNsec: number, capLen: number, origLen: number, iface: number, flags: number): void {
    if (tsNsec >= 1e9) {
      tsSec += Math.floor(tsNsec / 1e9);
      tsNsec %= 1e9;
    }
    const frame = this.keepIndex ? this.index.add(fileOffset, tsSec, tsNsec, capLen, origLen, iface, flags) : this.index.count++;
    if (this.visitor === null) return;
    const visiting = this.visiting;
    visiting.time = tsSec + tsNsec / 1e9;
    visiting.capLen = capLen;
    visiting.origLen = origLen;
    visiting.linkType = this.parser.interfaces[iface]?.linkType ?? -1;
    this.visitor(buf, dataOffset, capLen, frame);
  }

  /**
   * The captured bytes of one frame (0-based), read from the file. The returned buffer is reused by
   * the next call unless `into` is given.
   */
  readFrame(frame: number, into?: Buffer): Buffer {
    if (frame < 0 || frame >= this.index.count) throw new CaptureError(`frame ${frame + 1} does not exist (the capture has ${this.index.count})`);
    if (!this.keepIndex) throw new Error('a capture read without its index cannot re-read a frame');
    return this.readAt(this.index.fileOffset[frame], this.index.capLen[frame], frame, into);
  }

  /**
   * The captured bytes of the frame at `fileOffset` (as an index of this file recorded it, perhaps in
   * another thread: a capture set's merged index). `frame` (0-based) only names it in an error.
   */
  readAt(fileOffset: number, capLen: number, frame: number, into?: Buffer): Buffer {
    let target = into ?? this.frameBuf;
    if (target.length < capLen) target = Buffer.allocUnsafe(capLen);
    const got = fs.readSync(this.fd, target, 0, capLen, fileOffset);
    if (got !== capLen) throw new CaptureError(`frame ${frame + 1} could not be re-read: the file changed`);
    return target.subarray(0, capLen);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
