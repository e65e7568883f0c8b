// `npm run fuzz`: mutation-based fuzzing of every command's work and the service calls, over the
// samples, ../shared/corpus (when present) and the crashes kept before. Inputs are reproducible from
// (seed, iteration); each input that crashes a target or hangs it past the timeout is kept under
// test/fixtures/fuzz/ as a regression capture (test/unit/fuzz.test.ts replays them all).
//
//   npm run fuzz -- [--count N] [--seconds S] [--seed N] [--timeout S] [--targets a,b] [--slow-every N] [--no-save]
//
// Targets: dissect, info, tenants, vteps, report, export, replay (in-process, every input); service
// and cli (the real program, each command) on every --slow-every'th input (default 10).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO, SHARED } from '../helpers/paths';
import { inputName, makeInput, WorkerJob, WorkerMessage } from './fuzz-worker';
import { TARGETS } from './targets';

export const FUZZ_FIXTURES = path.join(REPO, 'test', 'fixtures', 'fuzz');

export interface FuzzOptions {
  count: number;
  seconds: number;
  seed: number;
  /** Seconds one target may take on one input before it counts as a hang (the cli target runs 8 commands). */
  timeout: number;
  targets: string[];
  serviceEvery: number;
  /** Where crashing inputs are kept; null keeps none. */
  saveDir: string | null;
  seeds?: string[];
  log?: (line: string) => void;
}

export interface FuzzFinding {
  iteration: number;
  target: string;
  kind: 'crash' | 'hang';
  message: string;
  seedFile: string;
  saved: string | null;
}

export interface FuzzResult {
  iterations: number;
  runs: Record<string, number>;
  findings: FuzzFinding[];
}

const CAPTURE = /\.(pcap|pcapng|cap|pcap\.ng)$/i;

function capturesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...capturesUnder(full));
    else if (CAPTURE.test(entry.name) && fs.statSync(full).size <= 4 * 1024 * 1024) found.push(full);
  }
  return found.sort();
}

/** The samples, ../shared/corpus and the kept crashes. */
export function defaultSeeds(): string[] {
  return [...capturesUnder(path.join(REPO, 'samples')), ...capturesUnder(path.join(SHARED, 'corpus')), ...capturesUnder(FUZZ_FIXTURES)];
}

function keep(saveDir: string, target: string, bytes: Uint8Array): string {
  fs.mkdirSync(saveDir, { recursive: true });
  const hash = crypto.createHash('sha1').update(bytes).digest('hex').slice(0, 12);
  const file = path.join(saveDir, `${target}-${hash}${path.extname(inputName(bytes))}`);
  fs.writeFileSync(file, bytes);
  return file;
}

export function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const seeds = options.seeds ?? defaultSeeds();
  const log = options.log ?? (() => {});
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-fuzz-'));
  const deadline = Date.now() + options.seconds * 1000;
  const result: FuzzResult = { iterations: 0, runs: {}, findings: [] };
  const finding = (f: Omit<FuzzFinding, 'saved'>) => {
    const bytes = makeInput(seeds, options.seed, f.iteration).bytes;
    const saved = options.saveDir === null ? null : keep(options.saveDir, f.target, bytes);
    result.findings.push({ ...f, saved });
    log(`${f.kind.toUpperCase()} ${f.target} at iteration ${f.iteration} (from ${path.basename(f.seedFile)}): ${f.message.split('\n')[0]}${saved ? ` -> ${path.relative(REPO, saved)}` : ''}`);
  };

  return new Promise((resolve) => {
    const start = (from: number): void => {
      const job: WorkerJob = { seeds, seed: options.seed, from, to: options.count, deadline, targets: options.targets, serviceEvery: options.serviceEvery, scratch };
      const worker = new Worker(path.join(__dirname, 'fuzz-worker.js'), { workerData: job });
      let current: Extract<WorkerMessage, { kind: 'start' }> | null = null;
      let timer: NodeJS.Timeout | null = null;
      let finished = false;
      const end = (next: number | null) => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        if (next !== null && next < options.count && Date.now() < deadline) start(next);
        else {
          fs.rmSync(scratch, { recursive: true, force: true });
          resolve(result);
        }
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'start') {
          current = m;
          result.iterations = Math.max(result.iterations, m.iteration + 1);
          timer = setTimeout(() => {
            finding({ iteration: m.iteration, target: m.target, kind: 'hang', message: `no answer within ${options.timeout} s`, seedFile: m.seedFile });
            end(m.iteration + 1);
          }, options.timeout * 1000);
        } else if (m.kind === 'done') {
          if (timer) clearTimeout(timer);
          timer = null;
          result.runs[m.target] = (result.runs[m.target] ?? 0) + 1;
          if (m.crash !== null) finding({ iteration: m.iteration, target: m.target, kind: 'crash', message: m.crash, seedFile: current?.seedFile ?? '' });
        } else {
          result.iterations = Math.max(result.iterations, m.iterations);
          end(null);
        }
      });
      // An error escaping the target (e.g. from a worker of the service) ends this worker: a crash.
      worker.on('error', (err) => {
        if (current) finding({ iteration: current.iteration, target: current.target, kind: 'crash', message: `uncaught: ${err.message}`, seedFile: current.seedFile });
        end(current ? current.iteration + 1 : null);
      });
      worker.on('exit', () => end(current ? current.iteration + 1 : null));
    };
    start(0);
  });
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seed = Number(option(args, 'seed') ?? Date.now() % 1_000_000);
  const options: FuzzOptions = {
    count: Number(option(args, 'count') ?? 1000),
    seconds: Number(option(args, 'seconds') ?? 300),
    seed,
    timeout: Number(option(args, 'timeout') ?? 60),
    targets: (option(args, 'targets') ?? Object.keys(TARGETS).join(',')).split(','),
    serviceEvery: Number(option(args, 'slow-every') ?? 10),
    saveDir: args.includes('--no-save') ? null : FUZZ_FIXTURES,
    log: (line) => console.log(line),
  };
  for (const t of options.targets) if (!(t in TARGETS)) throw new Error(`unknown target ${t} (${Object.keys(TARGETS).join(', ')})`);
  const seeds = defaultSeeds();
  console.log(`fuzzing ${options.targets.join(', ')} with seed ${seed}: up to ${options.count} inputs or ${options.seconds} s, from ${seeds.length} captures`);
  const result = await runFuzz({ ...options, seeds });
  const runs = Object.entries(result.runs).map(([t, n]) => `${t} ${n}`).join(', ');
  console.log(`${result.iterations} inputs (${runs}); ${result.findings.length} finding(s)`);
  process.exitCode = result.findings.length > 0 ? 1 : 0;
}

if (require.main === module) void main();
