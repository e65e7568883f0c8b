// The work behind `tunnelscope dissect`, loaded only when that command runs (see dissect.ts).
import { decodeAsOverrides } from '../decode-as-overrides';
import { forEachMatchingFrame } from '../../filter/filtered-pass';
import { frameJsonLine, frameTextLine } from '../../dissect/summary';
import { compileFilterOrFail } from '../filter-option';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';
import { STDOUT } from '../output';
import { LineWriter } from '../../overlay/output/line-writer';

export interface DissectOptions {
  filter?: string;
  format: 'text' | 'jsonl';
  decodeAs: string[];
  /** false with --no-reassemble. */
  reassemble: boolean;
}

export function runDissect(paths: string[], options: DissectOptions): void {
  const filter = options.filter !== undefined ? compileFilterOrFail(options.filter) : null;
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCapturesOrFail(paths, decodeAs);
  const out = new LineWriter(STDOUT);
  const jsonl = options.format === 'jsonl';
  forEachMatchingFrame(
    file,
    filter,
    (ctx, _frame, meta) => out.line(jsonl ? frameJsonLine(ctx, meta.number, meta) : frameTextLine(ctx, meta.number, meta.relative, meta.capture)),
    { columns: true, decodeAs, reassemble: options.reassemble },
  );
  out.flush();
  file.close();
  reportCaptureProblem(file);
}
