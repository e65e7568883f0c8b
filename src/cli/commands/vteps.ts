// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
import type { Command } from 'commander';
import { Option } from 'commander';
import { CaptureAnalysis } from '../../analysis/analyze-capture';
import { vtepReportText } from '../../vtep/text';
import { UserError } from '../errors';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { LineWriter } from '../output';
import { decodeAsOption, decodeAsOverrides } from './dissect';
import { positiveInteger } from './tenants';

interface VtepsOptions {
  format: 'text' | 'json';
  at?: number;
  decodeAs: string[];
}

export function register(program: Command): void {
  program
    .command('vteps')
    .description('VTEPs, multicast group membership, the MAC learning timeline and every VTEP forwarding database')
    .argument('<file>', 'pcap or pcapng capture')
    .addOption(new Option('-T, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--at <frame>', 'show the state after this frame (1-based)').argParser(positiveInteger('--at')))
    .addOption(decodeAsOption())
    .action((path: string, options: VtepsOptions) => runVteps(path, options));
}

function runVteps(path: string, options: VtepsOptions): void {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  const analysis = new CaptureAnalysis(file, { decodeAs, lastFrame: options.at });
  analysis.update(true);
  file.close();
  const frames = file.frameCount;
  if (options.at !== undefined && options.at > frames) {
    if (file.problem) reportCaptureProblem(file);
    throw new UserError(`--at ${options.at}: the capture has ${frames} frame(s)`);
  }
  const report = analysis.vteps(options.at);
  const out = new LineWriter();
  if (options.format === 'json') out.line(JSON.stringify(report));
  else for (const line of vtepReportText(report, frames > 0 ? file.index.time(0) : 0)) out.line(line);
  out.flush();
  reportCaptureProblem(file);
}
