// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { VtepsOptions } from './options';
import { reassembleOption, decodeAsOption, positiveInteger, positiveSeconds } from './options';
import { DEFAULT_AGEING_SECONDS } from '../../overlay/defaults';

export function register(program: Command): void {
  program
    .command('vteps')
    .description('VTEPs, multicast group membership, the MAC learning timeline and every VTEP forwarding database')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--at <frame>', 'show the state after this frame (1-based)').argParser(positiveInteger('--at')))
    .addOption(new Option('--ageing <seconds>', 'FDB ageing time: an entry idle this long is removed').argParser(positiveSeconds('--ageing')).default(DEFAULT_AGEING_SECONDS))
    .addOption(decodeAsOption())
    .addOption(reassembleOption())
    .action((path: string[], options: VtepsOptions) => {
      const run = require('./vteps-run') as typeof import('./vteps-run');
      return run.runVteps(path, options);
    });
}
