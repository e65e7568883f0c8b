// Several hosts' captures as one: the three-hypervisor samples against the ground truth they were
// made from (paths: exact sent/received/lost, clock offsets, latency), each transmission counted once
// by tenants, the capture column and filter fields, FILE@NAME, and one file read exactly as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { hypervisorSamples, HypervisorTruth } from '../../src/samples/hypervisor-samples';
import { ping } from '../../src/samples/inner-frames';
import { vxlan } from '../../src/craft';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { CLI, SAMPLES } from '../helpers/paths';

const DIR = path.join(SAMPLES, 'three-hypervisors');
const HOSTS = ['host1.pcapng', 'host2.pcapng', 'host3.pcapng'].map((f) => path.join(DIR, f));
const truth = JSON.parse(fs.readFileSync(path.join(DIR, 'truth.json'), 'utf8')) as HypervisorTruth;

function cli(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function json<T>(...args: string[]): T {
  const r = cli(...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

interface PathsJson {
  captures: { file: string; vtep: string | null; clockOffset: number; clockOffsetEstimated: boolean }[];
  pairs: { from: string; to: string; sent: number; received: number; lost: number; lostFrames: { capture: string; frame: number }[]; latency: { min: number; median: number; p99: number; max: number } }[];
}

test('the committed truth.json is what the generator writes', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(hypervisorSamples().truth)), truth);
});

test('paths over the three hosts: exact sent, received and lost, offsets within 100 µs, median latency within 30 µs', () => {
  const report = json<PathsJson>('paths', ...HOSTS, '-T', 'json');
  assert.deepEqual(report.captures.map((c) => [path.basename(c.file), c.vtep]), truth.captures.map((c) => [c.file, c.vtep]));
  report.captures.forEach((c, i) => {
    assert.ok(Math.abs(c.clockOffset - truth.captures[i].clockOffset) < 100e-6, `${c.file}: offset ${c.clockOffset} vs ${truth.captures[i].clockOffset}`);
  });
  assert.deepEqual(report.pairs.map((p) => [p.from, p.to]), truth.pairs.map((p) => [p.from, p.to]));
  report.pairs.forEach((p, i) => {
    const want = truth.pairs[i];
    const where = `${p.from} -> ${p.to}`;
    assert.deepEqual([p.sent, p.received, p.lost], [want.sent, want.received, want.lost], where);
    assert.deepEqual(p.lostFrames.map((f) => f.frame), want.lostFrames, where);
    assert.ok(Math.abs(p.latency.median - want.latency.median) < 30e-6, `${where}: median ${p.latency.median} vs ${want.latency.median}`);
    assert.ok(p.latency.min <= p.latency.median && p.latency.median <= p.latency.p99 && p.latency.p99 <= p.latency.max, where);
  });
});

test('a folder is its captures; FILE@ADDRESS gives a host', () => {
  const fromFolder = json<PathsJson>('paths', DIR, '-T', 'json');
  assert.deepEqual(fromFolder.pairs.map((p) => p.lost), truth.pairs.map((p) => p.lost));
  const named = json<PathsJson>('paths', `${HOSTS[0]}@192.168.100.9`, HOSTS[1], '-T', 'json');
  assert.equal(named.captures[0].vtep, '192.168.100.9');
});

test('tenants over the three captures counts each transmission once', () => {
  const report = json<{ frames: number; tenants: { type: string; id: number; packets: number }[] }>('tenants', ...HOSTS, '-T', 'json');
  assert.equal(report.frames, truth.frames);
  assert.deepEqual(Object.fromEntries(report.tenants.map((t) => [`${t.type}:${t.id}`, t.packets])), truth.tenantPackets);
});

test('report over the three captures counts each transmission once and names them', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-set-')), 'report.json');
  const r = cli('report', ...HOSTS, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { capture: { file: string; frames: number }; tenants: { tenants: { type: string; id: number; packets: number }[] } };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  assert.equal(report.capture.file, 'host1.pcapng, host2.pcapng, host3.pcapng');
  assert.deepEqual(Object.fromEntries(report.tenants.tenants.map((t) => [`${t.type}:${t.id}`, t.packets])), truth.tenantPackets);
});

test('dissect of several captures: merged by corrected time, a capture column, frame.capture and frame.capture_host filter', () => {
  const r = cli('dissect', ...HOSTS, '-T', 'jsonl');
  assert.equal(r.status, 0, r.stderr);
  const frames = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { frame: number; capture: string; ts: number });
  assert.equal(frames.length, truth.frames);
  for (let i = 1; i < frames.length; i++) assert.ok(frames[i].ts >= frames[i - 1].ts, `frame ${frames[i].frame} goes back in time`);
  assert.deepEqual([...new Set(frames.map((f) => f.capture))].sort(), ['host1.pcapng', 'host2.pcapng', 'host3.pcapng']);
  const text = cli('dissect', ...HOSTS, '-Y', 'frame.capture_host == "192.168.100.3" && vxlan');
  assert.equal(text.status, 0, text.stderr);
  const host3 = text.stdout.trim().split('\n');
  assert.ok(host3.length > 100);
  assert.ok(host3.every((l) => / host3\.pcapng /.test(l)), host3.find((l) => !/ host3\.pcapng /.test(l)));
});

test('one capture reads exactly as before: no capture column, no capture fields', () => {
  const r = cli('dissect', HOSTS[0], '-T', 'jsonl');
  assert.equal(r.status, 0);
  assert.ok(!r.stdout.includes('"capture"'));
  const one = json<{ tenants: { packets: number }[] }>('tenants', HOSTS[0], '-T', 'json');
  assert.equal(one.tenants.reduce((n, t) => n + t.packets, 0), 200);
});

test('a missing capture among several: one line, exit 1', () => {
  const r = cli('tenants', HOSTS[0], path.join(DIR, 'nope.pcapng'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tunnelscope: cannot open .*nope\.pcapng: no such file\n$/);
});

test('traffic one way only: the clock offset cannot be estimated and says so; the receiver host comes from FILE@ADDRESS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-oneway-'));
  try {
    const [a, b] = [{ mac: '52:54:00:00:00:0a', ip: '192.0.2.10' }, { mac: '52:54:00:00:00:0b', ip: '192.0.2.11' }];
    const vm1 = { mac: 'fa:16:3e:00:00:01', ip: '10.1.0.1' };
    const vm2 = { mac: 'fa:16:3e:00:00:02', ip: '10.1.0.2' };
    const frames = [1, 2, 3].map((seq) => vxlan({ outer: { srcMac: a.mac, dstMac: b.mac, srcIp: a.ip, dstIp: b.ip, ipId: 100 + seq }, vni: 7, inner: ping(vm1, vm2, 'request', 1, seq) }));
    const write = (file: string, direction: number, skewNs: number) => {
      const writer = createCaptureWriter(file, { format: 'pcapng', nanosecond: true });
      const eth = writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535 });
      frames.forEach((f, i) => writer.writePacket(eth, 1704067200 + i, 500_000 + skewNs, f, undefined, direction));
      writer.close();
    };
    const sender = path.join(dir, 'a.pcapng');
    const receiver = path.join(dir, 'b.pcapng');
    write(sender, 2, 0); // outbound: the sender's host is the source
    write(receiver, 1, 250_000);
    const unnamed = json<PathsJson>('paths', sender, receiver, '-T', 'json');
    assert.deepEqual(unnamed.captures.map((c) => c.vtep), [a.ip, null]);
    assert.deepEqual(unnamed.pairs, [], 'no receiving host, no path');
    const named = json<PathsJson>('paths', sender, `${receiver}@${b.ip}`, '-T', 'json');
    assert.deepEqual(named.captures.map((c) => [c.vtep, c.clockOffset, c.clockOffsetEstimated]), [[a.ip, 0, true], [b.ip, 0, false]]);
    assert.deepEqual(named.pairs.map((p) => [p.from, p.to, p.sent, p.received, p.lost]), [[a.ip, b.ip, 3, 3, 0]]);
    // Without a clock offset the latency is the raw difference of the two clocks.
    assert.ok(Math.abs(named.pairs[0].latency.median - 250e-6) < 1e-6);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
