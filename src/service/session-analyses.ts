// The analysis worker of each open capture (AnalysisClient): started when a complete file opens, so
// the heavy views are being built while the user reads the packet list; stopped by Cancel and
// started again by the next view that asks; its progress sent to the UI as `analysisProgress` events.
import type { AnalysisProgress, AnalysisStatus } from './api';
import { AnalysisClient, IndexSink } from './analysis-client';

export class SessionAnalyses {
  private readonly clients = new Map<string, AnalysisClient>();
  /** Workers started per session: a revisited view asks the kept one, so this only grows after a cancel. */
  private readonly runs = new Map<string, number>();
  private readonly stopped = new Map<string, AnalysisProgress>();

  constructor(private readonly emit: (progress: AnalysisProgress) => void) {}

  /**
   * The session's analysis worker, started if there is none. `final`: the file is complete (not a
   * live capture still writing it), so every view is built at once and kept.
   */
  client(sessionId: string, paths: string[], final: boolean, decodeAs: string[] = []): AnalysisClient {
    const client = this.clients.get(sessionId);
    if (client && client.phase !== 'failed') return client;
    return this.start(sessionId, paths, final, decodeAs, null);
  }

  /**
   * A complete file opened: its analysis starts at once, and its pass indexes the file for the session
   * too (`index` takes the index), so the views are being built while the user reads the packet list.
   */
  startIndexing(sessionId: string, paths: string[], decodeAs: string[], index: IndexSink): AnalysisClient {
    this.clients.get(sessionId)?.close();
    return this.start(sessionId, paths, true, decodeAs, index);
  }

  private start(sessionId: string, paths: string[], final: boolean, decodeAs: string[], index: IndexSink | null): AnalysisClient {
    this.runs.set(sessionId, (this.runs.get(sessionId) ?? 0) + 1);
    this.stopped.delete(sessionId);
    const client = new AnalysisClient(paths, final, (c) => this.emit(this.progressOf(sessionId, c)), decodeAs, index);
    this.clients.set(sessionId, client);
    return client;
  }

  progress(sessionId: string): AnalysisProgress | null {
    const client = this.clients.get(sessionId);
    return client ? this.progressOf(sessionId, client) : (this.stopped.get(sessionId) ?? null);
  }

  async status(sessionId: string): Promise<AnalysisStatus | null> {
    return (await this.clients.get(sessionId)?.status()) ?? null;
  }

  /**
   * Stops the computation: views waiting on it get a one-line error; the next ask starts it afresh.
   * A pass that also indexes the file goes on indexing, unless `indexingToo` (the user stopped the indexing).
   */
  cancel(sessionId: string, indexingToo = false): AnalysisProgress {
    const client = this.clients.get(sessionId);
    const progress: AnalysisProgress = {
      ...(client ? this.progressOf(sessionId, client) : { sessionId, frames: 0, fraction: 0, runs: this.runs.get(sessionId) ?? 0, message: null }),
      phase: 'cancelled',
      message: 'analysis cancelled: open the view again (or press Analyse) to start it over',
    };
    if (client && client.phase !== 'ready') {
      this.clients.delete(sessionId);
      if (indexingToo) client.close(progress.message!);
      else client.cancel(progress.message!);
      this.stopped.set(sessionId, progress);
      this.emit(progress);
      return progress;
    }
    // Nothing running (or already done): there is nothing to stop.
    return client ? this.progressOf(sessionId, client) : progress;
  }

  close(sessionId: string): void {
    this.clients.get(sessionId)?.close();
    this.clients.delete(sessionId);
    this.stopped.delete(sessionId);
    this.runs.delete(sessionId);
  }

  private progressOf(sessionId: string, client: AnalysisClient): AnalysisProgress {
    return { sessionId, phase: client.phase, frames: client.frames, fraction: client.fraction, runs: this.runs.get(sessionId) ?? 0, message: client.failure };
  }
}
