import { Slot } from '../../src/switch/fields';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBridgeJson, parseVsctlShow } from '../../src/switch/bridge';
import { FlowSyntaxError, parseFlowFile, parseGroupLine } from '../../src/switch/flow-file';
import { dpHashTable } from '../../src/switch/group-select';
import { FlowTables, formatRule } from '../../src/switch/flow-tables';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { hmapOrder } from '../../src/switch/port-order';
import { ovsHashInt } from '../../src/switch/ovs-hash';
import { translate } from '../../src/switch/xlate';

function tablesOf(text: string): FlowTables {
  return new FlowTables(parseFlowFile(text));
}

function run(tables: FlowTables, microflow: string, opts: { now?: number; sideEffects?: boolean } = {}) {
  return translate({ tables, now: opts.now ?? 0, sideEffects: opts.sideEffects ?? false }, parseMicroflow(microflow));
}

describe('flow file parsing', () => {
  it('names the line and the problem', () => {
    const cases: [string, number, RegExp][] = [
      ['table=0,actions=drop\n\npriority=1,in_prot=1,actions=drop', 3, /unknown match field 'in_prot'/],
      ['# comment\npriority=1,in_port=1', 2, /no actions=/],
      ['dl_dst=00:00:00:00:00:0g,actions=drop', 1, /not an Ethernet address/],
      ['priority=1,actions=resubmit(,300)', 1, /larger than 254/],
      ['actions=learn(table=20,NXM_OF_VLAN_TCI[0..20])', 1, /outside/],
      ['actions=fly:1', 1, /action 'fly' is not emulated: remove it/],
      ['tcp_dst=80,actions=drop', 1, /tcp_dst needs tcp or tcp6 in the same match/],
      ['icmp6,nd_target=fe80::1,actions=drop', 1, /nd_target needs icmp6 with icmp_type=135 or 136/],
      ['ip,actions=ct(commit,nat(src=10.0.0.9-10.0.0.1))', 1, /address range ends before it starts/],
      ['ip,actions=ct(commit,nat(via=10.0.0.1))', 1, /expected src=ADDRESS/],
      ['in_port="patch-int",actions=drop', 1, /port "patch-int" is not in the bridge description/],
      ['ip,actions=ct(commit,exec(output:1))', 1, /exec may only set ct_mark or ct_label/],
      ['priority=70000,actions=drop', 1, /priority/],
      ['ip,nw_src=10.0.0.0/40,actions=drop', 1, /prefix \/40/],
    ];
    for (const [text, line, problem] of cases) {
      assert.throws(() => parseFlowFile(text), (e: unknown) => e instanceof FlowSyntaxError && e.line === line && problem.test(e.message), text);
    }
  });

  it('reads dump-flows output, ignoring statistics', () => {
    const dump = `NXST_FLOW reply (xid=0x4):
 cookie=0x5, duration=0.004s, table=20, n_packets=3, n_bytes=180, hard_timeout=300, idle_age=0, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=00:00:00:00:02:01 actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2`;
    const [entry] = parseFlowFile(dump);
    assert.equal(entry.table, 20);
    assert.equal(entry.cookie, 5n);
    assert.equal(formatRule(entry), 'priority=1,vlan_tci=0x0001/0x0fff,dl_dst=00:00:00:00:02:01,cookie=0x5,hard_timeout=300,actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2');
  });

  it('prints matches as OVS does: shorthands, ARP names, prefixes, ct_state, ND fields', () => {
    const [a, b, d, e, f] = parseFlowFile(
      'arp,nw_src=1.2.3.4/24,nw_proto=1,actions=drop\nip,nw_src=1.2.3.4/255.0.255.0,actions=drop\ntcp6,tp_src=1,dl_vlan_pcp=3,actions=drop\n' +
        'ct_state=+trk+est-new,ct_zone=5,ct_mark=0x1,reg6=0x3,ip,conj_id=9,actions=ct_clear,conjunction(1,2/3)\n' +
        'icmp6,icmp_type=136,nd_target=fe80::1,nd_tll=00:00:00:00:00:01,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])),ct(table=72,zone=7,nat)',
    );
    assert.equal(formatRule(a), 'arp,arp_spa=1.2.3.0/24,arp_op=1,actions=drop');
    assert.equal(formatRule(b), 'ip,nw_src=1.0.3.0/255.0.255.0,actions=drop');
    assert.equal(formatRule(d), 'tcp6,dl_vlan_pcp=3,tp_src=1,actions=drop');
    assert.equal(formatRule(e), 'conj_id=9,ct_state=-new+est+trk,ct_zone=5,ct_mark=0x1,ip,reg6=0x3,actions=ct_clear,conjunction(1,2/3)');
    assert.equal(formatRule(f), 'icmp6,icmp_type=136,nd_target=fe80::1,nd_tll=00:00:00:00:00:01,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])),ct(table=72,zone=7,nat)');
  });
});

describe('pipeline semantics', () => {
  it('restores the table after resubmit(,T): a later resubmit:PORT looks up the rule\'s own table (OVS: 4 then 3)', () => {
    const t = tablesOf('table=0,in_port=6,actions=resubmit(,41),resubmit:7\ntable=0,in_port=7,actions=output:3\ntable=41,in_port=6,actions=output:4');
    assert.deepEqual(run(t, 'in_port=6').outputs.map((o) => o.port), [4, 3]);
  });

  it('takes the highest priority, and on a tie the earlier mask shape', () => {
    const t = tablesOf('priority=1,in_port=1,actions=output:2\npriority=1,dl_vlan=1,actions=output:3\npriority=5,dl_vlan=1,in_port=9,actions=output:4');
    assert.deepEqual(run(t, 'in_port=1,dl_vlan=1').outputs.map((o) => o.port), [2]);
    assert.deepEqual(run(t, 'in_port=9,dl_vlan=1').outputs.map((o) => o.port), [4]);
    const u = tablesOf('priority=1,dl_vlan=1,actions=output:3\npriority=1,in_port=1,actions=output:2');
    assert.deepEqual(run(u, 'in_port=1,dl_vlan=1').outputs.map((o) => o.port), [3]);
  });

  it('matches masks and prefixes', () => {
    const t = tablesOf('priority=2,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=output:2\npriority=1,ip,nw_dst=10.2.0.0/16,actions=output:3\npriority=1,tun_id=0x10/0xf0,actions=output:4');
    assert.deepEqual(run(t, 'in_port=1,dl_dst=ff:ff:ff:ff:ff:ff').outputs.map((o) => o.port), [2]);
    assert.deepEqual(run(t, 'in_port=1,ip,nw_dst=10.2.9.9').outputs.map((o) => o.port), [3]);
    assert.deepEqual(run(t, 'in_port=1,ip,nw_dst=10.3.9.9').outputs, []);
    assert.deepEqual(run(t, 'in_port=1,tun_id=0x1f').outputs.map((o) => o.port), [4]);
  });

  it('drops on a table-0 miss, continues after a resubmit miss, skips the input port', () => {
    const t = tablesOf('in_port=1,actions=resubmit(,5),output:1,output:2,in_port');
    const miss = run(t, 'in_port=3');
    assert.equal(miss.drop, true);
    assert.deepEqual(miss.steps, [{ table: 0, priority: null, match: null, actions: null }]);
    const r = run(t, 'in_port=1');
    assert.deepEqual(r.steps.map((s) => [s.table, s.priority]), [[0, 32768], [5, null]]);
    assert.deepEqual(r.outputs.map((o) => o.port), [2, 1]);
  });

  it('carries VLAN and tun_id changes through resubmits and stops at depth 64', () => {
    const t = tablesOf('in_port=2,actions=set_tunnel:0x7,mod_vlan_vid:3,resubmit(,1)\ntable=1,actions=output:1\nin_port=4,actions=resubmit(,0)');
    assert.deepEqual(run(t, 'in_port=2').outputs, [{ port: 1, vlan: 3, tunId: 7 }]);
    const loop = run(t, 'in_port=4');
    assert.equal(loop.error, 'Recursion too deep');
    assert.equal(loop.steps.length, 65);
  });

  it('learn adds a flow, then replaces it (same match and priority) with new actions', () => {
    const t = tablesOf('in_port=2,actions=learn(table=20,priority=1,hard_timeout=300,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])\nin_port=3,actions=learn(table=20,priority=1,hard_timeout=300,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])');
    const first = run(t, 'in_port=2,dl_src=00:00:00:00:02:01', { sideEffects: true, now: 10 });
    assert.deepEqual(first.learned.map((l) => l.text), ['table=20,priority=1,dl_dst=00:00:00:00:02:01,hard_timeout=300,actions=output:2']);
    run(t, 'in_port=3,dl_src=00:00:00:00:02:01', { sideEffects: true, now: 20 });
    assert.deepEqual(t.rulesOf(20).map((r) => formatRule(r)), ['priority=1,dl_dst=00:00:00:00:02:01,hard_timeout=300,actions=output:3']);
    // The replacement restarted the hard timeout: still there at 20 + 300, gone after.
    assert.equal(t.expire(315).length, 0);
    assert.deepEqual(t.expire(320.5).map((e) => e.reason), ['hard_timeout']);
    assert.equal(t.rulesOf(20).length, 0);
  });

  it('expires idle timeouts counted from the last hit', () => {
    const t = tablesOf('idle_timeout=10,in_port=1,actions=output:2');
    run(t, 'in_port=1', { sideEffects: true, now: 5 });
    assert.equal(t.expire(14).length, 0);
    run(t, 'in_port=1', { sideEffects: true, now: 14 });
    assert.equal(t.expire(24).length, 0);
    assert.deepEqual(t.expire(24.5).map((e) => e.reason), ['idle_timeout']);
  });

  it('stops learning at limit= and says so in result_dst', () => {
    const t = tablesOf('table=0,actions=learn(table=1,limit=2,result_dst=reg0[0],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),resubmit(,2)');
    const bits = ['00:00:00:00:00:01', '00:00:00:00:00:02', '00:00:00:00:00:03', '00:00:00:00:00:01'].map((mac) => run(t, `in_port=1,dl_src=${mac}`, { sideEffects: true }).final.get(Slot.Reg0) & 1n);
    assert.deepEqual(bits, [1n, 1n, 0n, 1n], 'the third MAC is over the limit; relearning a known one is allowed');
    assert.equal(t.rulesOf(1).length, 2);
  });

  it('applies learn only with side effects', () => {
    const t = tablesOf('actions=learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])');
    const r = run(t, 'in_port=1,dl_src=00:00:00:00:00:01');
    assert.equal(r.learned.length, 1);
    assert.equal(t.rulesOf(1).length, 0);
  });
});

describe('bridge description', () => {
  it('reads JSON', () => {
    const b = parseBridgeJson('{"name":"br1","localVtep":"172.16.0.1","ports":[{"ofport":1,"name":"vm-side","type":"vm"},{"ofport":2,"name":"gre2","type":"gre","remote_ip":"172.16.0.2","key":"flow"}]}');
    assert.equal(b.ports[1].remoteIp, '172.16.0.2');
    assert.equal(b.ports[1].key, 'flow');
    assert.throws(() => parseBridgeJson('{"ports":[{"ofport":2,"name":"gre2","type":"gre"}]}'), /no remote_ip/);
  });

  it('reads ovs-vsctl show with ovs-ofctl show port numbers', () => {
    const text = `91c86ca8-1792-4fee-8ca9-f1f54f7f9f5a
    Bridge br1
        Port gre2
            Interface gre2
                type: gre
                options: {key=flow, local_ip="172.16.0.1", remote_ip="172.16.0.2"}
        Port p1
            Interface p1
        Port br1
            Interface br1
                type: internal
OFPT_FEATURES_REPLY (xid=0x2): dpid:00002a90e97e2848
 1(p1): addr:aa:55:aa:55:00:10
 2(gre2): addr:aa:55:aa:55:00:0f
 LOCAL(br1): addr:2a:90:e9:7e:28:48`;
    const b = parseVsctlShow(text);
    assert.equal(b.localVtep, '172.16.0.1');
    // In the assumed add order: the bridge's own port first, then by number.
    assert.deepEqual(b.ports.map((p) => [p.ofport, p.name, p.type]), [[65534, 'br1', 'internal'], [1, 'p1', 'vm'], [2, 'gre2', 'gre']]);
    assert.equal(b.addOrderAssumed, true);
    assert.throws(() => parseVsctlShow(text.split('OFPT')[0]), /'gre2' has no OpenFlow number/);
  });

  it('reads tag, trunks and vlan_mode as Open vSwitch resolves them', () => {
    const text = `    Bridge br0
        Port a
            tag: 10
            Interface a
        Port b
            trunks: [10, 20]
            Interface b
        Port c
            tag: 30
            trunks: [10]
            Interface c
        Port d
            tag: 30
            trunks: [0, 10]
            vlan_mode: native-untagged
            Interface d
 1(a): addr:aa:55:aa:55:00:10
 2(b): addr:aa:55:aa:55:00:11
 3(c): addr:aa:55:aa:55:00:12
 4(d): addr:aa:55:aa:55:00:13`;
    const vlans = parseVsctlShow(text).ports.map((p) => p.vlan);
    assert.deepEqual(vlans, [{ mode: 'access', tag: 10 }, { mode: 'trunk', trunks: [10, 20] }, { mode: 'access', tag: 30 }, { mode: 'native-untagged', tag: 30, trunks: [10, 30] }]);
    assert.throws(() => parseBridgeJson('{"ports":[{"ofport":1,"name":"a","tag":5000}]}'), /VLAN 5000 is not 0-4095/);
    assert.throws(() => parseBridgeJson('{"ports":[{"ofport":1,"name":"a","vlan_mode":"hybrid"}]}'), /vlan_mode 'hybrid'/);
  });
});

describe('NORMAL and FLOOD', () => {
  const bridge = parseBridgeJson(JSON.stringify({
    name: 'br0',
    ports: [
      { ofport: 65534, name: 'br0', type: 'internal' },
      { ofport: 7, name: 'p7', tag: 10 },
      { ofport: 3, name: 'p3' },
      { ofport: 12, name: 'p12', tag: 20 },
      { ofport: 1, name: 'p1', trunks: [10, 30] },
      { ofport: 2, name: 'p2', tag: 10 },
    ],
  }));
  const tables = tablesOf('priority=10,dl_dst=f0:00:00:00:00:01,actions=FLOOD\npriority=0,actions=NORMAL');
  const trace = (microflow: string) => translate({ tables, bridge, now: 0, sideEffects: false }, parseMicroflow(microflow)).outputs.map((o) => [o.port, o.vlan]);

  it('floods NORMAL in the order the ports were added, tagging per port (access untagged, trunks tagged)', () => {
    assert.deepEqual(trace('in_port=7,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff'), [[65534, 10], [3, 10], [1, 10], [2, null]]);
    assert.deepEqual(trace('in_port=3,dl_vlan=20,dl_vlan_pcp=5,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff'), [[65534, 20], [12, null]]);
  });

  it('drops a tagged frame on an access port and a VLAN a trunk does not carry', () => {
    assert.deepEqual(trace('in_port=7,dl_vlan=10,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff'), []);
    assert.deepEqual(trace('in_port=1,dl_vlan=20,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff'), []);
    assert.deepEqual(trace('in_port=1,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff'), []);
  });

  it('floods output:FLOOD in the order of the port hash table (hash_int of the port numbers)', () => {
    assert.deepEqual(hmapOrder([65534, 1, 2, 3, 4, 5, 6], (n) => ovsHashInt(n, 0)), [6, 4, 65534, 1, 5, 2, 3]);
    assert.deepEqual(trace('in_port=3,dl_src=00:00:00:00:00:01,dl_dst=f0:00:00:00:00:01').map(([p]) => p), hmapOrder([65534, 7, 3, 12, 1, 2], (n) => ovsHashInt(n, 0)).filter((p) => p !== 3));
  });
});

describe('select groups', () => {
  it('spreads 16 hash values over the buckets by weight (Sainte-Lague), as Open vSwitch does', () => {
    const table = dpHashTable([
      { id: 5, weight: 10, actions: [] },
      { id: 7, weight: 30, actions: [] },
      { id: 9, weight: 60, actions: [] },
    ])!;
    assert.deepEqual(table.map((b) => b.id), [9, 7, 9, 9, 5, 7, 9, 9, 7, 9, 9, 7, 9, 9, 5, 7]);
    assert.equal(dpHashTable([{ id: 0, weight: 1, actions: [] }, { id: 1, weight: 100, actions: [] }]), null, 'needs more than 64 values');
  });

  it('reads dump-groups buckets with ids and weights, and hash fields in Open vSwitch field order', () => {
    const g = parseGroupLine('group_id=2,type=select,selection_method=dp_hash,selection_method_param=4294971956,bucket=bucket_id:5,weight:10,actions=output:4,bucket=bucket_id:7,actions=output:5', 1);
    assert.deepEqual(g.buckets.map((b) => [b.id, b.weight]), [[5, 10], [7, 100]]);
    assert.equal(g.selectionMethodParam, 0x100001234n);
    const hashed = parseGroupLine('group_id=3,type=select,selection_method=hash,fields(tcp_dst,ip_src=255.255.0.0),bucket=output:1', 1);
    assert.deepEqual(hashed.hashFields, [{ index: 3, mask: 0xffff0000n }, { index: 9, mask: 0xffffn }]);
    assert.throws(() => parseGroupLine('group_id=3,type=select,selection_method=hash,fields(tun_id),bucket=output:1', 1), /field 'tun_id' is not emulated/);
    const tables = new FlowTables(parseFlowFile('in_port=1,actions=group:2'));
    tables.groups.set(2, g);
    const result = translate({ tables, now: 0, sideEffects: false }, parseMicroflow('in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.9.0.1,tcp_src=1000,tcp_dst=80'));
    assert.equal(result.outputs.length, 1);
    assert.ok([4, 5].includes(result.outputs[0].port as number));
  });
});
