// The worker half of the pipeline (pipeline.ts): feeds the reader's frame records to an
// OverlayAnalyzer in capture order, then writes the tenants report to stdout.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { FrameIndex } from '../capture/frame-index';
import { Dissection } from '../dissect/dissection';
import { dissectFrame } from '../dissect/engine';
import { buildTenantsReport } from '../tenants/report';
import { writeTenantsReportJson } from '../tenants/json';
import { tenantsReportText } from '../tenants/text';
import { LineWriter } from '../cli/output';
import { OverlayAnalyzer } from './analyzer';
import { ByteWriter } from './byte-writer';
import { Rec, RecKind } from './flow-key';
import { BATCH, Ctl, PipelineEnd, PipelineInit, SLOTS } from './pipeline';

async function main(init: PipelineInit): Promise<void> {
  const ctl = new Int32Array(init.control);
  const recs = new Uint32Array(init.records);
  const raw = new Uint8Array(init.raw);
  const analyzer = new OverlayAnalyzer(null, init.mtu, init.expectedFlows);
  const ctx = new Dissection();
  ctx.decodeAs = init.decodeAs;
  let consumed = 0;
  try {
    for (;;) {
      const seq = Atomics.load(ctl, Ctl.Seq);
      const finished = Atomics.load(ctl, Ctl.Finished);
      const produced = Atomics.load(ctl, Ctl.Produced);
      if (consumed < produced) {
        const slot = consumed % SLOTS;
        const count = Atomics.load(ctl, Ctl.Counts + slot);
        const base = slot * BATCH * Rec.Stride;
        for (let i = 0; i < count; i++) {
          const at = base + i * Rec.Stride;
          if ((recs[at + Rec.Kind] & 0xff) === RecKind.Membership) {
            const from = recs[at + Rec.RawAt];
            dissectFrame(ctx, raw, from, recs[at + Rec.RawLength], recs[at + Rec.OrigLen], recs[at + Rec.LinkType]);
            analyzer.addRecord(recs, at, ctx);
          } else {
            analyzer.addRecord(recs, at, null);
          }
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
  const end = (receiveMessageOnPort(parentPort!)?.message ?? (await once(parentPort!, 'message'))[0]) as PipelineEnd;
  const index = new FrameIndex(0);
  index.tsSec = end.tsSec;
  index.tsNsec = end.tsNsec;
  index.count = end.tsSec.length;
  (analyzer as { index: FrameIndex | null }).index = index;
  analyzer.frames = Math.max(analyzer.frames, end.frameCount);
  if (init.format === 'json') {
    const out = new ByteWriter();
    writeTenantsReportJson(analyzer, end.problem, out);
    out.byte(0x0a);
    out.flush();
  } else {
    const out = new LineWriter();
    for (const line of tenantsReportText(buildTenantsReport(analyzer, end.problem))) out.line(line);
    out.flush();
  }
  parentPort!.postMessage({ done: true });
}

main(workerData as PipelineInit).catch((err: unknown) => {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
