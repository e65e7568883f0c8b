// tunnelscope info FILE: what a capture holds, from one full dissection pass (like capinfos plus
// tshark's -z io,phs): format, interfaces, frames, time span, tenants, malformed frames, protocol hierarchy.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { InfoOptions } from './info-run';
import { reassembleOption, decodeAsOption } from './options';

export function register(program: Command): void {
  program
    .command('info')
    .description('summary of a capture: frames, time span, tenants, malformed frames, protocol hierarchy')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(decodeAsOption())
    .addOption(reassembleOption())
    .action((path: string[], options: InfoOptions) => {
      const run = require('./info-run') as typeof import('./info-run');
      return run.runInfo(path, options);
    });
}
