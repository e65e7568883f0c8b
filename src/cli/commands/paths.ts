// tunnelscope paths CAPTURE...: per ordered VTEP pair (and tenant) sent, received, lost, one-way
// latency and reordering, from the captures of several hosts.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { PathsOptions } from './paths-run';
import { decodeAsOption } from './options';

export function register(program: Command): void {
  program
    .command('paths')
    .description('underlay paths between VTEPs from several hosts\' captures: sent, received, lost, latency, reordering')
    .argument('<captures...>', 'one capture per host (pcap or pcapng), folders of them, FILE@NAME (NAME an IPv4 address: the host\'s VTEP)')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(decodeAsOption())
    .action((paths: string[], options: PathsOptions) => {
      const run = require('./paths-run') as typeof import('./paths-run');
      return run.runPaths(paths, options);
    });
}
