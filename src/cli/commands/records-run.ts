// The work behind `tunnelscope records`, loaded only when that command runs (see records.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeRecords } from '../../overlay/records';
import { decodeAsOverrides } from '../decode-as-overrides';
import { UserError } from '../errors';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';

export interface RecordsOptions {
  out: string;
  decodeAs: string[];
}

export async function runRecords(paths: string[], options: RecordsOptions): Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  if (fs.existsSync(options.out) && !fs.statSync(options.out).isDirectory()) throw new UserError(`--out ${options.out}: not a folder`, 2);
  const source = openCapturesOrFail(paths, decodeAs);
  try {
    const summary = await writeRecords(source, options.out, decodeAs);
    const rows = Object.entries(summary.rows).map(([table, n]) => `${path.join(options.out, table, `${summary.files}.parquet`)} (${n.toLocaleString('en-US')} rows)`);
    process.stderr.write(`tunnelscope: wrote ${rows.join(', ')}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UserError(`--out ${options.out}: ${(err as Error).message}`);
    throw err;
  } finally {
    source.close();
  }
  reportCaptureProblem(source);
}
