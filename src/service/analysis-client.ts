// The service's side of a session's analysis worker: one long-lived worker per capture holds the
// CaptureAnalysis (src/overlay) and answers queries in order; a live capture's analysis takes in the
// frames written since the last query before it answers.
import type { Worker } from 'node:worker_threads';
import type { CaptureStatistics, VtepEventQuery, VtepEventWindow, FdbEntry, StatisticsPage, StatisticsQuery, TenantsReport, VtepTimeline } from './api';
import { scanWorker, UserFacingError } from './capture-session';
import type { AnalysisAnswer, AnalysisQuery, ScanMessage } from './scan-protocol';

type Pending = { resolve(answer: AnalysisAnswer): void; reject(err: Error): void };
type QueryOf<Op extends AnalysisQuery['op']> = Omit<Extract<AnalysisQuery, { op: Op }>, 'id' | 'final'>;

export class AnalysisClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | null = null;
  /** Frames analysed so far while the first pass runs (for a progress line). */
  progressFrames = 0;

  /** `paths`: the session's capture (one file, or several read as one). */
  constructor(paths: string[]) {
    this.worker = scanWorker({ task: 'analyse', paths });
    this.worker.on('message', (m: ScanMessage) => {
      if (m.kind === 'analyse-progress') this.progressFrames = m.frames;
      else if (m.kind === 'analyse-answer') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== null) p?.reject(new UserFacingError(`analysis failed: ${m.error}`));
        else p?.resolve(m.answer!);
      } else if (m.kind === 'error') this.fail(new UserFacingError(`analysis failed: ${m.message}`));
    });
    this.worker.on('error', (err) => this.fail(err));
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

  async tenants(final: boolean): Promise<TenantsReport> {
    return (await this.ask({ op: 'tenants' }, final)) as TenantsReport;
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

  async captureStatistics(final: boolean): Promise<CaptureStatistics> {
    return (await this.ask({ op: 'captureStatistics' }, final)) as CaptureStatistics;
  }

  async statistics(query: StatisticsQuery, final: boolean): Promise<StatisticsPage> {
    const { sessionId: _session, ...rest } = query;
    return (await this.ask({ op: 'statistics', query: rest }, final)) as StatisticsPage;
  }

  async fdbAt(frame: number, final: boolean): Promise<{ frame: number; entries: FdbEntry[] }> {
    return (await this.ask({ op: 'fdbAt', frame }, final)) as { frame: number; entries: FdbEntry[] };
  }

  close(): void {
    this.fail(new UserFacingError('the capture was closed'));
    void this.worker.terminate();
  }
}
