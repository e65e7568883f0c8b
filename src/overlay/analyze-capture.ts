// Whole-capture and incremental drivers: one CaptureIndexer pass feeds the analyzer, which answers
// the tenants report, the VTEP report and any VTEP's forwarding database at any frame.
import type { FrameSource } from '../capture/frame-source';
import { DecodeAsOverrides, Dissection } from '../dissect/dissection';
import { CaptureIndexer } from '../dissect/indexer';
import { buildTenantsReport } from './tenants-report/build';
import { buildVtepReport, fdbAt } from './vtep-report/build';
import { DEFAULT_MTU, OverlayAnalyzer } from './analyzer';
import { DEFAULT_AGEING_SECONDS } from './defaults';
import { captureBytes, expectedFlowCount } from './pipeline/start';
import { TenantsReport, VtepFdb, VtepReport } from './report-types';

export interface AnalyzeOptions {
  /** Underlay MTU (outer IP packet bytes) the findings assume; 1500 by default. */
  mtu?: number;
  /** "Decode as" overrides, e.g. a VXLAN port that is not 4789/8472. */
  decodeAs?: DecodeAsOverrides | null;
  /** Stop learning after this frame (1-based): the VTEP report is then as of that frame. */
  lastFrame?: number;
  /** Reassemble IP fragments (default true): a tunnel packet fragmented by the underlay counts once. */
  reassemble?: boolean;
  /** FDB ageing time in seconds (300 by default). */
  ageing?: number;
  /** Do the VTEP learning (default true); the tenants report alone shows nothing of it. */
  learn?: boolean;
}

/** Called every `PROGRESS_EVERY` frames with the frames analysed so far. */
export type ProgressCallback = (frames: number) => void;
const PROGRESS_EVERY = 65536;

/**
 * Follows a capture as it grows (or reads it once): `update()` analyses the frames added since the
 * last call. Reports can be taken between updates.
 */
export class CaptureAnalysis {
  readonly indexer: CaptureIndexer;
  readonly analyzer: OverlayAnalyzer;
  /** Frames (0-based) from this one on are indexed but not analysed: options.lastFrame, or 0 once stopped. */
  private analyseBelow: number;

  constructor(
    readonly file: FrameSource,
    private readonly options: AnalyzeOptions = {},
  ) {
    this.indexer = new CaptureIndexer(file, { reassemble: options.reassemble });
    this.indexer.ctx.decodeAs = options.decodeAs ?? null;
    this.analyzer = new OverlayAnalyzer(options.mtu ?? DEFAULT_MTU, expectedFlows(file), options.ageing ?? DEFAULT_AGEING_SECONDS, options.learn ?? true);
    this.analyseBelow = options.lastFrame ?? Infinity;
  }

  /** Stops analysing, even within an update: the rest of the pass only indexes (an analysis the user cancelled). */
  stop(): void {
    this.analyseBelow = 0;
  }

  /**
   * Analyses new frames; `final` false while the file is still being written. Returns the new frame count.
   * `alsoVisit` sees every dissected frame too (the app's Protocol Hierarchy and Expert Info share this pass).
   */
  update(final = true, onProgress?: ProgressCallback, alsoVisit?: (fast: Dissection, frame: number) => void): number {
    const analyzer = this.analyzer;
    const ctx = this.indexer.ctx;
    ctx.wantTree = false;
    ctx.wantColumns = false;
    const repeated = this.file.repeated;
    const visitFrame = (fast: Dissection, frame: number): void => {
      // Several captures: a transmission already seen in another capture is counted once.
      if (frame < this.analyseBelow && (repeated === null || repeated[frame] === 0)) analyzer.addFrame(fast, frame);
      alsoVisit?.(fast, frame);
      if (onProgress !== undefined && (frame + 1) % PROGRESS_EVERY === 0) onProgress(frame + 1);
    };
    const added = this.indexer.run(visitFrame, final);
    // Frames past `lastFrame` still count as the capture's frames.
    analyzer.frames = Math.max(analyzer.frames, this.file.frameCount);
    return added;
  }

  tenants(): TenantsReport {
    return buildTenantsReport(this.analyzer, this.file.problem);
  }

  /** `atFrame` 1-based, default the last frame analysed. */
  vteps(atFrame?: number): VtepReport {
    return buildVtepReport(this.analyzer, atFrame, this.file.problem);
  }

  /** Every VTEP's forwarding database after frame `frame` (1-based). */
  fdbAt(frame: number): VtepFdb[] {
    return fdbAt(this.analyzer, frame);
  }
}

/** Opens nothing: analyses an already opened capture in one pass and returns both reports. */
export function analyzeCapture(file: FrameSource, options: AnalyzeOptions = {}, onProgress?: ProgressCallback): { tenants: TenantsReport; vteps: VtepReport; analysis: CaptureAnalysis } {
  const analysis = new CaptureAnalysis(file, options);
  analysis.update(true, onProgress);
  return { tenants: analysis.tenants(), vteps: analysis.vteps(options.lastFrame), analysis };
}

/** The flow table's size guess for a capture (pipeline/start.ts). */
function expectedFlows(file: FrameSource): number {
  if (file.repeated !== null) return expectedFlowCount(file.frameCount * 200);
  return expectedFlowCount(captureBytes(file.path));
}
