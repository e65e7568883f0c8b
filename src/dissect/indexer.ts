// The first pass over a capture: index every frame and classify it (tenant, outer VTEPs, top
// protocol, malformed) with the fast dissection path, optionally handing each frame on.
import type { FrameSource } from '../capture/frame-source';
import { FrameFlags } from '../capture/frame-index';
import { Dissection } from './dissection';
import { dissectFrame, outerIpv4 } from './engine';
import { FragmentLinks, IpReassembly, ReassemblyLimits } from './reassembly';

export interface IndexerOptions {
  /** Reassemble IP fragments (on by default, like Wireshark's ip.defragment). */
  reassemble?: boolean;
  reassemblyLimits?: ReassemblyLimits;
}

/** Sees each frame right after its fast dissection, while its bytes are still in ctx.buf. */
export type DissectedFrameVisitor = (ctx: Dissection, frame: number) => void;

export class CaptureIndexer {
  readonly ctx = new Dissection();
  private readonly outer = { src: 0, dst: 0 };

  /** The pass's IP reassembly, null when off; its links tell which frames were fragments of which. */
  readonly reassembly: IpReassembly | null;

  constructor(readonly file: FrameSource, options: IndexerOptions = {}) {
    // A one-pass read (no index kept) never dissects a frame again: no fragment links to keep.
    this.reassembly = options.reassemble === false ? null : new IpReassembly(options.reassemblyLimits, file.keepIndex ? new FragmentLinks() : null);
    this.ctx.reassembly = this.reassembly;
  }

  /**
   * Indexes what the file holds now (following a growing file with final=false); returns new frames.
   * Without `classify` the index keeps only where frames are and their times, not what they carry
   * (for a one-pass command that reads the frames only once).
   */
  run(visit: DissectedFrameVisitor | null = null, final = true, classify = true): number {
    const { file, ctx, outer } = this;
    const index = file.index;
    const visiting = file.visiting;
    // Without an index (a one-pass read) there is nothing to classify into.
    if ((!classify || !file.keepIndex) && visit !== null) {
      return file.scan((buf, dataOffset, capLen, frame) => {
        ctx.frameIndex = frame;
        ctx.frameTime = visiting.time;
        dissectFrame(ctx, buf, dataOffset, capLen, visiting.origLen, visiting.linkType);
        visit(ctx, frame);
      }, final);
    }
    return file.scan((buf, dataOffset, capLen, frame) => {
      ctx.frameIndex = frame;
      ctx.frameTime = visiting.time;
      dissectFrame(ctx, buf, dataOffset, capLen, visiting.origLen, visiting.linkType);
      const absorbed = ctx.absorbedFragments;
      if (absorbed !== null) for (const f of absorbed) index.flags[f] |= FrameFlags.Fragment;
      index.tenantType[frame] = ctx.tenantType;
      index.tenantId[frame] = ctx.tenantId;
      index.topProto[frame] = ctx.layerCount > 0 ? ctx.layerProto[ctx.layerCount - 1] : 0;
      outerIpv4(ctx, outer);
      index.outerSrc[frame] = outer.src;
      index.outerDst[frame] = outer.dst;
      index.flags[frame] |= FrameFlags.Classified | (ctx.malformed !== null ? FrameFlags.Malformed : 0);
      if (visit !== null) visit(ctx, frame);
    }, final);
  }
}
