// Everything a report shows, gathered in one streaming pass (plus the tenants/VTEP analysis):
// the renderers (HTML, CSV, JSON) only format it.
import type { FrameSource } from '../capture/frame-source';
import { CompiledFilter } from '../filter';
import { startOverlayAnalysis } from './analysis-source';
import { OverlayAnalysis } from './analysis-types';
import { CaptureSummary, summarizeCapture } from './capture-summary';
import { forEachMatchingFrame } from '../filter/filtered-pass';
import { frameTenantCode } from './frame-tenant';
import { Progress } from './progress';
import { TrafficCollector, TrafficSummary } from './traffic';

export interface ReportData {
  /** When the report was made (ISO 8601). */
  generatedAt: string;
  capture: CaptureSummary;
  traffic: TrafficSummary;
  /** Null when the tenants/VTEP analysis was not run (CollectOptions.withoutAnalysis). */
  analysis: OverlayAnalysis | null;
}

export interface CollectOptions {
  progress?: Progress;
  /** Fixed clock for reproducible output (tests, the README's example). */
  now?: Date;
  /** Skip the tenants/VTEP analysis (measures the report's own cost; the sections say it is missing). */
  withoutAnalysis?: boolean;
  /** Reassemble IP fragments (default true). */
  reassemble?: boolean;
}

export function collectReportData(file: FrameSource, filter: CompiledFilter | null, options: CollectOptions = {}): ReportData {
  const traffic = new TrafficCollector();
  const analysis = options.withoutAnalysis ? null : startOverlayAnalysis(file);
  const id = new Uint32Array(1);
  forEachMatchingFrame(
    file,
    filter,
    (ctx, frame) => {
      // The same transmission seen in several captures is reported once.
      if (file.repeated !== null && file.repeated[frame] === 1) return;
      traffic.add(frame, frameTenantCode(ctx, id), id[0]);
      analysis?.addFrame(ctx, frame);
    },
    { progress: options.progress, reassemble: options.reassemble },
  );
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    capture: summarizeCapture(file, filter?.text ?? null),
    traffic: traffic.summarize(file.index),
    analysis: analysis?.finish() ?? null,
  };
}
