// tunnelscope capture -i IFACE: live capture through dumpcap or tcpdump, a live per-tenant count while
// it runs, the tenants summary at the end. Ctrl+C stops the capture program cleanly and keeps the file.
// The work behind `tunnelscope capture`, loaded only when that command runs (see capture.ts).
import {
  CaptureOptions,
  capturePermission,
  chooseCaptureProgram,
  interfaceLine,
  LiveCapture,
  LiveCaptureError,
  listInterfaces,
  parseRing,
  ProgramChoice,
  StopResult,
  TenantTotals,
} from '../../live';
import { VtepReport } from '../../overlay/report-types';
import { UserError } from '../errors';
export interface CaptureCliOptions {
  interface?: string;
  filter?: string;
  snaplen?: string;
  duration?: string;
  count?: string;
  filesize?: string;
  write?: string;
  ring?: string;
  program: ProgramChoice;
  listInterfaces?: boolean;
  format: 'text' | 'json';
  quiet?: boolean;
}


export function printInterfaces(choice: ProgramChoice): void {
  const lines = listInterfaces().map((iface, i) => interfaceLine(iface, i + 1));
  let program;
  try {
    program = chooseCaptureProgram(choice);
  } catch (err) {
    lines.push(`Capture: not possible: ${(err as Error).message}`);
    process.stdout.write(lines.join('\n') + '\n');
    return;
  }
  const permission = capturePermission(program);
  lines.push(
    permission.permitted
      ? `Capture: permitted with ${program.path} (${permission.reason})`
      : `Capture: not permitted with ${program.path} (${permission.reason}); to allow it: ${permission.advice}`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}

function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UserError(`${name} '${text}' is not a number`, 2);
  return value;
}

function captureOptions(options: CaptureCliOptions): CaptureOptions {
  if (options.interface === undefined) throw new UserError('which interface? give -i IFACE (`tunnelscope capture -D` lists them)', 2);
  const stops = [options.duration, options.count].filter((s) => s !== undefined);
  if (stops.length > 1) throw new UserError('give either --duration or --count, not both', 2);
  try {
    return {
      iface: options.interface,
      filter: options.filter,
      snaplen: numberOption('--snaplen', options.snaplen),
      durationSeconds: numberOption('--duration', options.duration),
      packetCount: numberOption('--count', options.count),
      fileKilobytes: numberOption('--filesize', options.filesize),
      outputPath: options.write,
      ring: options.ring === undefined ? undefined : parseRing(options.ring),
      program: options.program,
    };
  } catch (err) {
    if (err instanceof LiveCaptureError) throw new UserError(err.message, 2);
    throw err;
  }
}

export async function runCapture(options: CaptureCliOptions): Promise<void> {
  const captureOpts = captureOptions(options);
  let capture: LiveCapture;
  try {
    capture = await LiveCapture.start(captureOpts);
  } catch (err) {
    if (err instanceof LiveCaptureError) throw new UserError(err.message, err.kind === 'bad-options' ? 2 : 1);
    throw err;
  }
  const progress = options.quiet ? null : new ProgressLine(process.stderr);
  process.stderr.write(`Capturing on ${captureOpts.iface} with ${capture.program.name} into ${capture.outputPath} (Ctrl+C to stop)\n`);
  const stopOnSignal = () => void capture.stop();
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  process.on('SIGHUP', stopOnSignal);
  capture.on('stats', (stats) => progress?.show(`${stats.elapsedSeconds.toFixed(0)} s  ${stats.packets} packets  ${stats.tenants.compact()}`.trimEnd()));
  capture.on('problem', (file, message) => {
    progress?.clear();
    process.stderr.write(`tunnelscope: ${file}: ${message}\n`);
  });
  const result = await capture.whenStopped();
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);
  process.off('SIGHUP', stopOnSignal);
  progress?.clear();
  const tenants = capture.tenants.totals();
  const vteps = capture.vtepReport();
  if (options.format === 'json') {
    const summary = { ...summaryJson(captureOpts.iface, capture, result, tenants), report: capture.tenantsReport(), vteps };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } else process.stdout.write(summaryText(captureOpts.iface, capture, result, tenants) + learningText(vteps));
  capture.close();
  if (result.reason === 'failed') throw new UserError(result.error?.message ?? 'capture failed');
  if (result.problems.length > 0) process.exitCode = 1;
}

/** The live count: one line rewritten in place on a terminal, a plain line when something changed otherwise. */
class ProgressLine {
  private last = '';
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  show(text: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${text.slice(0, (this.out.columns || 80) - 1)}`);
      this.shown = true;
    } else if (text.replace(/^\d+ s\s+/, '') !== this.last.replace(/^\d+ s\s+/, '')) {
      this.out.write(`${text}\n`);
    }
    this.last = text;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}

function summaryJson(iface: string, capture: LiveCapture, result: StopResult, tenants: TenantTotals[]): object {
  return {
    interface: iface,
    program: capture.program.name,
    reason: result.reason,
    file: result.outputPath,
    files: result.files,
    packets: result.packets,
    elapsedSeconds: Number(result.elapsedSeconds.toFixed(3)),
    programStats: result.program,
    tenants: tenants.map((t) => ({ ...t, tenant: t.tenant === '' ? null : t.tenant })),
    problems: result.problems,
  };
}

function summaryText(iface: string, capture: LiveCapture, result: StopResult, tenants: TenantTotals[]): string {
  const stats = result.program;
  const programCounts =
    stats.captured !== undefined ? ` (${capture.program.name}: ${stats.captured} captured${stats.dropped !== undefined ? `, ${stats.dropped} dropped` : ''})` : '';
  const lines = [`${result.packets} packets in ${result.elapsedSeconds.toFixed(1)} s on ${iface}${programCounts}`];
  const files = result.files.length > 0 ? result.files : [result.outputPath];
  lines.push(files.length === 1 ? `Saved in ${files[0]}` : `Saved in ${files.length} ring files: ${files.join(', ')}`);
  if (tenants.length > 0) {
    const rows = tenants.map((t) => [
      t.tenant || '(no tenant)',
      String(t.packets),
      String(t.bytes),
      t.vteps.join(', ') || '-',
      Object.entries(t.protocols)
        .map(([name, n]) => `${name} ${n}`)
        .join(', '),
    ]);
    const header = ['Tenant', 'Packets', 'Bytes', 'VTEPs', 'Protocols'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const format = (r: string[]) =>
      r
        .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]) : c === r.length - 1 ? cell : cell.padEnd(widths[c])))
        .join('  ');
    lines.push('', format(header), ...rows.map(format));
  }
  return lines.join('\n') + '\n';
}

/** The learn and move events, one line each (floods are in `tunnelscope report`). */
function learningText(report: VtepReport): string {
  const learned = report.events.filter((e) => e.kind !== 'flood');
  if (learned.length === 0) return '';
  const lines = learned.map((e) => {
    const where = e.kind === 'move' ? `moved ${e.previousVtep} -> ${e.remoteVtep}` : `-> ${e.remoteVtep}`;
    return `  frame ${String(e.frame).padStart(5)}  ${e.kind.padEnd(5)}  VTEP ${e.vtep} learns ${e.tenant.type}:${e.tenant.id} ${e.mac} ${where}`;
  });
  return ['', 'VTEP learning', ...lines].join('\n') + '\n';
}
