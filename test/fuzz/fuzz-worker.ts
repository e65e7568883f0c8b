// The fuzzer's working thread: makes input `i` from (seed, i), runs every target on it and reports
// each start and outcome to the supervising thread, which times out hangs (run-fuzz.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Mutator, random } from './mutate';
import { isExpectedError, SLOW_TARGETS, TARGETS } from './targets';

export interface WorkerJob {
  seeds: string[];
  seed: number;
  from: number;
  to: number;
  /** Date.now() after which no new input starts. */
  deadline: number;
  targets: string[];
  /** Run the slow targets (service, cli) on every n-th input (0: never). */
  serviceEvery: number;
  scratch: string;
}

export type WorkerMessage =
  | { kind: 'start'; iteration: number; target: string; input: string; seedFile: string }
  | { kind: 'done'; iteration: number; target: string; crash: string | null }
  | { kind: 'end'; iterations: number };

/** The input of iteration i, from its own generator: any iteration can be made again alone. */
export function makeInput(seeds: readonly string[], seed: number, iteration: number): { bytes: Uint8Array; seedFile: string } {
  const rnd = random((seed * 0x9e3779b1) ^ (iteration * 0x85ebca6b));
  const m = new Mutator(rnd);
  const seedFile = m.pick(seeds);
  const other = fs.readFileSync(m.pick(seeds));
  return { bytes: m.mutate(fs.readFileSync(seedFile), other), seedFile };
}

export function inputName(bytes: Uint8Array): string {
  return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a ? 'input.pcapng' : 'input.pcap';
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  return String(err);
}

async function run(job: WorkerJob): Promise<void> {
  let i = job.from;
  for (; i < job.to && Date.now() < job.deadline; i++) {
    const { bytes, seedFile } = makeInput(job.seeds, job.seed, i);
    const input = path.join(job.scratch, inputName(bytes));
    fs.rmSync(path.join(job.scratch, 'input.pcap'), { force: true });
    fs.rmSync(path.join(job.scratch, 'input.pcapng'), { force: true });
    fs.writeFileSync(input, bytes);
    for (const target of job.targets) {
      if (SLOW_TARGETS.has(target) && (job.serviceEvery <= 0 || i % job.serviceEvery !== 0)) continue;
      parentPort!.postMessage({ kind: 'start', iteration: i, target, input, seedFile } satisfies WorkerMessage);
      let crash: string | null = null;
      try {
        await TARGETS[target](input, job.scratch);
      } catch (err) {
        if (!isExpectedError(err)) crash = describe(err);
      }
      parentPort!.postMessage({ kind: 'done', iteration: i, target, crash } satisfies WorkerMessage);
    }
  }
  parentPort!.postMessage({ kind: 'end', iterations: i } satisfies WorkerMessage);
}

if (parentPort !== null && workerData) void run(workerData as WorkerJob);
