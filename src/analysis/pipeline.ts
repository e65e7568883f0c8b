// The analysis of a large capture over two cores: this (main) thread reads and fast-dissects the
// frames and fills one fixed-size record per frame (FlowKeyReader.fill, the analyzer's one input) into
// a ring of batches in shared memory; a worker (pipeline-worker.ts) feeds them to an OverlayAnalyzer
// in capture order, then writes the tenants report. Hand-off is by Atomics on a control array.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CaptureFile } from '../capture/capture-file';
import { DecodeAsOverrides, Dissection } from '../dissect/dissection';
import { CaptureIndexer } from '../dissect/indexer';
import { FlowKeyReader, Rec, RecKind } from './flow-key';

/** Frames per batch, batches in the ring, bytes of membership frames per batch. */
export const BATCH = 2048;
export const SLOTS = 8;
export const RAW_BYTES = 1 << 18;

/** Control words (Int32Array). */
export const enum Ctl {
  /** Batches published by the reader. */
  Produced = 0,
  /** Batches the worker is done with. */
  Consumed = 1,
  /** 1 when the reader has published its last batch. */
  Finished = 2,
  /** 1 when the worker failed (it stops consuming). */
  Failed = 3,
  /** Bumped on every publish and at the end: what the worker waits on. */
  Seq = 4,
  /** Records in each slot's batch, from here on. */
  Counts = 8,
  Length = 8 + SLOTS,
}

/** Use the pipeline for captures at least this big (smaller ones gain less than a worker costs). */
export const PIPELINE_MIN_BYTES = 32 * 1024 * 1024;

export function worthPipelining(file: CaptureFile): boolean {
  try {
    return fs.statSync(file.path).size >= PIPELINE_MIN_BYTES;
  } catch {
    return false;
  }
}

export interface PipelineOptions {
  mtu: number;
  decodeAs: DecodeAsOverrides | null;
  format: 'json' | 'text';
  expectedFlows: number;
}

export interface PipelineInit extends PipelineOptions {
  control: SharedArrayBuffer;
  records: SharedArrayBuffer;
  raw: SharedArrayBuffer;
}

/** What the reader sends once its last batch is published: frame times and the file's state. */
export interface PipelineEnd {
  tsSec: Float64Array<ArrayBuffer>;
  tsNsec: Uint32Array<ArrayBuffer>;
  frameCount: number;
  problem: string | null;
}

/**
 * Analyses `file` with the worker and has it write the tenants report to stdout. The worker starts
 * first (its start-up overlaps the reading). Resolves when the report is out; rejects on errors, with
 * the worker stopped.
 */
export function tenantsPipelined(file: CaptureFile, options: PipelineOptions): Promise<void> {
  const control = new SharedArrayBuffer(Ctl.Length * 4);
  const records = new SharedArrayBuffer(SLOTS * BATCH * Rec.Stride * 4);
  const raw = new SharedArrayBuffer(SLOTS * RAW_BYTES);
  const init: PipelineInit = { ...options, control, records, raw };
  const worker = new Worker(path.join(__dirname, 'pipeline-worker.js'), { workerData: init });
  let settled = false;
  let done = false;
  const result = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { done?: boolean; error?: string }) => {
      if (m.error !== undefined) reject(new Error(m.error));
      if (m.done === true) done = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      settled = true;
      // Exiting without the report done: stdout was closed (`| head`), as ByteWriter/LineWriter exit.
      if (code === 0 && !done) process.exit(0);
      if (code === 0) resolve();
      else reject(new Error(`analysis worker exited with code ${code}`));
    });
  });
  try {
    feed(file, options.decodeAs, new Int32Array(control), new Uint32Array(records), new Uint8Array(raw));
  } catch (err) {
    if (!settled) void worker.terminate();
    throw err;
  }
  const index = file.index;
  const end: PipelineEnd = {
    tsSec: index.tsSec.slice(0, index.count) as Float64Array<ArrayBuffer>,
    tsNsec: index.tsNsec.slice(0, index.count) as Uint32Array<ArrayBuffer>,
    frameCount: file.frameCount,
    problem: file.problem,
  };
  worker.postMessage(end, [end.tsSec.buffer, end.tsNsec.buffer]);
  const ctl = new Int32Array(control);
  Atomics.store(ctl, Ctl.Finished, 1);
  Atomics.add(ctl, Ctl.Seq, 1);
  Atomics.notify(ctl, Ctl.Seq);
  return result;
}

/** Reads every frame into the ring (the main thread's half). */
function feed(file: CaptureFile, decodeAs: DecodeAsOverrides | null, ctl: Int32Array, recs: Uint32Array, raw: Uint8Array): void {
  const indexer = new CaptureIndexer(file);
  const ctx = indexer.ctx;
  ctx.decodeAs = decodeAs;
  ctx.wantTree = false;
  ctx.wantColumns = false;
  const reader = new FlowKeyReader();
  let produced = 0;
  let slot = 0;
  let n = 0;
  let rawUsed = 0;
  let base = 0;
  const publish = (): void => {
    Atomics.store(ctl, Ctl.Counts + slot, n);
    produced++;
    Atomics.store(ctl, Ctl.Produced, produced);
    Atomics.add(ctl, Ctl.Seq, 1);
    Atomics.notify(ctl, Ctl.Seq);
    // Wait for a free slot.
    for (;;) {
      const consumed = Atomics.load(ctl, Ctl.Consumed);
      if (Atomics.load(ctl, Ctl.Failed) !== 0) throw new Error('analysis worker failed');
      if (produced - consumed < SLOTS) break;
      Atomics.wait(ctl, Ctl.Consumed, consumed, 1000);
    }
    slot = produced % SLOTS;
    n = 0;
    rawUsed = 0;
    base = slot * BATCH * Rec.Stride;
  };
  indexer.run((fast: Dissection, frame: number) => {
    const at = base + n * Rec.Stride;
    reader.fill(fast, frame, recs, at);
    if ((recs[at + Rec.Kind] & 0xff) === RecKind.Membership) {
      const length = fast.capLen;
      if (rawUsed + length > RAW_BYTES) {
        // No room left in this batch's bytes: publish it and put the frame first in the next one.
        publish();
        recs.copyWithin(base, at, at + Rec.Stride);
        return membership(fast, frame, base);
      }
      membership(fast, frame, at);
      return;
    }
    if (++n === BATCH) publish();
  }, true);
  if (n > 0) publish();

  function membership(fast: Dissection, frame: number, at: number): void {
    const length = Math.min(fast.capLen, RAW_BYTES);
    const from = slot * RAW_BYTES + rawUsed;
    raw.set(fast.buf.subarray(fast.base, fast.base + length), from);
    recs[at + Rec.RawAt] = from;
    recs[at + Rec.RawLength] = length;
    recs[at + Rec.LinkType] = file.linkType(frame);
    rawUsed += length;
    if (++n === BATCH) publish();
  }
}
