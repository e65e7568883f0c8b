// Dissectors on crafted frames: tunnels and their tenants, the NVGRE reserved-VSID rule, nesting,
// decode-as, fragments, VLAN stacks, cooked captures and the malformed reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dissection, TreeNode } from '../../src/dissect/dissection';
import { dissectFrame, dissectFrameTree, timeDifferenceText } from '../../src/dissect/engine';
import { compileFilter } from '../../src/filter';
import { parseDecodeAs } from '../../src/dissect/decode-as';
import { arp, ethernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_TEB, BROADCAST_MAC } from '../../src/craft/ethernet';
import { ipv4 } from '../../src/craft/ip';
import { udp, tcp } from '../../src/craft/transport';
import { icmpEcho } from '../../src/craft/control';
import { geneve, greFrame, nvgre, underlayFrame, vxlan, Underlay } from '../../src/craft/tunnels';

const outer: Underlay = { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02', srcIp: '192.0.2.1', dstIp: '192.0.2.2' };
const innerArp = ethernet({ dst: BROADCAST_MAC, src: 'fa:16:3e:00:00:01', etherType: ETHERTYPE_ARP, payload: arp({ op: 1, senderMac: 'fa:16:3e:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' }) });
const innerPing = ethernet({ dst: 'fa:16:3e:00:00:02', src: 'fa:16:3e:00:00:01', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(8) }) }) });

function dissect(frame: Uint8Array, setup?: (ctx: Dissection) => void): Dissection {
  const ctx = new Dissection();
  setup?.(ctx);
  dissectFrameTree(ctx, frame, 0, frame.length, frame.length, { number: 1, linkType: 1, tsSec: 0, tsNsec: 0, relative: 0, firstTsSec: 0, firstTsNsec: 0, interfaceId: 0, direction: 0 });
  return ctx;
}

test('VXLAN: tenant, inner layers, columns from the inner frame', () => {
  const ctx = dissect(vxlan({ outer, vni: 101, inner: innerArp }));
  assert.equal(ctx.protocolChain(), 'eth:ip:udp:vxlan:eth:arp');
  assert.deepEqual(ctx.tenant(), { type: 'vxlan', id: 101 });
  assert.equal(ctx.info, 'Who has 10.0.0.2? Tell 10.0.0.1');
  assert.equal(ctx.colSrc, 'fa:16:3e:00:00:01');
  assert.equal(ctx.colDst, 'Broadcast');
  assert.equal(ctx.colProto, 'ARP');
  assert.deepEqual(ctx.fieldValues('vxlan.vni'), [101]);
  assert.deepEqual(ctx.fieldValues('ip.src', 1), ['192.0.2.1']);
  assert.equal(ctx.malformed, null);
});

test('VXLAN without the I flag still decapsulates but says the VNI is not valid', () => {
  const ctx = dissect(vxlan({ outer, vni: 7, iFlag: false, inner: innerArp }));
  assert.deepEqual(ctx.fieldValues('vxlan.flag_i'), [false]);
  assert.ok(JSON.stringify(ctx.tree).includes('I flag is not set'));
});

test('VXLAN on the Linux port 8472, and decode-as for another port', () => {
  assert.equal(dissect(vxlan({ outer, vni: 5, dstPort: 8472, inner: innerArp })).protocolChain(), 'eth:ip:udp:vxlan:eth:arp');
  const odd = vxlan({ outer, vni: 5, dstPort: 9999, srcPort: 40000, inner: innerArp });
  assert.equal(dissect(odd).protocolChain(), 'eth:ip:udp:data');
  const decoded = dissect(odd, (ctx) => (ctx.decodeAs = parseDecodeAs('udp.port==9999,vxlan')));
  assert.equal(decoded.protocolChain(), 'eth:ip:udp:vxlan:eth:arp');
  assert.throws(() => parseDecodeAs('udp.port==9999,nosuch'), /unknown protocol "nosuch"/);
  assert.throws(() => parseDecodeAs('udp.port=9999'), /expected TABLE==VALUE,PROTOCOL/);
});

test('VXLAN in VXLAN and VXLAN in GRE: the innermost tenant wins, every layer is kept', () => {
  const nested = vxlan({ outer, vni: 200, inner: vxlan({ outer: { ...outer, srcIp: '198.51.100.1', dstIp: '198.51.100.2' }, vni: 300, inner: innerPing }) });
  const ctx = dissect(nested);
  assert.equal(ctx.protocolChain(), 'eth:ip:udp:vxlan:eth:ip:udp:vxlan:eth:ip:icmp:data');
  assert.deepEqual(ctx.tenant(), { type: 'vxlan', id: 300 });
  assert.deepEqual(ctx.fieldValues('vxlan.vni'), [200, 300]);
  assert.deepEqual(ctx.fieldValues('ip.src', 3), ['10.0.0.1']);
  const inGre = greFrame({ outer, protocolType: ETHERTYPE_TEB, key: 0x42, payload: vxlan({ outer, vni: 9, inner: innerArp }) });
  const g = dissect(inGre);
  assert.equal(g.protocolChain(), 'eth:ip:gre:eth:ip:udp:vxlan:eth:arp');
  assert.deepEqual(g.tenant(), { type: 'vxlan', id: 9 });
});

test('GRE: C/K/S flags, plain keys, IPv4 payload; NVGRE VSID and FlowID; the reserved-VSID rule', () => {
  const ipInGre = greFrame({ outer, protocolType: ETHERTYPE_IPV4, key: 1, sequence: 7, checksum: true, payload: ipv4({ src: '192.168.1.102', dst: '192.168.2.115', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(8) }) }) });
  const g = dissect(ipInGre);
  assert.equal(g.protocolChain(), 'eth:ip:gre:ip:icmp:data');
  assert.deepEqual(g.tenant(), { type: 'gre', id: 1 });
  assert.deepEqual(g.fieldValues('gre.sequence_number'), [7]);
  assert.deepEqual(g.fieldValues('gre.flags.checksum'), [true]);
  const nv = dissect(nvgre({ outer, vsid: 0x1234, flowId: 0x2a, inner: innerArp }));
  assert.equal(nv.protocolChain(), 'eth:ip:gre:eth:arp');
  assert.deepEqual(nv.tenant(), { type: 'nvgre', id: 0x1234 });
  assert.deepEqual(nv.fieldValues('gre.key.nvgre_flowid'), [0x2a]);
  // Upper 24 bits 0x000FFF or less: reserved VSIDs, so the key is a plain 32-bit tunnel key; 0x001000 is
  // the first VSID. Both keys carry a FlowID byte so the boundary is on the VSID, not on the whole key.
  const reserved = dissect(greFrame({ outer, protocolType: ETHERTYPE_TEB, key: 0x000fff2a, payload: innerArp }));
  assert.deepEqual(reserved.tenant(), { type: 'gre', id: 0x000fff2a });
  assert.deepEqual(reserved.fieldValues('gre.key.nvgre_vsid'), []);
  const firstVsid = dissect(greFrame({ outer, protocolType: ETHERTYPE_TEB, key: 0x0010002a, payload: innerArp }));
  assert.deepEqual(firstVsid.tenant(), { type: 'nvgre', id: 0x1000 });
  assert.deepEqual(firstVsid.fieldValues('gre.key.nvgre_vsid'), [0x1000]);
  const unkeyed = dissect(greFrame({ outer, protocolType: ETHERTYPE_TEB, payload: innerArp }));
  assert.equal(unkeyed.tenant(), null);
});

test('GRE with an unknown version is malformed with the reason', () => {
  const frame = greFrame({ outer, protocolType: ETHERTYPE_IPV4, payload: new Uint8Array(20) });
  frame[14 + 20 + 1] |= 0x03; // version 3
  const ctx = dissect(frame);
  assert.match(ctx.malformed ?? '', /GRE version 3 is unknown/);
});

test('Geneve: VNI, option TLVs, inner frame', () => {
  const ctx = dissect(geneve({ outer, vni: 5001, options: [{ optionClass: 0x0102, type: 0x80, data: new Uint8Array([0, 1, 2, 3]) }], inner: innerPing }));
  assert.equal(ctx.protocolChain(), 'eth:ip:udp:geneve:eth:ip:icmp:data');
  assert.deepEqual(ctx.tenant(), { type: 'geneve', id: 5001 });
  assert.deepEqual(ctx.fieldValues('geneve.option.class'), [0x0102]);
  assert.deepEqual(ctx.fieldValues('geneve.option.length'), [8]);
});

test('802.1Q and QinQ stacks', () => {
  const frame = ethernet({ dst: BROADCAST_MAC, src: '02:00:00:00:00:01', vlans: [{ tpid: 0x88a8, vid: 100 }, { vid: 10 }], etherType: ETHERTYPE_ARP, payload: arp({ op: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' }) });
  const ctx = dissect(frame);
  assert.equal(ctx.protocolChain(), 'eth:ieee8021ad:vlan:arp');
  assert.deepEqual(ctx.fieldValues('ieee8021ad.id'), [100]);
  assert.deepEqual(ctx.fieldValues('vlan.id'), [10]);
});

test('IPv4 fragments are marked and their payload left opaque', () => {
  const payload = udp({ srcPort: 1, dstPort: 4789, payload: new Uint8Array(40) });
  const first = ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', payload, moreFragments: true }) });
  const ctx = dissect(first);
  assert.equal(ctx.protocolChain(), 'eth:ip:data');
  assert.deepEqual(ctx.fieldValues('ip.flags.mf'), [true]);
  assert.match(ctx.info, /^Fragmented IP protocol \(proto=UDP 17, off=0/);
});

test('truncated headers: malformed with what was short, and nothing read past the captured bytes', () => {
  const frame = vxlan({ outer, vni: 101, inner: innerPing });
  for (const cut of [10, 20, 40, 45, 48, 55, 70, 90]) {
    const ctx = new Dissection();
    const buffer = new Uint8Array(frame.length + 64).fill(0xee); // bytes after the cut must never be read
    buffer.set(frame.subarray(0, cut));
    dissectFrame(ctx, buffer, 0, cut, frame.length, 1);
    assert.ok(ctx.malformed !== null || cut >= 90, `cut at ${cut} is malformed`);
    assert.match(ctx.malformed ?? 'truncated', /truncated|cut by the capture snap length/);
    for (let i = 0; i < ctx.layerCount; i++) assert.ok(ctx.layerEnd[i] <= cut, `layer ${i} ends inside the capture`);
  }
  const ctx = new Dissection();
  dissectFrame(ctx, frame, 0, 30, frame.length, 1);
  assert.equal(ctx.malformed, 'IPv4 header truncated: 16 of 20 bytes (frame cut by the capture snap length)');
});

test('inconsistent lengths are malformed: IPv4 total length below its header, UDP length below 8', () => {
  const frame = ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', payload: udp({ srcPort: 1, dstPort: 2, payload: new Uint8Array(4) }) }) });
  const badIp = Uint8Array.from(frame);
  badIp[16] = 0;
  badIp[17] = 12;
  assert.equal(dissect(badIp).malformed, 'IPv4 total length 12 is less than its header length 20');
  const badUdp = Uint8Array.from(frame);
  badUdp[38] = 0;
  badUdp[39] = 4;
  assert.equal(dissect(badUdp).malformed, 'UDP length 4 is less than its 8-byte header');
});

test('TCP columns, flags and ports; the fast path builds no tree or columns', () => {
  const frame = ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: tcp({ srcPort: 43210, dstPort: 9000, seq: 100, flags: 0x02, window: 64240 }) }) });
  const ctx = dissect(frame);
  assert.equal(ctx.info, '43210 → 9000 [SYN] Seq=100 Win=64240 Len=0');
  assert.deepEqual(ctx.fieldValues('tcp.flags.syn'), [true]);
  assert.deepEqual(ctx.fieldValues('tcp.port'), [43210, 9000]);
  const fast = new Dissection();
  dissectFrame(fast, frame, 0, frame.length, frame.length, 1);
  assert.equal(fast.protocolChain(), 'eth:ip:tcp');
  assert.equal(fast.tree.length, 0);
  assert.equal(fast.info, '');
});

test('Linux cooked capture v1 and v2 carry their ethertype', () => {
  const ip = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(8) }) });
  const sll = new Uint8Array(16 + ip.length);
  sll.set([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00]);
  sll.set(ip, 16);
  const v1 = new Dissection();
  dissectFrame(v1, sll, 0, sll.length, sll.length, 113);
  assert.equal(v1.protocolChain(), 'sll:ip:icmp:data');
  const sll2 = new Uint8Array(20 + ip.length);
  sll2.set([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
  sll2.set(ip, 20);
  const v2 = new Dissection();
  dissectFrame(v2, sll2, 0, sll2.length, sll2.length, 276);
  assert.equal(v2.protocolChain(), 'sll:ip:icmp:data');
});

test('Wireshark filter names for problems: _ws.malformed and _ws.expert match a cut frame only', () => {
  const whole = vxlan({ outer, vni: 101, inner: innerArp });
  const cut = whole.subarray(0, 30);
  for (const [frame, expected] of [[cut, true], [whole, false]] as const) {
    const ctx = dissect(frame);
    assert.equal(compileFilter('_ws.malformed').matches(ctx), expected);
    assert.equal(compileFilter('_ws.expert').matches(ctx), expected);
    assert.equal(compileFilter('_ws.expert.message contains "truncated"').matches(ctx), expected);
  }
});

test('frame node: time since the first frame from integer parts, link type by name, ARP hardware type by name', () => {
  const ctx = new Dissection();
  const frame = vxlan({ outer, vni: 101, inner: innerArp });
  dissectFrameTree(ctx, frame, 0, frame.length, frame.length, { number: 2, linkType: 1, tsSec: 1700000001, tsNsec: 30_000_000, relative: 1.029999971, firstTsSec: 1700000000, firstTsNsec: 0, interfaceId: 0, direction: 0 });
  const labels = JSON.stringify(ctx.tree);
  assert.match(labels, /Time since reference or first frame: 1\.030000000 seconds/);
  assert.match(labels, /Link type: Ethernet \(1\)/);
  assert.match(labels, /Hardware type: Ethernet \(1\)/);
  assert.equal(timeDifferenceText(5, 100, 6, 200), '-1.000000100');
});

/** A protocol's subtree as [label, start, length, children?], for comparing whole detail trees. */
function outline(ctx: Dissection, protocol: string): unknown {
  const walk = (n: TreeNode): unknown[] => (n.children ? [n.label, n.start, n.length, n.children.map(walk)] : [n.label, n.start, n.length]);
  const node = ctx.tree.find((n) => n.name === protocol);
  assert.ok(node, `${protocol} layer`);
  return walk(node);
}

// The detail trees below are written by hand from the crafted bytes: GRE starts at byte 34 (Ethernet 14,
// IPv4 20), VXLAN and Geneve at 42 (after UDP's 8). Labels, nesting and byte ranges are what the detail
// pane and the hex pane show.
test('GRE and NVGRE detail trees: layer label, flag bits under the flags word, VSID and FlowID under the key', () => {
  const nv = dissect(nvgre({ outer, vsid: 0x1234, flowId: 0x2a, inner: innerArp }));
  const flags = (word: string, c: string, k: string, s: string): unknown[] => [`Flags and Version: ${word}`, 34, 2, [
    [`Checksum Bit: ${c}`, 34, 2], ['Routing Bit: False', 34, 2], [`Key Bit: ${k}`, 34, 2], [`Sequence Number Bit: ${s}`, 34, 2], ['Version: 0', 34, 2],
  ]];
  assert.deepEqual(outline(nv, 'gre'), ['Generic Routing Encapsulation (Transparent Ethernet Bridging (0x6558))', 34, 8, [
    flags('0x2000', 'False', 'True', 'False'),
    ['Protocol Type: Transparent Ethernet Bridging (0x6558)', 36, 2],
    ['Key: 0x0012342a', 38, 4, [['NVGRE Virtual Subnet ID (VSID): 0x001234', 38, 3], ['NVGRE FlowID: 0x2a', 41, 1]]],
  ]]);
  const g = dissect(greFrame({ outer, protocolType: ETHERTYPE_IPV4, key: 1, sequence: 7, checksum: true, payload: new Uint8Array(20) }));
  const tree = outline(g, 'gre') as unknown[];
  assert.deepEqual(tree.slice(0, 3), ['Generic Routing Encapsulation (IPv4 (0x0800))', 34, 16]);
  const fields = tree[3] as unknown[][];
  assert.deepEqual(fields[0], flags('0xb000', 'True', 'True', 'True'));
  assert.deepEqual(fields.slice(1).map((f) => [f[1], f[2], f.length]), [[36, 2, 3], [38, 2, 3], [42, 4, 3], [46, 4, 3]]);
  assert.deepEqual(fields.slice(3).map((f) => f[0]), ['Key: 0x00000001', 'Sequence Number: 7']);
  assert.equal(g.info, 'Encapsulated IPv4 (0x0800), key 0x00000001');
});

test('VXLAN and Geneve detail trees: the I flag under the flags, the Geneve VNI in the layer label, each option with its own length', () => {
  const vx = dissect(vxlan({ outer, vni: 7, iFlag: false, inner: innerArp }));
  assert.deepEqual(outline(vx, 'vxlan'), ['Virtual eXtensible Local Area Network', 42, 8, [
    ['Flags: 0x0000', 42, 2, [['VXLAN Network ID (VNI): False', 42, 1]]],
    ['VXLAN Network Identifier (VNI): 7', 46, 3],
    ['[The I flag is not set: RFC 7348 says the VNI is not valid]', 42, 1],
  ]]);
  const withI = dissect(vxlan({ outer, vni: 7, inner: innerArp }));
  assert.deepEqual((outline(withI, 'vxlan') as unknown[][])[3].length, 2, 'no note when the I flag is set');
  const gen = dissect(geneve({ outer, vni: 0x123456, oam: true, options: [{ optionClass: 0x0102, type: 0x80, data: new Uint8Array(4) }, { optionClass: 0xffff, type: 0x07, data: new Uint8Array(0) }], inner: innerArp }));
  assert.deepEqual(outline(gen, 'geneve'), ['Generic Network Virtualization Encapsulation, VNI: 0x123456', 42, 20, [
    ['Version: 0', 42, 1],
    ['Operations, Administration and Management Frame: True', 43, 1],
    ['Critical Options Present: False', 43, 1],
    ['Protocol Type: Transparent Ethernet Bridging (0x6558)', 44, 2],
    ['Virtual Network Identifier (VNI): 0x123456', 46, 3],
    ['Geneve Options: 12 bytes', 50, 12, [
      ['Option: Class 0x0102, type 0x80', 50, 8, [['Class: 0x0102', 50, 2], ['Type: 0x80', 52, 1], ['Length: 8', 53, 1]]],
      ['Option: Class 0xffff, type 0x07', 58, 4, [['Class: 0xffff', 58, 2], ['Type: 0x07', 60, 1], ['Length: 4', 61, 1]]],
    ]],
  ]]);
  assert.equal(gen.protocolChain(), 'eth:ip:udp:geneve:eth:arp');
  const bare = outline(dissect(geneve({ outer, vni: 1, inner: innerArp })), 'geneve') as unknown[];
  assert.deepEqual([bare[2], (bare[3] as unknown[][]).map((f) => f[0])], [8, ['Version: 0', 'Operations, Administration and Management Frame: False', 'Critical Options Present: False', 'Protocol Type: Transparent Ethernet Bridging (0x6558)', 'Virtual Network Identifier (VNI): 0x000001']]);
});

test('enhanced GRE (version 1) detail: the key word is payload length and call ID', () => {
  const frame = greFrame({ outer, protocolType: 0x880b, key: 0x00180005, payload: new Uint8Array(0) });
  frame[14 + 20 + 1] |= 0x01;
  const fields = (outline(dissect(frame), 'gre') as unknown[])[3] as unknown[][];
  assert.deepEqual(fields.slice(2), [['Payload Length: 24', 38, 2], ['Call ID: 5', 40, 2]]);
});

test('Info of a tunnel with nothing inside: the tunnel names its tenant (VNI, NVGRE VSID, GRE key); enhanced GRE has no key there', () => {
  const info = (frame: Uint8Array) => dissect(frame, (ctx) => (ctx.wantColumns = true)).info;
  const empty = new Uint8Array(0);
  assert.equal(info(vxlan({ outer, vni: 7, inner: empty })), 'VXLAN VNI 7');
  assert.equal(info(geneve({ outer, vni: 0x123456, inner: empty })), 'Geneve VNI 1193046');
  assert.equal(info(nvgre({ outer, vsid: 0x1234, inner: empty })), 'Encapsulated Transparent Ethernet Bridging (0x6558), VSID 0x001234');
  assert.equal(info(greFrame({ outer, protocolType: ETHERTYPE_TEB, key: 0x000fff2a, payload: empty })), 'Encapsulated Transparent Ethernet Bridging (0x6558), key 0x000fff2a');
  assert.equal(info(greFrame({ outer, protocolType: ETHERTYPE_IPV4, payload: empty })), 'Encapsulated IPv4 (0x0800)');
  const enhanced = greFrame({ outer, protocolType: 0x880b, key: 0x00180005, payload: empty });
  enhanced[14 + 20 + 1] |= 0x01; // version 1: the key word is payload length and call ID
  assert.equal(info(enhanced), 'Encapsulated PPP (0x880b)');
});

test('tunnel headers cut short: the reason names the header and the bytes its flags require', () => {
  const cut = (flags: number, have: number, proto = ETHERTYPE_IPV4) => {
    const header = new Uint8Array(have);
    const full = Uint8Array.from([flags >> 8, flags & 0xff, proto >> 8, proto & 0xff, ...new Uint8Array(16)]);
    header.set(full.subarray(0, have));
    return dissect(underlayFrame(outer, { protocol: 47, encode: () => header })).malformed;
  };
  assert.equal(cut(0x2000, 2), 'GRE header truncated: 2 of 4 bytes');
  assert.equal(cut(0x8000, 6), 'GRE header truncated: 6 of 8 bytes');
  assert.equal(cut(0x1000, 6), 'GRE header truncated: 6 of 8 bytes');
  assert.equal(cut(0x4000, 6), 'GRE header truncated: 6 of 8 bytes');
  assert.equal(cut(0xb000, 14), 'GRE header truncated: 14 of 16 bytes');
  assert.equal(cut(0x3081, 14, 0x880b), 'GRE header truncated: 14 of 16 bytes');
  // Routing present, the SRE list cut: checksum word, then 2 bytes of an SRE.
  assert.equal(cut(0x4000, 10), 'GRE routing header truncated: 2 of 4 bytes');
  const geneveCut = underlayFrame(outer, udp({ srcPort: 40000, dstPort: 6081, payload: Uint8Array.from([0x01, 0, 0x65, 0x58, 0, 0]) }));
  assert.equal(dissect(geneveCut).malformed, 'Geneve header truncated: 6 of 8 bytes');
});

test('GRE source routing: at most 64 SREs are read before the payload', () => {
  const sres = (count: number) => [0, ...new Array<number>(count).fill(0x08000000), 0x00000000];
  const frame = (count: number) => {
    const words = sres(count);
    const payload = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(8) }) });
    const bytes = new Uint8Array(4 + 4 * words.length + payload.length);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, 0x4000);
    view.setUint16(2, ETHERTYPE_IPV4);
    words.forEach((w, i) => view.setUint32(4 + 4 * i, w));
    bytes.set(payload, 4 + 4 * words.length);
    return dissect(underlayFrame(outer, { protocol: 47, encode: () => bytes }));
  };
  assert.equal(frame(62).protocolChain(), 'eth:ip:gre:ip:icmp:data');
  assert.equal(frame(63).protocolChain(), 'eth:ip:gre:ip:icmp:data'); // 63 SREs and the NULL SRE: 64
  assert.notEqual(frame(64).protocolChain(), 'eth:ip:gre:ip:icmp:data'); // the NULL SRE would be the 65th
});

test('the tunnel protocols by name: Protocol column, decode-as GRE-in-UDP and Geneve on other ports', () => {
  const proto = (frame: Uint8Array) => dissect(frame, (ctx) => (ctx.wantColumns = true)).colProto;
  const empty = new Uint8Array(0);
  assert.equal(proto(vxlan({ outer, vni: 7, inner: empty })), 'VXLAN');
  assert.equal(proto(geneve({ outer, vni: 7, inner: empty })), 'Geneve');
  assert.equal(proto(greFrame({ outer, protocolType: ETHERTYPE_IPV4, payload: empty })), 'GRE');
  const onPort = (payload: Uint8Array, table: string) =>
    dissect(underlayFrame(outer, udp({ srcPort: 40000, dstPort: 9999, payload })), (ctx) => (ctx.decodeAs = parseDecodeAs(`udp.port==9999,${table}`))).protocolChain();
  assert.equal(onPort(Uint8Array.from([0, 0, 0x08, 0x00]), 'gre'), 'eth:ip:udp:gre');
  assert.equal(onPort(Uint8Array.from([0, 0, 0x65, 0x58, 0, 0, 1, 0]), 'geneve'), 'eth:ip:udp:geneve');
});
