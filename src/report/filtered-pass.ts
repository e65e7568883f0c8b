// One indexing pass over a capture that hands on only the frames passing a display filter (all
// frames without one), with the detail tree built only when the filter reads fields.
import { CaptureFile } from '../capture/capture-file';
import { Dissection } from '../dissect/dissection';
import { addFrameNode, FrameMeta } from '../dissect/engine';
import { CaptureIndexer } from '../dissect/indexer';
import { CompiledFilter } from '../filter';
import { Progress } from './progress';

export type MatchingFrameVisitor = (ctx: Dissection, frame: number) => void;

/**
 * Returns the number of frames that matched. `prefilter` is a cheap test on the fast dissection that
 * runs before the display filter (frames must pass both).
 */
export function forEachMatchingFrame(
  file: CaptureFile,
  filter: CompiledFilter | null,
  visit: MatchingFrameVisitor,
  progress?: Progress,
  prefilter?: (ctx: Dissection) => boolean,
): number {
  const indexer = new CaptureIndexer(file);
  const ctx = indexer.ctx;
  const index = file.index;
  ctx.wantTree = filter !== null && filter.needsTree;
  const meta: FrameMeta = { number: 0, linkType: 0, tsSec: 0, tsNsec: 0, relative: 0, interfaceId: 0, direction: 0 };
  let firstTime = 0;
  let matched = 0;
  try {
    indexer.run((_ctx, frame) => {
      progress?.frame(frame);
      if (frame === 0) firstTime = index.time(0);
      if (prefilter !== undefined && !prefilter(ctx)) return;
      if (filter !== null) {
        if (ctx.wantTree) {
          meta.number = frame + 1;
          meta.linkType = file.linkType(frame);
          meta.tsSec = index.tsSec[frame];
          meta.tsNsec = index.tsNsec[frame];
          meta.relative = index.time(frame) - firstTime;
          meta.interfaceId = index.iface[frame];
          meta.direction = index.flags[frame] & 3;
          addFrameNode(ctx, meta);
        }
        if (!filter.matches(ctx)) return;
      }
      matched++;
      visit(ctx, frame);
    });
  } finally {
    progress?.done();
  }
  return matched;
}
