// Killing the capture program (SIGKILL) mid-capture leaves a readable file holding every packet it
// had written: tcpdump -U writes each packet as it arrives; dumpcap flushes about once a second.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { TenantType } from '../../src/dissect/dissection';
import { PROTO } from '../../src/dissect/protocol-ids';
import { haveProgram } from '../helpers/paths';
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
});
