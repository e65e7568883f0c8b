// tunnelscope export FILE (--tenant TYPE:ID | --filter EXPR) -w OUT.pcapng [--decap]: the frames of one
// tenant (or any display filter) as a capture Wireshark opens.
// The work behind `tunnelscope export`, loaded only when that command runs (see export.ts).
import * as path from 'node:path';
import { CaptureFileFormat } from '../../capture/writer';
import { describeExport, exportFrames } from '../../export/export-frames';
import { OutputError, OutputIsInputError } from '../../capture/atomic-output';
import { parseTenantSpec, TenantSelector, TenantSpecError } from '../../export/tenant-spec';
import { captureProgress } from '../../report/progress';
import { UserError } from '../errors';
import { compileFilterOrFail } from '../filter-option';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';
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

export function runExport(inputs: string[], options: ExportCommandOptions): void {
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
  const file = openCapturesOrFail(inputs);
  let summary;
  try {
    summary = exportFrames(file, options.write, { filter, tenant, decap: options.decap === true, format, progress: captureProgress(file, 'export'), reassemble: options.reassemble });
  } catch (err) {
    if (err instanceof OutputError) throw new UserError(`-w ${err.message}`, err instanceof OutputIsInputError ? 2 : 1);
    // A failed system call (disk full, permission) is the output's problem; any other error is ours.
    if ((err as NodeJS.ErrnoException).syscall !== undefined) throw new UserError(`-w ${options.write}: ${(err as Error).message}`);
    throw err;
  } finally {
    file.close();
  }
  process.stderr.write(`tunnelscope: ${describeExport(summary, options.write, filter !== null || tenant !== null)}\n`);
  reportCaptureProblem(file);
}
