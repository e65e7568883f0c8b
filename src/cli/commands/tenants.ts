// tunnelscope tenants FILE: tenants, their traffic, flooding and conversations, and findings.
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { DEFAULT_MTU } from '../../analysis/analyzer';
import { buildTenantsReport } from '../../tenants/report';
import { writeTenantsReportJson } from '../../tenants/json';
import { tenantsReportText } from '../../tenants/text';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { ByteWriter } from '../../analysis/byte-writer';
import { LineWriter } from '../output';
import { decodeAsOption, decodeAsOverrides } from './dissect';

interface TenantsOptions {
  format: 'text' | 'json';
  mtu: number;
  decodeAs: string[];
}

export function positiveInteger(what: string, max = 2 ** 31) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('tenants')
    .description('tenants (VNI, VSID, GRE key) with their traffic, flooding, conversations and findings')
    .argument('<file>', 'pcap or pcapng capture')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--mtu <bytes>', 'underlay MTU (outer IP packet bytes) for the MTU finding').argParser(positiveInteger('--mtu', 65535)).default(DEFAULT_MTU))
    .addOption(decodeAsOption())
    .action((path: string, options: TenantsOptions) => runTenants(path, options));
}

function runTenants(path: string, options: TenantsOptions): void {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  const analysis = new CaptureAnalysis(file, { mtu: options.mtu, decodeAs });
  analysis.update(true);
  file.close();
  if (options.format === 'json') {
    const out = new ByteWriter();
    writeTenantsReportJson(analysis.analyzer, file.problem, out);
    out.byte(0x0a);
    out.flush();
  } else {
    const out = new LineWriter();
    for (const line of tenantsReportText(buildTenantsReport(analysis.analyzer, file.problem))) out.line(line);
    out.flush();
  }
  reportCaptureProblem(file);
}
