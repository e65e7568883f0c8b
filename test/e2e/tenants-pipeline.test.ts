// The two-thread path of `tunnelscope tenants` and `vteps` (captures of PIPELINE_MIN_BYTES and more)
// must print exactly what the one-thread analysis gives, also when its output goes to a slow pipe
// (partial writes and EAGAIN must not lose or garble a byte).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureAnalysis } from '../../src/overlay/analyze-capture';
import { PIPELINE_MIN_BYTES, captureBytes } from '../../src/overlay/pipeline/start';
import { tenantsReportText } from '../../src/overlay/tenants-report/text';
import { vtepReportText } from '../../src/overlay/vtep-report/text';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { CLI } from '../helpers/paths';

/** Runs the CLI with its stdout read by a reader that starts late and reads slowly. */
function throughSlowPipe(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const script = `sleep 0.5; exec dd bs=4096 status=none`;
  const command = `${[process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ')} | sh -c '${script}'; exit \${PIPESTATUS[0]}`;
  const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

let dir = '';
let file = '';

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-pipeline-'));
  file = path.join(dir, 'vxlan-large.pcap');
  generateVxlanCapture(file, { packets: 200_000, vnis: 40, vteps: 12, seed: 11 });
  assert.ok(captureBytes(file) >= PIPELINE_MIN_BYTES, `the capture must reach ${PIPELINE_MIN_BYTES} bytes to take the two-thread path`);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The one-thread analysis of the capture, learning up to frame `at` when given. */
function oneThread(at?: number): CaptureAnalysis {
  const capture = CaptureFile.open(file);
  const analysis = new CaptureAnalysis(capture, { lastFrame: at });
  analysis.update(true);
  capture.close();
  return analysis;
}

test('tenants on a large capture: the two-thread output equals the one-thread analysis, through a slow pipe', () => {
  const report = oneThread().tenants();
  const json = throughSlowPipe(['tenants', file, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  assert.equal(json.stderr, '');
  assert.equal(json.stdout, JSON.stringify(report) + '\n');

  const text = throughSlowPipe(['tenants', file]);
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stdout, tenantsReportText(report).join('\n') + '\n');
});

test('vteps on a large capture: the two-thread output equals the one-thread analysis, also with --at', () => {
  const analysis = oneThread();
  const json = throughSlowPipe(['vteps', file, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  assert.equal(json.stdout, JSON.stringify(analysis.vteps()) + '\n');
  const text = throughSlowPipe(['vteps', file]);
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stdout, vtepReportText(analysis.vteps(), analysis.file.index.time(0)).join('\n') + '\n');

  const at = 123_457;
  const atJson = throughSlowPipe(['vteps', file, '--format', 'json', '--at', String(at)]);
  assert.equal(atJson.status, 0, atJson.stderr);
  const expected = oneThread(at).vteps(at);
  assert.equal(atJson.stdout, JSON.stringify(expected) + '\n');
  assert.ok(expected.events.length > 0 && expected.events.every((e) => e.frame <= at));
});

test('vteps --at past the last frame of a large capture: one line, exit 1, nothing on stdout', () => {
  const run = spawnSync(process.execPath, [CLI, 'vteps', file, '--at', '300000'], { encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^tunnelscope: --at 300000: the capture has 200000 frame\(s\)\n$/);
});

/** Whether the pipeline starts for the capture in a child process, pinned to one processor with `taskset` or not. */
function pipelineStarts(pinned: boolean): string {
  const start = path.join(__dirname, '..', '..', 'src', 'overlay', 'pipeline', 'start.js');
  const script = `const s = require(${JSON.stringify(start)}).startPipelineFor(${JSON.stringify(file)}, { command: 'tenants', outputFd: 1, format: 'json', mtu: 1500, decodeAs: [], reassemble: true, ageing: 300 });
    process.stdout.write(s === null ? 'none' : 'worker'); if (s !== null) s.worker.terminate();`;
  const command = pinned ? ['taskset', '-c', '0', process.execPath, '-e', script] : [process.execPath, '-e', script];
  const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

const haveTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

test('one processor to run on: no worker thread, the analysis stays on one thread', { skip: !haveTaskset && 'taskset (util-linux) is not installed' }, () => {
  assert.equal(pipelineStarts(true), 'none');
  if (os.availableParallelism() >= 2) assert.equal(pipelineStarts(false), 'worker');
  const report = oneThread().tenants();
  const run = spawnSync('taskset', ['-c', '0', process.execPath, CLI, 'tenants', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, JSON.stringify(report) + '\n');
});
