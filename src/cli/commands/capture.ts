// tunnelscope capture -i IFACE: live capture through dumpcap or tcpdump, a live per-tenant count while
// it runs, the tenants summary at the end. Ctrl+C stops the capture program cleanly and keeps the file.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CaptureCliOptions } from './capture-run';

export function register(program: Command): void {
  program
    .command('capture')
    .description('capture live on an interface (through dumpcap or tcpdump) and count packets per tenant as they arrive')
    .option('-i, --interface <iface>', 'interface to capture on (-D lists them)')
    .option('-f, --filter <bpf>', 'capture filter (BPF syntax), e.g. "udp port 4789"')
    .option('-s, --snaplen <bytes>', 'bytes kept of each packet (default: all)')
    .option('--duration <seconds>', 'stop after this many seconds')
    .option('-c, --count <packets>', 'stop after this many packets')
    .option('--filesize <kilobytes>', 'stop when the file reaches this size')
    .option('-w, --write <file>', 'capture file to write (default: a new file in the temp directory)')
    .option('--ring <files:megabytes>', 'ring buffer: keep N files of M megabytes each, e.g. 10:100')
    .addOption(new Option('--program <name>', 'capture program').choices(['auto', 'dumpcap', 'tcpdump']).default('auto'))
    .option('-D, --list-interfaces', 'list the interfaces with their addresses and whether capturing is permitted')
    .addOption(new Option('-T, --format <format>', 'format of the summary at the end').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'no live count while capturing')
    .action((options: CaptureCliOptions) => {
      const run = require('./capture-run') as typeof import('./capture-run');
      return options.listInterfaces ? run.printInterfaces(options.program) : run.runCapture(options);
    });
}
