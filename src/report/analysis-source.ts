// The one place the traffic report calls the overlay analysis (src/overlay): fed in the report's own pass, so a report reads the capture once.
import type { FrameSource } from '../capture/frame-source';
import { OverlayAnalyzer } from '../overlay/analyzer';
import { Dissection } from '../dissect/dissection';
import { buildTenantsReport } from '../overlay/tenants-report/build';
import { buildVtepReport } from '../overlay/vtep-report/build';
import { OverlayAnalysis } from './analysis-types';

/** Why a report has no tenants/VTEP analysis (kept for readers of older JSON reports and for tests). */
export const ANALYSIS_UNAVAILABLE =
  'The tenants and VTEP learning analysis (issue 3) was not run, so conversations, flooding, learning events and findings are not shown.';

export interface OverlayAnalysisRun {
  /** Feeds one frame the report covers, in capture order. */
  addFrame(ctx: Dissection, frame: number): void;
  /** The tenants and vteps documents for the frames fed. */
  finish(): OverlayAnalysis;
  /** The analysis itself (the app's Expert Info reads its learning events where they are kept). */
  readonly analyzer: OverlayAnalyzer;
}

export function startOverlayAnalysis(file: FrameSource): OverlayAnalysisRun {
  const analyzer = new OverlayAnalyzer();
  return {
    analyzer,
    addFrame: (ctx, frame) => analyzer.addFrame(ctx, frame),
    finish: () => ({
      tenants: buildTenantsReport(analyzer, file.problem),
      vteps: buildVtepReport(analyzer, undefined, file.problem),
    }),
  };
}
