// tunnelscope tenants FILE: tenants, their traffic, flooding and conversations, and findings.
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { TenantsOptions } from './options';
import { reassembleOption, decodeAsOption, positiveInteger } from './options';
import { DEFAULT_MTU } from '../../overlay/defaults';

export { positiveInteger };

export function register(program: Command): void {
  program
    .command('tenants')
    .description('tenants (VNI, VSID, GRE key) with their traffic, flooding, conversations and findings')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--mtu <bytes>', 'underlay MTU (outer IP packet bytes) for the MTU finding').argParser(positiveInteger('--mtu', 65535)).default(DEFAULT_MTU))
    .addOption(decodeAsOption())
    .addOption(reassembleOption())
    .action((path: string[], options: TenantsOptions) => {
      const run = require('./tenants-run') as typeof import('./tenants-run');
      return run.runTenants(path, options);
    });
}
