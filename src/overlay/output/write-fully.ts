// Writes bytes to a file descriptor, all of them, synchronously. Standard output may be a pipe that
// Node has made non-blocking (and a worker thread shares it): a write can then take part of the bytes
// or fail with EAGAIN while the reader is behind, so this waits a moment and goes on until all are out.
import * as fs from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes buf[start, end) to fd. A closed pipe (`| head`) ends the process quietly: the reader's choice. */
export function writeFully(fd: number, buf: Uint8Array, start: number, end: number): void {
  let done = start;
  while (done < end) {
    try {
      done += fs.writeSync(fd, buf, done, end - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw err;
      // The pipe is full: let the reader catch up a moment (about 0.1 ms) instead of spinning.
      Atomics.wait(pause, 0, 0, 0.05);
    }
  }
}
