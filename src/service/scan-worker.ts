// Worker thread for the long passes over a capture, so the service (and the window) never waits on
// them: indexing (posting the index in batches, so the first rows show at once; following a live
// capture's growing file), display filtering (the report's filtered pass, posting progress, then the
// matching frame numbers), and the tenants/VTEP analysis (one CaptureAnalysis kept per session).
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { exportFrames } from '../export/export-frames';
import { parseTenantSpec } from '../export/tenant-spec';
import { collectReportData } from '../report/report-data';
import { renderReport, reportFormatFor } from '../report/report-format';
import { CaptureAnalysis } from '../overlay/analyze-capture';
import { CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import { columnBuffers } from '../capture/frame-index';
import { CaptureIndexer } from '../dissect/indexer';
import { compileFilter } from '../filter';
import { forEachMatchingFrame } from '../filter/filtered-pass';
import type { Progress } from '../report/progress';
import { fdbEntries, tenantsView, trafficOf, vtepTimelineView } from './overlay-views';
import type { CaptureStatistics, TenantsReport, VtepEvent, VtepTimeline } from './api';
import { explainForwarding } from './forwarding-explanation';
import { VtepEventIndex } from './vtep-event-window';
import { captureStatistics } from './capture-statistics';
import { StatisticsTables } from './statistics-tables';
import { MergedSet, openMerged, openSource, setLayoutOf } from './capture-source';
import type { AnalysisAnswer, AnalysisQuery, FinishFollowing, IndexBatch, ScanMessage, ScanRequest, WriteJob } from './scan-protocol';

const PROGRESS_EVERY_MS = 100;
const FIRST_BATCH_FRAMES = 2000;
const FOLLOW_POLL_MS = 200;

function post(message: ScanMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function indexBatch(file: FrameSource, from: number, to: number, reassembled: number[][]): { batch: IndexBatch; transfer: ArrayBuffer[] } {
  const columns = file.index.slice(from, to);
  const batch: IndexBatch = {
    from,
    to,
    columns,
    interfaces: file.interfaces.map((i) => ({ name: i.name ?? '', linkType: i.linkType })),
    captureInterfaces: file.interfaces.map((i) => ({ ...i })),
    reassembled,
  };
  return { batch, transfer: columnBuffers(columns) };
}

function runIndex(paths: string[], follow: boolean): void {
  const file = openSource(paths);
  if (file instanceof CaptureSet) {
    const layout = setLayoutOf(file);
    post({ kind: 'set-layout', layout }, [layout.captureOf.buffer as ArrayBuffer, layout.memberFrame.buffer as ArrayBuffer]);
  }
  const indexer = new CaptureIndexer(file);
  let posted = 0;
  let postedDatagrams = 0;
  let lastPost = Date.now();
  const flush = (upTo: number): void => {
    if (upTo <= posted) return;
    const completed = indexer.reassembly?.links.completed ?? [];
    const reassembled = completed.slice(postedDatagrams);
    postedDatagrams = completed.length;
    const { batch, transfer } = indexBatch(file, posted, upTo, reassembled);
    posted = upTo;
    lastPost = Date.now();
    post({ kind: 'index-batch', batch }, transfer);
  };
  const pass = (final: boolean): void => {
    indexer.run((_ctx, frame) => {
      const count = frame + 1;
      if (count === FIRST_BATCH_FRAMES || ((count & 1023) === 0 && Date.now() - lastPost >= PROGRESS_EVERY_MS)) flush(count);
    }, final);
    flush(file.index.count);
  };
  const done = (): void => {
    post({ kind: 'index-done', frames: file.index.count, problem: file.problem, format: file.format });
    file.close();
  };
  if (!follow) {
    pass(true);
    done();
    return;
  }
  // A live capture's file: read what is complete every poll (a record cut by the end of the file waits
  // for the next one) until the service says the capture program has exited, then read the rest.
  let finishing = false;
  const timer = setInterval(() => {
    if (!finishing) pass(false);
  }, FOLLOW_POLL_MS);
  pass(false);
  parentPort!.on('message', (m: FinishFollowing) => {
    if (m.kind !== 'finish' || finishing) return;
    finishing = true;
    clearInterval(timer);
    pass(true);
    done();
    parentPort!.close();
  });
}

function runFilter(paths: string[], text: string, limit: number, merged: MergedSet | null): void {
  const filter = compileFilter(text);
  const file = merged !== null ? openMerged(paths, merged) : openSource(paths);
  let matches = new Uint32Array(1 << 16);
  let matched = 0;
  let lastPost = Date.now();
  const progress: Progress = {
    frame(frame: number): void {
      if ((frame & 1023) === 0 && Date.now() - lastPost >= PROGRESS_EVERY_MS) {
        lastPost = Date.now();
        post({ kind: 'filter-progress', scanned: frame + 1, matched });
      }
    },
    done(): void {},
  };
  forEachMatchingFrame(
    file,
    filter,
    (_ctx, frame) => {
      // A live file may hold more frames than the session has indexed: the view stops where it does.
      if (frame >= limit) return;
      if (matched === matches.length) {
        const bigger = new Uint32Array(matches.length * 2);
        bigger.set(matches);
        matches = bigger;
      }
      matches[matched++] = frame;
    },
    { progress },
  );
  const result = matches.slice(0, matched);
  post({ kind: 'filter-done', matches: result }, [result.buffer as ArrayBuffer]);
  file.close();
}

function runAnalyse(paths: string[]): void {
  const file = openSource(paths);
  const analysis = new CaptureAnalysis(file);
  let finished = false;
  const update = (final: boolean): void => {
    if (finished) return;
    analysis.update(final, (frames) => post({ kind: 'analyse-progress', frames }));
    finished = final;
  };
  // Views of a finished analysis are built once; a live one's are rebuilt on each query as it grows.
  type Vteps = { timeline: VtepTimeline; events: VtepEvent[]; window: VtepEventIndex };
  const cache: { tenants?: TenantsReport; vteps?: Vteps; statistics?: StatisticsTables; captureStatistics?: CaptureStatistics } = {};
  const once = <K extends keyof typeof cache>(key: K, build: () => NonNullable<(typeof cache)[K]>): NonNullable<(typeof cache)[K]> => {
    if (!finished) return build();
    return (cache[key] ??= build()) as NonNullable<(typeof cache)[K]>;
  };
  const vteps = (live: boolean): Vteps =>
    once('vteps', () => {
      const view = vtepTimelineView(analysis.vteps(), trafficOf(file), file.index, live);
      return { ...view, window: new VtepEventIndex(view.events) };
    });
  parentPort!.on('message', (q: AnalysisQuery) => {
    try {
      update(q.final);
      const live = !q.final;
      let answer: AnalysisAnswer;
      if (q.op === 'tenants') answer = once('tenants', () => tenantsView(analysis.tenants(), trafficOf(file), live));
      else if (q.op === 'vteps') answer = vteps(live).timeline;
      else if (q.op === 'vtepEvents') answer = vteps(live).window.window(q.query);
      else if (q.op === 'forwarding') answer = { frame: q.frame, lines: explainForwarding(file, analysis, vteps(live).events, q.frame) };
      else if (q.op === 'captureStatistics') answer = once('captureStatistics', () => captureStatistics(paths, analysis.tenants(), analysis.vteps()));
      else if (q.op === 'statistics') answer = once('statistics', () => new StatisticsTables(analysis.tenants())).page(q.query);
      else answer = { frame: q.frame, entries: fdbEntries(analysis.fdbAt(Math.min(q.frame, Math.max(1, file.frameCount)))) };
      post({ kind: 'analyse-answer', id: q.id, answer, error: null });
    } catch (err) {
      post({ kind: 'analyse-answer', id: q.id, answer: null, error: (err as Error).message });
    }
  });
}

/** Save Displayed As and Export Tenant Report: the CLI's export and report code, off the service's thread. */
function runWrite(paths: string[], job: WriteJob): void {
  const file = openSource(paths);
  try {
    const filter = job.filter.trim() === '' ? null : compileFilter(job.filter);
    if (job.kind === 'frames') {
      const tenant = job.tenant === '' ? null : parseTenantSpec(job.tenant);
      const summary = exportFrames(file, job.out, { filter, tenant, decap: job.decap, format: job.format });
      post({ kind: 'write-done', written: summary.written, matched: summary.matched, skipped: summary.skipped });
    } else {
      const format = reportFormatFor(job.out);
      if (format === null) throw new Error(`${job.out}: a report is .html, .csv or .json`);
      const text = renderReport(collectReportData(file, filter), format, { conversations: job.conversations });
      writeFileSync(job.out, text);
      post({ kind: 'write-done', written: 1, matched: 0, skipped: {} });
    }
  } finally {
    file.close();
  }
}

const request = workerData as ScanRequest;
try {
  if (request.task === 'index') runIndex(request.paths, request.follow);
  else if (request.task === 'filter') runFilter(request.paths, request.filter, request.limit, request.merged);
  else if (request.task === 'write') runWrite(request.paths, request.job);
  else runAnalyse(request.paths);
} catch (err) {
  post({ kind: 'error', message: (err as Error).message });
}
