// The CI rules that keep a missing peer from hiding failures: the runner fails a CI run that skipped a test
// (naming it and why), and the peer check before the tests names a program missing from PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haveShared, NO_SHARED, REPO } from '../helpers/paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-ci-rules-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const RUNNER = path.join(REPO, 'scripts', 'run-tests.mjs');
const CHECK_PEERS = path.join(REPO, 'scripts', 'check-peers.sh');

/** A tiny test tree: one test passes, one skips for a missing peer, one suite skips as a whole. */
function fixtureTree(): string {
  const root = fs.mkdtempSync(path.join(tmp, 'tests-'));
  fs.writeFileSync(
    path.join(root, 'peer.test.js'),
    [
      "const { test, describe } = require('node:test');",
      "test('runs', () => {});",
      "test('needs tshark', { skip: 'tshark is not installed: skipped' }, () => {});",
      "describe('needs ovs', { skip: 'Open vSwitch not installed' }, () => { test('inner', () => {}); });",
    ].join('\n'),
  );
  return root;
}

function runRunner(root: string, ci: boolean): { status: number | null; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TUNNELSCOPE_TEST_ROOT: root };
  delete env.CI;
  delete env.NODE_TEST_CONTEXT; // else the nested runner reports to this test run instead of its own output
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, [RUNNER], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout };
}

test('CI=true: a skipped test or suite fails the run, and the runner names it with its reason', () => {
  const { status, stdout } = runRunner(fixtureTree(), true);
  assert.notEqual(status, 0);
  assert.match(stdout, /CI=true and tests were skipped/);
  assert.match(stdout, /peer\.test\.js: needs tshark: tshark is not installed: skipped/);
  assert.match(stdout, /peer\.test\.js: needs ovs: Open vSwitch not installed/);
  assert.match(stdout.trimEnd().split('\n').at(-1) ?? '', /^1 passed, 0 failed, 2 skipped$/);
});

test('outside CI the same skips are listed and counted but the run passes', () => {
  const { status, stdout } = runRunner(fixtureTree(), false);
  assert.equal(status, 0);
  assert.match(stdout, /needs tshark: tshark is not installed/);
  assert.match(stdout.trimEnd().split('\n').at(-1) ?? '', /^1 passed, 0 failed, 2 skipped$/);
});

test('CI=true with nothing skipped passes', () => {
  const root = fs.mkdtempSync(path.join(tmp, 'tests-'));
  fs.writeFileSync(path.join(root, 'ok.test.js'), "require('node:test').test('runs', () => {});\n");
  const { status, stdout } = runRunner(root, true);
  assert.equal(status, 0);
  assert.match(stdout.trimEnd().split('\n').at(-1) ?? '', /^1 passed, 0 failed, 0 skipped$/);
});

const PEERS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'tcpdump', 'ip', 'ping', 'chromium'];

function locate(program: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return r.status === 0 ? r.stdout.trim() : null;
}

test('the peer check before CI\'s tests names tshark when PATH lacks it, and only what is missing', () => {
  // A PATH holding every peer but tshark (links to the installed programs).
  const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
  const present = PEERS.filter((p) => {
    const where = locate(p);
    if (where) fs.symlinkSync(where, path.join(bin, p));
    return where !== null;
  });
  const bash = execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
  const r = spawnSync(bash, [CHECK_PEERS], { encoding: 'utf8', env: { PATH: bin } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tshark not found on PATH/);
  for (const p of present) assert.doesNotMatch(r.stderr, new RegExp(`- ${p} not found`));
});

const absentPeers = ['tshark', ...PEERS].filter((p) => locate(p) === null);
const cannotPass =
  (process.getuid?.() !== 0 && 'the peer check requires root (CI runs as root)') ||
  (!haveShared() && NO_SHARED) ||
  (absentPeers.length > 0 && `${absentPeers.join(', ')} not installed (scripts/install-test-peers.sh installs them)`);

test('the peer check passes with every peer on PATH, and CI runs it before the tests', { skip: cannotPass }, () => {
  const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
  for (const p of ['tshark', ...PEERS]) {
    const where = locate(p);
    if (where) fs.symlinkSync(where, path.join(bin, p));
  }
  const r = spawnSync('bash', [CHECK_PEERS], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(r.status, 0, r.stderr);
  const ci = fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8');
  assert.ok(ci.indexOf('check-peers.sh') < ci.indexOf('npm test') && ci.includes('export CI=true'));
});
