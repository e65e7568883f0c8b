// One indexing pass over a capture that hands on the frames passing a display filter (all frames
// without one). The detail tree is built only when the filter reads fields, and then only those
// fields. Used by `dissect`, reports, exports and the UI's filter worker alike.
import type { FrameSource } from '../capture/frame-source';
import { CaptureSet } from '../capture/capture-set';
import type { CompiledFilter } from './index';
import { DecodeAsOverrides, Dissection } from '../dissect/dissection';
import { addFrameNode, FrameMeta } from '../dissect/engine';
import { CaptureIndexer } from '../dissect/indexer';
import { TcpStreams } from '../dissect/tcp-streams';

/** Sees a matching frame: its dissection (bytes still in ctx.buf) and its number, times and interface. */
export type MatchingFrameVisitor = (ctx: Dissection, frame: number, meta: FrameMeta) => void;

export interface PassProgress {
  /** Called for every frame read; should be cheap. */
  frame(frame: number): void;
  done(): void;
}

export interface FilteredPassOptions {
  progress?: PassProgress;
  /** A cheap test on the fast dissection, run before the display filter (frames must pass both). */
  prefilter?: (ctx: Dissection) => boolean;
  /** Build the Source/Destination/Protocol/Info columns. */
  columns?: boolean;
  decodeAs?: DecodeAsOverrides | null;
  /** Reassemble IP fragments (default true). */
  reassemble?: boolean;
}

/** Returns the number of frames that matched. */
export function forEachMatchingFrame(file: FrameSource, filter: CompiledFilter | null, visit: MatchingFrameVisitor, options: FilteredPassOptions = {}): number {
  const { progress, prefilter } = options;
  const indexer = new CaptureIndexer(file, { reassemble: options.reassemble });
  const ctx = indexer.ctx;
  const index = file.index;
  ctx.decodeAs = options.decodeAs ?? null;
  ctx.wantColumns = options.columns === true;
  ctx.wantTree = filter !== null && filter.needsTree;
  ctx.fieldFilter = filter !== null ? filter.fields : null;
  // Frames shown or filtered get tcp.stream and relative sequence numbers, as in tshark.
  if (ctx.wantColumns || ctx.wantTree) ctx.tcpStreams = new TcpStreams();
  // Stryker disable next-line ObjectLiteral: every field is set before a visitor sees it
  const meta: FrameMeta = { number: 0, linkType: 0, tsSec: 0, tsNsec: 0, relative: 0, firstTsSec: 0, firstTsNsec: 0, interfaceId: 0, direction: 0 };
  const set = file instanceof CaptureSet ? file : null;
  let firstTime = 0;
  let matched = 0;
  try {
    indexer.run((_ctx, frame) => {
      progress?.frame(frame);
      // Stryker disable next-line ConditionalExpression: the body reads frame 0 explicitly, so running it again changes nothing
      if (frame === 0) {
        firstTime = index.time(0);
        meta.firstTsSec = index.tsSec[0];
        meta.firstTsNsec = index.tsNsec[0];
      }
      if (prefilter !== undefined && !prefilter(ctx)) return;
      meta.number = frame + 1;
      meta.linkType = file.linkType(frame);
      meta.tsSec = index.tsSec[frame];
      meta.tsNsec = index.tsNsec[frame];
      meta.relative = index.time(frame) - firstTime;
      meta.interfaceId = index.iface[frame];
      meta.direction = index.flags[frame] & 3;
      if (set !== null) {
        const member = set.members[set.captureOf[frame]];
        meta.capture = member.name;
        meta.captureHost = member.host ?? undefined;
        meta.captureFrame = set.memberFrame[frame] + 1;
      }
      if (filter !== null) {
        // Stryker disable next-line ConditionalExpression: a frame node in a dissection without a tree is never read
        if (ctx.wantTree) addFrameNode(ctx, meta);
        if (!filter.matches(ctx)) return;
      }
      matched++;
      visit(ctx, frame, meta);
    });
  } finally {
    progress?.done();
  }
  return matched;
}
