// The one-pass overlay analysis on crafted captures, for what the learning tests leave open: the MTU and
// underlay fragmentation findings (first frame, largest packet, the MTU boundary), duplicate IPs and MACs
// in two tenants, conversations that start at the first frame or late, flood reasons and head-end floods,
// the analysis without learning, and captures of more flows and pairs than the tables are first sized for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { analyzeCapture } from '../../src/overlay/analyze-capture';
import { ETHERTYPE_IPV4, ethernet, greFrame, icmpEcho, ipv4, mldv2Report, udp, underlayFrame, vxlan } from '../../src/craft';

const A = '10.9.0.1';
const B = '10.9.0.2';
const C = '10.9.0.3';
const D = '10.9.0.4';
const OUTER_MACS = { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02' };
/** Inner Ethernet (14), IPv4 (20) and ICMP echo (8) headers before the echo's payload. */
const INNER_HEADERS = 42;

function macOf(n: number): string {
  return `02:00:00:00:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
}

interface InnerOptions {
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  size?: number;
}

function tunnel(vtepFrom: string, vtepTo: string, vni: number, inner: InnerOptions, ipId = 0): Uint8Array {
  const payload = icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(inner.size ?? 0) });
  const frame = ethernet({ src: inner.srcMac, dst: inner.dstMac, etherType: ETHERTYPE_IPV4, payload: ipv4({ src: inner.srcIp, dst: inner.dstIp, payload }) });
  return vxlan({ outer: { ...OUTER_MACS, srcIp: vtepFrom, dstIp: vtepTo, ipId }, vni, inner: frame });
}

/** VM `from` to VM `to` (MAC 02:00:00:00:00:0n, IP 10.0.0.n), with `size` bytes of echo payload. */
function vm(vtepFrom: string, vtepTo: string, vni: number, from: number, to: number, size = 0): Uint8Array {
  return tunnel(vtepFrom, vtepTo, vni, { srcMac: macOf(from), dstMac: macOf(to), srcIp: `10.0.0.${from}`, dstIp: `10.0.0.${to}`, size });
}

const underlay = underlayFrame({ ...OUTER_MACS, srcIp: C, dstIp: D }, udp({ srcPort: 53, dstPort: 40000, payload: new Uint8Array(20) }));

/** An Ethernet frame's IPv4 packet cut into fragments of at most `mtu` bytes (RFC 791). */
function fragments(frame: Uint8Array, mtu: number): Uint8Array[] {
  const packet = frame.subarray(14);
  const payload = packet.subarray(20);
  const step = Math.floor((mtu - 20) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += step) {
    const piece = ipv4({
      src: packet.subarray(12, 16),
      dst: packet.subarray(16, 20),
      id: (packet[4] << 8) | packet[5],
      protocol: packet[9],
      moreFragments: at + step < payload.length,
      fragmentOffset: at,
      payload: payload.subarray(at, Math.min(at + step, payload.length)),
    });
    const eth = new Uint8Array(14 + piece.length);
    eth.set(frame.subarray(0, 14));
    eth.set(piece, 14);
    out.push(eth);
  }
  return out;
}

function writeCapture(frames: Uint8Array[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-analyzer-'));
  const file = path.join(dir, 'synthetic.pcapng');
  const writer = createCaptureWriter(file, { format: 'pcapng' });
  const eth = writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535 });
  frames.forEach((frame, i) => writer.writePacket(eth, 1704067200 + i, 0, frame));
  writer.close();
  return file;
}

function analyze(frames: Uint8Array[], options: Parameters<typeof analyzeCapture>[1] = {}) {
  return analyzeCapture(CaptureFile.open(writeCapture(frames)), options);
}

test('MTU finding: an outer packet of exactly the MTU is not one; the first frame and the largest packet are kept when later ones are smaller', () => {
  // Outer IPv4 length = 20 + 8 + 8 + inner frame (42 + payload) = payload + 78.
  const exact = vm(A, B, 1000, 1, 2, 1500 - 78);
  assert.equal(exact.length - 14, 1500);
  const largest = vm(A, B, 1000, 1, 2, 1600 - 78);
  const smaller = vm(A, B, 1000, 1, 2, 1501 - 78);
  const { tenants, analysis } = analyze([largest, exact, smaller, exact]);
  const mtu = tenants.findings.filter((f) => f.kind === 'mtu-exceeded');
  assert.deepEqual(mtu.map((f) => [f.frames, f.firstFrame, f.mtu, f.largest]), [[2, 1, 1500, 1600]]);
  assert.equal(analysis.analyzer.frames, 4);
  // Only the exact-MTU packets: no finding.
  assert.deepEqual(analyze([exact, exact]).tenants.findings.filter((f) => f.kind === 'mtu-exceeded'), []);
});

test('fragmentation finding: each fragmented tunnel packet counts once, from the frame that completes it, with the largest outer packet', () => {
  const big = tunnel(A, B, 1000, { srcMac: macOf(1), dstMac: macOf(2), srcIp: '10.0.0.1', dstIp: '10.0.0.2', size: 1400 }, 7);
  const smaller = tunnel(A, B, 1000, { srcMac: macOf(1), dstMac: macOf(2), srcIp: '10.0.0.1', dstIp: '10.0.0.2', size: 1100 }, 8);
  const bigFragments = fragments(big, 1000);
  const smallerFragments = fragments(smaller, 1000);
  assert.deepEqual([bigFragments.length, smallerFragments.length], [2, 2]);
  // Frames: 1-2 underlay, 3-4 the big packet, 5 whole, 6-7 the smaller packet.
  const frames = [underlay, underlay, ...bigFragments, vm(A, B, 1000, 1, 2), ...smallerFragments];
  const { tenants } = analyze(frames);
  assert.deepEqual(tenants.underlay, { packets: 2, bytes: 2 * underlay.length });
  assert.deepEqual(tenants.tenants.map((t) => [t.id, t.packets]), [[1000, 3]]);
  const frag = tenants.findings.filter((f) => f.kind === 'underlay-fragmentation');
  // The reassembled packet is the frame of its last fragment: frame 4 for the first one.
  assert.deepEqual(frag.map((f) => [f.frames, f.fragments, f.firstFrame, f.largest, f.mtuNeeded]), [[2, 4, 4, big.length - 14, big.length - 14]]);
  assert.equal(big.length - 14, 1400 + 78);
});

test('duplicate IP: a second MAC claiming an address in the same tenant, also from the answering side of a pair', () => {
  const frames = [
    // VM 3 (10.0.0.2 by its own account: a misconfigured VM) talks to VM 9.
    tunnel(C, D, 500, { srcMac: macOf(3), dstMac: macOf(9), srcIp: '10.0.0.2', dstIp: '10.0.0.9' }),
    // VM 1 to VM 2; VM 2 (10.0.0.2) first speaks in the reply.
    vm(A, B, 500, 1, 2),
    vm(B, A, 500, 2, 1),
    vm(A, B, 500, 1, 2),
  ];
  const { tenants } = analyze(frames);
  const dups = tenants.findings.filter((f) => f.kind === 'duplicate-ip');
  assert.deepEqual(
    dups.map((f) => [f.tenant?.id, f.address, f.claims, f.firstFrame]),
    [[500, '10.0.0.2', [{ mac: macOf(3), firstFrame: 1 }, { mac: macOf(2), firstFrame: 3 }], 3]],
  );
  // The same traffic in another tenant for VM 3: no duplicate (the tenants are separate address spaces).
  const separate = analyze([tunnel(C, D, 600, { srcMac: macOf(3), dstMac: macOf(9), srcIp: '10.0.0.2', dstIp: '10.0.0.9' }), ...frames.slice(1)]);
  assert.deepEqual(separate.tenants.findings.filter((f) => f.kind === 'duplicate-ip'), []);
});

test('a MAC in two tenants is reported from the frame of its second tenant', () => {
  const { tenants } = analyze([underlay, vm(A, B, 100, 1, 2), vm(A, B, 100, 1, 2), vm(A, C, 200, 1, 5)]);
  const found = tenants.findings.filter((f) => f.kind === 'mac-in-two-tenants');
  assert.deepEqual(found.map((f) => [f.mac, f.tenants?.map((t) => t.id), f.firstFrame]), [[macOf(1), [100, 200], 4]]);
});

test('conversations: first frames of one starting at frame 1, and of one whose two directions start late', () => {
  const frames = [vm(A, B, 700, 1, 2), vm(A, B, 700, 1, 2), underlay, underlay, vm(C, D, 700, 3, 4), vm(D, C, 700, 4, 3), vm(C, D, 700, 3, 4)];
  const { tenants } = analyze(frames);
  const ip = tenants.tenants[0].conversations.filter((c) => c.layer === 'ip');
  const row = (a: string) => ip.find((c) => c.a === a || c.b === a)!;
  const first = row('10.0.0.1');
  assert.deepEqual([first.packetsAtoB + first.packetsBtoA, first.firstFrame, first.lastFrame, first.firstTime, first.lastTime], [2, 1, 2, 1704067200, 1704067201]);
  const late = row('10.0.0.3');
  assert.deepEqual([late.packets, late.firstFrame, late.lastFrame, late.firstTime, late.lastTime], [3, 5, 7, 1704067204, 1704067206]);
  assert.deepEqual([late.packetsAtoB + late.packetsBtoA, Math.min(late.packetsAtoB, late.packetsBtoA)], [3, 1]);
});

test('flood reason: only ff:ff:ff:ff:ff:ff is a broadcast; a head-end (unicast) flood assumes no group members', () => {
  const almost = tunnel(A, B, 800, { srcMac: macOf(1), dstMac: 'ff:ff:ff:ff:ff:fe', srcIp: '10.0.0.1', dstIp: '10.0.0.255' });
  const broadcast = tunnel(A, C, 800, { srcMac: macOf(1), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '10.0.0.1', dstIp: '10.0.0.255' });
  const { vteps, analysis } = analyze([almost, broadcast]);
  const floods = vteps.events.filter((e) => e.kind === 'flood');
  assert.deepEqual(
    floods.map((e) => [e.frame, e.vtep, e.reason, e.destination, e.receivers, e.group ?? null, e.membersAssumed ?? false]),
    [
      [1, A, 'multicast', 'ff:ff:ff:ff:ff:fe', [B], null, false],
      [2, A, 'broadcast', 'ff:ff:ff:ff:ff:ff', [C], null, false],
    ],
  );
  // Each receiving VTEP learns VM 1 behind A.
  const fdb = analysis.fdbAt(2);
  assert.deepEqual(
    fdb.map((v) => [v.vtep, v.entries.map((e) => [e.mac, e.remoteVtep, e.local ?? false])]),
    [
      [A, [[macOf(1), A, true]]],
      [B, [[macOf(1), A, false]]],
      [C, [[macOf(1), A, false]]],
    ],
  );
});

test('without learning the analysis records no learning event, and the tenants report is the same', () => {
  const frames = [vm(A, B, 900, 1, 2), vm(B, A, 900, 2, 1), tunnel(A, C, 900, { srcMac: macOf(1), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '10.0.0.1', dstIp: '10.0.0.255' })];
  const on = analyze(frames);
  const off = analyze(frames, { learn: false });
  assert.ok(on.vteps.events.length > 0);
  assert.equal(off.analysis.analyzer.learning.eventCount, 0);
  assert.deepEqual(off.vteps.events, []);
  assert.deepEqual(off.tenants, on.tenants);
});

test('more flows and pairs than the tables are first sized for: every conversation keeps its own numbers', () => {
  // 3000 VM pairs, each in one frame: more than the 1024 flows a small capture's tables start with.
  const count = 3000;
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const ip = (n: number) => `10.${(n >> 8) & 0xff}.${n & 0xff}.1`;
    frames.push(tunnel(A, B, 42, { srcMac: macOf(2 * i), dstMac: macOf(2 * i + 1), srcIp: ip(2 * i), dstIp: ip(2 * i + 1), size: i % 7 }));
  }
  const { tenants, vteps, analysis } = analyze(frames);
  assert.equal(analysis.analyzer.frames, count);
  const t = tenants.tenants[0];
  assert.equal(t.packets, count);
  const ip = t.conversations.filter((c) => c.layer === 'ip');
  assert.equal(ip.length, count);
  const byFirst = [...ip].sort((x, y) => x.firstFrame - y.firstFrame);
  byFirst.forEach((c, i) => {
    assert.deepEqual([c.packets, c.bytes, c.firstFrame, c.lastFrame], [1, INNER_HEADERS + (i % 7), i + 1, i + 1], `conversation of frame ${i + 1}`);
  });
  // Each source MAC is local at A once and learned at B once (unicast: no flood).
  assert.equal(vteps.events.filter((e) => e.kind === 'local').length, count);
  assert.equal(vteps.events.filter((e) => e.kind === 'learn').length, count);
});

test('a MAC that leaves the first VTEP seen: the others record a move and its new VTEP a migration, naming the old one', () => {
  // A is the first VTEP of the capture: VM 1 lives behind it, then moves behind B (docs/overlay.md#learning).
  const { vteps } = analyze([vm(A, B, 300, 1, 2), vm(B, A, 300, 1, 2)]);
  assert.deepEqual(
    vteps.events.map((e) => [e.frame, e.kind, e.vtep, e.mac, e.remoteVtep ?? null, e.previousVtep ?? null]),
    [
      // (local and migrate events name no remote: the MAC is behind the learner itself)
      [1, 'local', A, macOf(1), null, null],
      [1, 'learn', B, macOf(1), A, null],
      [2, 'migrate', B, macOf(1), null, A],
      [2, 'move', A, macOf(1), B, A],
    ],
  );
});

test('floods of one sender to the same receivers in a row each name those receivers, after a flood to others', () => {
  const broadcastFrom = (vtepTo: string, n: number) => tunnel(A, vtepTo, 400, { srcMac: macOf(n), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: `10.0.0.${n}`, dstIp: '10.0.0.255' });
  const { vteps } = analyze([broadcastFrom(B, 1), broadcastFrom(C, 2), broadcastFrom(C, 3), broadcastFrom(D, 4), broadcastFrom(D, 5)]);
  const floods = vteps.events.filter((e) => e.kind === 'flood');
  assert.deepEqual(
    floods.map((e) => [e.frame, e.mac, e.receivers]),
    [
      [1, macOf(1), [B]],
      [2, macOf(2), [C]],
      [3, macOf(3), [C]],
      [4, macOf(4), [D]],
      [5, macOf(5), [D]],
    ],
  );
});

test('unicast frames refresh both the local and the remote entry: nothing ages while they come more often than the ageing time', () => {
  // One frame a second, ageing 3 s: VM 1 stays local at A and behind A at B for the whole 8 s.
  const frames = Array.from({ length: 8 }, () => vm(A, B, 350, 1, 2));
  const { vteps, analysis } = analyze(frames, { ageing: 3 });
  assert.deepEqual(vteps.events.map((e) => [e.frame, e.kind, e.vtep, e.mac]), [
    [1, 'local', A, macOf(1)],
    [1, 'learn', B, macOf(1)],
  ]);
  // A gap longer than the ageing time then ages both out, timed at 10 s (last seen at 7 s). The sweep at
  // 10 s finds them not yet expired, and sweeps run at most once a second: listed at the frame of 12 s.
  const later = analyze([...frames, underlay, underlay, underlay, underlay, vm(C, D, 350, 3, 4), vm(D, C, 350, 4, 3)], { ageing: 3 });
  const gap = later.vteps;
  assert.deepEqual(
    gap.events.filter((e) => e.kind === 'age').map((e) => [e.frame, e.vtep, e.mac, e.ts - 1704067200]),
    [
      [13, A, macOf(1), 10],
      [13, B, macOf(1), 10],
    ],
  );
  assert.equal(analysis.fdbAt(8).length, 2);
  // The databases at frame 13, replayed from the events: A and B hold nothing any more and are not listed.
  assert.deepEqual(later.analysis.fdbAt(13).map((v) => [v.vtep, v.entries.map((e) => e.mac)]), [
    [C, [macOf(3)]],
    [D, [macOf(3)]],
  ]);
});

test('unicast pairs interleaved: no flood, one learn per MAC and VTEP, and each VTEP listed from its first frame', () => {
  const frames = [underlay, vm(A, B, 250, 1, 2), vm(C, D, 250, 3, 4), vm(A, B, 250, 1, 2), vm(D, C, 250, 4, 3), vm(C, D, 250, 3, 4), vm(A, B, 250, 1, 2)];
  const { vteps } = analyze(frames);
  assert.deepEqual(vteps.events.map((e) => [e.frame, e.kind, e.vtep, e.mac, e.remoteVtep ?? null]), [
    [2, 'local', A, macOf(1), null],
    [2, 'learn', B, macOf(1), A],
    [3, 'local', C, macOf(3), null],
    [3, 'learn', D, macOf(3), C],
    [5, 'local', D, macOf(4), null],
    [5, 'learn', C, macOf(4), D],
  ]);
  assert.deepEqual(
    vteps.vteps.map((v) => [v.ip, v.firstFrame]),
    [
      [A, 2],
      [B, 2],
      [C, 3],
      [D, 3],
    ],
  );
});

test('a layer-3 tunnel (GRE with IPv4 inside, no inner Ethernet) is a tenant without MAC learning or MAC findings', () => {
  const inner = (src: string, dst: string) => ipv4({ src, dst, payload: icmpEcho({ kind: 'request', id: 1, seq: 1 }) });
  const l3 = (from: string, to: string, src: string, dst: string) => greFrame({ outer: { ...OUTER_MACS, srcIp: from, dstIp: to }, protocolType: ETHERTYPE_IPV4, key: 77, payload: inner(src, dst) });
  // Two inner hosts using one address from two VTEPs: without MACs there is no claim to compare.
  const { tenants, vteps } = analyze([l3(A, B, '10.0.0.1', '10.0.0.2'), l3(B, A, '10.0.0.2', '10.0.0.1'), l3(C, B, '10.0.0.1', '10.0.0.2')]);
  assert.equal(tenants.tenants.length, 1);
  assert.equal(tenants.tenants[0].packets, 3);
  assert.deepEqual(vteps.events, []);
  assert.deepEqual(tenants.findings.filter((f) => f.kind === 'duplicate-ip' || f.kind === 'mac-in-two-tenants'), []);
});

test('a head-end broadcast from the VTEP of the larger address (the second side of its pair) floods and teaches the receiver', () => {
  const frames = [underlay, tunnel(B, A, 600, { srcMac: macOf(5), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '10.0.0.5', dstIp: '10.0.0.255' }), vm(A, B, 600, 6, 5), tunnel(B, A, 600, { srcMac: macOf(5), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '10.0.0.5', dstIp: '10.0.0.255' })];
  const { vteps, analysis } = analyze(frames);
  assert.deepEqual(vteps.events.map((e) => [e.frame, e.kind, e.vtep, e.mac, e.remoteVtep ?? null, e.receivers ?? null, e.reason ?? null]), [
    [2, 'local', B, macOf(5), null, null, null],
    [2, 'flood', B, macOf(5), null, [A], 'broadcast'],
    [2, 'learn', A, macOf(5), B, null, null],
    [3, 'local', A, macOf(6), null, null, null],
    [3, 'learn', B, macOf(6), A, null, null],
    [4, 'flood', B, macOf(5), null, [A], 'broadcast'],
  ]);
  assert.deepEqual(vteps.vteps.map((v) => [v.ip, v.firstFrame]), [
    [A, 2],
    [B, 2],
  ]);
  assert.deepEqual(analysis.fdbAt(4).find((v) => v.vtep === A)!.entries.map((e) => [e.mac, e.remoteVtep, e.since]), [
    [macOf(5), B, 2],
    [macOf(6), A, 3],
  ]);
});

test('a VTEP in a second pair keeps the first frame and the tenants of its first: the VTEP report at each frame', () => {
  // Frame 1: A to B in tenant 100; frame 2: A to C in tenant 100 (A's second pair); frame 3: A to C in tenant 200.
  const frames = [vm(A, B, 100, 1, 2), vm(A, C, 100, 1, 3), vm(A, C, 200, 5, 6)];
  const { analysis } = analyze(frames);
  const at = (frame: number) => analysis.vteps(frame).vteps.map((v) => [v.ip, v.firstFrame, v.tenants.map((t) => t.id)]);
  assert.deepEqual(at(1), [
    [A, 1, [100]],
    [B, 1, [100]],
  ]);
  assert.deepEqual(at(2), [
    [A, 1, [100]],
    [B, 1, [100]],
    [C, 2, [100]],
  ]);
  assert.deepEqual(at(3), [
    [A, 1, [100, 200]],
    [B, 1, [100]],
    [C, 2, [100, 200]],
  ]);
});

test('flood reason: a multicast destination whose last four bytes are all ones (33:33:ff:ff:ff:ff) is multicast, not broadcast', () => {
  // The IPv6 multicast MAC of ff02::1:ffff:ffff (a solicited-node address): the low 32 bits are those of the broadcast.
  const frame = tunnel(A, B, 810, { srcMac: macOf(1), dstMac: '33:33:ff:ff:ff:ff', srcIp: '10.0.0.1', dstIp: '10.0.0.2' });
  const { vteps } = analyze([frame]);
  assert.deepEqual(
    vteps.events.filter((e) => e.kind === 'flood').map((e) => [e.frame, e.vtep, e.reason, e.destination, e.receivers]),
    [[1, A, 'multicast', '33:33:ff:ff:ff:ff', [B]]],
  );
});

test('an MLD report names its source; only a link-local source is matched, by outer MAC, to an IPv6 VTEP', () => {
  const v4Mac = '52:54:00:00:00:0a';
  const v6Mac = '52:54:00:00:00:0b';
  const from = (outerSrcMac: string, srcIp: string, dstIp: string, n: number) =>
    vxlan({ outer: { srcMac: outerSrcMac, dstMac: '52:54:00:00:00:02', srcIp, dstIp }, vni: 820, inner: ethernet({ src: macOf(n), dst: macOf(n + 1), etherType: ETHERTYPE_IPV4, payload: ipv4({ src: `10.0.0.${n}`, dst: `10.0.0.${n + 1}`, payload: icmpEcho({ kind: 'request', id: 1, seq: 1 }) }) }) });
  const mld = (srcMac: string, srcIp: string, group: string) => underlayFrame({ srcMac, dstMac: '33:33:00:00:00:16', srcIp, dstIp: 'ff02::16', ttl: 1 }, mldv2Report([{ group }]));
  const frames = [
    from(v4Mac, A, B, 1), // an IPv4 VTEP with outer MAC v4Mac
    from(v6Mac, 'fd00::1', 'fd00::2', 3), // an IPv6 VTEP with outer MAC v6Mac
    // A link-local source with the IPv4 VTEP's MAC: no IPv6 VTEP has that MAC, so the report is fe80::a's.
    mld(v4Mac, 'fe80::a', 'ff0e::201'),
    // A global source with the IPv6 VTEP's MAC: a global address names its VTEP itself.
    mld(v6Mac, 'fd00::9', 'ff0e::202'),
    // A link-local source with the IPv6 VTEP's MAC: that VTEP's report.
    mld(v6Mac, 'fe80::b', 'ff0e::203'),
  ];
  const { vteps } = analyze(frames);
  assert.deepEqual(
    vteps.groups.map((g) => [g.group, g.history.map((h) => [h.frame, h.vtep, h.action, h.via])]),
    [
      ['ff0e::201', [[3, 'fe80::a', 'join', 'mldv2']]],
      ['ff0e::202', [[4, 'fd00::9', 'join', 'mldv2']]],
      ['ff0e::203', [[5, 'fd00::1', 'join', 'mldv2']]],
    ],
  );
});

test('a head-end broadcast on the second pair of the capture, from its second side, leaves the VTEPs and conversations of the first pair alone', () => {
  const broadcast = tunnel(B, A, 610, { srcMac: macOf(5), dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '10.0.0.5', dstIp: '10.0.0.255' });
  // VM 1 to VM 2 again, now a UDP datagram: a new flow of the first pair (A, C).
  const inner = ethernet({ src: macOf(1), dst: macOf(2), etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: udp({ srcPort: 4000, dstPort: 53, payload: new Uint8Array(4) }) }) });
  const datagram = vxlan({ outer: { ...OUTER_MACS, srcIp: A, dstIp: C }, vni: 610, inner });
  const { tenants, vteps } = analyze([vm(A, C, 610, 1, 2), broadcast, broadcast, datagram]);
  assert.deepEqual(vteps.events.map((e) => [e.frame, e.kind, e.vtep, e.mac, e.remoteVtep ?? null, e.receivers ?? null]), [
    [1, 'local', A, macOf(1), null, null],
    [1, 'learn', C, macOf(1), A, null],
    [2, 'local', B, macOf(5), null, null],
    [2, 'flood', B, macOf(5), null, [A]],
    [2, 'learn', A, macOf(5), B, null],
    [3, 'flood', B, macOf(5), null, [A]],
  ]);
  const ip = tenants.tenants[0].conversations.filter((c) => c.layer === 'ip');
  assert.deepEqual(ip.map((c) => [[c.a, c.b].sort(), c.packets, c.firstFrame, c.lastFrame]).sort(), [
    [['10.0.0.1', '10.0.0.2'], 2, 1, 4],
    [['10.0.0.255', '10.0.0.5'], 2, 2, 3],
  ]);
});
