// The fuzzer in `npm test`: every crash it ever found (test/fixtures/fuzz/) through every target, and a
// short run with a fixed seed. `npm run fuzz` runs it for longer with new seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSeeds, FUZZ_FIXTURES, runFuzz } from '../fuzz/run-fuzz';
import { isExpectedError, TARGETS } from '../fuzz/targets';

test('every kept fuzz crash now runs cleanly through every command and the service', async () => {
  const fixtures = fs.readdirSync(FUZZ_FIXTURES).filter((f) => /\.(pcap|pcapng)$/.test(f));
  assert.ok(fixtures.length > 0);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-fuzz-regressions-'));
  try {
    for (const name of fixtures) {
      for (const [target, run] of Object.entries(TARGETS)) {
        try {
          await run(path.join(FUZZ_FIXTURES, name), scratch);
        } catch (err) {
          if (!isExpectedError(err)) assert.fail(`${name} crashes ${target}: ${(err as Error).stack}`);
        }
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('a short fuzz run with a fixed seed finds nothing', async () => {
  const result = await runFuzz({ count: 12, seconds: 600, seed: 1, timeout: 120, targets: Object.keys(TARGETS), serviceEvery: 6, saveDir: null, seeds: defaultSeeds() });
  assert.equal(result.iterations, 12);
  assert.equal(result.runs.dissect, 12);
  assert.equal(result.runs.service, 2);
  assert.equal(result.runs.cli, 2);
  assert.deepEqual(result.findings.map((f) => `${f.target}: ${f.message}`), []);
});
