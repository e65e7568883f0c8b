// `npm run bench -- --scale 20M`: memory and time as the capture grows. The bench's capture is
// repeated into one N times longer (repeat-capture.ts, time going forward), and `tenants -T json`
// runs on both: its peak RSS on the long one must stay at most 250 MB (memory follows what the
// analysis keeps, not frames) and its time per million packets must stay within 10 % of the short
// one's (time linear in packets). Time here is CPU time (all threads), which other work on the machine
// changes far less than wall time; the fixed cost of a run, measured on a 1,000-packet capture, is
// taken off both first. Wall times are printed too. `records` runs on the short one, timed against `tenants`, with its peak RSS. The
// long capture (about 4 GB for 20M) is removed afterwards. Takes minutes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateVxlanCapture } from './generate-vxlan';
import { repeatCapture } from './repeat-capture';

const RSS_TARGET_MIB = 250;
const LINEAR_TOLERANCE = 0.1;

export interface Measured {
  /** Wall time. */
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
}

export interface ScaleFigures {
  packets: number;
  scaledPackets: number;
  tenants: Measured;
  tenantsScaled: Measured;
  /** CPU seconds of a run on a 1,000-packet capture: Node's start, loading, the worker; not proportional to packets. */
  fixedSeconds: number;
  /** CPU seconds per million packets at each size (the fixed cost taken off), and the long one's over the short one's. */
  perMillion: number;
  perMillionScaled: number;
  linearRatio: number;
  records: Measured;
}

/** "20M", "5M", "500k" or a plain number of packets. */
export function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
  if (m === null) throw new Error(`--scale ${text}: expected packets like 20M or 500k`);
  return Math.round(Number(m[1]) * (m[2] === '' ? 1 : m[2].toLowerCase() === 'k' ? 1e3 : 1e6));
}

/** Runs the CLI (`cli`: Node's flags and main.js) with the RSS hook; output goes to /dev/null (its size is not what is measured). */
function measure(cli: readonly string[], args: string[]): Measured {
  const hook = path.join(__dirname, 'max-rss-hook.js');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', hook, ...cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`tunnelscope ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  const usage = /max-rss-kib (\d+) cpu-us (\d+)/.exec(r.stderr);
  if (usage === null) throw new Error(`tunnelscope ${args.join(' ')}: no resource usage reported`);
  return { seconds, cpuSeconds: Number(usage[2]) / 1e6, maxRssMiB: Math.round(Number(usage[1]) / 1024) };
}

function best(runs: number, cli: readonly string[], args: string[]): Measured {
  let result = measure(cli, args);
  for (let i = 1; i < runs; i++) {
    const next = measure(cli, args);
    if (next.cpuSeconds < result.cpuSeconds) result = next;
  }
  return result;
}

/** Measures `capture` (`packets` frames) against itself repeated up to about `scaledPackets`. */
export function measureScale(cli: readonly string[], capture: string, packets: number, scaledPackets: number, outDir: string): ScaleFigures {
  const times = Math.max(1, Math.round(scaledPackets / packets));
  const scaled = path.join(outDir, `scale-${times}x-${path.basename(capture)}`);
  const started = Date.now();
  repeatCapture(capture, scaled, times);
  console.log(`made ${scaled}: ${times} copies (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const recordsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-bench-records-'));
  const tiny = path.join(recordsDir, 'tiny.pcap');
  try {
    generateVxlanCapture(tiny, { packets: 1000, seed: 7 });
    const fixedSeconds = best(3, cli, ['tenants', tiny, '-T', 'json']).cpuSeconds;
    const tenants = best(2, cli, ['tenants', capture, '-T', 'json']);
    const tenantsScaled = measure(cli, ['tenants', scaled, '-T', 'json']);
    const records = measure(cli, ['records', capture, '--out', path.join(recordsDir, 'records')]);
    const perMillion = (tenants.cpuSeconds - fixedSeconds) / (packets / 1e6);
    const perMillionScaled = (tenantsScaled.cpuSeconds - fixedSeconds) / ((packets * times) / 1e6);
    return { packets, scaledPackets: packets * times, tenants, tenantsScaled, fixedSeconds, perMillion, perMillionScaled, linearRatio: perMillionScaled / perMillion, records };
  } finally {
    fs.rmSync(scaled, { force: true });
    fs.rmSync(recordsDir, { recursive: true, force: true });
  }
}

export function printScale(f: ScaleFigures): void {
  const millions = (n: number) => `${(n / 1e6).toLocaleString('en-US')}M`;
  const rssVerdict = f.tenantsScaled.maxRssMiB <= RSS_TARGET_MIB ? 'met' : 'NOT met';
  const linearVerdict = Math.abs(f.linearRatio - 1) <= LINEAR_TOLERANCE ? 'met' : 'NOT met';
  console.log(`\nScale (${millions(f.packets)} packets repeated to ${millions(f.scaledPackets)}; a run's fixed cost ${f.fixedSeconds.toFixed(2)} s of CPU)`);
  const run = (m: Measured) => `${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU`;
  console.log(`- tenants -T json, ${millions(f.packets)}: ${run(f.tenants)} (${f.perMillion.toFixed(2)} s CPU per million), peak RSS ${f.tenants.maxRssMiB} MiB`);
  console.log(`- tenants -T json, ${millions(f.scaledPackets)}: ${run(f.tenantsScaled)} (${f.perMillionScaled.toFixed(2)} s CPU per million), peak RSS ${f.tenantsScaled.maxRssMiB} MiB (target <= ${RSS_TARGET_MIB} MiB: ${rssVerdict})`);
  console.log(`- CPU time per million packets, ${millions(f.scaledPackets)} over ${millions(f.packets)}: ${f.linearRatio.toFixed(3)} (target within ${LINEAR_TOLERANCE * 100} %: ${linearVerdict})`);
  console.log(`- records --out, ${millions(f.packets)}: ${run(f.records)} (tenants ${run(f.tenants)}), peak RSS ${f.records.maxRssMiB} MiB`);
}
