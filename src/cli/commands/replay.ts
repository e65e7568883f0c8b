// tunnelscope replay CAPTURE --flows FILE --bridge FILE: runs every frame through the switch in capture
// order and checks the frames the capture shows leaving against the pipeline's predictions.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ReplayOptions } from './replay-run';

export function register(program: Command): void {
  program
    .command('replay')
    .description('replay a capture through OpenFlow tables (or, without --flows, a flood-and-learn VTEP) and check the capture agrees')
    .argument('<capture>', 'pcap or pcapng capture')
    .option('--flows <file>', 'flow table: ovs-ofctl add-flows syntax or dump-flows output')
    .option('--bridge <file>', 'bridge description: JSON, or `ovs-vsctl show` + `ovs-ofctl show` output')
    .option('--local-vtep <ip>', 'without --flows: the VTEP whose flood-and-learn decisions to explain')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'jsonl']).default('text'))
    .action((capture: string, options: ReplayOptions) => {
      const run = require('./replay-run') as typeof import('./replay-run');
      return run.runReplay(capture, options);
    });
}
