// The shared memory and the worker of the two-thread analysis of a large capture (reader.ts), for
// `tenants` and `vteps`, started before the reading modules load: this module needs only Node's own,
// so the worker boots while they do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Conversations } from '../conversations';
import { Rec } from '../flow-key';

/** Frames per batch, batches in the ring, bytes of membership frames per batch. */
export const BATCH = 2048;
/** Enough batches (about 130k frames) that the reader never waits while the worker starts. */
export const SLOTS = 64;
export const RAW_BYTES = 1 << 16;

/** Words of records a slot holds: a batch of the longest records. */
export const SLOT_WORDS = BATCH * Rec.MaxLength;

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

export interface PipelineOptions {
  /** The report the worker makes of the analysis. */
  command: 'tenants' | 'vteps';
  format: 'json' | 'text';
  mtu: number;
  /** -d/--decode-as values, parsed by each thread. */
  decodeAs: string[];
  /** false with --no-reassemble. */
  reassemble: boolean;
  /** File descriptor the report is written to (both threads write to it; the CLI passes stdout's). */
  outputFd: number;
  /** vteps --at: learning stops after this frame (1-based) and the report is as of it. */
  lastFrame?: number;
  /** FDB ageing time in seconds. */
  ageing: number;
  expectedFlows: number;
}

export interface PipelineInit extends PipelineOptions {
  control: SharedArrayBuffer;
  records: SharedArrayBuffer;
  raw: SharedArrayBuffer;
}

/** Reader to worker, once its last batch is published: the file's state (no per-frame data: reports keep their frames' times). */
export interface PipelineEnd {
  frameCount: number;
  problem: string | null;
}

/**
 * Worker to reader (JSON output): the report's JSON cut at each tenant's list (json.ts headPieces),
 * the tenant numbers in report order and the conversations, whose lists the reader writes.
 */
export interface JsonMessage {
  kind: 'json';
  pieces: string[];
  tenantOrder: number[];
  conversations: Conversations;
}

export type WorkerMessage = JsonMessage | { kind: 'done' } | { kind: 'error'; error: string };

export interface StartedPipeline {
  worker: Worker;
  init: PipelineInit;
}

/** The capture's size in bytes, or 0 when it cannot be known. */
export function captureBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * About one flow per five frames of ~200 bytes (overlay mixes show one per three to eight): sized up
 * front, the flow tables rarely grow and rehash on the way. Only the slots used take memory.
 */
export function expectedFlowCount(bytes: number): number {
  return Math.min(1 << 20, Math.max(1024, Math.floor(bytes / 1000)));
}

/**
 * For a capture big enough to gain from it, allocates the ring and starts the worker (the reader goes
 * on with reader.ts analysePipelined); null for a smaller one, analysed on one thread. With a single
 * processor to run on (a CPU affinity of one), a second thread only adds its start, its own module
 * loading and the hand-off to the work: the analysis stays on this thread.
 */
export function startPipelineFor(file: string, options: Omit<PipelineOptions, 'expectedFlows'>): StartedPipeline | null {
  if (os.availableParallelism() < 2) return null;
  const bytes = captureBytes(file);
  if (bytes < PIPELINE_MIN_BYTES) return null;
  return startPipeline({ ...options, expectedFlows: expectedFlowCount(bytes) });
}

function startPipeline(options: PipelineOptions): StartedPipeline {
  const init: PipelineInit = {
    ...options,
    control: new SharedArrayBuffer(Ctl.Length * 4),
    records: new SharedArrayBuffer(SLOTS * SLOT_WORDS * 4),
    raw: new SharedArrayBuffer(SLOTS * RAW_BYTES),
  };
  // Own stdout/stderr streams (the worker writes neither): by default Node would pipe them into this
  // thread's process.stdout/stderr, and opening those makes a piped fd 1 non-blocking for everyone.
  const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: init, stdout: true, stderr: true });
  return { worker, init };
}
