// A packet through two bridges joined by patch ports, and tunnel ports, each expectation taken from a
// real Open vSwitch 3.1 (dummy datapath, ofproto/trace) with the same bridges and flows: br0 (ports
// 1-7, patch-a 10 to br1's patch-b 20, VXLAN ports 11 key=flow and 12 key=99) and br1 (q1 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBridgeJson } from '../../src/switch/bridge';
import { parseFlowFile, parseGroupLine } from '../../src/switch/flow-file';
import { FlowTables } from '../../src/switch/flow-tables';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { Slot } from '../../src/switch/fields';
import { SwitchBridge, TraceNode, translate } from '../../src/switch/xlate';

const BR0 = parseBridgeJson(JSON.stringify({
  name: 'br0',
  localVtep: '172.16.0.1',
  ports: [
    { ofport: 65534, name: 'br0', type: 'internal' },
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ ofport: n, name: `p${n}` })),
    { ofport: 10, name: 'patch-a', type: 'patch', peer: 'patch-b' },
    { ofport: 11, name: 'vx1', type: 'vxlan', remote_ip: '172.16.0.2', key: 'flow' },
    { ofport: 12, name: 'vx2', type: 'vxlan', remote_ip: '172.16.0.3', key: 99 },
  ],
}));
const BR1 = parseBridgeJson(JSON.stringify({
  name: 'br1',
  ports: [{ ofport: 65534, name: 'br1', type: 'internal' }, { ofport: 20, name: 'patch-b', type: 'patch', peer: 'patch-a' }, { ofport: 1, name: 'q1' }],
}));
const FLOWS0 = `table=0,in_port=1,actions=load:0x5->NXM_NX_REG0[],set_field:0x9->metadata,output:10,output:2
table=0,in_port=2,actions=set_tunnel:0x5,output:11,output:12,set_tunnel:0x6,output:11
table=0,in_port=3,actions=mod_vlan_vid:5,output:10,strip_vlan,output:4`;
const FLOWS1 = `table=0,in_port=20,reg0=0,metadata=0,actions=output:1,resubmit(,1)
table=0,in_port=20,dl_vlan=5,actions=output:1
table=1,actions=output:20`;

function host(): SwitchBridge[] {
  return [
    { bridge: BR0, tables: new FlowTables(parseFlowFile(FLOWS0)), macTable: new Map() },
    { bridge: BR1, tables: new FlowTables(parseFlowFile(FLOWS1)), macTable: new Map() },
  ];
}

function lines(nodes: TraceNode[], indent = ''): string[] {
  return nodes.flatMap((n) => [`${indent}[${n.kind}] ${n.text}`, ...lines(n.subs, `${indent}  `)]);
}

function run(microflow: string, bridges = host()) {
  return translate({ tables: bridges[0].tables, bridge: BR0, bridges, now: 0, sideEffects: false }, parseMicroflow(microflow));
}

describe('patch ports', () => {
  it('the peer bridge sees the packet from its patch port with registers and metadata cleared; this bridge goes on after', () => {
    const r = run('in_port=1');
    assert.deepEqual(r.outputs.map((o) => [o.bridge, o.port, o.portName]), [['br1', 1, 'q1'], ['br0', 2, 'p2']]);
    assert.deepEqual(r.steps.map((s) => [s.bridge, s.table, s.priority]), [['br0', 0, 32768], ['br1', 0, 32768], ['br1', 1, 32768]]);
    assert.deepEqual(lines(r.trace), [
      '[table]  0. in_port=1, priority 32768',
      '  [action] load:0x5->NXM_NX_REG0[]',
      '  [action] set_field:0x9->metadata',
      '  [action] output:10',
      '  [bridge] br1',
      '    [table]  0. reg0=0,metadata=0,in_port=20, priority 32768',
      '      [action] output:1',
      '      [action] resubmit(,1)',
      '      [table]  1. priority 32768',
      '        [action] output:20',
      '        [warn] skipping output to input port',
      '  [action] output:2',
    ]);
  });

  it('carries the VLAN across, and the packet is as before in this bridge afterwards: push_vlan(vid=5,pcp=0),q1,pop_vlan,4', () => {
    const r = run('in_port=3');
    assert.deepEqual(r.outputs.map((o) => [o.bridge, o.port, o.vlan]), [['br1', 1, 5], ['br0', 4, null]]);
    assert.deepEqual(r.datapath, ['push_vlan(vid=5,pcp=0)', '1', 'pop_vlan', '4']);
  });

  it('a patch port whose peer bridge is not described stops the packet there, saying so', () => {
    const alone = [{ bridge: BR0, tables: new FlowTables(parseFlowFile(FLOWS0)), macTable: new Map() }];
    const r = translate({ tables: alone[0].tables, bridge: BR0, bridges: alone, now: 0, sideEffects: false }, parseMicroflow('in_port=1'));
    assert.deepEqual(r.outputs.map((o) => o.port), [2]);
    assert.ok(lines(r.trace).includes('  [warn] patch port patch-a has no peer bridge described: packet stops here'));
  });

  it('two bridges patched back and forth stop at the depth limit (OVS: over max translation depth 64, drop)', () => {
    const loop = [
      { bridge: BR0, tables: new FlowTables(parseFlowFile('in_port=1,actions=output:10\nin_port=10,actions=load:1->NXM_OF_IN_PORT[],output:10')), macTable: new Map() },
      { bridge: BR1, tables: new FlowTables(parseFlowFile('in_port=20,actions=load:1->NXM_OF_IN_PORT[],output:20')), macTable: new Map() },
    ];
    const r = translate({ tables: loop[0].tables, bridge: BR0, bridges: loop, now: 0, sideEffects: false }, parseMicroflow('in_port=1'));
    assert.deepEqual([r.datapath, r.outputs], [['drop'], []]);
    assert.match(lines(r.trace).join('\n'), /over max translation depth 64/);
  });
});

describe('tunnel ports', () => {
  it('a key=flow port sends tun_id; a fixed-key port its own key; each output names the tunnel', () => {
    const r = run('in_port=2');
    assert.deepEqual(
      r.outputs.map((o) => [o.port, o.tunId, o.portName, o.tunnel?.type, o.tunnel?.remoteIp]),
      [[11, 5, 'vx1', 'vxlan', '172.16.0.2'], [12, 99, 'vx2', 'vxlan', '172.16.0.3'], [11, 6, 'vx1', 'vxlan', '172.16.0.2']],
    );
    assert.deepEqual(r.datapath, [
      'set(tunnel(tun_id=0x5,dst=172.16.0.2))', '11',
      'set(tunnel(tun_id=0x63,dst=172.16.0.3))', '12',
      'set(tunnel(tun_id=0x6,dst=172.16.0.2))', '11',
    ]);
  });
});

describe('limits and learning in the translation', () => {
  it('more than 4096 resubmits fail the translation (OVS: over 4096 resubmit actions, Too many resubmits)', () => {
    const text = [...Array.from({ length: 13 }, (_, i) => `table=${i},actions=resubmit(,${i + 1}),resubmit(,${i + 1})`), 'table=13,actions=output:1'].join('\n');
    const r = translate({ tables: new FlowTables(parseFlowFile(text)), now: 0, sideEffects: false }, parseMicroflow('in_port=20'));
    assert.deepEqual([r.error, r.datapath, r.outputs], ['Too many resubmits', ['drop'], []]);
    assert.match(lines(r.trace).join('\n'), /over 4096 resubmit actions/);
    const fine = [...Array.from({ length: 11 }, (_, i) => `table=${i},actions=resubmit(,${i + 1}),resubmit(,${i + 1})`), 'table=11,actions=output:1'].join('\n');
    const ok = translate({ tables: new FlowTables(parseFlowFile(fine)), now: 0, sideEffects: false, explain: false }, parseMicroflow('in_port=20'));
    assert.deepEqual([ok.error, ok.outputs.length], [null, 2048]);
  });

  it('a learned flow is explained with its table, match, priority, timeouts and actions; the limit is checked within one packet too', () => {
    const t = new FlowTables(parseFlowFile('actions=learn(table=7,priority=3,idle_timeout=5,hard_timeout=9,limit=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0x2->NXM_NX_REG1[0..3],output:NXM_OF_IN_PORT[]),load:0x9->NXM_OF_ETH_SRC[],learn(table=7,priority=3,idle_timeout=5,hard_timeout=9,limit=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0x2->NXM_NX_REG1[0..3],output:NXM_OF_IN_PORT[])'));
    const r = translate({ tables: t, now: 0, sideEffects: true }, parseMicroflow('in_port=4,dl_src=00:00:00:00:00:01'));
    const text = lines(r.trace);
    assert.ok(text.includes('  [detail] table=7 dl_dst=00:00:00:00:00:01 priority=3 idle=5 hard=9 actions=load:0x2->NXM_NX_REG1[0..3],output:4'), text.join('\n'));
    assert.equal(r.learned.length, 2, 'two learn actions, each with its own limit');
    assert.deepEqual(r.learned.map((l) => l.text), [
      'table=7,priority=3,dl_dst=00:00:00:00:00:01,idle_timeout=5,hard_timeout=9,actions=load:0x2->NXM_NX_REG1[0..3],output:4',
      'table=7,priority=3,dl_dst=00:00:00:00:00:09,idle_timeout=5,hard_timeout=9,actions=load:0x2->NXM_NX_REG1[0..3],output:4',
    ]);
    const once = new FlowTables(parseFlowFile('actions=learn(table=7,limit=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),load:0x9->NXM_OF_ETH_SRC[],resubmit(,1)\ntable=1,actions=learn(table=7,limit=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])'));
    const two = translate({ tables: once, now: 0, sideEffects: true }, parseMicroflow('in_port=4,dl_src=00:00:00:00:00:01'));
    assert.equal(two.learned.length, 2, 'separate learn actions in two rules');
    const same = new FlowTables(parseFlowFile('actions=learn(table=7,limit=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),load:0x9->NXM_OF_ETH_SRC[],resubmit(,0)'));
    const capped = translate({ tables: same, now: 0, sideEffects: true }, parseMicroflow('in_port=4,dl_src=00:00:00:00:00:01'));
    assert.equal(capped.learned.length, 1, 'the same learn action twice in one packet: the second is over its limit of 1');
    assert.ok(lines(capped.trace).some((l) => l.endsWith('[detail] limit 1 reached: not learned')));
  });
});

describe('field actions as Open vSwitch applies them', () => {
  const FIELDS = `table=0,in_port=1,actions=mod_vlan_vid:7,output:2,mod_vlan_pcp:3,output:3,push_vlan:0x8100,mod_vlan_vid:9,output:4,pop_vlan,output:5
table=0,in_port=2,ip,actions=set_field:10.0.0.9->ip_dst,move:NXM_OF_IP_DST[0..3]->NXM_NX_REG0[0..3],output:NXM_NX_REG0[0..3],ct_clear,output:3
table=0,in_port=4,tcp,actions=mod_tp_dst:99,move:NXM_OF_TCP_DST[]->NXM_NX_REG1[0..15],output:NXM_NX_REG1[0..3]`;
  const go = (microflow: string) => translate({ tables: new FlowTables(parseFlowFile(FIELDS)), bridge: BR0, now: 0, sideEffects: false }, parseMicroflow(microflow));

  it('VLAN: push_vlan(vid=7,pcp=0),2,pop_vlan,push_vlan(vid=7,pcp=3),3,push_vlan(vid=9,pcp=0),4,pop_vlan,5', () => {
    const r = go('in_port=1');
    assert.deepEqual(r.datapath, ['push_vlan(vid=7,pcp=0)', '2', 'pop_vlan', 'push_vlan(vid=7,pcp=3)', '3', 'push_vlan(vid=9,pcp=0)', '4', 'pop_vlan', '5']);
    assert.equal(r.final.vlan, 7);
  });

  it('set_field and move on IP fields; output to a port the bridge lacks is skipped (3; final nw_dst=10.0.0.9, reg0=0x9)', () => {
    const r = go('in_port=2,ip,nw_dst=1.1.1.1');
    assert.deepEqual(r.datapath, ['3']);
    assert.deepEqual([r.final.get(Slot.NwDst), r.final.get(Slot.Reg0)], [0x0a000009n, 9n]);
    assert.ok(lines(r.trace).includes('  [warn] Nonexistent output port 9'));
  });

  it('mod_tp_dst then move to a register (output 3; final tp_dst=99, reg1=0x63)', () => {
    const r = go('in_port=4,tcp,tp_dst=80');
    assert.deepEqual(r.outputs.map((o) => o.port), [3]);
    assert.deepEqual([r.final.get(Slot.TpDst), r.final.get(Slot.Reg0 + 1)], [99n, 0x63n]);
  });
});

describe('ports by keyword', () => {
  it('resubmit(in_port,1) looks table 1 up with the packet\'s own input port; LOCAL always exists (OVS: 4,LOCAL)', () => {
    const t = new FlowTables(parseFlowFile('table=0,in_port=3,actions=resubmit(in_port,1),output:LOCAL\ntable=1,in_port=3,actions=output:4\ntable=1,in_port=65528,actions=output:5'));
    const bridge = parseBridgeJson(JSON.stringify({ name: 'br0', ports: [3, 4, 5].map((n) => ({ ofport: n, name: `p${n}` })) }));
    const r = translate({ tables: t, bridge, now: 0, sideEffects: false }, parseMicroflow('in_port=3'));
    assert.deepEqual(r.outputs.map((o) => o.port), [4, 65534]);
  });

  it('FLOOD and NORMAL without a port description output to FLOOD; a tun_id beyond 2^53 is given in hex', () => {
    const t = new FlowTables(parseFlowFile('in_port=1,actions=set_tunnel64:0xffffffffffffffff,output:FLOOD\nin_port=2,actions=NORMAL'));
    const flood = translate({ tables: t, now: 0, sideEffects: false }, parseMicroflow('in_port=1'));
    assert.deepEqual(flood.outputs, [{ port: 'FLOOD', vlan: null, tunId: '0xffffffffffffffff' }]);
    const normal = translate({ tables: t, now: 0, sideEffects: false }, parseMicroflow('in_port=2,dl_dst=ff:ff:ff:ff:ff:ff'));
    assert.deepEqual(normal.outputs.map((o) => o.port), ['FLOOD']);
  });
});

describe('smaller translation rules', () => {
  const one = (flows: string, microflow: string, extra: { explain?: boolean; sideEffects?: boolean } = {}) =>
    translate({ tables: new FlowTables(parseFlowFile(flows)), now: 0, sideEffects: extra.sideEffects ?? false, explain: extra.explain }, parseMicroflow(microflow));

  it('dec_ttl leaves TTL - 1; a miss builds no explanation when none is asked', () => {
    assert.equal(one('actions=dec_ttl,output:2', 'in_port=1,ip,nw_ttl=5').final.get(Slot.NwTtl), 4n);
    const miss = one('in_port=9,actions=output:2', 'in_port=1', { explain: false });
    assert.deepEqual([miss.trace, miss.steps.length, miss.drop], [[], 1, true]);
    const dropRule = one('in_port=1,actions=drop', 'in_port=1');
    assert.deepEqual(lines(dropRule.trace), ['[table]  0. in_port=1, priority 32768', '  [action] drop']);
  });

  it('result_dst without a limit is always 1', () => {
    const r = one('actions=learn(table=1,result_dst=reg2[3],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])', 'in_port=1,dl_src=00:00:00:00:00:01');
    assert.equal(r.final.get(Slot.Reg0 + 2), 8n);
  });

  it('a select group whose selection method is not emulated fails the translation, naming it', () => {
    const t = new FlowTables(parseFlowFile('in_port=1,actions=output:3,group:5'));
    const g = parseGroupLine('group_id=5,type=select,selection_method=hash,fields(ip_src),bucket=output:1,bucket=output:2', 1);
    t.groups.set(5, { ...g, selectionMethod: 'bogus' } as typeof g);
    const r = translate({ tables: t, now: 0, sideEffects: false }, parseMicroflow('in_port=1,ip'));
    assert.deepEqual([r.error, r.outputs], ['Select group', []]);
    assert.match(lines(r.trace).join('\n'), /select group 5: selection_method=bogus/);
    const single = new FlowTables(parseFlowFile('in_port=1,actions=group:6'));
    single.groups.set(6, { ...parseGroupLine('group_id=6,type=select,bucket=output:2', 1), selectionMethod: 'bogus' } as typeof g);
    assert.deepEqual(translate({ tables: single, now: 0, sideEffects: false }, parseMicroflow('in_port=1')).outputs.map((o) => o.port), [2], 'one bucket: no choice to make');
  });

  it('resubmits to a later table do not count towards the depth limit; to the same or an earlier table they do', () => {
    const forward = Array.from({ length: 100 }, (_, i) => `table=${i},actions=resubmit(,${i + 1})`).join('\n') + '\ntable=100,actions=output:2';
    assert.deepEqual(one(forward, 'in_port=1', { explain: false }).outputs.map((o) => o.port), [2]);
    const back = Array.from({ length: 70 }, (_, i) => `table=0,reg0=${i},actions=load:${i + 1}->NXM_NX_REG0[],resubmit(,0)`).join('\n') + '\ntable=0,reg0=70,actions=output:2';
    assert.equal(one(back, 'in_port=1', { explain: false }).error, 'Recursion too deep');
    const sixty = Array.from({ length: 60 }, (_, i) => `table=0,reg0=${i},actions=load:${i + 1}->NXM_NX_REG0[],resubmit(,0)`).join('\n') + '\ntable=0,reg0=60,actions=output:2';
    assert.deepEqual(one(sixty, 'in_port=1', { explain: false }).outputs.map((o) => o.port), [2]);
  });
});
