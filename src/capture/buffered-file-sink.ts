// An append-only file with one big in-memory buffer: callers reserve space, fill it in place, and the
// sink calls fs.writeSync only when the buffer is full, so millions of small records cost few syscalls.
// The file is written under a temporary name and appears at its path, complete, when closed.
import * as fs from 'node:fs';
import { AtomicFile } from './atomic-output';

const DEFAULT_CAPACITY = 4 * 1024 * 1024;

export class BufferedFileSink {
  private readonly file: AtomicFile;
  private readonly fd: number;
  private buf: Buffer;
  private used = 0;
  private closed = false;
  /** Bytes handed to the sink so far (written or still buffered). */
  bytesAccepted = 0;

  constructor(path: string, capacity = DEFAULT_CAPACITY) {
    this.file = new AtomicFile(path);
    this.fd = this.file.fd;
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** The buffer that offsets returned by reserve() point into (it changes after a flush). */
  get buffer(): Buffer {
    return this.buf;
  }

  /**
   * Returns the offset in `buffer` at which `length` bytes may be written; the caller fills exactly
   * those bytes before the next call. Grows the buffer for a record larger than it.
   */
  reserve(length: number): number {
    this.assertOpen();
    if (this.used + length > this.buf.length) {
      this.flush();
      if (length > this.buf.length) this.buf = Buffer.allocUnsafe(length);
    }
    const offset = this.used;
    this.used += length;
    this.bytesAccepted += length;
    return offset;
  }

  /** Appends bytes as they are. */
  write(bytes: Uint8Array): void {
    const offset = this.reserve(bytes.length);
    this.buf.set(bytes, offset);
  }

  /** Hands the buffered bytes to the operating system. */
  flush(): void {
    this.assertOpen();
    let done = 0;
    while (done < this.used) done += fs.writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }

  /** Flushes, forces the data to disk (fsync) and puts the file in place. Closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } catch (err) {
      this.abort();
      throw err;
    }
    this.closed = true;
    this.file.commit();
  }

  /** Drops everything written: the target path is left as it was. */
  abort(): void {
    this.closed = true;
    this.file.abort();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('capture writer is already closed');
  }
}
