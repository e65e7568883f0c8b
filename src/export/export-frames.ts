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
}

export interface ExportSummary {
  /** Frames in the input capture. */
  frames: number;
  /** Frames that passed the filter. */
  matched: number;
  written: number;
  /** Captured bytes written (of the whole frames, or of the inner frames with decap). */
  bytesWritten: number;
  /** Matched frames that could not be written, by reason. */
  skipped: Record<string, number>;
  /** The input was cut short or corrupt (frames before the problem were exported). */
  problem: string | null;
}

export function exportFrames(file: FrameSource, outPath: string, options: ExportOptions): ExportSummary {
  const { filter, decap, progress } = options;
  const tenant = options.tenant ?? null;
  const writer = new FrameWriter(file, outPath, options.format);
  const summary: ExportSummary = { frames: 0, matched: 0, written: 0, bytesWritten: 0, skipped: {}, problem: null };
  const skip = (reason: string) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);
  try {
    summary.matched = forEachMatchingFrame(file, filter, (ctx, frame) => {
      const bytes = ctx.buf.subarray(ctx.base, ctx.end);
      let inner: { start: number; linkType: number } | undefined;
      if (decap) {
        const found = innerFrame(ctx);
        if (typeof found === 'string') return void skip(found);
        inner = { start: found.start - ctx.base, linkType: found.linkType };
      }
      const problem = writer.write(frame, bytes, inner);
      if (problem !== null) return void skip(problem);
      summary.written++;
      summary.bytesWritten += bytes.length - (inner?.start ?? 0);
    }, { progress, prefilter: tenant === null ? undefined : (ctx) => tenant.matches(ctx) });
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
  const unmatched = summary.frames - summary.matched;
  if (filtered) parts.push(`${unmatched} did not match the selection`);
  const reasons = Object.entries(summary.skipped);
  if (reasons.length > 0) {
    const skipped = reasons.reduce((n, [, count]) => n + count, 0);
    parts.push(`${skipped} matched but skipped: ${reasons.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  return parts.join('; ');
}
