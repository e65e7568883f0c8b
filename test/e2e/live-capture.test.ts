// `tunnelscope capture` on a real two-namespace VXLAN overlay: the tenant, its ARP and ICMP frames,
// clean stops (Ctrl+C, packet count, duration) and the clear one-line errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, haveProgram } from '../helpers/paths';
import { netnsSkipReason, OVERLAY, startCli, UNDERLAY, VNI, VxlanPair, withTimeout } from '../helpers/netns';

const skip = netnsSkipReason('tcpdump');
const TENANT = `vxlan:${VNI}`;

interface JsonFrame {
  frame: number;
  protocols: string;
  tenant: { type: string; id: number } | null;
  src: string;
  dst: string;
  protocol: string;
  info: string;
}

function dissectJsonl(file: string): JsonFrame[] {
  const out = execFileSync(process.execPath, [CLI, 'dissect', '--format', 'jsonl', file], { encoding: 'utf8', timeout: 20000 });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonFrame);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tunnelscope capture on a two-namespace VXLAN overlay', { skip: skip ?? false, timeout: 120000 }, () => {
  let pair: VxlanPair;
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-live-'));
  });

  after(() => {
    pair?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees tenant vxlan:42, its ARP and ICMP, and keeps the file after Ctrl+C', async () => {
    pair = new VxlanPair();
    const file = path.join(dir, 'overlay.pcapng');
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '-w', file, '-T', 'json']);
    const pings = pair.ping(3);
    assert.equal(pings.received, 3);
    await sleep(600); // dumpcap hands packets over every ~250 ms: let the last reply arrive first
    run.child.kill('SIGINT');
    const code = await withTimeout(run.exited, 15000, 'capture after SIGINT');
    assert.equal(code, 0, run.stderr());
    const summary = JSON.parse(run.stdout());
    assert.equal(summary.reason, 'stopped');
    assert.equal(summary.file, file);
    assert.ok(fs.existsSync(file), 'the file is kept');
    const tenant = summary.tenants.find((t: { tenant: string }) => t.tenant === TENANT);
    assert.ok(tenant, `tenant ${TENANT} in ${run.stdout()}`);
    assert.deepEqual(tenant.vteps, [UNDERLAY.a, UNDERLAY.b]);
    assert.equal(tenant.protocols.icmp, 6, 'three echo requests and three replies');
    assert.ok(tenant.protocols.arp >= 2, 'the ARP request and its reply');

    // The file as the engine reads it afterwards: the overlay's own frames, all in the tenant.
    const frames = dissectJsonl(file);
    assert.equal(frames.length, summary.packets);
    const inTenant = frames.filter((f) => f.tenant?.type === 'vxlan' && f.tenant.id === VNI);
    const arpRequest = inTenant.find((f) => f.protocol === 'ARP' && f.info === `Who has ${OVERLAY.b}? Tell ${OVERLAY.a}`);
    const arpReply = inTenant.find((f) => f.protocol === 'ARP' && f.info.startsWith(`${OVERLAY.b} is at `));
    assert.ok(arpRequest && arpReply, `ARP request and reply in ${JSON.stringify(inTenant.map((f) => f.info))}`);
    assert.ok(arpRequest.frame < arpReply.frame);
    const echo = inTenant.filter((f) => f.protocol === 'ICMP');
    assert.equal(echo.filter((f) => f.src === OVERLAY.a && /Echo \(ping\) request/.test(f.info)).length, 3);
    assert.equal(echo.filter((f) => f.src === OVERLAY.b && /Echo \(ping\) reply/.test(f.info)).length, 3);
    assert.ok(inTenant.every((f) => f.protocols.startsWith('eth:ip:udp:vxlan:eth:')), 'every tenant frame is VXLAN in UDP');

    // RFC 7348 learning: B's VTEP learns A's MAC from the flooded ARP request, A's VTEP learns B's from the reply.
    const macOf = (ns: string) => JSON.parse(pair.exec(ns, ['ip', '-j', 'link', 'show', 'vx0']))[0].address as string;
    const learns = summary.vteps.events
      .filter((e: { kind: string }) => e.kind === 'learn')
      .map((e: { vtep: string; mac: string; remoteVtep: string; tenant: { type: string; id: number } }) => [e.vtep, `${e.tenant.type}:${e.tenant.id}`, e.mac, e.remoteVtep]);
    assert.deepEqual(learns, [
      [UNDERLAY.b, TENANT, macOf(pair.nsA), UNDERLAY.a],
      [UNDERLAY.a, TENANT, macOf(pair.nsB), UNDERLAY.b],
    ]);
    assert.equal(summary.report.tenants[0].packets, tenant.packets, 'the tenants report counts the same frames');
  });

  it('stops by itself after --count packets, through tcpdump with a capture filter', async () => {
    pair?.destroy();
    pair = new VxlanPair();
    const file = path.join(dir, 'count.pcap');
    // Fresh namespaces: 2 ARP + 4 ICMP frames, all VXLAN; the filter leaves out the underlay's own ARP.
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '--program', 'tcpdump', '-f', 'udp port 4789', '--count', '6', '-w', file, '-T', 'json']);
    pair.ping(2);
    const code = await withTimeout(run.exited, 15000, 'capture with --count');
    assert.equal(code, 0, run.stderr());
    const summary = JSON.parse(run.stdout());
    assert.equal(summary.reason, 'completed');
    assert.equal(summary.program, 'tcpdump');
    assert.equal(summary.packets, 6);
    assert.equal(summary.programStats.captured, 6);
    assert.deepEqual(
      summary.tenants.map((t: { tenant: string; protocols: object }) => [t.tenant, t.protocols]),
      [[TENANT, { icmp: 4, arp: 2 }]],
    );
    assert.equal(dissectJsonl(file).length, 6);
  });

  it('stops after --duration and prints the live count and the tenants table', async () => {
    const run = await startCli(pair.nsA, ['-i', pair.vethA, '--duration', '2', '-w', path.join(dir, 'duration.pcapng')]);
    pair.ping(3);
    // It ends by itself (the timeout only guards against a hang), after the duration, not before.
    const code = await withTimeout(run.exited, 15000, 'capture with --duration');
    assert.equal(code, 0, run.stderr());
    const elapsed = /^\d+ packets in ([\d.]+) s on /m.exec(run.stdout());
    assert.ok(elapsed && Number(elapsed[1]) >= 1.95, `stopped by the duration: ${run.stdout()}`);
    assert.match(run.stderr(), /\d+ s {2}\d+ packets {2}vxlan:42 \d+/, 'a live per-tenant count line');
    assert.match(run.stdout(), /^Saved in .*duration\.pcapng$/m);
    // The overlay's ARP entries may have expired on a slow machine: then its ARP exchange is in the capture too.
    assert.match(run.stdout(), /^vxlan:42 +\d+ +\d+ +192\.0\.2\.1, 192\.0\.2\.2 +icmp 6(, arp \d+)?$/m);
    assert.match(run.stdout(), /^VTEP learning\n(?: {2}frame .*\n)*? {2}frame +\d+ {2}learn {2}VTEP 192\.0\.2\.2 learns vxlan:42 \S+ -> 192\.0\.2\.1$/m);
  });

  it('reports a missing interface and an invalid capture filter in one line each', () => {
    const bad = (args: string[]) => spawnSync('ip', ['netns', 'exec', pair.nsA, process.execPath, CLI, 'capture', ...args], { encoding: 'utf8', timeout: 20000 });
    const noIface = bad(['-i', 'nosuch0']);
    assert.equal(noIface.status, 1);
    assert.match(noIface.stderr, /^tunnelscope: no interface named 'nosuch0' \(interfaces here: .*\)\n$/);
    const badFilter = bad(['-i', pair.vethA, '-f', 'udp port']);
    assert.equal(badFilter.status, 1);
    assert.equal(badFilter.stderr, 'tunnelscope: invalid capture filter "udp port": syntax error\n');
  });
});

describe('tunnelscope capture errors without a namespace', { timeout: 60000 }, () => {
  it('says so when no capture program is installed', () => {
    const r = spawnSync(process.execPath, [CLI, 'capture', '-i', 'lo'], {
      encoding: 'utf8',
      env: { ...process.env, TUNNELSCOPE_CAPTURE_PATH: '/nonexistent' },
      timeout: 20000,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^tunnelscope: neither dumpcap nor tcpdump is installed: install .*\n$/);
  });

  const tcpdumpHasCaps = () => /cap_net_raw/.test(execFileSync('sh', ['-c', 'getcap "$(command -v tcpdump)" 2>/dev/null || true'], { encoding: 'utf8' }));
  const noPermissionSkip =
    process.getuid?.() !== 0 || !haveProgram('setpriv') || !haveProgram('tcpdump')
      ? 'needs root (to become nobody), setpriv and tcpdump: skipped'
      : tcpdumpHasCaps()
        ? 'tcpdump has cap_net_raw here, so everybody may capture: skipped'
        : false;
  it('says what to do when capturing is not permitted', { skip: noPermissionSkip }, () => {
    // User nobody, no capabilities: the capture must be refused before anything starts.
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'capture', '-i', 'lo', '--program', 'tcpdump'], {
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^tunnelscope: not permitted to capture with \S*tcpdump \(.*\): .*sudo setcap cap_net_raw,cap_net_admin=eip \S*tcpdump\n$/);
  });
});
