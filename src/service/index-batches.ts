// The index of a pass over a capture, posted to the service in batches as the pass goes (the first
// after FIRST_BATCH_FRAMES frames, so the packet list shows at once; then every PROGRESS_EVERY_MS), the
// IP datagrams its reassembly completed with each batch. Shared by the index worker and by the
// analysis worker's pass, which indexes the file as it analyses it (one read of the file, not two).
import type { FrameSource } from '../capture/frame-source';
import { columnBuffers } from '../capture/frame-index';
import type { IpReassembly } from '../dissect/reassembly';
import type { IndexBatch, ScanMessage } from './scan-protocol';

export const FIRST_BATCH_FRAMES = 2000;
const PROGRESS_EVERY_MS = 100;

export class IndexBatches {
  private posted = 0;
  private postedDatagrams = 0;
  private lastPost = Date.now();

  constructor(
    private readonly file: FrameSource,
    private readonly reassembly: IpReassembly | null,
    private readonly post: (message: ScanMessage, transfer: ArrayBuffer[]) => void,
  ) {}

  /** After each frame (0-based) of the pass: posts a batch when one is due. */
  frameDone(frame: number): void {
    const count = frame + 1;
    if (count === FIRST_BATCH_FRAMES || ((count & 1023) === 0 && Date.now() - this.lastPost >= PROGRESS_EVERY_MS)) this.flush(count);
  }

  /** Posts every frame indexed so far not posted yet. */
  flush(upTo = this.file.index.count): void {
    if (upTo <= this.posted) return;
    const file = this.file;
    const completed = this.reassembly?.links?.completed ?? [];
    const reassembled = completed.slice(this.postedDatagrams);
    this.postedDatagrams = completed.length;
    const columns = file.index.slice(this.posted, upTo);
    const batch: IndexBatch = {
      from: this.posted,
      to: upTo,
      columns,
      interfaces: file.interfaces.map((i) => ({ name: i.name ?? '', linkType: i.linkType })),
      captureInterfaces: file.interfaces.map((i) => ({ ...i })),
      reassembled,
    };
    this.posted = upTo;
    this.lastPost = Date.now();
    this.post({ kind: 'index-batch', batch }, columnBuffers(columns));
  }

  /** The pass is over: the rest of the index, then `index-done`. */
  done(): void {
    this.flush();
    this.post({ kind: 'index-done', frames: this.file.index.count, problem: this.file.problem, format: this.file.format }, []);
  }
}
