// The heavy views of one capture (Tenants, Conversations/Endpoints, VTEP timeline, Protocol Hierarchy
// and Expert Info), computed by the engine's overlay analysis (the code behind `tunnelscope tenants`
// and `vteps`) in one pass over the file, each built once and kept. Lives in the analysis worker:
// the service's thread never waits on it. A live capture's views are rebuilt as its file grows.
import * as fs from 'node:fs';
import type { FrameSource } from '../capture/frame-source';
import { openSource } from './capture-source';
import { CaptureAnalysis } from '../overlay/analyze-capture';
import { tenantsReportHead } from '../overlay/tenants-report/build';
import { decodeAsOverrides } from '../dissect/decode-as';
import type { Dissection } from '../dissect/dissection';
import type { IpReassembly } from '../dissect/reassembly';
import type * as A from '../overlay/report-types';
import type { TrafficSummary } from '../report/traffic';
import { FIRST_STATISTICS_PAGE } from './api';
import type { AnalysisPhase, AnalysisStatus, CaptureStatistics, TenantsReport, VtepTimeline } from './api';
import { CaptureStatisticsCollector } from './capture-statistics';
import { explainForwarding } from './forwarding-explanation';
import { FilteredViews } from './filtered-views';
import { groupRows, tenantsView, trafficOf, vtepMatrix, vtepTimelineView } from './overlay-views';
import type { AnalysisAnswer, AnalysisQuery } from './scan-protocol';
import { StatisticsTables } from './statistics-tables';
import { VtepEvents } from './vtep-events';
import { VtepTables } from './vtep-tables';
import { buildVtepReport } from '../overlay/vtep-report/build';

type Vteps = { timeline: VtepTimeline; events: VtepEvents; tables: VtepTables };
interface Built {
  tenants?: TenantsReport;
  vteps?: Vteps;
  statistics?: StatisticsTables;
  captureStatistics?: CaptureStatistics;
}
type ViewName = keyof Built;
/** Display filters whose limited statistics are kept (Wireshark users flip between a few). */
const KEPT_FILTERS = 4;
interface Reports {
  readonly frames: number;
  /** The tenants report without its conversation lists (the Conversations tables read them as plain arrays). */
  readonly tenants: { report: A.TenantsReport; tenantOrder: number[] };
  readonly vteps: A.VtepReport;
  readonly traffic: TrafficSummary;
}

export type PhaseListener = (phase: AnalysisPhase, frames: number, fraction: number) => void;

export class AnalysisViews {
  readonly file: FrameSource;
  private readonly analysis: CaptureAnalysis;
  private readonly collector = new CaptureStatisticsCollector();
  private readonly built: Built = {};
  private readonly sizeBytes: number;
  private finished = false;
  /** The analysis was stopped within its pass (cancelled by the user): nothing is built. */
  stopped = false;
  private taken: Reports | null = null;
  private readonly filtered = new Map<string, FilteredViews>();
  /** What was computed, for the app's status (a revisited tab must not count again). */
  private readonly counts = { passes: 0, filteredPasses: 0, builds: { tenants: 0, vteps: 0, statistics: 0, captureStatistics: 0 } as Record<ViewName, number> };

  constructor(
    private readonly paths: string[],
    private readonly onPhase: PhaseListener,
    /** Decode As rules (the CLI's -d): the analysis dissects with them. */
    private readonly decodeAs: string[] = [],
  ) {
    this.file = openSource(paths, decodeAs);
    this.analysis = new CaptureAnalysis(this.file, { decodeAs: decodeAsOverrides(decodeAs) });
    this.sizeBytes = paths.reduce((sum, p) => sum + fileSize(p), 0);
  }

  /** The pass's IP reassembly (which frames were fragments of which datagram). */
  get reassembly(): IpReassembly | null {
    return this.analysis.indexer.reassembly;
  }

  /**
   * Reads the frames added since the last call (all of them the first time, unless the file grows).
   * `frameDone` sees each frame (0-based) once it is indexed and analysed.
   */
  update(final: boolean, frameDone?: (frame: number) => void): void {
    if (this.finished) return;
    if (final || this.counts.passes === 0) this.counts.passes++;
    this.onPhase('reading', this.file.index.count, this.readFraction());
    const collect = this.collector.add;
    const visit =
      frameDone === undefined
        ? collect
        : (fast: Dissection, frame: number) => {
            if (!this.stopped) collect(fast, frame);
            frameDone(frame);
          };
    this.analysis.update(final, (frames) => this.onPhase('reading', frames, this.readFraction()), visit);
    this.finished = final;
  }

  /** Stops the analysis within its pass (which goes on indexing): the views are not built. */
  stopAnalysing(): void {
    this.stopped = true;
    this.analysis.stop();
  }

  /**
   * The whole capture at once: every view built in the order the app's tabs show them, one per turn
   * of the event loop, so a view asked for meanwhile is answered as soon as it is built (or built first).
   */
  buildAll(built: () => void = () => undefined): void {
    this.update(true);
    const frames = this.file.index.count;
    const steps: [AnalysisPhase, () => unknown][] = [
      ['tenants', () => this.tenants()],
      // With the first page's rows and order (an empty page), so opening a Conversations table sorts nothing.
      ['conversations', () => this.statistics().page({ ...FIRST_STATISTICS_PAGE, start: 0, count: 0 })],
      ['vteps', () => this.vteps()],
      ['statistics', () => this.captureStatistics()],
    ];
    const step = (i: number): void => {
      if (i === steps.length) {
        this.onPhase('ready', frames, 1);
        return built();
      }
      this.onPhase(steps[i][0], frames, 1);
      steps[i][1]();
      setImmediate(() => step(i + 1));
    };
    step(0);
  }

  answer(q: AnalysisQuery): AnalysisAnswer {
    if (q.op === 'status') return this.status();
    this.update(q.final);
    const filter = (q.op === 'statistics' ? q.query.displayFilter : 'displayFilter' in q ? q.displayFilter : '')?.trim() ?? '';
    // A live capture's statistics cover every frame so far (the filtered pass needs the whole file).
    const limited = filter !== '' && this.finished ? this.filteredBy(filter) : null;
    if (limited !== null && q.op === 'tenants') return limited.tenants;
    if (limited !== null && q.op === 'captureStatistics') return limited.captureStatistics;
    if (limited !== null && q.op === 'statistics') return limited.statistics.page(q.query);
    switch (q.op) {
      case 'tenants':
        return this.tenants();
      case 'vteps':
        return this.vteps().timeline;
      case 'vtepEvents':
        return this.vteps().events.window(q.query);
      case 'forwarding': {
        const { events, tables } = this.vteps();
        return { frame: q.frame, lines: explainForwarding(this.file, events, tables, q.frame) };
      }
      case 'captureStatistics':
        return this.captureStatistics();
      case 'statistics':
        return this.statistics().page(q.query);
      case 'vtepTable':
        return this.vteps().tables.page(q.query);
    }
  }

  status(): AnalysisStatus {
    return { passes: this.counts.passes, builds: { ...this.counts.builds }, filteredPasses: this.counts.filteredPasses, frames: this.file.index.count, finished: this.finished };
  }

  /** The statistics limited to a display filter: one pass per filter, the last few kept. */
  private filteredBy(filter: string): FilteredViews {
    let views = this.filtered.get(filter);
    if (views === undefined) {
      this.counts.filteredPasses++;
      const total = this.file.index.count;
      views = new FilteredViews(this.paths, filter, this.decodeAs, total, (frames) => this.onPhase('filtering', frames, total > 0 ? frames / total : 0));
      if (this.filtered.size >= KEPT_FILTERS) this.filtered.delete(this.filtered.keys().next().value!);
      this.onPhase('ready', total, 1);
    } else this.filtered.delete(filter);
    this.filtered.set(filter, views);
    return views;
  }

  private tenants(): TenantsReport {
    return this.once('tenants', () => tenantsView(this.reports().tenants.report, this.reports().traffic, !this.finished));
  }

  private statistics(): StatisticsTables {
    return this.once('statistics', () => {
      const { report, tenantOrder } = this.reports().tenants;
      return StatisticsTables.fromAnalysis(report, tenantOrder, this.analysis.analyzer.conversationTotals());
    });
  }

  private vteps(): Vteps {
    return this.once('vteps', () => {
      const report = this.reports().vteps;
      const index = this.file.index;
      const analyzer = this.analysis.analyzer;
      const events = new VtepEvents(analyzer, index, report, index.count > 0 ? index.time(0) : 0);
      const pairs = vtepMatrix(this.reports().traffic);
      const tables = new VtepTables(analyzer, index.count, pairs, groupRows(report));
      return { timeline: vtepTimelineView(report, events, pairs.length, index, !this.finished), events, tables };
    });
  }

  private captureStatistics(): CaptureStatistics {
    return this.once('captureStatistics', () => this.collector.finish(this.reports().tenants.report, this.analysis.analyzer));
  }

  /** The engine's reports of the frames analysed so far, taken once per update (several views share them). */
  private reports(): Reports {
    const frames = this.file.index.count;
    const analysis = this.analysis;
    const file = this.file;
    if (this.taken?.frames !== frames) {
      let tenants: Reports['tenants'] | undefined;
      let vteps: A.VtepReport | undefined;
      let traffic: TrafficSummary | undefined;
      this.taken = {
        frames,
        get tenants() {
          return (tenants ??= tenantsReportHead(analysis.analyzer, file.problem));
        },
        get vteps() {
          // Without its events and forwarding databases: the views page through those where the learning keeps them.
          return (vteps ??= buildVtepReport(analysis.analyzer, undefined, file.problem, false, false));
        },
        get traffic() {
          return (traffic ??= trafficOf(file));
        },
      };
    }
    return this.taken;
  }

  /** A finished capture's view is built once; a growing one's on every ask. */
  private once<K extends ViewName>(key: K, build: () => NonNullable<Built[K]>): NonNullable<Built[K]> {
    const kept = this.built[key];
    if (kept !== undefined && this.finished) return kept as NonNullable<Built[K]>;
    this.counts.builds[key]++;
    const view = build();
    if (this.finished) this.built[key] = view;
    return view;
  }

  private readFraction(): number {
    const ix = this.file.index;
    if (ix.count === 0 || this.sizeBytes === 0) return 0;
    return Math.min(1, (ix.fileOffset[ix.count - 1] + ix.capLen[ix.count - 1]) / this.sizeBytes);
  }
}

function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}
