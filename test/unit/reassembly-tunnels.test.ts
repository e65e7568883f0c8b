// IP reassembly, ERSPAN, MPLS and the ICMPv6/TCP fixes of issue 13, on the samples (always present)
// and on crafted frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { analyzeCapture } from '../../src/overlay/analyze-capture';
import { Dissection } from '../../src/dissect/dissection';
import { dissectFrame, dissectFrameTree } from '../../src/dissect/engine';
import { forEachMatchingFrame } from '../../src/filter/filtered-pass';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { IpReassembly } from '../../src/dissect/reassembly';
import { prepareRedissection } from '../../src/dissect/redissect';
import { followTcpStream } from '../../src/dissect/tcp-follow';
import { compileFilter } from '../../src/filter';
import { ETHERTYPE_IPV6, ethernet, icmpv6Echo, ipv6 } from '../../src/craft';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { SAMPLES } from '../helpers/paths';

const FRAGMENTED = path.join(SAMPLES, 'vxlan-underlay-fragmented.pcapng');
const MIRROR = path.join(SAMPLES, 'vxlan-erspan-mirror.pcapng');
const MPLS = path.join(SAMPLES, 'mpls-over-gre.pcapng');

function tenantsOf(file: string, reassemble?: boolean) {
  const capture = CaptureFile.open(file);
  const { tenants } = analyzeCapture(capture, { reassemble });
  capture.close();
  return tenants;
}

function matching(file: string, filter: string): number[] {
  const capture = CaptureFile.open(file);
  const frames: number[] = [];
  forEachMatchingFrame(capture, compileFilter(filter), (_ctx, frame) => frames.push(frame + 1));
  capture.close();
  return frames;
}

test('a tunnel packet fragmented by the underlay counts once for its tenant, with the finding', () => {
  const report = tenantsOf(FRAGMENTED);
  assert.deepEqual(report.tenants.map((t) => [t.type, t.id, t.packets]), [['vxlan', 101, 6]]);
  assert.deepEqual(report.underlay, { packets: 0, bytes: 0 });
  const finding = report.findings.find((f) => f.kind === 'underlay-fragmentation');
  assert.ok(finding, 'the fragmentation finding');
  assert.equal(finding.mtuNeeded, 1550);
  assert.equal(finding.frames, 4);
  assert.equal(finding.fragments, 8);
  assert.deepEqual(finding.vteps, ['192.168.100.1', '192.168.100.2']);
  // Without reassembly the fragments are underlay and the tenant has only the unfragmented frames.
  const off = tenantsOf(FRAGMENTED, false);
  assert.deepEqual(off.tenants.map((t) => [t.type, t.id, t.packets]), [['vxlan', 101, 2]]);
  assert.equal(off.underlay.packets, 8);
  assert.equal(off.findings.some((f) => f.kind === 'underlay-fragmentation'), false);
});

test('a one-pass read (no index kept) reassembles as well, keeping no fragment links', () => {
  const capture = CaptureFile.open(FRAGMENTED);
  capture.keepIndex = false;
  const indexer = new CaptureIndexer(capture);
  const absorbed: (number[] | null)[] = [];
  indexer.run((ctx) => absorbed.push(ctx.absorbedFragments === null ? null : [...ctx.absorbedFragments]), true, false);
  capture.close();
  assert.equal(indexer.reassembly!.links, null);
  assert.deepEqual(absorbed[3], [2]);
  assert.equal(absorbed[2], null);
});

test('fragments and the reassembled packet are linked, and a frame dissected again rebuilds it', () => {
  assert.deepEqual(matching(FRAGMENTED, 'ip.fragment == 3'), [4]);
  assert.deepEqual(matching(FRAGMENTED, 'tenant == vxlan:101 && icmp'), [4, 6, 8, 10]);
  const capture = CaptureFile.open(FRAGMENTED);
  const indexer = new CaptureIndexer(capture);
  indexer.run();
  const links = indexer.reassembly!.links!;
  assert.deepEqual(links.fragmentsOf.get(3), [2, 3]);
  const read = (f: number) => ({ bytes: Uint8Array.from(capture.readFrame(f)), origLen: capture.index.origLen[f], linkType: capture.linkType(f), time: capture.index.time(f) });
  for (const [frame, chain, tenant] of [[3, 'eth:ip:udp:vxlan:eth:ip:icmp:data', 'vxlan:101'], [2, 'eth:ip:data', null]] as const) {
    const ctx = new Dissection();
    prepareRedissection(ctx, links, frame, read);
    const stored = read(frame);
    dissectFrameTree(ctx, stored.bytes, 0, stored.bytes.length, stored.origLen, { number: frame + 1, linkType: LINKTYPE_ETHERNET, tsSec: 0, tsNsec: 0, relative: 0, firstTsSec: 0, firstTsNsec: 0, interfaceId: 0, direction: 0 });
    assert.equal(ctx.protocolChain(), chain);
    assert.equal(ctx.tenant() ? `${ctx.tenant()!.type}:${ctx.tenant()!.id}` : null, tenant);
    if (frame === 2) assert.deepEqual(ctx.fieldValues('ip.reassembled_in'), [4]);
  }
  capture.close();
});

test('a flood of fragments that never complete stays within the limits', () => {
  const limits = { maxDatagrams: 64, maxBytes: 64 * 1024, maxFragments: 8, timeoutSeconds: 60 };
  const r = new IpReassembly(limits);
  const payload = new Uint8Array(1480);
  for (let i = 0; i < 20_000; i++) {
    assert.equal(r.add(`k${i}`, i, i / 1000, 0, true, payload, 0, payload.length, 1514), null);
    assert.ok(r.inProgress <= limits.maxDatagrams && r.bytesHeld <= limits.maxBytes);
  }
  assert.ok(r.dropped >= 20_000 - limits.maxDatagrams);
  // Old datagrams time out in capture time.
  const t = new IpReassembly({ ...limits, timeoutSeconds: 1 });
  t.add('a', 0, 0, 0, true, payload, 0, 8, 60);
  t.add('b', 1, 5, 0, true, payload, 0, 8, 60);
  assert.equal(t.inProgress, 1);
  assert.equal(t.add('a', 2, 5.1, 8, false, payload, 0, 8, 60), null, 'the first fragment of "a" was given up');
});

test('ERSPAN: the mirrored VXLAN frame keeps its tenant and VTEPs; the session is an attribute', () => {
  const report = tenantsOf(MIRROR);
  assert.deepEqual(report.tenants.map((t) => [t.type, t.id, t.packets, t.vteps]), [['vxlan', 101, 9, ['192.168.100.1', '192.168.100.2']]]);
  assert.deepEqual(matching(MIRROR, 'erspan.spanid == 100'), [1, 2, 3, 4]);
  assert.deepEqual(matching(MIRROR, 'erspan.spanid == 200 && erspan.timestamp > 1000000 && erspan.direction == 0'), [5, 6, 7, 8]);
  assert.deepEqual(matching(MIRROR, 'erspan && !erspan.version'), [9], 'type I has no header');
  assert.deepEqual(matching(MIRROR, 'erspan.vlan == 10'), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('MPLS in GRE: the label stack, then IPv4; keyless GRE is underlay, labels are not tenants', () => {
  assert.deepEqual(matching(MPLS, 'mpls.label == 24'), [1, 3, 5]);
  assert.deepEqual(matching(MPLS, 'mpls.label == 16002 && icmp.type == 0'), [2, 4]);
  assert.deepEqual(matching(MPLS, 'tenant'), []);
  assert.equal(tenantsOf(MPLS).underlay.packets, 5);
});

test('ICMPv6 echo payload is data; an error keeps the outer packet in Source and Destination', () => {
  const ctx = new Dissection();
  ctx.wantColumns = true;
  const echo = ethernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', etherType: ETHERTYPE_IPV6, payload: ipv6({ src: '2001:db8::1', dst: '2001:db8::2', payload: icmpv6Echo({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(32) }) }) });
  dissectFrame(ctx, echo, 0, echo.length, echo.length, LINKTYPE_ETHERNET);
  assert.equal(ctx.protocolChain(), 'eth:ipv6:icmpv6:data');
  assert.equal(ctx.colProto, 'ICMPv6');
  // Destination unreachable from a router, quoting the echo above.
  const quoted = echo.subarray(14, 14 + 48 + 8);
  const error = new Uint8Array(8 + quoted.length);
  error[0] = 1;
  error.set(quoted, 8);
  const frame = ethernet({ src: '02:00:00:00:00:03', dst: '02:00:00:00:00:01', etherType: ETHERTYPE_IPV6, payload: ipv6({ src: '2001:db8::ff', dst: '2001:db8::1', nextHeader: 58, payload: error }) });
  dissectFrame(ctx, frame, 0, frame.length, frame.length, LINKTYPE_ETHERNET);
  assert.equal(ctx.colSrc, '2001:db8::ff');
  assert.equal(ctx.colDst, '2001:db8::1');
  assert.equal(ctx.colProto, 'ICMPv6');
});

test('TCP: tcp.stream, relative tcp.seq/tcp.ack and raw numbers like tshark; Follow TCP Stream', () => {
  const file = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  assert.deepEqual(matching(file, 'tcp.stream == 0 && tcp.seq == 1 && tcp.ack == 24'), [14]);
  assert.deepEqual(matching(file, 'tcp.seq == 0'), [10, 11]);
  assert.deepEqual(matching(file, 'tcp.seq_raw == 1000'), [10]);
  const followed = followTcpStream(file, 0)!;
  assert.deepEqual(followed.endpoints, ['10.0.0.1:43210', '10.0.0.2:9000']);
  assert.equal(Buffer.from(followed.chunks[0].bytes).toString(), 'GET /status tenant-101\n');
  assert.equal(followTcpStream(file, 99), null);
});
