// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { VtepsOptions } from './vteps-run';
import { reassembleOption, decodeAsOption, positiveInteger } from './options';

export function register(program: Command): void {
  program
    .command('vteps')
    .description('VTEPs, multicast group membership, the MAC learning timeline and every VTEP forwarding database')
    .argument('<file>', 'pcap or pcapng capture')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--at <frame>', 'show the state after this frame (1-based)').argParser(positiveInteger('--at')))
    .addOption(decodeAsOption())
    .addOption(reassembleOption())
    .action((path: string, options: VtepsOptions) => {
      const run = require('./vteps-run') as typeof import('./vteps-run');
      return run.runVteps(path, options);
    });
}
