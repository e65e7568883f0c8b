// The worker half of the pipeline (reader.ts): feeds the reader's frame records to an
// OverlayAnalyzer in capture order, then the report: written here, but for the tenants report in JSON,
// whose head goes to the reader with the conversations: the reader writes the lists (see main).
//
// Modules that only some captures or commands need load when needed: every module loaded before the
// first batch delays the whole analysis (the reader waits on a full ring while the worker starts).
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import type { Dissection } from '../../dissect/dissection';
import { tenantsReportHead } from '../tenants-report/build';
import { headPieces } from '../tenants-report/json';
import { OverlayAnalyzer } from '../analyzer';
import { Rec, RecKind, recordLength, resolveFlow } from '../flow-key';
import { Ctl, JsonMessage, PipelineEnd, PipelineInit, SLOT_WORDS, SLOTS, WorkerMessage } from './start';

async function main(init: PipelineInit): Promise<void> {
  const analyzer = new OverlayAnalyzer(init.mtu, init.expectedFlows, init.ageing, init.command === 'vteps');
  consume(init, analyzer);
  if (init.command === 'vteps') {
    const end = await readerEnd(analyzer);
    printReports().printVtepReport(analyzer, init.format, init.lastFrame, end.problem, init.outputFd);
    post({ kind: 'done' });
    return;
  }
  if (init.format === 'json') {
    // The reader writes the conversation lists (~20 MB of JSON a 1M-frame capture) straight out
    // through one small buffer. Halved between the threads, each wrote its half into as much fresh
    // memory first, whose page faults cost more than the writing; and with the lists split between
    // the threads, each writing into no fresh memory but this thread's, the end came no sooner.
    const end = await readerEnd(analyzer);
    const { report, tenantOrder } = tenantsReportHead(analyzer, end.problem);
    // The numbers (the biggest part) in shared memory go over without a copy.
    const conversations = analyzer.conversationTotals(true).copy();
    const json: JsonMessage = { kind: 'json', pieces: headPieces(report), tenantOrder, conversations };
    post(json, conversations.transferList());
    return;
  }
  const end = await readerEnd(analyzer);
  printReports().printTenantsReport(analyzer, 'text', end.problem, init.outputFd);
  post({ kind: 'done' });
}

/** Feeds every published batch to the analyzer until the reader has finished. */
function consume(init: PipelineInit, analyzer: OverlayAnalyzer): void {
  const ctl = new Int32Array(init.control);
  const recs = new Uint32Array(init.records);
  const raw = new Uint8Array(init.raw);
  let membership: MembershipDissector | null = null;
  // vteps --at: frames after it are read (they count) but not analysed.
  const last = init.lastFrame ?? Infinity;
  let consumed = 0;
  try {
    for (;;) {
      const seq = Atomics.load(ctl, Ctl.Seq);
      const finished = Atomics.load(ctl, Ctl.Finished);
      const produced = Atomics.load(ctl, Ctl.Produced);
      if (consumed < produced) {
        const slot = consumed % SLOTS;
        const count = Atomics.load(ctl, Ctl.Counts + slot);
        let at = slot * SLOT_WORDS;
        for (let i = 0; i < count; i++) {
          if (recs[at + Rec.Frame] < last) {
            if ((recs[at + Rec.Kind] & 0xff) === RecKind.Membership) {
              membership ??= membershipDissector(init.decodeAs);
              const ctx = membership.dissect(raw, recs[at + Rec.RawAt], recs[at + Rec.RawLength], recs[at + Rec.OrigLen], recs[at + Rec.LinkType]);
              analyzer.addRecord(recs, at, ctx);
            } else {
              resolveFlow(analyzer.flows, recs, at);
              analyzer.addRecord(recs, at, null);
            }
          }
          at += recordLength(recs, at);
        }
        consumed++;
        Atomics.store(ctl, Ctl.Consumed, consumed);
        Atomics.notify(ctl, Ctl.Consumed);
        continue;
      }
      if (finished !== 0) break;
      Atomics.wait(ctl, Ctl.Seq, seq);
    }
  } catch (err) {
    Atomics.store(ctl, Ctl.Failed, 1);
    Atomics.notify(ctl, Ctl.Consumed);
    throw err;
  }
}

interface MembershipDissector {
  dissect(buf: Uint8Array, from: number, capLen: number, origLen: number, linkType: number): Dissection;
}

/** Dissects the frames the analyzer reads whole (IGMP/MLD reports): the dissectors load at the first one. */
function membershipDissector(decodeAs: string[]): MembershipDissector {
  const { Dissection } = require('../../dissect/dissection') as typeof import('../../dissect/dissection');
  const { dissectFrame } = require('../../dissect/engine') as typeof import('../../dissect/engine');
  const { decodeAsOverrides } = require('../../dissect/decode-as') as typeof import('../../dissect/decode-as');
  const ctx = new Dissection();
  ctx.decodeAs = decodeAsOverrides(decodeAs);
  return {
    dissect(buf, from, capLen, origLen, linkType) {
      dissectFrame(ctx, buf, from, capLen, origLen, linkType);
      return ctx;
    },
  };
}

/** The text reports and the VTEP report, loaded for them only (the tenants report in JSON is put together here). */
function printReports(): typeof import('../output/print-reports') {
  return require('../output/print-reports') as typeof import('../output/print-reports');
}

/** The reader's last message: how many frames the file had, and its problem. */
async function readerEnd(analyzer: OverlayAnalyzer): Promise<PipelineEnd> {
  const end = (receiveMessageOnPort(parentPort!)?.message ?? (await once(parentPort!, 'message'))[0]) as PipelineEnd;
  analyzer.frames = Math.max(analyzer.frames, end.frameCount);
  return end;
}

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

main(workerData as PipelineInit).catch((err: unknown) => {
  post({ kind: 'error', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
