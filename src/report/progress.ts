// Progress of a long pass over a capture, on stderr and only when stderr is a terminal: a redirected
// or piped stderr (scripts, CI, tests) stays clean.
import type { FrameSource } from '../capture/frame-source';
import * as fs from 'node:fs';

export interface Progress {
  /** Call per frame; cheap: it only looks at the clock every few thousand frames. */
  frame(frame: number): void;
  /** Clears the progress line. */
  done(): void;
}

const NO_PROGRESS: Progress = { frame() {}, done() {} };
const FRAMES_BETWEEN_CHECKS = 8192;
const REDRAW_MS = 250;

/** A progress line "label: 42% (1,234,567 frames)" that follows the read position in the file. */
export function captureProgress(file: FrameSource, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  let size = 0;
  try {
    size = fs.statSync(file.path).size;
  } catch {
    return NO_PROGRESS;
  }
  let last = Date.now();
  let shown = false;
  return {
    frame(frame: number): void {
      if (frame % FRAMES_BETWEEN_CHECKS !== 0) return;
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      const percent = size > 0 ? Math.min(99, Math.floor((file.index.fileOffset[frame] / size) * 100)) : 0;
      stream.write(`\r${label}: ${percent}% (${frame.toLocaleString('en-US')} frames)`);
      shown = true;
    },
    done(): void {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
