// Dissecting one frame again, out of sequence (the app's packet list and detail pane), with what the
// index pass's reassembly found: a frame that completed an IP datagram is dissected with its earlier
// fragments fed in first, so it rebuilds the same datagram; a fragment shows where it was reassembled.
import { Dissection } from './dissection';
import { dissectFrame } from './engine';
import { FragmentLinks, IpReassembly } from './reassembly';

export interface StoredFrame {
  bytes: Uint8Array;
  origLen: number;
  linkType: number;
  time: number;
}

/**
 * Prepares ctx to dissect `frame` (0-based) as the index pass did. `read` re-reads another frame; its
 * bytes are used before the next call. Without links (reassembly off), ctx gets no reassembly.
 */
export function prepareRedissection(ctx: Dissection, links: FragmentLinks | null, frame: number, read: (frame: number) => StoredFrame): void {
  ctx.frameIndex = frame;
  ctx.reassembly = null;
  if (links === null) return;
  const reassembly = new IpReassembly(undefined, links);
  const fragments = links.fragmentsOf.get(frame);
  if (fragments !== undefined) {
    const feeder = new Dissection();
    feeder.reassembly = reassembly;
    for (const f of fragments) {
      if (f === frame) continue;
      const stored = read(f);
      feeder.frameIndex = f;
      feeder.frameTime = stored.time;
      dissectFrame(feeder, stored.bytes, 0, stored.bytes.length, stored.origLen, stored.linkType);
    }
    ctx.frameTime = read(frame).time;
  }
  ctx.reassembly = reassembly;
}
