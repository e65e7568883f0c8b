// Copies the frames that pass a display filter into a new capture, in order, keeping each frame's
// timestamp, captured and original lengths, interface and direction; with `decap`, writes only the
// encapsulated (inner) frames. Frames are never dropped silently: every frame that matched but was
// not written is counted under a reason.
import type { FrameSource } from '../capture/frame-source';
import { CaptureFileFormat } from '../capture/writer';
import { CompiledFilter } from '../filter';
import { forEachMatchingFrame } from '../filter/filtered-pass';
import { Progress } from '../report/progress';
import { FrameWriter } from './frame-writer';
import { innerFrame } from './inner-frame';
import { TenantSelector } from './tenant-spec';

export interface ExportOptions {
  /** Frames to keep; null keeps every frame. */
  filter: CompiledFilter | null;
  /** Only this tenant's frames (and the filter's, when both are given). */
  tenant?: TenantSelector | null;
  /** Write only the inner frames (Ethernet, or raw IP for IP-in-GRE). */
  decap: boolean;
  format: CaptureFileFormat;
  progress?: Progress;
  /** Reassemble IP fragments (default true). */
  reassemble?: boolean;
}

export interface ExportSummary {
  /** Frames in the input capture. */
  frames: number;
  /** Frames that passed the filter. */
  matched: number;
  written: number;
  /** Captured bytes written (of the whole frames, or of the inner frames with decap). */
  bytesWritten: number;
  /** IP fragments written because a matched frame completed their datagram (they did not match by themselves). */
  fragments: number;
  /** Matched frames that could not be written, by reason. */
  skipped: Record<string, number>;
  /** The input was cut short or corrupt (frames before the problem were exported). */
  problem: string | null;
}

export function exportFrames(file: FrameSource, outPath: string, options: ExportOptions): ExportSummary {
  const { filter, decap, progress } = options;
  const tenant = options.tenant ?? null;
  const writer = new FrameWriter(file, outPath, options.format);
  const summary: ExportSummary = { frames: 0, matched: 0, written: 0, bytesWritten: 0, fragments: 0, skipped: {}, problem: null };
  const skip = (reason: string) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);
  /** Fragments written as they came, so the frame completing their datagram does not write them again. */
  const writtenFragments = new Set<number>();
  try {
    summary.matched = forEachMatchingFrame(file, filter, (ctx, frame) => {
      // Whole frames are written as captured; a decapsulated one is the inner frame (of the
      // reassembled datagram when the frame completed one).
      const bytes = decap ? ctx.buf.subarray(ctx.base, ctx.end) : ctx.frameBytes();
      let inner: { start: number; linkType: number } | undefined;
      if (decap) {
        const found = innerFrame(ctx);
        if (typeof found === 'string') return void skip(found);
        inner = { start: found.start - ctx.base, linkType: found.linkType };
      }
      if (!decap && ctx.absorbedFragments !== null) {
        // The frame completed an IP datagram: its earlier fragments belong to the export too, and
        // come first (they were passed over as fragments when read).
        for (const f of ctx.absorbedFragments) {
          if (writtenFragments.delete(f)) continue; // matched the selection by itself: already written
          const fragment = file.readFrame(f);
          const fragmentProblem = writer.write(f, fragment);
          if (fragmentProblem !== null) {
            skip(fragmentProblem);
            continue;
          }
          summary.written++;
          summary.fragments++;
          summary.bytesWritten += fragment.length;
        }
      }
      if (!decap && ctx.heldFragment) writtenFragments.add(frame);
      const problem = writer.write(frame, bytes, inner);
      if (problem !== null) return void skip(problem);
      summary.written++;
      summary.bytesWritten += bytes.length - (inner?.start ?? 0);
    }, { progress, prefilter: tenant === null ? undefined : (ctx) => tenant.matches(ctx), reassemble: options.reassemble });
    // Interfaces that carried no exported frame still belong to the capture's description.
    if (!decap) writer.mirrorInterfaces();
  } catch (err) {
    writer.abort();
    throw err;
  }
  writer.commit();
  summary.frames = file.index.count;
  summary.problem = file.problem;
  return summary;
}

/** "wrote 10 of 33 frames (1234 bytes) to OUT; 23 did not match the selection; 2 matched but skipped: 2 not encapsulated". */
export function describeExport(summary: ExportSummary, outPath: string, filtered: boolean): string {
  const parts = [`wrote ${summary.written} of ${summary.frames} frames (${summary.bytesWritten} bytes) to ${outPath}`];
  const unmatched = summary.frames - summary.matched - summary.fragments;
  if (summary.fragments > 0) parts.push(`${summary.fragments} of them IP fragments of matched packets`);
  if (filtered) parts.push(`${unmatched} did not match the selection`);
  const reasons = Object.entries(summary.skipped);
  if (reasons.length > 0) {
    const skipped = reasons.reduce((n, [, count]) => n + count, 0);
    parts.push(`${skipped} matched but skipped: ${reasons.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  return parts.join('; ');
}
