// tunnelscope dissect FILE: one tshark-like line (or JSON object) per frame.
// The work behind `tunnelscope dissect`, loaded only when that command runs (see dissect.ts).
import { decodeAsOverrides } from '../decode-as-overrides';
import { addFrameNode } from '../../dissect/engine';
import { CaptureIndexer } from '../../dissect/indexer';
import { frameJsonLine, frameTextLine } from '../../dissect/summary';
import { compileFilterOrFail } from '../filter-option';
import { UserError } from '../errors';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { LineWriter } from '../output';
export interface DissectOptions {
  filter?: string;
  format: 'text' | 'jsonl';
  decodeAs: string[];
}


export function runDissect(path: string, options: DissectOptions): void {
  const filter = options.filter !== undefined ? compileFilterOrFail(options.filter) : null;
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  const indexer = new CaptureIndexer(file);
  const out = new LineWriter();
  const index = file.index;
  const ctx = indexer.ctx;
  ctx.decodeAs = decodeAs;
  let firstTime = 0;
  const meta = { number: 0, linkType: 0, tsSec: 0, tsNsec: 0, relative: 0, interfaceId: 0, direction: 0 };
  const jsonl = options.format === 'jsonl';
  // The indexing pass itself builds the columns, and the detail tree only when a filter needs it.
  ctx.wantColumns = true;
  ctx.wantTree = filter !== null && filter.needsTree;
  ctx.fieldFilter = filter !== null ? filter.fields : null;
  indexer.run((_fast, frame) => {
    if (frame === 0) firstTime = index.time(0);
    meta.number = frame + 1;
    meta.linkType = file.linkType(frame);
    meta.tsSec = index.tsSec[frame];
    meta.tsNsec = index.tsNsec[frame];
    meta.relative = index.time(frame) - firstTime;
    meta.interfaceId = index.iface[frame];
    meta.direction = index.flags[frame] & 3;
    if (filter !== null) {
      if (ctx.wantTree) addFrameNode(ctx, meta);
      if (!filter.matches(ctx)) return;
    }
    out.line(jsonl ? frameJsonLine(ctx, meta.number, meta) : frameTextLine(ctx, meta.number, meta.relative));
  });
  out.flush();
  file.close();
  reportCaptureProblem(file);
}

