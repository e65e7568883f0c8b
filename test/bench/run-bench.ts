// npm run bench: generates VXLAN captures of several traffic mixes (mixes.ts) and, on each at each
// size, times `tunnelscope tenants -T json` against a bare JavaScript loop that frames the same file and
// counts VNIs (bare-vni-count.ts) and against `tshark -q -z conv,ip`, pair by pair in the same run;
// prints every ratio and the worst against the targets. Then, on the current mix, the other commands
// against tshark, the capture writer, and the UI in headless Chromium. Everything goes to
// bench-output/bench.json. These are the only speed checks: `npm test` asserts behaviour, not time.
//
//   node dist/test/bench/run-bench.js [--mix NAME[,NAME]] [--packets N[,N]] [--rounds N] [--regenerate]
//                                     [--skip mixes,tshark,cli,writer,ui] [--scale 20M]
//
// --scale N also measures memory and time on the current mix's capture repeated to N packets
// (scale-figures.ts; minutes).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INDEX_BYTES_PER_FRAME } from '../../src/capture/frame-index';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { createCaptureWriter, PACKET_INBOUND } from '../../src/capture/writer';
import { haveChromium } from '../e2e/ui-driver';
import { generateVxlanCapture } from './generate-vxlan';
import { findMix, TRAFFIC_MIXES, TrafficMix } from './mixes';
import { measureUi, UiFigure } from './ui-figures';
import { measureScale, parseScale, printScale } from './scale-figures';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'src', 'cli', 'main.js');
const BARE_LOOP = path.join(__dirname, 'bare-vni-count.js');
const OUT_DIR = path.join(REPO, 'bench-output');
/** How the bench starts the CLI: as `tunnelscope` does (its shebang line's node flags). */
const CLI_COMMAND = [...cliNodeFlags(), CLI];

/** Targets of the traffic-mix table: tenants within this factor of the bare loop, and this much faster than tshark. */
const BARE_TARGET = 2.5;
const TSHARK_TARGET = 20;

interface Timing {
  seconds: number;
  ok: boolean;
  stdout: string;
}

/** The node flags on the CLI's shebang line (`#!/usr/bin/env -S node FLAGS`). */
function cliNodeFlags(): string[] {
  const first = fs.readFileSync(CLI, 'utf8').split('\n', 1)[0];
  const words = first.replace(/^#!\S*\s*(-S\s+)?/, '').split(/\s+/);
  return words.filter((w) => w.startsWith('--'));
}

/** Runs a command to its end; `keep` keeps its standard output, otherwise it goes to /dev/null. */
function time(command: string, args: string[], keep = false): Timing {
  const sink = keep ? 'pipe' : fs.openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', sink, 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (typeof sink === 'number') fs.closeSync(sink);
  if (r.status !== 0) process.stderr.write(`bench: ${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}\n`);
  return { seconds, ok: r.status === 0, stdout: keep ? r.stdout : '' };
}

/** Best of `runs` for our (fast, cheap to repeat) side; tshark runs once. */
function best(runs: number, command: string, args: string[]): Timing {
  let result = time(command, args, true);
  for (let i = 1; i < runs; i++) {
    const next = time(command, args, true);
    if (next.seconds < result.seconds) result = next;
  }
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function load(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' ');
}

function hasTshark(): boolean {
  return spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0;
}

function hasCommand(name: string): boolean {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return new RegExp(`^\\s+${name}\\b`, 'm').test(help.stdout);
}

/** Seconds to write 1M 64-byte packets with the capture writer (the bound the unit test used to assert). */
function writerSeconds(dir: string): number {
  const file = path.join(dir, 'writer-1m.pcapng');
  const frame = new Uint8Array(64);
  const started = process.hrtime.bigint();
  const writer = createCaptureWriter(file, { format: 'pcapng', nanosecond: true });
  const iface = writer.addInterface({ linkType: LINKTYPE_ETHERNET });
  for (let i = 0; i < 1_000_000; i++) writer.writePacket(iface, 1704067200 + (i >> 12), (i & 4095) * 1000, frame, undefined, PACKET_INBOUND);
  writer.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(file);
  return seconds;
}

function printUi(figures: UiFigure[]): void {
  for (const f of figures) {
    const verdict = f.ms < f.targetMs ? `  (target < ${f.targetMs} ms: met)` : `  (target < ${f.targetMs} ms: NOT met)`;
    console.log(`- UI: ${f.name}: ${f.ms} ms${verdict}${f.detail !== undefined ? ` (${f.detail})` : ''}`);
  }
}

interface MixRow {
  mix: string;
  packets: number;
  megabytes: number;
  load: string;
  bareSeconds: number;
  tenantsSeconds: number;
  /** Median over the rounds of tenants / bare, each pair run back to back. */
  tenantsOverBare: number;
  tsharkSeconds: number | null;
  /** tshark / the tenants run right after it. */
  tsharkOverTenants: number | null;
}

/** The mix's capture at that size, generated once and kept in bench-output/ (or anew with --regenerate). */
function mixCapture(mix: TrafficMix, packets: number, regenerate: boolean): string {
  const capture = path.join(OUT_DIR, `${mix.name}-${packets}.pcap`);
  if (!fs.existsSync(capture) || regenerate) {
    const started = Date.now();
    const s = generateVxlanCapture(capture, { ...mix.options, packets });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`generated ${path.basename(capture)}: ${s.packets} packets, ${(s.bytes / 1e6).toFixed(0)} MB, ${s.vnis} VNIs, ${s.vteps} VTEPs, ${s.macs} MACs, ${(s.spanSeconds / 3600).toFixed(2)} h of traffic in ${seconds} s`);
  }
  return capture;
}

function timeMix(mix: TrafficMix, packets: number, rounds: number, regenerate: boolean, tshark: boolean): MixRow {
  const capture = mixCapture(mix, packets, regenerate);
  const loadBefore = load();
  const tenantsArgs = [...CLI_COMMAND, 'tenants', capture, '-T', 'json'];
  const bare: number[] = [];
  const tenants: number[] = [];
  const ratios: number[] = [];
  // One warm-up of each (the page cache), then pairs back to back so both see the same machine.
  time(process.execPath, [BARE_LOOP, capture]);
  time(process.execPath, tenantsArgs);
  for (let i = 0; i < rounds; i++) {
    const b = time(process.execPath, [BARE_LOOP, capture]);
    const t = time(process.execPath, tenantsArgs);
    if (!b.ok || !t.ok) throw new Error(`bench: ${mix.name} at ${packets} packets failed`);
    bare.push(b.seconds);
    tenants.push(t.seconds);
    ratios.push(t.seconds / b.seconds);
  }
  let tsharkSeconds: number | null = null;
  let tsharkOverTenants: number | null = null;
  if (tshark) {
    tsharkSeconds = time('tshark', ['-n', '-q', '-r', capture, '-z', 'conv,ip']).seconds;
    const after = time(process.execPath, tenantsArgs).seconds;
    tsharkOverTenants = tsharkSeconds / after;
  }
  return {
    mix: mix.name,
    packets,
    megabytes: fs.statSync(capture).size / 1e6,
    load: `${loadBefore} -> ${load()}`,
    bareSeconds: median(bare),
    tenantsSeconds: median(tenants),
    tenantsOverBare: median(ratios),
    tsharkSeconds,
    tsharkOverTenants,
  };
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function printMixRow(r: MixRow): void {
  const tshark = r.tsharkSeconds === null ? '' : `, tshark ${r.tsharkSeconds.toFixed(2)} s`;
  const vsTshark = r.tsharkOverTenants === null ? '' : `; tshark/tenants ${r.tsharkOverTenants.toFixed(1)}x (target >= ${TSHARK_TARGET}x: ${verdict(r.tsharkOverTenants >= TSHARK_TARGET)})`;
  console.log(
    `- ${r.mix}, ${r.packets} packets (${r.megabytes.toFixed(0)} MB, load ${r.load}): bare loop ${r.bareSeconds.toFixed(2)} s, tenants ${r.tenantsSeconds.toFixed(2)} s${tshark}; ` +
      `tenants/bare ${r.tenantsOverBare.toFixed(2)}x (target <= ${BARE_TARGET}x: ${verdict(r.tenantsOverBare <= BARE_TARGET)})${vsTshark}`,
  );
}

function printWorst(rows: MixRow[]): void {
  const worstBare = rows.reduce((w, r) => (r.tenantsOverBare > w.tenantsOverBare ? r : w));
  console.log(`worst tenants/bare: ${worstBare.tenantsOverBare.toFixed(2)}x (${worstBare.mix}, ${worstBare.packets} packets; target <= ${BARE_TARGET}x: ${verdict(worstBare.tenantsOverBare <= BARE_TARGET)})`);
  for (const packets of [...new Set(rows.map((r) => r.packets))]) {
    const withTshark = rows.filter((r) => r.packets === packets && r.tsharkOverTenants !== null);
    if (withTshark.length === 0) continue;
    const worst = withTshark.reduce((w, r) => (r.tsharkOverTenants! < w.tsharkOverTenants! ? r : w));
    console.log(`worst tshark/tenants at ${packets} packets: ${worst.tsharkOverTenants!.toFixed(1)}x (${worst.mix}; target >= ${TSHARK_TARGET}x: ${verdict(worst.tsharkOverTenants! >= TSHARK_TARGET)})`);
  }
}

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const skip = new Set((option(argv, '--skip') ?? '').split(',').filter((s) => s !== ''));
  const sizes = (option(argv, '--packets') ?? '300000,1000000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--packets takes packet counts, e.g. 300000,1000000');
  const mixes = option(argv, '--mix')?.split(',').map(findMix) ?? TRAFFIC_MIXES;
  const rounds = Number(option(argv, '--rounds') ?? 3);
  const regenerate = argv.includes('--regenerate');
  const tshark = !skip.has('tshark') && hasTshark();
  if (!tshark && !skip.has('tshark')) console.error('bench: tshark is not installed (scripts/install-test-peers.sh installs it); tshark ratios skipped');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  console.log(`bench: node ${process.version}, ${os.cpus().length} CPUs, load average ${load()}; tunnelscope runs as: node ${CLI_COMMAND.map((a) => path.relative(REPO, a) || a).join(' ')}`);

  const mixRows: MixRow[] = [];
  if (!skip.has('mixes')) {
    for (const mix of mixes) {
      console.log(`mix ${mix.name}: ${mix.about}`);
      for (const packets of sizes) {
        const row = timeMix(mix, packets, rounds, regenerate, tshark);
        printMixRow(row);
        mixRows.push(row);
      }
    }
    if (mixRows.length > 0) printWorst(mixRows);
  }

  // The other commands, the writer and the app: on the current mix at the largest size.
  const packets = Math.max(...sizes);
  const capture = mixCapture(findMix('current'), packets, false);
  const writer = skip.has('writer') ? null : writerSeconds(OUT_DIR);
  if (writer !== null) console.log(`- capture writer: 1,000,000 packets in ${writer.toFixed(2)} s (target < 5 s: ${writer < 5 ? 'met' : 'NOT met'})`);
  let ui: UiFigure[] = [];
  if (!skip.has('ui')) {
    if (haveChromium()) {
      const measured = await measureUi(capture, packets);
      if (typeof measured === 'string') console.log(`- app: ${measured}`);
      else printUi((ui = measured));
    } else console.error('bench: Chromium is not installed: UI timings skipped');
  }
  const scaleTo = option(argv, '--scale');
  if (scaleTo !== undefined) {
    const scale = measureScale(CLI_COMMAND, capture, packets, parseScale(scaleTo), OUT_DIR);
    printScale(scale);
    fs.writeFileSync(path.join(OUT_DIR, 'scale.json'), JSON.stringify({ capture, ...scale, date: new Date().toISOString() }, null, 2) + '\n');
  }
  const rows: { task: string; ours: string; tshark: string; oursSeconds: number; tsharkSeconds: number; ratio: number; target?: number }[] = [];
  let memory: Record<string, number> | null = null;
  if (tshark && !skip.has('cli')) {
    const compare = (task: string, ours: string[], tsharkArgs: string[], target?: number) => {
      const o = best(2, process.execPath, [...CLI_COMMAND, ...ours]);
      if (!o.ok) throw new Error(`bench: tunnelscope ${ours.join(' ')} failed`);
      const t = time('tshark', tsharkArgs);
      rows.push({ task, ours: `tunnelscope ${ours.join(' ')}`, tshark: `tshark ${tsharkArgs.join(' ')}`, oursSeconds: o.seconds, tsharkSeconds: t.seconds, ratio: t.seconds / o.seconds, target });
      return o;
    };
    const info = compare('index + full dissection, protocol hierarchy', ['info', capture, '--format', 'json'], ['-n', '-q', '-r', capture, '-z', 'io,phs'], 20);
    compare('one summary line per frame', ['dissect', capture], ['-n', '-r', capture]);
    if (hasCommand('vteps')) compare('VTEP learning timeline report', ['vteps', capture, '--format', 'json'], ['-n', '-q', '-r', capture, '-z', 'conv,ip']);
    const infoJson = JSON.parse(info.stdout || '{}') as { frames?: number; maxRssBytes?: number };
    memory = {
      indexBytesPerFrame: INDEX_BYTES_PER_FRAME,
      targetIndexBytesPerFrame: 64,
      infoMaxRssMiB: Math.round((infoJson.maxRssBytes ?? 0) / 1048576),
    };
    console.log(`\nOther commands on ${path.basename(capture)} (${infoJson.frames ?? packets} frames, load ${load()})`);
    for (const r of rows) {
      const v = r.target === undefined ? '' : `  (target ${r.target}x: ${verdict(r.ratio >= r.target)})`;
      console.log(`- ${r.task}: tunnelscope ${r.oursSeconds.toFixed(2)} s, tshark ${r.tsharkSeconds.toFixed(2)} s => ${r.ratio.toFixed(1)}x faster${v}`);
    }
    console.log(`- index memory: ${memory.indexBytesPerFrame} bytes per frame (target <= ${memory.targetIndexBytesPerFrame}); peak RSS of 'info': ${memory.infoMaxRssMiB} MiB`);
  }
  if (ui.length > 0) printUi(ui);
  fs.writeFileSync(path.join(OUT_DIR, 'bench.json'), JSON.stringify({ node: process.version, mixes: mixRows, capture, packets, rows, memory, writerSeconds: writer, ui, date: new Date().toISOString() }, null, 2) + '\n');
}

main().catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
});
