// The translation of one packet, each expectation taken from a real Open vSwitch (ovs-vswitchd 3.x,
// dummy datapath, `ovs-appctl ofproto/trace`) on the same flows: datapath actions, the trace tree's
// table lines and notes, dec_ttl's exception, clone() and exit, output:TABLE, groups, special ports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBridgeJson } from '../../src/switch/bridge';
import { ConnectionTracker, ScriptedConntrack } from '../../src/switch/conntrack';
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_TRACKED, Slot } from '../../src/switch/fields';
import { parseFlowFile as flows } from '../../src/switch/flow-file';
import { parseFlowFile, parseGroupLine } from '../../src/switch/flow-file';
import { FlowTables } from '../../src/switch/flow-tables';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { TraceNode, translate, XlateEnv } from '../../src/switch/xlate';

const FLOWS = `table=0,in_port=1,actions=dec_ttl,output:2,output:3
table=0,in_port=2,actions=mod_vlan_pcp:5,output:3,push_vlan:0x8100,mod_vlan_vid:9,output:4,strip_vlan,output:5,strip_vlan,output:6
table=0,in_port=3,reg1=0,actions=load:1->NXM_NX_REG1[],output:4,resubmit(,2)
table=2,actions=output:TABLE,output:6
table=0,in_port=3,reg1=1,actions=output:5
table=0,in_port=4,actions=resubmit(,3),output:6
table=3,actions=clone(output:5,exit)
table=0,in_port=5,actions=group:2,group:3
table=0,in_port=6,actions=clone(mod_vlan_vid:7,output:4),output:5,group:1
table=0,in_port=7,cookie=0x1f,actions=load:0x3->NXM_NX_REG0[0..3],output:NXM_NX_REG0[0..3],goto_table:4
table=4,actions=output:in_port,output:7,controller,output:8`;
const GROUPS = [
  'group_id=1,type=all,bucket=output:1,bucket=mod_vlan_vid:3,output:2',
  'group_id=2,type=indirect,bucket=output:6',
  'group_id=3,type=ff,bucket=watch_port:4,output:4,bucket=watch_port:6,output:6',
];
/** br0 with ports 1-7 (dummy interfaces), as the Open vSwitch the expectations come from. */
const BRIDGE = parseBridgeJson(JSON.stringify({ name: 'br0', ports: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ ofport: n, name: `p${n}` })) }));

function tables(): FlowTables {
  const t = new FlowTables(parseFlowFile(FLOWS));
  for (const line of GROUPS) {
    const g = parseGroupLine(line, 1);
    t.groups.set(g.id, g);
  }
  return t;
}

function trace(microflow: string, env: Partial<XlateEnv> = {}) {
  return translate({ tables: tables(), bridge: BRIDGE, now: 0, sideEffects: false, ...env }, parseMicroflow(microflow));
}

/** The trace tree as indented lines `[kind] text`. */
function lines(nodes: TraceNode[], indent = ''): string[] {
  return nodes.flatMap((n) => [`${indent}[${n.kind}] ${n.text}`, ...lines(n.subs, `${indent}  `)]);
}

describe('datapath actions as Open vSwitch computes them', () => {
  it('dec_ttl: decrements an IP TTL, raises the exception at TTL 1 (nothing after it runs), ignores non-IP', () => {
    assert.deepEqual(trace('in_port=1,ip,nw_ttl=5').datapath, ['2', '3']);
    const low = trace('in_port=1,ip,nw_ttl=1');
    assert.deepEqual([low.datapath, low.outputs, low.error], [['drop'], [], null]);
    assert.deepEqual(lines(low.trace), ['[table]  0. in_port=1, priority 32768', '  [action] dec_ttl', '  [warn] IPv4 decrement TTL exception']);
    assert.match(lines(trace('in_port=1,ipv6,nw_ttl=1').trace).join('\n'), /IPv6 decrement TTL exception/);
    assert.deepEqual(trace('in_port=1,arp').datapath, ['2', '3']);
  });

  it('VLAN priority, push, VID and pops: push_vlan(vid=0,pcp=5),3,push_vlan(vid=9,pcp=0),4,pop_vlan,5,pop_vlan,6', () => {
    const r = trace('in_port=2');
    assert.deepEqual(r.datapath, ['push_vlan(vid=0,pcp=5)', '3', 'push_vlan(vid=9,pcp=0)', '4', 'pop_vlan', '5', 'pop_vlan', '6']);
    assert.deepEqual(r.outputs.map((o) => [o.port, o.vlan]), [[3, 0], [4, 9], [5, 0], [6, null]]);
  });

  it('output:TABLE runs the packet through table 0 again, with what the actions changed (4,5,6)', () => {
    const r = trace('in_port=3');
    assert.deepEqual(r.datapath, ['4', '5', '6']);
    assert.deepEqual(lines(r.trace), [
      '[table]  0. reg1=0,in_port=3, priority 32768',
      '  [action] load:0x1->NXM_NX_REG1[]',
      '  [action] output:4',
      '  [action] resubmit(,2)',
      '  [table]  2. priority 32768',
      '    [action] TABLE',
      '    [table]  0. reg1=0x1,in_port=3, priority 32768',
      '      [action] output:5',
      '    [action] output:6',
    ]);
  });

  it('exit inside clone() ends the whole translation, through the resubmit (5)', () => {
    assert.deepEqual(trace('in_port=4').datapath, ['5']);
  });

  it('clone() restores the packet afterwards; indirect and fast-failover groups use one bucket, all groups every one', () => {
    assert.deepEqual(trace('in_port=6').datapath, ['push_vlan(vid=7,pcp=0)', '4', 'pop_vlan', '5', '1', 'push_vlan(vid=3,pcp=0)', '2']);
    const g = trace('in_port=5');
    assert.deepEqual(g.datapath, ['6', '4']);
    assert.deepEqual(lines(g.trace), [
      '[table]  0. in_port=5, priority 32768',
      '  [action] group:2',
      '  [detail] bucket 0',
      '  [action] output:6',
      '  [action] group:3',
      '  [detail] bucket 0',
      '  [action] output:4',
    ]);
  });

  it('output to a register, IN_PORT, the input port, the controller and a port the bridge lacks (3,7)', () => {
    const r = trace('in_port=7');
    assert.deepEqual(r.datapath, ['3', '7']);
    assert.deepEqual(lines(r.trace), [
      '[table]  0. in_port=7, priority 32768, cookie 0x1f',
      '  [action] load:0x3->NXM_NX_REG0[0..3]',
      '  [action] output:NXM_NX_REG0[0..3]',
      '  [action] goto_table:4',
      '  [table]  4. priority 32768',
      '    [action] IN_PORT',
      '    [action] output:7',
      '    [warn] skipping output to input port',
      '    [action] CONTROLLER:65535',
      '    [detail] no controller connected: packet-in not sent',
      '    [action] output:8',
      '    [warn] Nonexistent output port 8',
    ]);
    assert.deepEqual(trace('in_port=7', { bridge: undefined }).datapath, ['3', '7', '8'], 'without a port description every port exists');
  });

  it('a missing group fails the translation and drops the packet', () => {
    const t = new FlowTables(parseFlowFile('in_port=1,actions=output:2,group:9'));
    const r = translate({ tables: t, bridge: BRIDGE, now: 0, sideEffects: false }, parseMicroflow('in_port=1'));
    assert.deepEqual([r.error, r.outputs, r.datapath, r.drop], ['Group missing', [], ['drop'], true]);
    assert.match(lines(r.trace).join('\n'), /group 9 does not exist in br0/);
  });

  it('builds no explanation when none is asked for, with the same result', () => {
    const r = trace('in_port=7', { explain: false });
    assert.deepEqual([r.trace, r.datapath], [[], ['3', '7']]);
  });
});

const CT_FLOWS = `table=0,priority=10,ip,actions=load:0x7->NXM_NX_REG6[],ct(table=1,zone=NXM_NX_REG6[0..15])
table=1,ct_state=+trk+new,ct_zone=7,ip,actions=ct(commit,zone=7,exec(load:0x1->NXM_NX_CT_MARK[])),output:3
table=1,ct_state=+trk+est,ip,actions=output:4
table=1,ct_state=+trk+inv,ip,actions=ct(table=2,zone=9)
table=2,ct_state=+trk,ct_zone=9,actions=output:5`;

describe('ct() and recirculation as ofproto/trace --ct-next shows them', () => {
  const run = (states: bigint[]) => translate({ tables: new FlowTables(flows(CT_FLOWS)), now: 0, sideEffects: false, conntrack: new ScriptedConntrack(states) }, parseMicroflow('in_port=1,ip'));

  it('new: the tracked copy resumes at table 1 in the zone read from reg6 and commits (3)', () => {
    const r = run([CS_TRACKED | CS_NEW]);
    assert.deepEqual(r.datapath, ['3']);
    assert.deepEqual(lines(r.trace), [
      '[table]  0. ip, priority 10',
      '  [action] load:0x7->NXM_NX_REG6[]',
      '  [action] ct(table=1,zone=NXM_NX_REG6[0..15])',
      '  [detail] A clone of the packet is forked to recirculate. The forked pipeline will be resumed at table 1.',
      '  [detail] Sets the packet to an untracked state, and clears all the conntrack fields.',
      '[recirc] recirc(0x1) - resume conntrack with ct_state=new|trk',
      '  [bridge] br0',
      '  [detail] Resuming from table 1',
      '  [table]  1. ct_state=+new+trk,ct_zone=7,ip, priority 32768',
      '    [action] ct(commit,zone=7,exec(load:0x1->NXM_NX_CT_MARK[]))',
      '    [detail] Sets the packet to an untracked state, and clears all the conntrack fields.',
      '    [action] output:3',
    ]);
    assert.deepEqual([r.final.get(Slot.CtState), r.final.get(Slot.CtZone), r.final.get(Slot.Reg0 + 6)], [0n, 0n, 7n], 'after ct() the packet is untracked');
  });

  it('est (4); inv recirculates again, the next with the default trk|new (5)', () => {
    assert.deepEqual(run([CS_TRACKED | CS_ESTABLISHED]).datapath, ['4']);
    const r = run([CS_TRACKED | CS_INVALID]);
    assert.deepEqual(r.datapath, ['5']);
    assert.deepEqual(r.steps.map((s) => [s.table, s.priority]), [[0, 10], [1, 32768], [2, 32768]]);
    assert.ok(lines(r.trace).includes('[recirc] recirc(0x2) - resume conntrack with ct_state=new|trk'));
  });

  it('a recirculation loop stops with an error instead of running forever', () => {
    const t = new FlowTables(flows('table=0,ip,actions=ct(table=0)'));
    const r = translate({ tables: t, now: 0, sideEffects: false }, parseMicroflow('in_port=1,ip'));
    assert.deepEqual([r.error, r.datapath], ['Too many recirculations', ['drop']]);
  });

  it('with a connection tracker: the recirculated copy carries the nat rewrite and the mark exec() set', () => {
    const t = new FlowTables(flows(`table=0,priority=10,ct_state=-trk,udp,actions=ct(commit,table=1,zone=4,nat(src=10.1.1.1:4000),exec(set_field:0x5->ct_mark))
table=1,ct_state=+trk,ct_mark=0x5,udp,nw_src=10.1.1.1,udp_src=4000,actions=output:2
table=1,priority=0,actions=output:9`));
    const conntrack = new ConnectionTracker();
    conntrack.beginPacket();
    const r = translate({ tables: t, now: 0, sideEffects: false, conntrack }, parseMicroflow('in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=5000,udp_dst=53'));
    assert.deepEqual(r.datapath, ['2']);
    assert.ok(lines(r.trace).includes('  [detail] nat: source 10.1.1.1 port 4000'), lines(r.trace).join('\n'));
  });
});

describe('NORMAL as Open vSwitch 3.1 does it (bridge br0: LOCAL, then ports 1-7)', () => {
  const bridge = parseBridgeJson(JSON.stringify({ name: 'br0', ports: [{ ofport: 65534, name: 'br0', type: 'internal' }, ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ ofport: n, name: `p${n}` }))] }));
  const normal = () => new FlowTables(flows('actions=NORMAL'));
  const ALL_BUT_1 = [65534, 2, 3, 4, 5, 6, 7];

  it('never forwards reserved addresses; floods the others of the same ranges', () => {
    const t = normal();
    const out = (dst: string) => translate({ tables: t, bridge, now: 0, sideEffects: false }, parseMicroflow(`in_port=1,dl_src=00:00:00:00:00:01,dl_dst=${dst}`)).outputs.map((o) => o.port);
    for (const dst of ['01:80:c2:00:00:00', '01:80:c2:00:00:0e', '01:80:c2:00:00:0f', '00:e0:2b:00:00:00', '00:e0:2b:00:00:04', '00:e0:2b:00:00:06', '01:00:0c:00:00:00', '01:00:0c:cc:cc:cc', '01:00:0c:cc:cc:cd', '01:00:0c:cd:cd:cd', '01:00:0c:cc:cc:c0', '01:00:0c:cc:cc:c7']) {
      assert.deepEqual(out(dst), [], dst);
    }
    for (const dst of ['01:80:c2:00:00:10', '01:80:c2:00:00:1f', '01:80:c2:00:00:21', '01:80:c2:00:00:2f', '01:80:c2:00:00:30', '00:e0:2b:00:00:05', '01:00:0c:cc:cc:ce', '01:00:0c:cc:cc:c8']) {
      assert.deepEqual(out(dst), ALL_BUT_1, dst);
    }
  });

  it('learns the source (with side effects), forwards to the learned port, drops when it is the input port, drops from an unknown port', () => {
    const t = normal();
    const macTable = new Map<string, number>();
    const go = (flow: string, sideEffects = true) => translate({ tables: t, bridge, now: 0, sideEffects, macTable }, parseMicroflow(flow));
    const first = go('in_port=2,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01');
    assert.deepEqual(first.outputs.map((o) => o.port), [65534, 1, 3, 4, 5, 6, 7]);
    assert.ok(lines(first.trace).includes('  [detail] learned that 00:00:00:00:00:02 is on port 2 in VLAN 0'));
    assert.ok(lines(first.trace).includes('  [detail] no learned MAC for destination, flooding'));
    const back = go('in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02');
    assert.deepEqual(back.outputs.map((o) => o.port), [2]);
    assert.ok(lines(back.trace).includes('  [detail] forwarding to learned port 2'));
    const same = go('in_port=2,dl_src=00:00:00:00:00:03,dl_dst=00:00:00:00:00:02');
    assert.deepEqual([same.outputs, same.datapath], [[], ['drop']]);
    assert.ok(lines(same.trace).includes('  [detail] learned port is input port, dropping'));
    const stranger = go('in_port=9,dl_src=00:00:00:00:00:03,dl_dst=00:00:00:00:00:02');
    assert.deepEqual(stranger.outputs, []);
    assert.ok(lines(stranger.trace).includes('  [detail] no input bundle for port 9, dropping'));
    // Without side effects nothing is learned; a multicast source is never learned.
    go('in_port=3,dl_src=00:00:00:00:00:09,dl_dst=00:00:00:00:00:01', false);
    go('in_port=3,dl_src=01:00:00:00:00:09,dl_dst=00:00:00:00:00:01');
    assert.deepEqual([...macTable.keys()].sort(), ['0|1', '0|2', '0|3']);
    assert.deepEqual(go('in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:09').outputs.length, 7);
  });
});
