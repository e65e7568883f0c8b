// npm run bench: generates a 1,000,000-packet VXLAN capture (many VNIs and VTEPs), times Tunnelscope
// against tshark on the same file in the same run (ratios), the capture writer, and the UI in headless
// Chromium (milliseconds). Every figure is printed against its target and written to
// bench-output/bench.json. These are the only speed checks: `npm test` asserts behaviour, not time.
//
//   node dist/test/bench/run-bench.js [--packets N] [--regenerate] [--skip cli,writer,ui] [--scale 20M]
//
// --scale N also measures memory and time on the capture repeated to N packets (scale-figures.ts; minutes).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INDEX_BYTES_PER_FRAME } from '../../src/capture/frame-index';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { createCaptureWriter, PACKET_INBOUND } from '../../src/capture/writer';
import { haveChromium } from '../e2e/ui-driver';
import { generateVxlanCapture } from './generate-vxlan';
import { measureUi, UiFigure } from './ui-figures';
import { measureScale, parseScale, printScale } from './scale-figures';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'src', 'cli', 'main.js');
const OUT_DIR = path.join(REPO, 'bench-output');

interface Timing {
  seconds: number;
  ok: boolean;
  stdout: string;
}

function time(command: string, args: string[]): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) process.stderr.write(`bench: ${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}\n`);
  return { seconds, ok: r.status === 0, stdout: command === 'tshark' ? '' : r.stdout };
}

/** Best of `runs` for our (fast, cheap to repeat) side; tshark runs once. */
function best(runs: number, command: string, args: string[]): Timing {
  let result = time(command, args);
  for (let i = 1; i < runs; i++) {
    const next = time(command, args);
    if (next.seconds < result.seconds) result = next;
  }
  return result;
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
    console.log(`- UI: ${f.name}: ${f.ms} ms${verdict}`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const skip = new Set(argv.includes('--skip') ? argv[argv.indexOf('--skip') + 1].split(',') : []);
  const packets = argv.includes('--packets') ? Number(argv[argv.indexOf('--packets') + 1]) : 1_000_000;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const capture = path.join(OUT_DIR, `vxlan-${packets}.pcap`);
  if (!fs.existsSync(capture) || argv.includes('--regenerate')) {
    const started = Date.now();
    const summary = generateVxlanCapture(capture, { packets, vnis: 200, vteps: 32, seed: 7 });
    console.log(`generated ${capture}: ${summary.packets} packets, ${summary.vnis} VNIs, ${summary.vteps} VTEPs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
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
  if (argv.includes('--scale')) {
    const scale = measureScale(CLI, capture, packets, parseScale(argv[argv.indexOf('--scale') + 1]), OUT_DIR);
    printScale(scale);
    fs.writeFileSync(path.join(OUT_DIR, 'scale.json'), JSON.stringify({ capture, ...scale, date: new Date().toISOString() }, null, 2) + '\n');
  }
  const tshark = !skip.has('cli') && hasTshark();
  if (!tshark) {
    if (!skip.has('cli')) console.error('bench: tshark is not installed (scripts/install-test-peers.sh installs it); CLI comparisons skipped');
    fs.writeFileSync(path.join(OUT_DIR, 'bench.json'), JSON.stringify({ capture, packets, writerSeconds: writer, ui, date: new Date().toISOString() }, null, 2) + '\n');
    return;
  }
  const rows: { task: string; ours: string; tshark: string; oursSeconds: number; tsharkSeconds: number; ratio: number; target?: number }[] = [];
  const compare = (task: string, ours: string[], tshark: string[], target?: number) => {
    // The flag the bin's shebang passes (see src/cli/main.ts), so the CLI does not re-run itself.
    const o = best(2, process.execPath, ['--no-concurrent-recompilation', CLI, ...ours]);
    if (!o.ok) throw new Error(`bench: tunnelscope ${ours.join(' ')} failed`);
    const t = time('tshark', tshark);
    rows.push({ task, ours: `tunnelscope ${ours.join(' ')}`, tshark: `tshark ${tshark.join(' ')}`, oursSeconds: o.seconds, tsharkSeconds: t.seconds, ratio: t.seconds / o.seconds, target });
    return o;
  };
  const info = compare('index + full dissection, protocol hierarchy', ['info', capture, '--format', 'json'], ['-n', '-q', '-r', capture, '-z', 'io,phs'], 20);
  compare('one summary line per frame', ['dissect', capture], ['-n', '-r', capture]);
  if (hasCommand('tenants')) compare('tenants + conversations + VTEP timeline', ['tenants', capture, '--format', 'json'], ['-n', '-q', '-r', capture, '-z', 'conv,ip'], 20);
  // The same analysis reported as the learning timeline (every event and each VTEP's FDB).
  if (hasCommand('vteps')) compare('VTEP learning timeline report', ['vteps', capture, '--format', 'json'], ['-n', '-q', '-r', capture, '-z', 'conv,ip']);
  const infoJson = JSON.parse(info.stdout || '{}') as { frames?: number; maxRssBytes?: number };
  const memory = {
    indexBytesPerFrame: INDEX_BYTES_PER_FRAME,
    targetIndexBytesPerFrame: 64,
    infoMaxRssMiB: Math.round((infoJson.maxRssBytes ?? 0) / 1048576),
  };
  console.log(`\nBenchmark on ${capture} (${infoJson.frames ?? packets} frames)`);
  for (const r of rows) {
    const verdict = r.target === undefined ? '' : r.ratio >= r.target ? `  (target ${r.target}x: met)` : `  (target ${r.target}x: NOT met)`;
    console.log(`- ${r.task}: tunnelscope ${r.oursSeconds.toFixed(2)} s, tshark ${r.tsharkSeconds.toFixed(2)} s => ${r.ratio.toFixed(1)}x faster${verdict}`);
  }
  console.log(`- index memory: ${memory.indexBytesPerFrame} bytes per frame (target <= ${memory.targetIndexBytesPerFrame}); peak RSS of 'info': ${memory.infoMaxRssMiB} MiB`);
  if (ui.length > 0) printUi(ui);
  fs.writeFileSync(path.join(OUT_DIR, 'bench.json'), JSON.stringify({ capture, packets, rows, memory, writerSeconds: writer, ui, date: new Date().toISOString() }, null, 2) + '\n');
}

main().catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
});
