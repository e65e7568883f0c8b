// tunnelscope trace: runs microflows through a flow table, explaining each step like ofproto/trace.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { TraceOptions } from './trace-run';

export function register(program: Command): void {
  program
    .command('trace')
    .description('trace microflows through OpenFlow tables, like ovs-appctl ofproto/trace')
    .requiredOption('--flows <file>', 'flow tables: ovs-ofctl add-flows syntax or dump-flows output (names or numbers, OpenFlow 1.0-1.5); several bridges each after its `ovs-ofctl dump-flows BRIDGE` line; dump-groups output too')
    .option('--bridge <file>', 'bridges: JSON, or `ovs-vsctl show` + `ovs-ofctl show` output (resolves port names; without it a dump\'s port names are numbered in order)')
    .option('--generate', 'apply side effects (learn) in argument order, like ofproto/trace -generate')
    .option('--dump-table <n>', 'after tracing, print the flows of table N')
    .option('--ct-next <states>', 'ct_state of the next recirculation, e.g. trk,est (repeat for each one; default trk,new)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--in-bridge <name>', 'with several bridges in the flow file: the bridge the microflows enter')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .argument('<microflow...>', 'microflows in ofproto/trace syntax, e.g. in_port=1,dl_vlan=1,dl_dst=ff:ff:ff:ff:ff:ff,arp')
    .action((microflows: string[], options: TraceOptions) => {
      const run = require('./trace-run') as typeof import('./trace-run');
      return run.runTrace(microflows, options);
    });
}
