// The worker half of the pipeline (reader.ts): feeds the reader's frame records to an
// OverlayAnalyzer in capture order, then the report: written here, but for the tenants report in JSON,
// which is shared with the reader (the conversations go over first so that both threads write their
// lists at once).
//
// Modules that only some captures or commands need load when needed: every module loaded before the
// first batch delays the whole analysis (the reader waits on a full ring while the worker starts).
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import type { Dissection } from '../../dissect/dissection';
import { tenantsReportHead } from '../tenants-report/build';
import { ConversationLists, headPieces } from '../tenants-report/json';
import { Conversations } from '../conversations';
import { OverlayAnalyzer } from '../analyzer';
import { ByteWriter } from '../output/byte-writer';
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
    // Numbers in shared memory: both threads read them, and they go over without a copy.
    const conversations = analyzer.conversationTotals(true);
    const readerTenants = splitTenants(conversations, analyzer.tenants.count);
    const copy = conversations.copy();
    post({ kind: 'conversations', conversations: copy, readerTenants }, copy.transferList());
    const end = await readerEnd(analyzer);
    const { report, tenantOrder } = tenantsReportHead(analyzer, end.problem);
    const mine = readerTenants.map((r) => 1 - r);
    const lists = new ConversationLists(conversations, mine);
    const out = new ByteWriter(-1, lists.byteEstimate);
    const lengths: number[] = [];
    for (const t of tenantOrder) {
      if (readerTenants[t] !== 0) continue;
      const before = out.length;
      lists.write(t, out);
      lengths.push(out.length - before);
    }
    const bytes = out.take();
    const json: JsonMessage = { kind: 'json', pieces: headPieces(report), tenantOrder, lists: bytes, lengths };
    post(json, [bytes.buffer as ArrayBuffer]);
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

/** Tenants whose conversation lists the reader writes (1): about half of them, the biggest tenants spread. */
function splitTenants(conversations: Conversations, tenants: number): Uint8Array {
  const countOf = new Float64Array(tenants);
  for (let c = 0; c < conversations.count; c++) countOf[conversations.tenantOf[c]]++;
  const bySize = Array.from({ length: tenants }, (_, t) => t).sort((a, b) => countOf[b] - countOf[a] || a - b);
  const reader = new Uint8Array(tenants);
  let readerCount = 0;
  let workerCount = 0;
  for (const t of bySize) {
    if (readerCount <= workerCount) {
      reader[t] = 1;
      readerCount += countOf[t];
    } else {
      workerCount += countOf[t];
    }
  }
  return reader;
}

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

main(workerData as PipelineInit).catch((err: unknown) => {
  post({ kind: 'error', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
