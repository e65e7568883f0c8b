// Killing the capture program (SIGKILL) mid-capture leaves a readable file holding every packet it
// had written: tcpdump -U writes each packet as it arrives; dumpcap flushes about once a second.
// Killing what started it (the CLI, or the browser-mode service) with SIGKILL leaves no capture
// program running: its watchdog stops it, and the file is closed properly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { TenantType } from '../../src/dissect/tenant-id';
import { PROTO } from '../../src/dissect/protocol-ids';
import { haveProgram, REPO } from '../helpers/paths';
import { childPids, netnsSkipReason, OVERLAY, startCli, VNI, VxlanPair, withTimeout } from '../helpers/netns';

const skip = netnsSkipReason('tcpdump');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FileCheck {
  frames: number;
  problem: string | null;
  allInTenant: boolean;
  malformed: number;
  icmp: number;
}

const ICMP = PROTO.icmp;

/** Reads the whole file as a finished capture: a record cut short would show up as `problem`. */
function readWhole(file: string): FileCheck {
  const capture = CaptureFile.open(file);
  let allInTenant = true;
  let malformed = 0;
  let icmp = 0;
  new CaptureIndexer(capture).run((ctx) => {
    if (ctx.tenantType !== TenantType.Vxlan || ctx.tenantId !== VNI) allInTenant = false;
    if (ctx.malformed !== null) malformed++;
    if (ctx.findLastLayer(ICMP) >= 0) icmp++;
  }, true);
  capture.close();
  return { frames: capture.frameCount, problem: capture.problem, allInTenant, malformed, icmp };
}

/** The capture program running under `pid` (the CLI or the service). */
function captureProgramUnder(pid: number, name: string): number {
  const program = childPids(pid).find((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
  assert.ok(program !== undefined, `${name} runs under pid ${pid}`);
  return program;
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, what: string): Promise<void> {
  try {
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = setInterval(() => !running(pid) && (clearInterval(check), resolve()), 50);
      }),
      20_000,
      what,
    );
  } finally {
    if (running(pid)) process.kill(pid, 'SIGKILL'); // the test failed: leave nothing behind
  }
}

/** Kills the capture program the CLI started, the way a crash or the OOM killer would. */
function killCaptureProgram(cliPid: number, name: string): void {
  const program = childPids(cliPid).find((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name);
  assert.ok(program !== undefined, `${name} runs under the CLI (pid ${cliPid})`);
  process.kill(program, 'SIGKILL');
}

describe('killing the capture program mid-way', { skip: skip ?? false, timeout: 120000 }, () => {
  let pair: VxlanPair;
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-kill-'));
    pair = new VxlanPair();
  });

  after(() => {
    pair?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tcpdump: the file holds exactly the packets sent before the kill', async () => {
    const file = path.join(dir, 'killed.pcap');
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '--program', 'tcpdump', '-f', 'udp port 4789', '-w', file, '-T', 'json']);
    const pings = pair.ping(10, 0.1);
    await sleep(200);
    killCaptureProgram(run.child.pid!, 'tcpdump');
    const code = await withTimeout(run.exited, 15000, 'CLI after its capture program was killed');
    pair.ping(2, 0.1); // traffic after the kill is not in the file
    assert.equal(code, 1);
    assert.match(run.stderr(), /tunnelscope: tcpdump was killed by SIGKILL; .*killed\.pcap keeps what it wrote before\n$/);
    const check = readWhole(file);
    assert.equal(check.problem, null, 'no record cut short');
    // The first ping's ARP exchange, then every echo request and reply.
    assert.equal(check.icmp, pings.transmitted + pings.received);
    assert.equal(check.frames, check.icmp + 2);
    assert.ok(check.allInTenant && check.malformed === 0);
    assert.equal(JSON.parse(run.stdout()).packets, check.frames, 'the live count saw them all too');
  });

  it('tcpdump: killed while packets are flowing, the file ends on a whole packet', async () => {
    const file = path.join(dir, 'busy.pcap');
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '--program', 'tcpdump', '-f', 'udp port 4789', '-w', file, '-q']);
    const ping = spawn('ip', ['netns', 'exec', pair.nsA, 'ping', '-n', '-q', '-c', '40', '-i', '0.02', OVERLAY.b], { stdio: 'ignore' });
    const pingDone = new Promise((resolve) => ping.on('exit', resolve));
    await sleep(400);
    killCaptureProgram(run.child.pid!, 'tcpdump');
    await withTimeout(run.exited, 15000, 'CLI after its capture program was killed');
    await withTimeout(pingDone, 10000, 'ping');
    const check = readWhole(file);
    assert.equal(check.problem, null);
    assert.ok(check.frames > 0 && check.frames < 80, `some of the 80 echo frames: ${check.frames}`);
    assert.ok(check.allInTenant && check.malformed === 0);
  });

  it('dumpcap: packets older than its flush interval survive the kill', { skip: haveProgram('dumpcap') ? false : 'dumpcap not installed: skipped' }, async () => {
    const file = path.join(dir, 'killed.pcapng');
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '--program', 'dumpcap', '-f', 'udp port 4789', '-w', file, '-T', 'json']);
    const pings = pair.ping(5, 0.1);
    await sleep(1500); // dumpcap writes through a buffer it flushes about once a second
    killCaptureProgram(run.child.pid!, 'dumpcap');
    const code = await withTimeout(run.exited, 15000, 'CLI after dumpcap was killed');
    assert.equal(code, 1);
    const check = readWhole(file);
    assert.equal(check.problem, null);
    assert.equal(check.icmp, pings.transmitted + pings.received, 'every echo request and reply');
  });

  // Killing the CLI with SIGKILL (nothing can pass it on), the watchdog stops the capture program.
  const cases = [
    { program: 'tcpdump', killed: 'the CLI' },
    { program: 'dumpcap', killed: 'the CLI' },
  ] as const;
  for (const { program, killed } of cases) {
    it(`${program}: SIGKILL of ${killed} leaves no ${program} running, and its file is whole`, { skip: haveProgram(program) ? false : `${program} not installed: skipped` }, async () => {
      const file = path.join(dir, `cli-killed-${program}.pcap`);
      const run = await startCli(pair.nsA, ['-i', pair.vethA, '--program', program, '-f', 'udp port 4789', '-w', file, '-q']);
      const pid = captureProgramUnder(run.child.pid!, program);
      const nodes = [run.child.pid!, ...childPids(run.child.pid!).filter((p) => p !== pid && fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node')];
      assert.equal(nodes.length, 1, 'the CLI runs as one node process');
      pair.ping(3, 0.1);
      await sleep(program === 'dumpcap' ? 1500 : 200);
      for (const node of nodes) process.kill(node, 'SIGKILL');
      await withTimeout(run.exited, 15000, 'the killed CLI');
      await waitUntilGone(pid, `${program} after ${killed} was killed`);
      const check = readWhole(file);
      assert.equal(check.problem, null, 'stopped with SIGINT: the file is closed properly');
      assert.ok(check.icmp >= 6 && check.allInTenant, `the pings are in the file (${check.icmp} ICMP frames)`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only its owner may read it');
    });
  }

  it('SIGKILL of the browser-mode service leaves no capture program running', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    const server = spawn('ip', ['netns', 'exec', pair.nsA, process.execPath, path.join(REPO, 'dist', 'electron', 'launch.js'), '--browser'], {
      env: { ...process.env, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => server.on('exit', resolve));
    try {
      let out = '';
      server.stdout!.on('data', (d) => (out += d));
      const printed = await withTimeout(
        new Promise<RegExpExecArray>((resolve) => {
          const check = setInterval(() => {
            const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(out);
            if (m) {
              clearInterval(check);
              resolve(m);
            }
          }, 20);
        }),
        20_000,
        'the service to print its address',
      );
      // The service listens inside the namespace: call it from there.
      const request = JSON.stringify({ method: 'startCapture', params: { iface: pair.vethA, filter: 'udp port 4789', snaplen: 0, durationSeconds: null, packetCount: null, fileKilobytes: null } });
      const script = `fetch(process.argv[1] + '/api/call', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.argv[2] }, body: process.argv[3] }).then(async (r) => console.log(r.status, await r.text()))`;
      const reply = pair.exec(pair.nsA, [process.execPath, '-e', script, printed[1], printed[2], request]);
      assert.match(reply, /^200 /, reply);
      const { outputPath, program } = (JSON.parse(reply.slice(4)) as { result: { live: { outputPath: string; program: string } } }).result.live;
      assert.equal(fs.statSync(path.dirname(outputPath)).mode & 0o777, 0o700, 'a private directory');
      const pid = captureProgramUnder(server.pid!, program);
      server.kill('SIGKILL');
      await withTimeout(exited, 15000, 'the killed service');
      await waitUntilGone(pid, `${program} after the service was killed`);
      fs.rmSync(path.dirname(outputPath), { recursive: true, force: true });
    } finally {
      server.kill('SIGKILL');
    }
  });
});
