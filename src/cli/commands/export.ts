// tunnelscope export FILE (--tenant TYPE:ID | --filter EXPR) -w OUT.pcapng [--decap]: the frames of one
// tenant (or any display filter) as a capture Wireshark opens.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { reassembleOption } from './options';
import type { ExportCommandOptions } from './export-run';

export function register(program: Command): void {
  program
    .command('export')
    .description('write the frames of one tenant (or a display filter) to a new capture, optionally decapsulated')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .option('--tenant <type:id>', 'frames of one tenant, e.g. vxlan:102, nvgre:0x1234, gre:1, geneve:5001')
    .option('-Y, --filter <expr>', 'display filter (Wireshark syntax); with --tenant, both must match')
    .requiredOption('-w, --write <out>', 'output capture: .pcapng (or .pcap when all frames share one link type)')
    .option('--decap', 'write only the inner frames: Ethernet, or raw IP for IP-in-GRE')
    .addOption(reassembleOption())
    .action((file: string[], options: ExportCommandOptions) => {
      const run = require('./export-run') as typeof import('./export-run');
      return run.runExport(file, options);
    });
}
