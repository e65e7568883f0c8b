// tunnelscope export FILE (--tenant TYPE:ID | --filter EXPR) -w OUT.pcapng [--decap]: the frames of one
// tenant (or any display filter) as a capture Wireshark opens.
// The work behind `tunnelscope export`, loaded only when that command runs (see export.ts).
import * as path from 'node:path';
import { CaptureFileFormat } from '../../capture/writer';
import { describeExport, exportFrames } from '../../export/export-frames';
import { parseTenantSpec, TenantSelector, TenantSpecError } from '../../export/tenant-spec';
import { captureProgress } from '../../report/progress';
import { UserError } from '../errors';
import { compileFilterOrFail } from '../filter-option';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
export interface ExportCommandOptions {
  tenant?: string;
  filter?: string;
  write: string;
  decap?: boolean;
  reassemble: boolean;
}


function outputFormat(out: string): CaptureFileFormat {
  const ext = path.extname(out).toLowerCase();
  if (ext === '.pcapng') return 'pcapng';
  if (ext === '.pcap') return 'pcap';
  throw new UserError(`-w ${out}: the output must end in .pcapng or .pcap`, 2);
}

export function runExport(input: string, options: ExportCommandOptions): void {
  if (options.tenant === undefined && options.filter === undefined) {
    throw new UserError('export: give --tenant TYPE:ID or --filter EXPR (use --filter "" to export every frame)', 2);
  }
  let tenant: TenantSelector | null = null;
  try {
    if (options.tenant !== undefined) tenant = parseTenantSpec(options.tenant);
  } catch (err) {
    if (err instanceof TenantSpecError) throw new UserError(err.message, 2);
    throw err;
  }
  const filter = options.filter !== undefined && options.filter.trim() !== '' ? compileFilterOrFail(options.filter) : null;
  const format = outputFormat(options.write);
  if (path.resolve(input) === path.resolve(options.write)) throw new UserError(`-w ${options.write}: would overwrite the input capture`, 2);
  const file = openCaptureOrFail(input);
  let summary;
  try {
    summary = exportFrames(file, options.write, { filter, tenant, decap: options.decap === true, format, progress: captureProgress(file, 'export'), reassemble: options.reassemble });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UserError(`-w ${options.write}: ${(err as Error).message}`);
    throw err;
  } finally {
    file.close();
  }
  process.stderr.write(`tunnelscope: ${describeExport(summary, options.write, filter !== null || tenant !== null)}\n`);
  reportCaptureProblem(file);
}
