// The work behind `tunnelscope dissect`, loaded only when that command runs (see dissect.ts).
import { decodeAsOverrides } from '../decode-as-overrides';
import { forEachMatchingFrame } from '../../dissect/filtered-pass';
import { frameJsonLine, frameTextLine } from '../../dissect/summary';
import { compileFilterOrFail } from '../filter-option';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { LineWriter } from '../output';

export interface DissectOptions {
  filter?: string;
  format: 'text' | 'jsonl';
  decodeAs: string[];
  /** false with --no-reassemble. */
  reassemble: boolean;
}

export function runDissect(path: string, options: DissectOptions): void {
  const filter = options.filter !== undefined ? compileFilterOrFail(options.filter) : null;
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  const out = new LineWriter();
  const jsonl = options.format === 'jsonl';
  forEachMatchingFrame(
    file,
    filter,
    (ctx, _frame, meta) => out.line(jsonl ? frameJsonLine(ctx, meta.number, meta) : frameTextLine(ctx, meta.number, meta.relative)),
    { columns: true, decodeAs, reassemble: options.reassemble },
  );
  out.flush();
  file.close();
  reportCaptureProblem(file);
}
