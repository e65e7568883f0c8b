// tunnelscope dissect FILE: one tshark-like line (or JSON object) per frame.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { DissectOptions } from './dissect-run';
import { decodeAsOption, reassembleOption } from './options';

export { decodeAsOption };

export function register(program: Command): void {
  program
    .command('dissect')
    .description('dissect every frame: protocols, tenant, Info, malformed reason')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .option('-Y, --filter <expr>', 'display filter (Wireshark syntax), e.g. "vxlan.vni == 101 && arp"')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'jsonl']).default('text'))
    .addOption(decodeAsOption())
    .addOption(reassembleOption())
    .action((path: string[], options: DissectOptions) => {
      const run = require('./dissect-run') as typeof import('./dissect-run');
      return run.runDissect(path, options);
    });
}
