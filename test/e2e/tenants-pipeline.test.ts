// The two-thread path of `tunnelscope tenants` (captures of PIPELINE_MIN_BYTES and more) must print
// exactly what the one-thread analysis gives, also when its output goes to a slow pipe (the worker
// writes to a non-blocking stdout: partial writes and EAGAIN must not lose or garble a byte).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureAnalysis } from '../../src/analysis/analyze-capture';
import { PIPELINE_MIN_BYTES, worthPipelining } from '../../src/analysis/pipeline-start';
import { tenantsReportText } from '../../src/tenants/text';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { CLI } from '../helpers/paths';

/** Runs the CLI with its stdout read by a reader that starts late and reads slowly. */
function throughSlowPipe(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const script = `sleep 0.5; exec dd bs=4096 status=none`;
  const command = `${[process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ')} | sh -c '${script}'; exit \${PIPESTATUS[0]}`;
  const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

test('tenants on a large capture: the two-thread output equals the one-thread analysis, through a slow pipe', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-pipeline-'));
  try {
    const file = path.join(dir, 'vxlan-large.pcap');
    generateVxlanCapture(file, { packets: 200_000, vnis: 40, vteps: 12, seed: 11 });
    const capture = CaptureFile.open(file);
    assert.ok(worthPipelining(file), `the capture must reach ${PIPELINE_MIN_BYTES} bytes to take the two-thread path`);
    const analysis = new CaptureAnalysis(capture);
    analysis.update(true);
    const report = analysis.tenants();
    capture.close();

    const json = throughSlowPipe(['tenants', file, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(json.stderr, '');
    assert.equal(json.stdout, JSON.stringify(report) + '\n');

    const text = throughSlowPipe(['tenants', file]);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(text.stdout, tenantsReportText(report).join('\n') + '\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
