// The service's side of a session's analysis worker: one long-lived worker per capture holds the
// CaptureAnalysis (src/overlay) and answers queries in order; a live capture's analysis takes in the
// frames written since the last query before it answers.
import type { Worker } from 'node:worker_threads';
import type { AnalysisPhase, AnalysisStatus, CaptureStatistics, VtepEventQuery, VtepEventWindow, VtepTablePage, VtepTableQuery, StatisticsPage, StatisticsQuery, TenantsReport, VtepTimeline } from './api';
import { scanWorker, UserFacingError } from './capture-session';
import type { AnalysisAnswer, AnalysisQuery, ScanMessage } from './scan-protocol';

/** Takes the index messages of an analysis pass that also indexes the file (set-layout, index-batch, index-done, error). */
export type IndexSink = (message: ScanMessage) => void;

type Pending = { resolve(answer: AnalysisAnswer): void; reject(err: Error): void };
type QueryOf<Op extends AnalysisQuery['op']> = Omit<Extract<AnalysisQuery, { op: Op }>, 'id' | 'final'>;

export class AnalysisClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | null = null;
  /** Why the worker stopped, if it failed (a one-line message for the UI). */
  failure: string | null = null;
  /** The last progress the worker posted (reading the file, building a view, ready). */
  phase: AnalysisPhase = 'reading';
  frames = 0;
  fraction = 0;

  /** Set while the worker's pass also indexes the file for the session (until index-done). */
  private indexSink: IndexSink | null;
  private readonly indexStop: Int32Array | null;

  /**
   * `eager`: build every view now (a complete file); `onProgress` hears each step. `paths`: the
   * session's capture (one file, or several read as one). `indexSink`: the same pass indexes the file
   * and hands the session its index (one read of the file for the packet list and the heavy views).
   */
  constructor(paths: string[], eager: boolean, private readonly onProgress: (client: AnalysisClient) => void = () => undefined, decodeAs: string[] = [], indexSink: IndexSink | null = null) {
    this.indexSink = indexSink;
    const stop = indexSink === null ? null : new SharedArrayBuffer(4);
    this.indexStop = stop === null ? null : new Int32Array(stop);
    this.worker = scanWorker({ task: 'analyse', paths, eager, decodeAs, indexStop: stop });
    this.worker.on('message', (m: ScanMessage) => {
      if (m.kind === 'set-layout' || m.kind === 'index-batch' || m.kind === 'index-done') {
        this.indexSink?.(m);
        if (m.kind === 'index-done') {
          this.indexSink = null;
          // An analysis cancelled while its pass indexed: the pass is over, so is the worker.
          if (this.failed !== null) void this.worker.terminate();
        }
      } else if (m.kind === 'analyse-progress') {
        // A cancelled analysis whose pass still indexes: its progress is no one's any more.
        if (this.failed !== null) return;
        this.phase = m.phase;
        this.frames = m.frames;
        this.fraction = m.fraction;
        this.onProgress(this);
      } else if (m.kind === 'analyse-answer') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== null) p?.reject(new UserFacingError(`analysis failed: ${m.error}`));
        else p?.resolve(m.answer!);
      } else if (m.kind === 'error') this.failWith(`analysis failed: ${m.message}`);
    });
    this.worker.on('error', (err) => this.failWith(`analysis failed: ${err.message}`));
  }

  /** Still indexing the file for the session. */
  get indexing(): boolean {
    return this.indexSink !== null;
  }

  private failWith(message: string): void {
    this.indexSink?.({ kind: 'error', message });
    this.indexSink = null;
    this.phase = 'failed';
    this.failure = message;
    this.fail(new UserFacingError(message));
    this.onProgress(this);
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private ask<Op extends AnalysisQuery['op']>(query: QueryOf<Op> & { op: Op }, final: boolean): Promise<AnalysisAnswer> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...query, id, final } as AnalysisQuery);
    });
  }

  async tenants(final: boolean, displayFilter = ''): Promise<TenantsReport> {
    return (await this.ask({ op: 'tenants', displayFilter }, final)) as TenantsReport;
  }

  async vteps(final: boolean): Promise<VtepTimeline> {
    return (await this.ask({ op: 'vteps' }, final)) as VtepTimeline;
  }

  async vtepEvents(query: VtepEventQuery, final: boolean): Promise<VtepEventWindow> {
    const { sessionId: _session, ...rest } = query;
    return (await this.ask({ op: 'vtepEvents', query: rest }, final)) as VtepEventWindow;
  }

  async forwarding(frame: number, final: boolean): Promise<{ frame: number; lines: string[] }> {
    return (await this.ask({ op: 'forwarding', frame }, final)) as { frame: number; lines: string[] };
  }

  async captureStatistics(final: boolean, displayFilter = ''): Promise<CaptureStatistics> {
    return (await this.ask({ op: 'captureStatistics', displayFilter }, final)) as CaptureStatistics;
  }

  async statistics(query: StatisticsQuery, final: boolean): Promise<StatisticsPage> {
    const { sessionId: _session, ...rest } = query;
    return (await this.ask({ op: 'statistics', query: rest }, final)) as StatisticsPage;
  }

  async vtepTable(query: VtepTableQuery, final: boolean): Promise<VtepTablePage> {
    const { sessionId: _session, ...rest } = query;
    return (await this.ask({ op: 'vtepTable', query: rest }, final)) as VtepTablePage;
  }

  async status(): Promise<AnalysisStatus> {
    return (await this.ask({ op: 'status' }, true)) as AnalysisStatus;
  }

  /** Stops the worker, and with it the indexing its pass does, if any. */
  close(reason = 'the capture was closed'): void {
    this.indexSink = null;
    this.fail(new UserFacingError(reason));
    void this.worker.terminate();
  }

  /**
   * Stops the analysis: views waiting on it get `reason`. A pass that also indexes the file goes on
   * indexing only (the packet list still gets every frame), and the worker ends with it.
   */
  cancel(reason: string): void {
    if (this.indexSink === null) return this.close(reason);
    this.fail(new UserFacingError(reason));
    Atomics.store(this.indexStop!, 0, 1);
  }
}
