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
import { CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import { MergedSet, openMerged, openSource, setLayoutOf } from './capture-source';
import { CaptureIndexer } from '../dissect/indexer';
import { compileFilter } from '../filter';
import { decodeAsOverrides } from '../dissect/decode-as';
import { forEachMatchingFrame } from '../filter/filtered-pass';
import type { Progress } from '../report/progress';
import { AnalysisViews } from './analysis-views';
import { followTcpConversation } from '../dissect/tcp-follow';
import { followUdpConversation } from '../dissect/udp-follow';
import type { AnalysisQuery, FollowJob, FinishFollowing, ScanMessage, ScanRequest, WriteJob } from './scan-protocol';
import { IndexBatches } from './index-batches';

const PROGRESS_EVERY_MS = 100;
const FOLLOW_POLL_MS = 200;

function post(message: ScanMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

/** Several captures read as one: their layout goes to the service before the first batch. */
function postSetLayout(file: FrameSource): void {
  if (!(file instanceof CaptureSet)) return;
  const layout = setLayoutOf(file);
  post({ kind: 'set-layout', layout }, [layout.captureOf.buffer as ArrayBuffer, layout.memberFrame.buffer as ArrayBuffer]);
}

function runIndex(paths: string[], follow: boolean, decodeAs: string[]): void {
  const file = openSource(paths, decodeAs);
  postSetLayout(file);
  const indexer = new CaptureIndexer(file);
  indexer.ctx.decodeAs = decodeAsOverrides(decodeAs);
  const batches = new IndexBatches(file, indexer.reassembly, post);
  const pass = (final: boolean): void => {
    indexer.run((_ctx, frame) => batches.frameDone(frame), final);
    batches.flush();
  };
  const done = (): void => {
    batches.done();
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

function runFilter(paths: string[], text: string, limit: number, decodeAs: string[], merged: MergedSet | null): void {
  const filter = compileFilter(text);
  const file = merged !== null ? openMerged(paths, merged) : openSource(paths, decodeAs);
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
    { progress, decodeAs: decodeAsOverrides(decodeAs) },
  );
  const result = matches.slice(0, matched);
  post({ kind: 'filter-done', matches: result }, [result.buffer as ArrayBuffer]);
  file.close();
}

/**
 * `indexStop` (a complete file opened in the app): the pass also indexes the file for the packet list,
 * posting the index as the index worker does; the service sets the flag to 1 when the user cancels the
 * analysis, and the pass goes on indexing only (the packet list still gets every frame), then ends.
 */
function runAnalyse(paths: string[], eager: boolean, decodeAs: string[], indexStop: Int32Array | null): void {
  const views = new AnalysisViews(paths, (phase, frames, fraction) => post({ kind: 'analyse-progress', phase, frames, fraction }), decodeAs);
  const reply = (q: AnalysisQuery): void => {
    try {
      post({ kind: 'analyse-answer', id: q.id, answer: views.answer(q), error: null });
    } catch (err) {
      post({ kind: 'analyse-answer', id: q.id, answer: null, error: (err as Error).message });
    }
  };
  // A selected frame's Forwarding subtree needs the VTEP view: while the views are being built it
  // waits for them, rather than building that view ahead of the tab the user opens.
  const waiting: AnalysisQuery[] = [];
  let building = false;
  parentPort!.on('message', (q: AnalysisQuery) => {
    if (building && q.op === 'forwarding') waiting.push(q);
    else reply(q);
  });
  if (indexStop !== null) {
    postSetLayout(views.file);
    const batches = new IndexBatches(views.file, views.reassembly, post);
    views.update(true, (frame) => {
      batches.frameDone(frame);
      if ((frame & 1023) === 0 && Atomics.load(indexStop, 0) !== 0) views.stopAnalysing();
    });
    batches.done();
    if (views.stopped) {
      parentPort!.close();
      return;
    }
  }
  // Queries that arrive meanwhile are answered between the views' builds (or from the kept views).
  if (!eager) return;
  building = true;
  views.buildAll(() => {
    building = false;
    for (const q of waiting.splice(0)) reply(q);
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

function runFollow(path: string, job: FollowJob): void {
  const stream = job.protocol === 'tcp' ? followTcpConversation(path, job.key) : followUdpConversation(path, job.key);
  post({ kind: 'follow-done', stream });
}

const request = workerData as ScanRequest;
try {
  if (request.task === 'index') runIndex(request.paths, request.follow, request.decodeAs);
  else if (request.task === 'filter') runFilter(request.paths, request.filter, request.limit, request.decodeAs, request.merged);
  else if (request.task === 'write') runWrite(request.paths, request.job);
  else if (request.task === 'follow') runFollow(request.path, request.job);
  else runAnalyse(request.paths, request.eager, request.decodeAs, request.indexStop === null ? null : new Int32Array(request.indexStop));
} catch (err) {
  post({ kind: 'error', message: (err as Error).message });
}
