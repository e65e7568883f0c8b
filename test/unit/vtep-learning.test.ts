// The VTEP learning timeline: the learning story of docs/overlay.md event by event, local learning and
// the VM migration, ageing, group membership from IGMP (joins, leaves) and MLD, the no-report
// assumption, and the FDB at any frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { analyzeCapture, CaptureAnalysis } from '../../src/overlay/analyze-capture';
import { LearningEvent } from '../../src/overlay/report-types';
import { ETHERTYPE_IPV4, icmpEcho, udp, ethernet, ipv4, igmpv2Leave, igmpv2Report, igmpv3Report, mldv2Report, underlayFrame, vxlan, BROADCAST_MAC, GroupRecord } from '../../src/craft';
import { SAMPLES } from '../helpers/paths';
import { ByteWriter } from '../../src/overlay/output/byte-writer';
import { writeVtepReportJson } from '../../src/overlay/vtep-report/json';
import { vtepReportText, vtepTextLines, vtepTextSource } from '../../src/overlay/vtep-report/text';
import { Ev, EventCode, VtepLearning } from '../../src/overlay/learning';
import { appendLines, table } from '../../src/overlay/output/text-format';

const V1 = '192.168.100.1';
const V2 = '192.168.100.2';
const V3 = '192.168.100.3';
const vni = (id: number) => ({ type: 'vxlan', id });

/**
 * Events without timestamps, as compact tuples: [frame, kind, vtep, vni, mac, remote/previous/receivers].
 * A VTEP's first `local` event for a MAC it encapsulates is left out unless `withLocal` (the tests of
 * remote learning read better without them; the local learning tests keep them).
 */
function compact(events: LearningEvent[], withLocal = false): unknown[] {
  return events
    .filter((e) => withLocal || e.kind !== 'local')
    .map((e) =>
      e.kind === 'flood'
        ? [e.frame, 'flood', e.vtep, e.tenant.id, e.mac, e.group ?? null, e.receivers]
        : e.kind === 'move'
          ? [e.frame, 'move', e.vtep, e.tenant.id, e.mac, e.remoteVtep, e.previousVtep]
          : e.kind === 'migrate'
            ? [e.frame, 'migrate', e.vtep, e.tenant.id, e.mac, e.previousVtep]
            : e.kind === 'local'
              ? [e.frame, 'local', e.vtep, e.tenant.id, e.mac]
              : [e.frame, e.kind, e.vtep, e.tenant.id, e.mac, e.remoteVtep],
    );
}

function analyze(file: string, lastFrame?: number, ageing?: number) {
  return analyzeCapture(CaptureFile.open(file), { lastFrame, ageing });
}

test('three hosts: the exact learning story of docs/overlay.md, refreshes are not events', () => {
  const { vteps } = analyze(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
  const m = (t: number, vm: number) => `fa:16:3e:00:${t === 101 ? '65' : '66'}:0${vm}`;
  assert.deepEqual(compact(vteps.events), [
    // frame 4: VM1's ARP request flooded by VTEP1 to the group; VTEP2 and VTEP3 learn VM1 behind VTEP1
    [4, 'flood', V1, 101, m(101, 1), '239.1.1.1', [V2, V3]],
    [4, 'learn', V2, 101, m(101, 1), V1],
    [4, 'learn', V3, 101, m(101, 1), V1],
    // frame 5: VM2's unicast reply VTEP2 -> VTEP1; VTEP1 learns VM2 behind VTEP2 (frames 6-19 only refresh)
    [5, 'learn', V1, 101, m(101, 2), V2],
    [20, 'flood', V3, 101, m(101, 3), '239.1.1.1', [V1, V2]],
    [20, 'learn', V1, 101, m(101, 3), V3],
    [20, 'learn', V2, 101, m(101, 3), V3],
    // frame 21: VTEP3 already knew VM1: a refresh, no event
    [24, 'flood', V1, 102, m(102, 1), '239.1.1.2', [V2, V3]],
    [24, 'learn', V2, 102, m(102, 1), V1],
    [24, 'learn', V3, 102, m(102, 1), V1],
    [25, 'learn', V1, 102, m(102, 2), V2],
    [30, 'flood', V3, 102, m(102, 3), '239.1.1.2', [V1, V2]],
    [30, 'learn', V1, 102, m(102, 3), V3],
    [30, 'learn', V2, 102, m(102, 3), V3],
    [31, 'learn', V3, 102, m(102, 2), V2],
  ]);
  const remote = vteps.events.filter((e) => e.kind !== 'local');
  const first = remote[1];
  assert.deepEqual(first.tenant, vni(101));
  assert.equal(first.vtep, V2);
  assert.ok(vteps.events.every((e) => e.kind !== 'move' && e.kind !== 'migrate' && e.kind !== 'age'));
  assert.ok(Math.abs(remote[0].ts - 1704067201.03) < 0.01, `frame 4 time ${remote[0].ts}`);
  assert.equal(remote[0].reason, 'broadcast');
  assert.equal(remote[0].destination, 'ff:ff:ff:ff:ff:ff');
  // Local learning: each VM's MAC is local at the VTEP that encapsulates its frames, once.
  assert.deepEqual(
    compact(vteps.events, true).filter((e) => (e as unknown[])[1] === 'local'),
    [
      [4, 'local', V1, 101, m(101, 1)],
      [5, 'local', V2, 101, m(101, 2)],
      [20, 'local', V3, 101, m(101, 3)],
      [24, 'local', V1, 102, m(102, 1)],
      [25, 'local', V2, 102, m(102, 2)],
      [30, 'local', V3, 102, m(102, 3)],
    ],
  );
});

test('three hosts: group membership comes from the IGMPv3 reports of frames 1-3', () => {
  const { vteps } = analyze(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
  assert.deepEqual(
    vteps.groups.map((g) => ({ group: g.group, members: g.members, reported: g.reported, tenants: g.tenants, history: g.history.map((h) => [h.frame, h.vtep, h.action, h.via]) })),
    [
      { group: '239.1.1.1', members: [V1, V2, V3], reported: true, tenants: [vni(101)], history: [[1, V1, 'join', 'igmpv3'], [2, V2, 'join', 'igmpv3'], [3, V3, 'join', 'igmpv3']] },
      { group: '239.1.1.2', members: [V1, V2, V3], reported: true, tenants: [vni(102)], history: [[1, V1, 'join', 'igmpv3'], [2, V2, 'join', 'igmpv3'], [3, V3, 'join', 'igmpv3']] },
    ],
  );
  assert.deepEqual(vteps.notes, []);
  assert.deepEqual(vteps.vteps.map((v) => [v.ip, v.tenants.map((t) => t.id), v.groups]), [
    [V1, [101, 102], ['239.1.1.1', '239.1.1.2']],
    [V2, [101, 102], ['239.1.1.1', '239.1.1.2']],
    [V3, [101, 102], ['239.1.1.1', '239.1.1.2']],
  ]);
});

test('three hosts: the forwarding database at any frame', () => {
  const analysis = analyze(path.join(SAMPLES, 'vxlan-three-hosts.pcapng')).analysis;
  assert.deepEqual(analysis.fdbAt(3), []);
  assert.deepEqual(
    analysis.fdbAt(4).map((v) => [v.vtep, v.entries.map((e) => [e.tenant.id, e.mac, e.remoteVtep, e.since, e.local ?? false])]),
    [
      [V1, [[101, 'fa:16:3e:00:65:01', V1, 4, true]]],
      [V2, [[101, 'fa:16:3e:00:65:01', V1, 4, false]]],
      [V3, [[101, 'fa:16:3e:00:65:01', V1, 4, false]]],
    ],
  );
  const end = analysis.fdbAt(33);
  // Remote entries as before (4, 4, 3), plus each VTEP's two local VMs.
  assert.deepEqual(end.map((v) => [v.vtep, v.entries.filter((e) => !e.local).length, v.entries.filter((e) => e.local).length]), [[V1, 4, 2], [V2, 4, 2], [V3, 3, 2]]);
  // --at gives the same FDB as replaying to that frame, and only the events up to it
  const at5 = analyze(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), 5).vteps;
  assert.equal(at5.atFrame, 5);
  assert.equal(at5.frames, 33);
  assert.deepEqual(at5.events.map((e) => e.frame), [4, 4, 4, 4, 5, 5]);
  assert.deepEqual(at5.fdb, analysis.fdbAt(5));
});

test('VM migration: after frame 9 VTEP3 lists VM2 as local, and the other VTEPs learn the move', () => {
  const { vteps, analysis } = analyze(path.join(SAMPLES, 'vxlan-vm-migration.pcapng'));
  const vm1 = 'fa:16:3e:00:65:01';
  const vm2 = 'fa:16:3e:00:65:02';
  assert.deepEqual(compact(vteps.events, true), [
    [4, 'local', V2, 101, vm2],
    [4, 'flood', V2, 101, vm2, '239.1.1.1', [V1, V3]],
    [4, 'learn', V1, 101, vm2, V2],
    [4, 'learn', V3, 101, vm2, V2],
    [5, 'local', V1, 101, vm1],
    [5, 'flood', V1, 101, vm1, '239.1.1.1', [V2, V3]],
    [5, 'learn', V2, 101, vm1, V1],
    [5, 'learn', V3, 101, vm1, V1],
    // frame 6 (unicast reply VTEP2 -> VTEP1) only refreshes
    // frame 9: VTEP3 encapsulates VM2's gratuitous ARP: VM2 now lives there (it was behind VTEP2)...
    [9, 'migrate', V3, 101, vm2, V2],
    [9, 'flood', V3, 101, vm2, '239.1.1.1', [V1, V2]],
    // ...and the others record the move, VTEP2 included (VM2 was local there)
    [9, 'move', V1, 101, vm2, V3, V2],
    [9, 'move', V2, 101, vm2, V3, V2],
  ]);
  const fdb9 = analysis.fdbAt(9);
  const entry = (vtep: string) => fdb9.find((v) => v.vtep === vtep)!.entries.find((e) => e.mac === vm2)!;
  assert.deepEqual([entry(V3).remoteVtep, entry(V3).local, entry(V3).since], [V3, true, 9]);
  assert.deepEqual([entry(V1).remoteVtep, entry(V1).local], [V3, undefined]);
  assert.deepEqual([entry(V2).remoteVtep, entry(V2).local], [V3, undefined]);
  // Before the move, VTEP2 had VM2 as local and VTEP3 had it behind VTEP2.
  const fdb8 = analysis.fdbAt(8);
  assert.equal(fdb8.find((v) => v.vtep === V2)!.entries.find((e) => e.mac === vm2)!.local, true);
  assert.equal(fdb8.find((v) => v.vtep === V3)!.entries.find((e) => e.mac === vm2)!.remoteVtep, V2);
  const move = vteps.events.find((e) => e.kind === 'move')!;
  assert.deepEqual(move, { ...move, frame: 9, vtep: V1, tenant: vni(101), mac: vm2, remoteVtep: V3, previousVtep: V2 });
  assert.deepEqual(vteps.groups[0].history.map((h) => h.via), ['igmpv2', 'igmpv2', 'igmpv2']);
});

test('ageing: an entry idle for the ageing time is removed (age event at its expiry), then learned afresh', () => {
  const file = path.join(SAMPLES, 'vxlan-vm-migration.pcapng');
  const vm2 = 'fa:16:3e:00:65:02';
  // Default 300 s: the 14-second capture ages nothing.
  assert.ok(analyze(file).vteps.events.every((e) => e.kind !== 'age'));
  // 5 s: VTEP3 last heard of VM2 behind VTEP2 at frame 4 (1.03 s); by frame 9 (13.03 s) it expired at 6.03 s.
  const { vteps, analysis } = analyze(file, undefined, 5);
  const ages = vteps.events.filter((e) => e.kind === 'age');
  const start = analysis.analyzer.startTime;
  assert.deepEqual(
    ages.map((e) => [e.frame, e.vtep, e.mac, e.remoteVtep, Math.round((e.ts - start) * 1e6) / 1e6]),
    [
      [9, V3, vm2, V2, 6.03],
      [9, V3, 'fa:16:3e:00:65:01', V1, 8.03],
      [9, V1, 'fa:16:3e:00:65:01', V1, 8.03125],
      [9, V2, 'fa:16:3e:00:65:01', V1, 8.03125],
      [9, V2, vm2, V2, 8.03155],
      [9, V1, vm2, V2, 8.03155],
    ],
  );
  // Nothing is left to move: VM2 is learned afresh (local at VTEP3, behind VTEP3 elsewhere).
  assert.deepEqual(compact(vteps.events.filter((e) => e.frame === 9 && e.kind !== 'age' && e.kind !== 'flood'), true), [
    [9, 'local', V3, 101, vm2],
    [9, 'learn', V1, 101, vm2, V3],
    [9, 'learn', V2, 101, vm2, V3],
  ]);
  // The FDB just before frame 9 still holds the entries; at frame 9 the aged ones are gone.
  assert.equal(analysis.fdbAt(8).find((v) => v.vtep === V3)!.entries.length, 2);
  assert.deepEqual(analysis.fdbAt(9).find((v) => v.vtep === V3)!.entries.map((e) => [e.mac, e.local]), [[vm2, true]]);
  // 20 s: nothing idle that long.
  assert.ok(analyze(file, undefined, 20).vteps.events.every((e) => e.kind !== 'age'));
});

test('OVS host 1 (GRE, no multicast): broadcasts are replicated per tunnel and learned at each peer', () => {
  const { vteps } = analyze(path.join(SAMPLES, 'ovs-gre', 'host1.pcapng'));
  const key1 = vteps.events.filter((e) => e.tenant.id === 1);
  assert.deepEqual(compact(key1), [
    [2, 'flood', '172.16.0.1', 1, '00:00:00:00:01:01', null, ['172.16.0.2']],
    [2, 'learn', '172.16.0.2', 1, '00:00:00:00:01:01', '172.16.0.1'],
    [3, 'flood', '172.16.0.1', 1, '00:00:00:00:01:01', null, ['172.16.0.3']],
    [3, 'learn', '172.16.0.3', 1, '00:00:00:00:01:01', '172.16.0.1'],
    [4, 'learn', '172.16.0.1', 1, '00:00:00:00:02:01', '172.16.0.2'],
  ]);
  assert.ok(key1.every((e) => e.tenant.type === 'gre'));
});

// ---- synthetic captures for the cases the samples do not have ----

function macOf(n: number): string {
  return `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
}

function tenantFrame(vtepFrom: string, vtepTo: string, id: number, from: number, to: number | 'broadcast', outerSrcMac = '52:54:00:00:00:01'): Uint8Array {
  const dst = to === 'broadcast' ? BROADCAST_MAC : macOf(to);
  const inner = ethernet({
    src: macOf(from),
    dst,
    etherType: ETHERTYPE_IPV4,
    payload: ipv4({ src: `10.0.0.${from}`, dst: to === 'broadcast' ? '10.0.0.255' : `10.0.0.${to}`, payload: icmpEcho({ kind: 'request', id: 1, seq: 1 }) }),
  });
  return vxlan({ outer: { srcMac: outerSrcMac, dstMac: '52:54:00:00:00:02', srcIp: vtepFrom, dstIp: vtepTo }, vni: id, inner });
}

function report(from: string, groupMember: string, kind: 'join' | 'leave'): Uint8Array {
  const payload = kind === 'join' ? igmpv2Report(groupMember) : igmpv2Leave(groupMember);
  return underlayFrame({ srcMac: '52:54:00:00:00:09', dstMac: '01:00:5e:00:00:16', srcIp: from, dstIp: kind === 'join' ? groupMember : '224.0.0.2', ttl: 1 }, payload);
}

function writeCapture(frames: Uint8Array[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-vtep-'));
  const file = path.join(dir, 'synthetic.pcapng');
  const writer = createCaptureWriter(file, { format: 'pcapng' });
  const eth = writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535 });
  frames.forEach((frame, i) => writer.writePacket(eth, 1704067200 + i, 0, frame));
  writer.close();
  return file;
}

test('a group without membership reports: receivers are the VTEPs seen with the tenant so far, and the report says so', () => {
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const C = '10.9.0.3';
  const file = writeCapture([
    tenantFrame(A, B, 300, 1, 2), // B learns VM1 behind A
    tenantFrame(C, B, 300, 3, 2), // B learns VM3 behind C
    tenantFrame(A, '239.9.9.9', 300, 1, 'broadcast'), // assumed members B, C: B refreshes, C learns
  ]);
  const { vteps } = analyze(file);
  assert.deepEqual(compact(vteps.events), [
    [1, 'learn', B, 300, macOf(1), A],
    [2, 'learn', B, 300, macOf(3), C],
    [3, 'flood', A, 300, macOf(1), '239.9.9.9', [B, C]],
    [3, 'learn', C, 300, macOf(1), A],
  ]);
  assert.equal(vteps.events.find((e) => e.kind === 'flood')!.membersAssumed, true);
  assert.equal(vteps.groups.length, 1);
  assert.equal(vteps.groups[0].reported, false);
  assert.equal(vteps.notes.length, 1);
  assert.match(vteps.notes[0], /no IGMP\/MLD membership report seen for group 239\.9\.9\.9 \(vxlan 300\)/);
});

test('IGMPv2 joins and leaves decide who receives a flood', () => {
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const C = '10.9.0.3';
  const G = '239.8.8.8';
  const file = writeCapture([
    report(B, G, 'join'),
    report(C, G, 'join'),
    report(B, G, 'join'), // a repeated report refreshes: no history entry
    report(B, G, 'leave'),
    tenantFrame(A, G, 400, 1, 'broadcast'),
  ]);
  const { vteps } = analyze(file);
  assert.deepEqual(compact(vteps.events), [
    [5, 'flood', A, 400, macOf(1), G, [C]],
    [5, 'learn', C, 400, macOf(1), A],
  ]);
  assert.deepEqual(vteps.groups[0].history.map((h) => [h.frame, h.vtep, h.action]), [[1, B, 'join'], [2, C, 'join'], [4, B, 'leave']]);
  assert.deepEqual(vteps.groups[0].members, [C]);
  // The membership as of frame 2
  const at2 = analyze(file, 2).vteps;
  assert.deepEqual(at2.groups[0].members, [B, C]);
});

// IGMPv3/MLDv2 record types (RFC 3376 4.2.12, RFC 3810 5.2.12).
const IS_INCLUDE = 1;
const IS_EXCLUDE = 2;
const TO_INCLUDE = 3;
const TO_EXCLUDE = 4;

for (const version of ['igmpv3', 'mldv2'] as const) {
  test(`${version}: EXCLUDE{} and INCLUDE{S} join; INCLUDE{} (TO_IN and IS_IN, no source) leaves`, () => {
    const v6 = version === 'mldv2';
    const [A, B, C, D] = v6 ? ['fd00::1', 'fd00::2', 'fd00::3', 'fd00::4'] : ['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4'];
    const G = v6 ? 'ff0e::103' : '239.7.7.7';
    const S = v6 ? 'fd00::99' : '10.9.9.99';
    const send = (from: string, record: GroupRecord): Uint8Array =>
      v6
        ? underlayFrame({ srcMac: '52:54:00:00:00:09', dstMac: '33:33:00:00:00:16', srcIp: from, dstIp: 'ff02::16', ttl: 1 }, mldv2Report([record]))
        : underlayFrame({ srcMac: '52:54:00:00:00:09', dstMac: '01:00:5e:00:00:16', srcIp: from, dstIp: '224.0.0.22', ttl: 1 }, igmpv3Report([record]));
    const file = writeCapture([
      send(B, { type: TO_EXCLUDE, group: G }),
      send(C, { type: IS_EXCLUDE, group: G }),
      send(D, { type: IS_INCLUDE, group: G, sources: [S] }),
      send(B, { type: TO_INCLUDE, group: G }), // TO_IN{}: leave
      send(C, { type: IS_INCLUDE, group: G }), // IS_IN{}: leave
      tenantFrame(A, G, 700, 1, 'broadcast'),
    ]);
    const { vteps } = analyze(file);
    assert.deepEqual(vteps.groups[0].history.map((h) => [h.frame, h.vtep, h.action, h.via]), [
      [1, B, 'join', version],
      [2, C, 'join', version],
      [3, D, 'join', version],
      [4, B, 'leave', version],
      [5, C, 'leave', version],
    ]);
    assert.deepEqual(vteps.groups[0].members, [D]);
    assert.deepEqual(compact(vteps.events.filter((e) => e.kind === 'flood')), [[6, 'flood', A, 700, macOf(1), G, [D]]]);
  });
}

test('MLDv2 reports give the members of an IPv6 group', () => {
  const A = 'fd00::1';
  const B = 'fd00::2';
  const G = 'ff0e::101';
  const mld = underlayFrame({ srcMac: '52:54:00:00:00:02', dstMac: '33:33:00:00:00:16', srcIp: B, dstIp: 'ff02::16', ttl: 1 }, mldv2Report([{ group: G }]));
  const file = writeCapture([mld, tenantFrame(A, G, 500, 1, 'broadcast'), tenantFrame(B, A, 500, 2, 1)]);
  const { vteps } = analyze(file);
  assert.deepEqual(compact(vteps.events), [
    [2, 'flood', A, 500, macOf(1), G, [B]],
    [2, 'learn', B, 500, macOf(1), A],
    [3, 'learn', A, 500, macOf(2), B],
  ]);
  assert.deepEqual(vteps.groups[0].history.map((h) => [h.vtep, h.action, h.via]), [[B, 'join', 'mldv2']]);
});

test('an MLD report from a link-local address counts for the VTEP that sent tunnel frames from the same MAC', () => {
  const A = 'fd00::1';
  const B = 'fd00::2';
  const G = 'ff0e::102';
  const bMac = '52:54:00:00:00:0b';
  const mld = underlayFrame({ srcMac: bMac, dstMac: '33:33:00:00:00:16', srcIp: 'fe80::b', dstIp: 'ff02::16', ttl: 1 }, mldv2Report([{ group: G }]));
  const file = writeCapture([tenantFrame(B, A, 600, 2, 1, bMac), mld, tenantFrame(A, G, 600, 1, 'broadcast')]);
  const { vteps } = analyze(file);
  assert.deepEqual(vteps.groups[0].history.map((h) => [h.vtep, h.action, h.via]), [[B, 'join', 'mldv2']]);
  assert.deepEqual(compact(vteps.events), [
    [1, 'learn', A, 600, macOf(2), B],
    [3, 'flood', A, 600, macOf(1), G, [B]],
    [3, 'learn', B, 600, macOf(1), A],
  ]);
});

/** Offsets where the pcapng blocks of a (little-endian) file start. */
function blockStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) starts.push(at);
  return starts;
}

test('incremental use: a capture written in pieces, one record cut in two, ends with the one-pass reports', () => {
  const source = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const bytes = fs.readFileSync(source);
  const whole = analyze(source);
  const blocks = blockStarts(bytes);
  assert.ok(blocks.length > 20);
  // Whole blocks up to a third of the file, then into the middle of a record, then its rest and more.
  const cuts = [blocks[Math.floor(blocks.length / 3)], blocks[Math.floor(blocks.length / 2)] + 13, blocks[Math.floor((blocks.length * 3) / 4)], bytes.length];
  const growing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-vtep-')), 'growing.pcapng');
  fs.writeFileSync(growing, bytes.subarray(0, cuts[0]));
  const analysis = new CaptureAnalysis(CaptureFile.open(growing));
  let written = cuts[0];
  let frames = analysis.update(false);
  assert.ok(frames > 0);
  for (const cut of cuts.slice(1)) {
    fs.appendFileSync(growing, bytes.subarray(written, cut));
    written = cut;
    frames += analysis.update(false);
    // Half a record is not a cut-short file while the capture is still being written.
    assert.equal(analysis.file.problem, null, `after ${cut} bytes`);
  }
  assert.equal(analysis.update(true), 0);
  assert.equal(frames, whole.analysis.file.frameCount);
  assert.deepEqual(analysis.tenants(), whole.tenants);
  assert.deepEqual(analysis.vteps(), whole.vteps);
  analysis.file.close();
});

test('the streamed JSON and text of a VTEP report are those of the report object, for every sample and --at', () => {
  const samples = [...fs.readdirSync(SAMPLES).filter((f) => /\.(pcap|pcapng)$/.test(f)), 'ovs-gre/host1.pcapng', 'three-hypervisors/host1.pcapng'];
  assert.ok(samples.length >= 5);
  let compared = 0;
  for (const sample of samples) {
    const { analysis } = analyze(path.join(SAMPLES, sample));
    const frames = analysis.file.frameCount;
    const start = analysis.analyzer.startTime;
    for (const at of [undefined, 1, Math.ceil(frames / 2), frames]) {
      const out = new ByteWriter(-1);
      writeVtepReportJson(analysis.analyzer, at, null, out);
      assert.equal(out.take().toString(), JSON.stringify(analysis.vteps(at)), `${sample} --at ${at}`);
      assert.deepEqual([...vtepTextLines(vtepTextSource(analysis.analyzer, at, null), start)], vtepReportText(analysis.vteps(at), start), `${sample} --at ${at}`);
      compared++;
    }
  }
  assert.equal(compared, samples.length * 4);
});

/**
 * The ageing rule as a plain scan of every entry, the way sweep() is specified: at the first time past
 * the next possible expiry (at most once a second), every entry idle for longer than the ageing time
 * is removed, oldest first. Returns [frame, vtep, mac, expiredAt] of each removal.
 */
function scanAgeing(frames: { now: number; learner: number; mac: number; remote: number }[], ageing: number): number[][] {
  const entries = new Map<string, { learner: number; mac: number; remote: number; lastSeen: number; order: number }>();
  const out: number[][] = [];
  let nextSweep = Infinity;
  let order = 0;
  frames.forEach(({ now, learner, mac, remote }, frame) => {
    if (now > nextSweep) {
      const expired = [...entries.values()].filter((e) => now > e.lastSeen + ageing);
      expired.sort((a, b) => a.lastSeen - b.lastSeen || a.order - b.order);
      for (const e of expired) {
        out.push([frame, e.learner, e.mac, e.lastSeen + ageing]);
        entries.delete(`${e.learner}/${e.mac}`);
      }
      const left = [...entries.values()].map((e) => e.lastSeen + ageing);
      nextSweep = left.length === 0 ? Infinity : Math.max(Math.min(...left), now + 1);
    }
    const id = `${learner}/${mac}`;
    let entry = entries.get(id);
    if (entry !== undefined && now - entry.lastSeen > ageing) {
      out.push([frame, learner, mac, entry.lastSeen + ageing]);
      entries.delete(id);
      entry = undefined;
    }
    if (entry === undefined) {
      entries.set(id, { learner, mac, remote, lastSeen: now, order: order++ });
      nextSweep = Math.min(nextSweep, now + ageing);
    } else {
      entry.lastSeen = now;
      entry.remote = remote;
    }
  });
  return out;
}

test('ageing finds what a scan of every entry finds, also with refreshes and a clock that goes back', () => {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 20; round++) {
    const ageing = 2 + Math.floor(random() * 8);
    const frames: { now: number; learner: number; mac: number; remote: number }[] = [];
    let now = 1000;
    for (let i = 0; i < 3000; i++) {
      // Mostly forward, sometimes long gaps, sometimes back a little (clocks of merged captures).
      const r = random();
      now += r < 0.05 ? -random() * 3 : r < 0.1 ? random() * 3 * ageing : random() * 0.5;
      frames.push({ now, learner: Math.floor(random() * 4), mac: Math.floor(random() * 40), remote: 10 + Math.floor(random() * 2) });
    }
    const learning = new VtepLearning(16, ageing);
    frames.forEach(({ now, learner, mac, remote }, frame) => {
      learning.sweep(now, frame);
      learning.learn(frame, now, learner, 1, 0, mac, remote);
    });
    const ages: number[][] = [];
    for (let i = 0; i < learning.eventCount; i++) {
      if (learning.get(i, Ev.Kind) !== EventCode.Age) continue;
      ages.push([learning.get(i, Ev.Frame), learning.get(i, Ev.Vtep), learning.get(i, Ev.MacLo), learning.get(i, Ev.ExpiredAt)]);
    }
    const expected = scanAgeing(frames, ageing);
    assert.ok(expected.length > 50, `round ${round}: ${expected.length} expiries`);
    assert.deepEqual(ages, expected, `round ${round}`);
  }
});

test('text tables of more rows than a call takes arguments (a long capture\'s timeline or FDB) are laid out, not a stack overflow', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => [String(i), i === 123_456 ? 'the widest cell' : 'x']);
  const out: string[] = ['before'];
  appendLines(out, table(['N', 'CELL'], rows, [true]));
  assert.equal(out.length, 300_002);
  assert.equal(out[1], '     N  CELL');
  assert.equal(out[300_001], '299999  x');
});

test('flood receivers follow the tenant and the membership as they change between two floods of one sender', () => {
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const C = '10.9.0.3';
  const D = '10.9.0.4';
  const G = '239.6.6.6';
  const H = '239.6.6.7';
  const file = writeCapture([
    tenantFrame(B, A, 800, 2, 1), // tenant 800 seen at A and B
    tenantFrame(A, G, 800, 1, 'broadcast'), // no report for G: assumed receivers, B
    tenantFrame(C, A, 800, 3, 1), // C joins the tenant
    tenantFrame(A, G, 800, 1, 'broadcast'), // assumed receivers now B and C
    report(D, H, 'join'),
    tenantFrame(A, H, 800, 1, 'broadcast'), // H is reported: D alone
    report(B, H, 'join'),
    tenantFrame(A, H, 800, 1, 'broadcast'), // D and B
    report(D, H, 'leave'),
    tenantFrame(A, H, 800, 1, 'broadcast'), // B
  ]);
  const floods = analyze(file).vteps.events.filter((e) => e.kind === 'flood');
  assert.deepEqual(floods.map((e) => [e.frame, e.group, e.receivers, e.membersAssumed ?? false]), [
    [2, G, [B], true],
    [4, G, [B, C], true],
    [6, H, [D], false],
    [8, H, [D, B], false], // in the order they joined
    [10, H, [B], false],
  ]);
});

test('a unicast inner destination sent to a group is an unknown-unicast flood; the reason names each kind', () => {
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const G = '239.5.5.5';
  const multicastInner = vxlan({
    outer: { srcMac: '52:54:00:00:00:01', dstMac: '01:00:5e:05:05:05', srcIp: A, dstIp: G },
    vni: 900,
    inner: ethernet({ src: macOf(1), dst: '01:00:5e:01:02:03', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '239.1.2.3', payload: icmpEcho({ kind: 'request', id: 1, seq: 1 }) }) }),
  });
  const file = writeCapture([report(B, G, 'join'), tenantFrame(A, G, 900, 1, 2), tenantFrame(A, G, 900, 1, 'broadcast'), multicastInner]);
  const floods = analyze(file).vteps.events.filter((e) => e.kind === 'flood');
  assert.deepEqual(floods.map((e) => [e.frame, e.reason, e.destination, e.receivers]), [
    [2, 'unknown-unicast', macOf(2), [B]],
    [3, 'broadcast', 'ff:ff:ff:ff:ff:ff', [B]],
    [4, 'multicast', '01:00:5e:01:02:03', [B]],
  ]);
});

/** A VXLAN frame whose inner ICMP echo carries `size` payload bytes (50 outer header bytes around the inner frame). */
function tenantFrameSized(vtepFrom: string, vtepTo: string, id: number, from: number, to: number, size: number): Uint8Array {
  const inner = ethernet({ src: macOf(from), dst: macOf(to), etherType: ETHERTYPE_IPV4, payload: ipv4({ src: `10.0.0.${from}`, dst: `10.0.0.${to}`, payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(size) }) }) });
  return vxlan({ outer: { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02', srcIp: vtepFrom, dstIp: vtepTo }, vni: id, inner });
}

function udpPayload(srcPort: number, dstPort: number, size: number) {
  return udp({ srcPort, dstPort, payload: new Uint8Array(size) });
}

test('tenants report from one pass: underlay totals, each direction of a conversation, first/last frames and times, the MTU finding', () => {
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const underlay = underlayFrame({ srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02', srcIp: A, dstIp: B }, udpPayload(53, 40000, 30));
  const big = (n: number) => tenantFrameSized(A, B, 1000, 1, 2, n);
  const frames = [underlay, big(100), tenantFrameSized(B, A, 1000, 2, 1, 40), big(1474), underlay, big(1500), big(60)];
  const file = writeCapture(frames);
  const { tenants } = analyzeCapture(CaptureFile.open(file), { mtu: 1500 });
  assert.equal(tenants.frames, 7);
  assert.equal(tenants.startTime, 1704067200);
  assert.deepEqual(tenants.underlay, { packets: 2, bytes: 2 * underlay.length });
  assert.equal(tenants.tenants.length, 1);
  const t = tenants.tenants[0];
  assert.deepEqual([t.packets, t.bytes, t.firstFrame, t.lastFrame, t.firstTime, t.lastTime], [5, frames.slice(1).reduce((s, f) => s + f.length, 0) - underlay.length, 2, 7, 1704067201, 1704067206]);
  const ip = t.conversations.find((c) => c.layer === 'ip')!;
  const innerLength = (i: number) => frames[i].length - 50; // outer Ethernet, IPv4, UDP and VXLAN headers
  assert.deepEqual(
    [ip.packetsAtoB, ip.packetsBtoA, ip.bytesAtoB + ip.bytesBtoA, ip.firstFrame, ip.lastFrame, ip.firstTime, ip.lastTime],
    [4, 1, [1, 2, 3, 5, 6].reduce((s, i) => s + innerLength(i), 0), 2, 7, 1704067201, 1704067206],
  );
  const mtu = tenants.findings.filter((f) => f.kind === 'mtu-exceeded');
  // Outer IP packets of 1552 and 1578 bytes (ICMP payloads of 1474 and 1500) exceed 1500; the others do not.
  assert.deepEqual(mtu.map((f) => [f.frames, f.firstFrame, f.mtu, f.largest]), [[2, 4, 1500, frames[5].length - 14]]);
});
