// Follows the capture file(s) a capture program is writing: each poll indexes the records completed
// since the last one (a record cut by the end of the file waits for the next poll), and with a ring
// buffer moves on to the next file when the program starts it.
import { CaptureError } from '../capture/capture-error';
import { CaptureFile } from '../capture/capture-file';
import { Dissection } from '../dissect/dissection';
import { CaptureIndexer } from '../dissect/indexer';

export interface FollowedFile {
  path: string;
  file: CaptureFile;
  indexer: CaptureIndexer;
}

export interface FollowerEvents {
  /** Frames [from, to) of `current` were indexed. */
  frames(current: FollowedFile, from: number, to: number): void;
  /** Each frame right after its dissection, while its bytes are in ctx.buf (optional, for incremental analyses). */
  frame?(ctx: Dissection, frame: number, current: FollowedFile): void;
  /** A finished file had a problem (cut short, corrupt) or could not be read. */
  problem(path: string, message: string): void;
}

export class FileFollower {
  /** The file being followed now; null until the program has written its header. */
  current: FollowedFile | null = null;
  /** Files finished (ring buffer), with the frames each held. */
  readonly finished: { path: string; frames: number }[] = [];

  /** `files` lists the files the program has written so far, oldest first. */
  constructor(private readonly files: () => string[], private readonly events: FollowerEvents) {}

  get totalFrames(): number {
    return this.finished.reduce((n, f) => n + f.frames, 0) + (this.current?.file.frameCount ?? 0);
  }

  /** Indexes whatever is new. With `final` (the program has exited) a cut record is a problem, not a wait. */
  poll(final = false): void {
    const list = this.files();
    let nextAt = this.current === null ? 0 : list.lastIndexOf(this.current.path) + 1;
    if (this.current !== null && nextAt === 0) nextAt = list.length; // not listed (any more): nothing newer known
    // Finish the current file once a newer one exists, then take the newer ones in order.
    while (true) {
      const hasNext = nextAt < list.length;
      if (this.current !== null) {
        this.index(this.current, final || hasNext);
        if (!hasNext) return;
        this.finish(this.current);
      }
      if (!hasNext) return;
      const path = list[nextAt++];
      const opened = this.open(path, final || nextAt < list.length);
      if (opened === null) {
        if (nextAt >= list.length) return; // not written yet: try again next poll
        continue;
      }
      this.current = opened;
    }
  }

  private open(path: string, complete: boolean): FollowedFile | null {
    try {
      const file = CaptureFile.open(path);
      return { path, file, indexer: new CaptureIndexer(file) };
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      // Missing or still without a full header: normal at the start; a problem only once the writer is done.
      if (complete && !/no such file|is empty|inside the pcap file header/.test(err.message)) this.events.problem(path, err.message);
      return null;
    }
  }

  private index(followed: FollowedFile, final: boolean): void {
    const from = followed.file.frameCount;
    const visit = this.events.frame;
    try {
      followed.indexer.run(visit === undefined ? null : (ctx, frame) => visit(ctx, frame, followed), final);
    } catch (err) {
      // The ring buffer removed or truncated it under us: keep what was indexed.
      this.events.problem(followed.path, (err as Error).message);
    }
    const to = followed.file.frameCount;
    if (to > from) this.events.frames(followed, from, to);
    if (final && followed.file.problem !== null) this.events.problem(followed.path, followed.file.problem);
  }

  private finish(followed: FollowedFile): void {
    this.finished.push({ path: followed.path, frames: followed.file.frameCount });
    followed.file.close();
    this.current = null;
  }

  close(): void {
    this.current?.file.close();
  }
}
