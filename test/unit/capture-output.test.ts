// Where live captures write: a private directory by default, a file we create ourselves (never
// through a link someone planted), ring buffers only in a directory of our own; and the capture
// program cannot outlive the process that started it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createOutputFile, prepareRingOutput, privateOutputPath } from '../../src/live/capture-output';
import { LiveCaptureError } from '../../src/live/errors';
import { spawnSupervised } from '../../src/live/supervised-spawn';
import { REPO } from '../helpers/paths';
import { withTimeout } from '../helpers/netns';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-output-unit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const TCPDUMP = { name: 'tcpdump' as const, path: '/usr/bin/tcpdump' };

function alive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped by init) is dead for our purpose.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  await withTimeout(
    new Promise<void>((resolve) => {
      const check = setInterval(() => !alive(pid) && (clearInterval(check), resolve()), 50);
    }),
    20_000,
    `process ${pid} to end`,
  );
}

describe('capture output files', () => {
  it('the default file is in a fresh directory only we can enter', () => {
    const a = privateOutputPath(TCPDUMP, 'eth0');
    const b = privateOutputPath(TCPDUMP, 'eth0');
    assert.notEqual(path.dirname(a), path.dirname(b), 'unpredictable, one per capture');
    assert.equal(fs.statSync(path.dirname(a)).mode & 0o777, 0o700);
    assert.match(path.basename(a), /^tunnelscope_eth0_\d{14}\.pcap$/);
    for (const f of [a, b]) fs.rmSync(path.dirname(f), { recursive: true });
  });

  it('creates the file 0600 and replaces an old regular file', () => {
    const file = path.join(dir, 'new.pcap');
    fs.writeFileSync(file, 'old capture', { mode: 0o644 });
    const fd = createOutputFile(file);
    fs.writeSync(fd, 'new');
    fs.closeSync(fd);
    assert.equal(fs.readFileSync(file, 'utf8'), 'new');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('never writes through a symbolic link planted at the name', () => {
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'precious');
    const planted = path.join(dir, 'planted.pcap');
    fs.symlinkSync(victim, planted);
    assert.throws(() => createOutputFile(planted), (err: Error) => err instanceof LiveCaptureError && /symbolic link/.test(err.message));
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    const dangling = path.join(dir, 'dangling.pcap');
    fs.symlinkSync(path.join(dir, 'would-be-created'), dangling);
    assert.throws(() => createOutputFile(dangling), /symbolic link/);
    assert.equal(fs.existsSync(path.join(dir, 'would-be-created')), false);
  });

  it('a ring buffer needs a directory no other user can write in', () => {
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o1777);
    assert.throws(() => prepareRingOutput(TCPDUMP, path.join(shared, 'ring.pcap')), /other users/);
    const own = path.join(dir, 'own');
    fs.mkdirSync(own, { mode: 0o755 });
    fs.writeFileSync(path.join(own, 'ring.pcap0'), 'stale');
    prepareRingOutput(TCPDUMP, path.join(own, 'ring.pcap'));
    assert.equal(fs.existsSync(path.join(own, 'ring.pcap0')), false, 'stale ring files removed');
  });
});

describe('supervised capture program', () => {
  it('runs with umask 077 and writes to the descriptor it was given', async () => {
    const file = path.join(dir, 'umask.out');
    const fd = createOutputFile(file);
    const { child } = spawnSupervised('/bin/sh', ['-c', `umask; touch ${path.join(dir, 'made-by-child')}`], fd);
    fs.closeSync(fd);
    await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(fs.readFileSync(file, 'utf8').trim(), '0077');
    assert.equal(fs.statSync(path.join(dir, 'made-by-child')).mode & 0o777, 0o600);
  });

  it('a program whose starter is killed with SIGKILL is stopped by the watchdog (SIGINT first)', async () => {
    // A stand-in for the CLI or the service: starts a long program supervised, prints its pid, waits.
    const starter = `
      const { spawnSupervised } = require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'live', 'supervised-spawn.js'))});
      const { child } = spawnSupervised('/bin/sh', ['-c', 'trap "echo got-INT >&2; exit 0" INT; while :; do sleep 0.2; done'], 'ignore');
      child.stderr.pipe(process.stderr);
      setTimeout(() => console.log(child.pid), 300);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['-e', starter], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = await withTimeout(
      new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim())))),
      20_000,
      'the starter to print the program pid',
    );
    try {
      assert.ok(alive(pid), 'the program runs');
      parent.kill('SIGKILL');
      await waitUntilGone(pid);
    } finally {
      if (alive(pid)) process.kill(-pid, 'SIGKILL'); // the test failed: leave nothing behind
    }
  });
});
