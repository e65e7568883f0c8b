// Worker thread that makes the long sequential passes over a capture so the service (and the window)
// never waits on them: indexing (posting the index in batches, so the first rows show at once) and
// display filtering (posting progress, then the matching frame numbers).
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureFile } from '../capture/capture-file';
import { addFrameNode } from '../dissect/engine';
import { CaptureIndexer } from '../dissect/indexer';
import { compileFilter } from '../filter';
import { OverlayAnalyser } from './overlay-analysis';
import type { ScanRequest, ScanMessage, IndexBatch } from './scan-protocol';

const PROGRESS_EVERY_MS = 100;
const FIRST_BATCH_FRAMES = 2000;

function post(message: ScanMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function indexBatch(file: CaptureFile, from: number, to: number): { batch: IndexBatch; transfer: ArrayBuffer[] } {
  const ix = file.index;
  const batch: IndexBatch = {
    from,
    to,
    fileOffset: ix.fileOffset.slice(from, to),
    tsSec: ix.tsSec.slice(from, to),
    tsNsec: ix.tsNsec.slice(from, to),
    capLen: ix.capLen.slice(from, to),
    origLen: ix.origLen.slice(from, to),
    iface: ix.iface.slice(from, to),
    flags: ix.flags.slice(from, to),
    tenantType: ix.tenantType.slice(from, to),
    tenantId: ix.tenantId.slice(from, to),
    topProto: ix.topProto.slice(from, to),
    outerSrc: ix.outerSrc.slice(from, to),
    outerDst: ix.outerDst.slice(from, to),
    interfaces: file.interfaces.map((i) => ({ name: i.name ?? '', linkType: i.linkType })),
  };
  const transfer = [batch.fileOffset, batch.tsSec, batch.tsNsec, batch.capLen, batch.origLen, batch.iface, batch.flags, batch.tenantType, batch.tenantId, batch.topProto, batch.outerSrc, batch.outerDst].map(
    (a) => a.buffer as ArrayBuffer,
  );
  return { batch, transfer };
}

function runIndex(path: string): void {
  const file = CaptureFile.open(path);
  const indexer = new CaptureIndexer(file);
  let posted = 0;
  let lastPost = Date.now();
  const flush = (upTo: number): void => {
    if (upTo <= posted) return;
    const { batch, transfer } = indexBatch(file, posted, upTo);
    posted = upTo;
    lastPost = Date.now();
    post({ kind: 'index-batch', batch }, transfer);
  };
  indexer.run((_ctx, frame) => {
    const count = frame + 1;
    if (count === FIRST_BATCH_FRAMES || ((count & 1023) === 0 && Date.now() - lastPost >= PROGRESS_EVERY_MS)) flush(count);
  });
  flush(file.index.count);
  post({ kind: 'index-done', frames: file.index.count, problem: file.problem, format: file.format });
  file.close();
}

function runFilter(path: string, text: string, limit: number): void {
  const filter = compileFilter(text);
  const file = CaptureFile.open(path);
  const indexer = new CaptureIndexer(file);
  const ctx = indexer.ctx;
  ctx.wantTree = filter.needsTree;
  let matches = new Uint32Array(1 << 16);
  let matched = 0;
  let firstTime = 0;
  let lastPost = Date.now();
  const meta = { number: 0, linkType: 0, tsSec: 0, tsNsec: 0, relative: 0, interfaceId: 0, direction: 0 };
  const index = file.index;
  indexer.run((_ctx, frame) => {
    if (frame >= limit) return;
    if (frame === 0) firstTime = index.time(0);
    if (filter.needsTree) {
      meta.number = frame + 1;
      meta.linkType = file.linkType(frame);
      meta.tsSec = index.tsSec[frame];
      meta.tsNsec = index.tsNsec[frame];
      meta.relative = index.time(frame) - firstTime;
      meta.interfaceId = index.iface[frame];
      meta.direction = index.flags[frame] & 3;
      addFrameNode(ctx, meta);
    }
    if (filter.matches(ctx)) {
      if (matched === matches.length) {
        const bigger = new Uint32Array(matches.length * 2);
        bigger.set(matches);
        matches = bigger;
      }
      matches[matched++] = frame;
    }
    if ((frame & 1023) === 0 && Date.now() - lastPost >= PROGRESS_EVERY_MS) {
      lastPost = Date.now();
      post({ kind: 'filter-progress', scanned: frame + 1, matched });
    }
  });
  const result = matches.slice(0, matched);
  post({ kind: 'filter-done', matches: result }, [result.buffer as ArrayBuffer]);
  file.close();
}

function runAnalyse(path: string): void {
  const file = CaptureFile.open(path);
  const indexer = new CaptureIndexer(file);
  const analyser = new OverlayAnalyser();
  let lastPost = Date.now();
  indexer.run((ctx, frame) => {
    analyser.visit(ctx, frame, file.index);
    if ((frame & 1023) === 0 && Date.now() - lastPost >= PROGRESS_EVERY_MS) {
      lastPost = Date.now();
      post({ kind: 'analyse-progress', scanned: frame + 1 });
    }
  });
  post({ kind: 'analyse-done', result: analyser.result() });
  file.close();
}

const request = workerData as ScanRequest;
try {
  if (request.task === 'index') runIndex(request.path);
  else if (request.task === 'filter') runFilter(request.path, request.filter, request.limit);
  else runAnalyse(request.path);
} catch (err) {
  post({ kind: 'error', message: (err as Error).message });
}
