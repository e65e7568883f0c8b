// The analysis of a large capture over two cores: this (main) thread reads and fast-dissects the
// frames and fills one record per frame (FlowKeyReader.fill, the analyzer's one input) into a ring of
// batches in shared memory; a worker (worker.ts) feeds them to an OverlayAnalyzer in capture
// order, then writes the report (`tenants` or `vteps`). Hand-off is by Atomics on a control array.
// The tenants report in JSON is written here: the worker sends the report's head and the
// conversations, and this thread writes their lists.
import { CaptureFile } from '../../capture/capture-file';
import { Dissection } from '../../dissect/dissection';
import { CaptureIndexer } from '../../dissect/indexer';
import { writeReportPieces } from '../tenants-report/json';
import { Conversations } from '../conversations';
import { ByteWriter } from '../output/byte-writer';
import { decodeAsOverrides } from '../../dissect/decode-as';
import { FlowKeyReader, Rec, RecKind, recordLength } from '../flow-key';
import { BATCH, Ctl, JsonMessage, PipelineEnd, PipelineInit, RAW_BYTES, SLOT_WORDS, SLOTS, StartedPipeline, WorkerMessage } from './start';

/**
 * Analyses `file` with the started worker; the report goes to the pipeline's output file descriptor. Resolves when it is out; rejects
 * on errors, with the worker stopped. `check`, called once every frame is read, may throw to stop
 * before the report (a UserError, e.g. an --at past the last frame).
 */
export function analysePipelined(file: CaptureFile, started: StartedPipeline, check: () => void = () => undefined): Promise<void> {
  const { worker, init } = started;
  let settled = false;
  const result = new Promise<void>((resolve, reject) => {
    let done = false;
    worker.on('message', (m: WorkerMessage) => {
      try {
        if (m.kind === 'error') reject(new Error(m.error));
        else if (m.kind === 'json') {
          writeJsonReport(m, init.outputFd);
          done = true;
        } else if (m.kind === 'done') done = true;
      } catch (err) {
        void worker.terminate();
        reject(err);
      }
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
    feed(file, new Int32Array(init.control), new Uint32Array(init.records), new Uint8Array(init.raw), init);
    check();
  } catch (err) {
    result.catch(() => undefined); // the worker's end is of no interest now
    if (!settled) void worker.terminate();
    throw err;
  }
  const end: PipelineEnd = { frameCount: file.frameCount, problem: file.problem };
  worker.postMessage(end);
  const ctl = new Int32Array(init.control);
  Atomics.store(ctl, Ctl.Finished, 1);
  Atomics.add(ctl, Ctl.Seq, 1);
  Atomics.notify(ctl, Ctl.Seq);
  return result;
}

/**
 * The tenants report in JSON, from the worker's head and conversations, out to the output file
 * descriptor through one small buffer.
 */
function writeJsonReport(m: JsonMessage, outputFd: number): void {
  const out = new ByteWriter(outputFd);
  writeReportPieces(m.pieces, m.tenantOrder, Conversations.from(m.conversations), out);
  out.byte(0x0a);
  out.flush();
}

/** Reads every frame into the ring (the main thread's half). */
function feed(file: CaptureFile, ctl: Int32Array, recs: Uint32Array, raw: Uint8Array, init: PipelineInit): void {
  const indexer = new CaptureIndexer(file, { reassemble: init.reassemble });
  const ctx = indexer.ctx;
  ctx.decodeAs = decodeAsOverrides(init.decodeAs);
  ctx.wantTree = false;
  ctx.wantColumns = false;
  const reader = new FlowKeyReader();
  const visiting = file.visiting;
  let produced = 0;
  let slot = 0;
  let n = 0;
  let rawUsed = 0;
  let at = 0;
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
    at = slot * SLOT_WORDS;
  };
  indexer.run((fast: Dissection, frame: number) => {
    reader.fill(fast, frame, visiting.time, recs, at);
    if ((recs[at + Rec.Kind] & 0xff) === RecKind.Membership) {
      if (rawUsed + fast.capLen > RAW_BYTES) {
        // No room left in this batch's bytes: publish it and put the frame first in the next one.
        const from = at;
        publish();
        recs.copyWithin(at, from, from + Rec.Key);
      }
      membership(fast);
    } else {
      at += recordLength(recs, at);
    }
    if (++n === BATCH) publish();
  }, true, false);
  if (n > 0) publish();

  function membership(fast: Dissection): void {
    const length = Math.min(fast.capLen, RAW_BYTES);
    const from = slot * RAW_BYTES + rawUsed;
    raw.set(fast.buf.subarray(fast.base, fast.base + length), from);
    recs[at + Rec.RawAt] = from;
    recs[at + Rec.RawLength] = length;
    recs[at + Rec.LinkType] = visiting.linkType;
    rawUsed += length;
    at += Rec.Key;
  }
}
