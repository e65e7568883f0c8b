// Tenants and conversations: tenant identity per encapsulation, equal inner IPs kept apart, flood
// share, findings (and the non-finding of equal IPs across tenants), and the CLI contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaptureFile } from '../../src/capture/capture-file';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { analyzeCapture } from '../../src/overlay/analyze-capture';
import { TenantsReport } from '../../src/overlay/report-types';
import { ETHERTYPE_IPV4, ethernet, icmpEcho, ipv4, vxlan } from '../../src/craft';
import { CLI, REPO, SAMPLES } from '../helpers/paths';

function tenants(file: string, mtu?: number): TenantsReport {
  return analyzeCapture(CaptureFile.open(file), { mtu }).tenants;
}

const ids = (report: TenantsReport) => report.tenants.map((t) => [t.type, t.id, t.packets]);

test('three hosts: VNI 101 and 102 use the same inner IPs and stay apart, with no duplicate-IP finding', () => {
  const report = tenants(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
  assert.equal(report.frames, 33);
  assert.deepEqual(report.underlay, { packets: 3, bytes: 186 });
  assert.deepEqual(ids(report), [['vxlan', 101, 20], ['vxlan', 102, 10]]);
  const [t101, t102] = report.tenants;
  const ip = (t: typeof t101) => t.conversations.filter((c) => c.layer === 'ip').map((c) => [c.a, c.b, c.packets, c.firstFrame, c.lastFrame]);
  assert.deepEqual(ip(t101), [['10.0.0.1', '10.0.0.2', 14, 6, 19], ['10.0.0.3', '10.0.0.1', 2, 22, 23]]);
  assert.deepEqual(ip(t102), [['10.0.0.1', '10.0.0.2', 4, 26, 29], ['10.0.0.3', '10.0.0.2', 2, 32, 33]]);
  assert.deepEqual(report.findings, [], 'equal IPs in different tenants are not duplicates');
  assert.deepEqual(t101.vteps, ['192.168.100.1', '192.168.100.2', '192.168.100.3']);
  assert.deepEqual(t101.groups, ['239.1.1.1']);
  // Two ARP requests flooded to the group (frames 4, 20) out of 20 frames
  assert.deepEqual(t101.flood, { packets: 2, broadcast: 2, multicast: 0, unknownUnicast: 0, toGroup: 2, share: 0.1 });
  const tcp = t101.conversations.filter((c) => c.layer === 'tcp');
  assert.deepEqual(tcp.map((c) => [c.a, c.b, c.packets, c.packetsAtoB, c.packetsBtoA, c.firstFrame, c.lastFrame]), [['10.0.0.1:43210', '10.0.0.2:9000', 8, 5, 3, 10, 17]]);
  assert.deepEqual(t101.conversations.filter((c) => c.layer === 'udp').map((c) => [c.a, c.b, c.packets]), [['10.0.0.1:50000', '10.0.0.2:7000', 2]]);
  assert.equal(t101.firstFrame, 4);
  assert.equal(t101.lastFrame, 23);
});

test('NVGRE and GRE samples: VSID tenants, the reserved-VSID key as a GRE key; keyless GRE is underlay', () => {
  const nvgre = tenants(path.join(SAMPLES, 'nvgre.pcapng'));
  assert.deepEqual(ids(nvgre), [['nvgre', 0x1234, 4], ['nvgre', 0x5678, 4], ['gre', 1, 1]]);
  assert.deepEqual(nvgre.tenants.map((t) => t.name), ['nvgre 0x001234', 'nvgre 0x005678', 'gre key 1']);
  assert.deepEqual(nvgre.findings, []);
  const gre = tenants(path.join(SAMPLES, 'gre-two-routers.pcap'));
  assert.deepEqual(gre.tenants.map((t) => [t.type, t.id, t.packets]), [['gre', 1, 4]]);
  // IP-in-GRE with a key: no MACs, conversations count the inner IP packet
  assert.deepEqual(gre.tenants[0].conversations.map((c) => c.layer), ['ip']);
  // A GRE tunnel without a key names no segment: its 12 packets are underlay, as dissect and info say.
  assert.equal(gre.underlay.packets, 12);
  const geneve = tenants(path.join(SAMPLES, 'geneve.pcapng'));
  assert.deepEqual(ids(geneve), [['geneve', 5001, 4]]);
  const ovs = tenants(path.join(SAMPLES, 'ovs-gre', 'host1.pcapng'));
  assert.deepEqual(ids(ovs), [['gre', 1, 5], ['gre', 2, 5]]);
  assert.equal(ovs.underlay.packets, 8, 'the VM-side frames are not encapsulated: underlay');
});

// ---- findings on a synthetic capture ----

function mac(n: number): string {
  return `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
}

function frame(vtepFrom: string, id: number, srcMac: number, srcIp: string, options: { iFlag?: boolean; payloadBytes?: number } = {}): Uint8Array {
  const inner = ethernet({
    src: mac(srcMac),
    dst: mac(2),
    etherType: ETHERTYPE_IPV4,
    payload: ipv4({ src: srcIp, dst: '10.0.0.6', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(options.payloadBytes ?? 8) }) }),
  });
  return vxlan({ outer: { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02', srcIp: vtepFrom, dstIp: '10.1.0.2' }, vni: id, inner, iFlag: options.iFlag });
}

function writeCapture(frames: Uint8Array[], cutLastBytes = 0): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-tenants-'));
  const file = path.join(dir, 'synthetic.pcap');
  const writer = createCaptureWriter(file, { format: 'pcap' });
  const eth = writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535 });
  frames.forEach((f, i) => writer.writePacket(eth, 1704067200 + i, 0, f));
  writer.close();
  if (cutLastBytes > 0) fs.truncateSync(file, fs.statSync(file).size - cutLastBytes);
  return file;
}

const findingsFile = () =>
  writeCapture([
    frame('10.1.0.1', 201, 1, '10.0.0.5'),
    frame('10.1.0.3', 201, 9, '10.0.0.5'), // a second MAC claims 10.0.0.5 inside VNI 201
    frame('10.1.0.1', 202, 1, '10.0.0.5'), // MAC 01 again, in VNI 202 (same IP there is fine)
    frame('10.1.0.1', 203, 3, '10.0.0.7', { iFlag: false }),
    frame('10.1.0.1', 201, 1, '10.0.0.5', { payloadBytes: 1438 }), // inner 1480 + 36 = 1516-byte outer IP packet
  ]);

test('MTU finding at the boundary: a 1500-byte outer IP packet fits a 1500-byte MTU, 1501 bytes does not', () => {
  const exact = frame('10.1.0.1', 301, 1, '10.0.0.5', { payloadBytes: 1422 });
  const over = frame('10.1.0.1', 301, 1, '10.0.0.5', { payloadBytes: 1423 });
  assert.deepEqual([exact.length - 14, over.length - 14], [1500, 1501], 'outer IP packet lengths');
  const mtuFindings = (file: string, mtu?: number) => tenants(file, mtu).findings.filter((f) => f.kind === 'mtu-exceeded');
  assert.deepEqual(mtuFindings(writeCapture([exact])), [], '1500 bytes against 1500');
  const [finding, ...more] = mtuFindings(writeCapture([exact, over, exact]));
  assert.deepEqual(more, []);
  assert.deepEqual([finding.frames, finding.largest, finding.firstFrame, finding.mtu], [1, 1501, 2, 1500]);
  assert.deepEqual(mtuFindings(writeCapture([exact, over]), 1501), [], '1501 bytes against 1501');
  assert.equal(mtuFindings(writeCapture([exact]), 1499).length, 1, '1500 bytes against 1499');
});

test('findings: duplicate IP inside a tenant, a MAC in two tenants, no I flag, MTU', () => {
  const report = tenants(findingsFile());
  const simple = report.findings.map((f) => [f.kind, f.tenant?.id ?? f.tenants?.map((t) => t.id), f.firstFrame]);
  assert.deepEqual(simple, [
    ['duplicate-ip', 201, 2],
    ['mtu-exceeded', 201, 5],
    ['mac-in-two-tenants', [201, 202], 3],
    ['vxlan-no-i-flag', 203, 4],
  ]);
  const dup = report.findings[0];
  assert.equal(dup.address, '10.0.0.5');
  assert.deepEqual(dup.claims, [{ mac: mac(1), firstFrame: 1 }, { mac: mac(9), firstFrame: 2 }]);
  const mtu = report.findings[1];
  assert.deepEqual([mtu.frames, mtu.mtu, mtu.largest], [1, 1500, 1516]);
  assert.match(mtu.message, /1500-byte underlay MTU \(assumed; --mtu\)/);
  assert.equal(report.findings[2].mac, mac(1));
  assert.equal(report.findings[3].frames, 1);
  // A jumbo underlay: no MTU finding
  assert.ok(tenants(findingsFile(), 9000).findings.every((f) => f.kind !== 'mtu-exceeded'));
  // Conversation bytes are inner frame bytes: 14 + 20 + 8 + 8 = 50 for the small frames, 1480 for the big one
  const t201 = report.tenants.find((t) => t.id === 201)!;
  const ip = t201.conversations.find((c) => c.layer === 'ip' && c.a === '10.0.0.5')!;
  assert.deepEqual([ip.packets, ip.bytes], [3, 50 + 50 + 1480]);
  assert.equal(t201.bytes, (50 + 50) + (50 + 50) + (1480 + 50), "outer frame bytes: inner + 50 (VXLAN over IPv4) each");
});

// ---- the CLI ----

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

test('CLI: tenants --format json is the report object, text shows findings first', () => {
  const file = findingsFile();
  const run = cli(['tenants', file, '--format', 'json']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), JSON.parse(JSON.stringify(tenants(file))));
  const sample = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  assert.deepEqual(JSON.parse(cli(['tenants', sample, '--format', 'json']).stdout), JSON.parse(JSON.stringify(tenants(sample))));
  const text = cli(['tenants', file, '--mtu', '1400']);
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.match(lines[0], /^Findings \(4\)/);
  assert.match(text.stdout, /1400-byte underlay MTU/);
  assert.match(text.stdout, /TENANT\s+PACKETS\s+BYTES\s+FLOOD/);
});

test('CLI: vteps --format json and --at', () => {
  const sample = path.join(SAMPLES, 'vxlan-vm-migration.pcapng');
  const run = cli(['vteps', sample, '--format', 'json', '--at', '9']);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.atFrame, 9);
  assert.deepEqual(Object.keys(report.vteps[0]).slice(0, 2), ['ip', 'tenants']);
  assert.deepEqual(Object.keys(report.groups[0]).slice(0, 2), ['group', 'members']);
  const move = report.events.find((e: { kind: string }) => e.kind === 'move');
  assert.deepEqual([move.frame, move.vtep, move.mac, move.remoteVtep, move.previousVtep], [9, '192.168.100.1', 'fa:16:3e:00:65:02', '192.168.100.3', '192.168.100.2']);
  const text = cli(['vteps', sample]);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /move\s+192\.168\.100\.1\s+vxlan 101\s+fa:16:3e:00:65:02\s+moved 192\.168\.100\.2 -> 192\.168\.100\.3/);
});

test('CLI errors: one line and a non-zero exit; a cut-short file still reports', () => {
  const missing = cli(['tenants', '/nonexistent/x.pcap']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /no such file/);
  const badMtu = cli(['tenants', path.join(SAMPLES, 'geneve.pcapng'), '--mtu', 'big']);
  assert.equal(badMtu.status, 2);
  const beyond = cli(['vteps', path.join(SAMPLES, 'geneve.pcapng'), '--at', '99']);
  assert.equal(beyond.status, 1);
  assert.match(beyond.stderr, /--at 99: the capture has 4 frame/);
  const cut = writeCapture([frame('10.1.0.1', 201, 1, '10.0.0.5'), frame('10.1.0.1', 201, 1, '10.0.0.5')], 10);
  const run = cli(['tenants', cut, '--format', 'json']);
  assert.equal(run.status, 1);
  assert.equal(JSON.parse(run.stdout).tenants[0].packets, 1);
  assert.equal(run.stderr.trim().split('\n').length, 1);
  assert.match(run.stderr, /cut short/);
});

test('CLI: the built bin runs by itself, as npx and an installed `tunnelscope` run it (shebang, executable)', () => {
  const bin = path.join(REPO, 'node_modules', '.bin', 'tunnelscope');
  const target = fs.existsSync(bin) ? bin : CLI;
  const run = spawnSync(target, ['tenants', path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(run.error, undefined, String(run.error));
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).tenants.length, 2);
});
