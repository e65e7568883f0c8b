// tunnelscope report FILE --out REPORT.{html,csv,json} [--conversations] [--filter EXPR]: the report
// people hand to the tenant, the cloud team or the ticket.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { reassembleOption } from './options';
import type { ReportCommandOptions } from './report-run';

export function register(program: Command): void {
  program
    .command('report')
    .description('tenant traffic report: HTML (self-contained, printable), CSV or JSON, chosen by the --out extension')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .requiredOption('-o, --out <report>', 'output file: REPORT.html, REPORT.csv or REPORT.json')
    .option('--conversations', 'CSV: one row per conversation instead of one per tenant')
    .option('-Y, --filter <expr>', 'report only the frames matching this display filter')
    .addOption(reassembleOption())
    .action((file: string[], options: ReportCommandOptions) => {
      const run = require('./report-run') as typeof import('./report-run');
      return run.runReport(file, options);
    });
}
