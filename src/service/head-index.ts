// The first frames of a capture file, indexed on the service's own thread when the file is opened, so
// the open call answers with rows to show: the worker whose pass indexes the whole file needs a few
// hundred milliseconds to start and load its modules (seconds on a busy machine). That pass starts at
// frame 1 too; the session skips the frames of its batches it already has. Same indexer, same
// reassembly, so the frames and datagrams are the same either way.
import { CaptureFile } from '../capture/capture-file';
import type { CaptureInterface } from '../capture/format-parser';
import type { IndexColumns } from '../capture/frame-index';
import { CaptureIndexer } from '../dissect/indexer';
import { decodeAsOverrides } from '../dissect/decode-as';
import { isCaptureSet } from './capture-source';

/** A first block of rows on any traffic (about 45 MTU-size frames, hundreds of small ones) in tens of milliseconds, cold. */
export const HEAD_INDEX_BYTES = 64 * 1024;

export interface HeadIndex {
  count: number;
  columns: IndexColumns;
  captureInterfaces: CaptureInterface[];
  /** The IP datagrams completed within the head, in the order the whole pass completes them too. */
  reassembled: number[][];
}

/** The head of one capture file; null for a set of captures (their frames interleave only once merged). */
export function indexHead(paths: readonly string[], decodeAs: readonly string[], bytes = HEAD_INDEX_BYTES): HeadIndex | null {
  if (isCaptureSet(paths)) return null;
  // The session has opened this path already: a failure here only means no head (the pass reports it).
  let file: CaptureFile;
  try {
    file = CaptureFile.open(paths[0]);
  } catch {
    return null;
  }
  try {
    file.readLimitBytes = bytes;
    const indexer = new CaptureIndexer(file);
    indexer.ctx.decodeAs = decodeAsOverrides([...decodeAs]);
    // Not final: a record cut by the limit is simply not read.
    indexer.run(null, false);
    const count = file.index.count;
    return {
      count,
      columns: file.index.slice(0, count),
      captureInterfaces: file.interfaces.map((i) => ({ ...i })),
      reassembled: indexer.reassembly?.links?.completed.map((frames) => [...frames]) ?? [],
    };
  } catch {
    return null;
  } finally {
    file.close();
  }
}
