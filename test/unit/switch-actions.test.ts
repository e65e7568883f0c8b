// Action syntax (ovs-actions(7)) and how it is printed back: every pair below is an action as written
// to `ovs-ofctl add-flow` and as `ovs-ofctl dump-flows` (OpenFlow 1.0 + NXM, Open vSwitch 3.x) printed
// it. Known differences, not emulated: enqueue, set_queue, pop_queue and fin_timeout are kept out of
// the printed list; ct's nat inside exec(...) is printed after it; a bare ct prints as ct where OVS prints ct(); a note is not padded to 6 bytes; controller(...) prints as CONTROLLER:...; set_field/write_metadata print as set_field where OVS 1.0 prints mod_dl_src/load;
// a learn match on dl_type prints dl_type= where OVS prints eth_type=.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAction, formatActions, parseActions } from '../../src/switch/actions';
import { SyntaxProblem } from '../../src/switch/values';

const AS_OVS_PRINTS: [string, string][] = [
  [`output:3`, `output:3`],
  [`5`, `output:5`],
  [`resubmit:4`, `resubmit:4`],
  [`resubmit(,7)`, `resubmit(,7)`],
  [`resubmit(4,7)`, `resubmit(4,7)`],
  [`mod_vlan_vid:4095`, `mod_vlan_vid:4095`],
  [`mod_vlan_pcp:7`, `mod_vlan_pcp:7`],
  [`strip_vlan`, `strip_vlan`],
  [`set_tunnel:0x1f`, `set_tunnel:0x1f`],
  [`set_tunnel64:0x1f`, `set_tunnel64:0x1f`],
  [`set_tunnel:0x100000000`, `set_tunnel64:0x100000000`],
  [`load:0x5->NXM_NX_REG1[0..7]`, `load:0x5->NXM_NX_REG1[0..7]`],
  [`move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31]`, `move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31]`],
  [`mod_dl_src:00:00:00:00:00:01`, `mod_dl_src:00:00:00:00:00:01`],
  [`mod_nw_dst:10.1.2.3`, `mod_nw_dst:10.1.2.3`],
  [`mod_tp_dst:8080`, `mod_tp_dst:8080`],
  [`mod_nw_tos:16`, `mod_nw_tos:16`],
  [`dec_ttl`, `dec_ttl`],
  [`controller`, `CONTROLLER:65535`],
  [`controller:100`, `CONTROLLER:100`],
  [`exit`, `exit`],
  [`conjunction(3,1/2)`, `conjunction(3,1/2)`],
  [`ct(nat)`, `ct(nat)`],
  [`ct_clear`, `ct_clear`],
  [`clone(output:1,mod_vlan_vid:3)`, `clone(output:1,mod_vlan_vid:3)`],
  [`group:7`, `group:7`],
  [`output:NXM_NX_REG0[0..15]`, `output:NXM_NX_REG0[0..15]`],
  [`in_port`, `IN_PORT`],
  [`normal`, `NORMAL`],
  [`flood`, `FLOOD`],
  [`all`, `ALL`],
  [`local`, `LOCAL`],
  [`drop`, `drop`],
  [
    'learn(table=10,idle_timeout=5,hard_timeout=300,fin_idle_timeout=2,fin_hard_timeout=4,priority=7,send_flow_rem,cookie=0x9,limit=4,result_dst=NXM_NX_REG0[1],NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],load:0x3->NXM_NX_REG2[0..3],output:NXM_OF_IN_PORT[])',
    'learn(table=10,idle_timeout=5,hard_timeout=300,fin_idle_timeout=2,fin_hard_timeout=4,priority=7,send_flow_rem,cookie=0x9,limit=4,result_dst=NXM_NX_REG0[1],NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],load:0x3->NXM_NX_REG2[0..3],output:NXM_OF_IN_PORT[])',
  ],
  ['learn(table=1)', 'learn(table=1)'],
  ['learn(delete_learned,NXM_NX_REG0[0..3]=0x5)', 'learn(table=1,delete_learned,NXM_NX_REG0[0..3]=0x5)'],
  ['ct(commit,table=5,zone=9,exec(load:0x1->NXM_NX_CT_MARK[]),alg=ftp)', 'ct(commit,table=5,zone=9,exec(load:0x1->NXM_NX_CT_MARK[]),alg=ftp)'],
  ['ct(commit,zone=NXM_NX_REG6[0..15])', 'ct(commit,zone=NXM_NX_REG6[0..15])'],
  ['output:65534', 'LOCAL'],
  ['output:65533', 'CONTROLLER:65535'],
  ['OUTPUT:3', 'output:3'],
  ['Resubmit(,4)', 'resubmit(,4)'],
  ['load:0x1->NXM_NX_REG0[]', 'load:0x1->NXM_NX_REG0[]'],
  ['ct(commit,zone=0)', 'ct(commit)'],
  ['learn(table=3,NXM_NX_REG0[0..3]=NXM_NX_REG1[4..7],NXM_OF_ETH_DST[])', 'learn(table=3,NXM_NX_REG0[0..3]=NXM_NX_REG1[4..7],NXM_OF_ETH_DST[])'],
  ['move:NXM_NX_REG0[]->NXM_NX_REG1[]', 'move:NXM_NX_REG0[]->NXM_NX_REG1[]'],
];

describe('actions printed as ovs-ofctl dump-flows prints them', () => {
  for (const [written, printed] of AS_OVS_PRINTS) {
    it(written, () => assert.equal(formatActions(parseActions(written)), printed));
  }

  it('a list, and an empty list as drop', () => {
    assert.equal(formatActions(parseActions('mod_vlan_vid:3,output:1,resubmit(,4)')), 'mod_vlan_vid:3,output:1,resubmit(,4)');
    assert.equal(formatActions([]), 'drop');
    assert.equal(formatAction({ kind: 'output', port: 7 }), 'output:7');
  });
});

describe('action syntax errors name the problem', () => {
  const cases: [string, RegExp][] = [
    ['output', /output needs an argument/],
    ['output: ', /output needs an argument/],
    ['resubmit(1,2,3)', /expected resubmit\(PORT,TABLE\)/],
    ['resubmit(,)', /resubmit needs a port or a table/],
    ['resubmit(,255)', /254/],
    ['goto_table:255', /254/],
    ['mod_vlan_vid:4096', /4095/],
    ['mod_vlan_pcp:8', /7/],
    ['push_vlan:0x0800', /push_vlan: ethertype 0x0800 is not 0x8100 or 0x88a8/],
    ['set_tunnel:0x10000000000000000', /does not fit in 64 bits/],
    ['set_field:1', /expected SOURCE->DESTINATION/],
    ['set_field:1->nosuch', /set_field: unknown field 'nosuch'/],
    ['load:0x100->NXM_NX_REG0[0..7]', /load:0x100 does not fit in NXM_NX_REG0\[0..7\] \(8 bits\)/],
    ['move:NXM_NX_REG0[0..7]->NXM_NX_REG1[0..15]', /move: NXM_NX_REG0\[0..7\] is 8 bits but NXM_NX_REG1\[0..15\] is 16/],
    ['learn:x', /learn needs its arguments in parentheses/],
    ['clone:x', /clone needs its actions in parentheses/],
    ['conjunction(1)', /expected conjunction\(ID,K\/N\)/],
    ['conjunction(1,3/2)', /clause K must be 1..N and N 1..64/],
    ['conjunction(1,0/2)', /clause K must be 1..N/],
    ['conjunction(1,1/65)', /N 1..64/],
    ['conjunction(1,1/0)', /N 1..64/],
    ['ct(bogus)', /ct: 'bogus' is not emulated/],
    ['ct(zone=1,+)', /ct: cannot read '\+'/],
    ['ct(zone=65536)', /65535/],
    ['ct(commit,exec(output:1))', /exec may only set ct_mark or ct_label/],
    ['ct(commit,exec(set_field:1->reg0))', /exec may only set ct_mark or ct_label/],
    ['learn(result_dst=NXM_NX_REG0[0..1])', /must be one bit/],
    ['learn(load:NXM_NX_REG0[0..3]->NXM_NX_REG1[0..7])', /learn load: NXM_NX_REG0\[0..3\] is 4 bits but NXM_NX_REG1\[0..7\] is 8/],
    ['learn(NXM_NX_REG0[0..3]=NXM_NX_REG1[0..7])', /learn: NXM_NX_REG1\[0..7\] is 8 bits but NXM_NX_REG0\[0..3\] is 4/],
    ['learn(tcp)', /use dl_type=\/nw_proto= fields rather than 'tcp'/],
    ['learn(priority=65536)', /65535/],
    ['learn(table=255)', /254/],
    ['1x', /cannot read action '1x'|not emulated/],
    ['fly(1)', /action 'fly' is not emulated/],
    ['mod_dl_src:zz', /./],
  ];
  for (const [text, problem] of cases) {
    it(text, () => assert.throws(() => parseActions(text), (e: unknown) => e instanceof SyntaxProblem && problem.test(e.message)));
  }

  it('reads what it takes: names, parenthesised ct, exec set_field to ct_label, limit, cookie', () => {
    const [ct] = parseActions('ct(commit,exec(set_field:0x1/0x1->ct_label),nat(dst=10.0.0.1))');
    assert.ok(ct.kind === 'ct' && ct.commit && ct.exec.length === 1 && ct.exec[0].kind === 'set_field' && ct.exec[0].field.name === 'ct_label');
    assert.ok(ct.kind === 'ct' && ct.nat !== null && ct.nat !== 'restore' && ct.nat.kind === 'dst' && ct.nat.minAddr === 0x0a000001n);
    const [learn] = parseActions('learn(table=2,limit=4294967295,cookie=0x10,NXM_NX_REG0[]=0x5)');
    assert.equal(formatAction(learn), 'learn(table=2,cookie=0x10,limit=4294967295,reg0=0x5)');
    assert.deepEqual(parseActions('pop_queue,set_queue:1,fin_timeout(idle_timeout=1),drop'), []);
    assert.deepEqual(parseActions('"p1"', (name) => (name === 'p1' ? 9 : undefined)), [{ kind: 'output', port: 9 }]);
    assert.deepEqual(parseActions('p1', (name) => (name === 'p1' ? 9 : undefined)), [{ kind: 'output', port: 9 }]);
    assert.deepEqual(parseActions('enqueue(2,1)'), [{ kind: 'output', port: 2 }]);
    assert.deepEqual(parseActions('0x10'), [{ kind: 'output', port: 16 }]);
  });
});

describe('what is printed reads back as the same actions', () => {
  const ROUND_TRIP = [
    'ct(commit,force,table=5,zone=9,exec(set_field:0x1->ct_mark),alg=ftp,nat(src=10.0.0.1-10.0.0.9:100-200,random))',
    'ct(zone=NXM_NX_REG6[0..15],nat(dst=[2001:db8::1]:80))',
    'ct',
    'ct(nat)',
    'ct(commit,exec(set_field:0x1/0x1->ct_label,load:0x2->NXM_NX_CT_MARK[0..3]))',
    'push_vlan:0x88a8,push_vlan:0x8100',
    'pop_vlan,strip_vlan',
    'set_field:00:11:22:33:44:55->eth_src,set_field:10.0.0.1->ip_dst,set_field:0x5/0xf->reg3,set_field:5->reg1',
    'write_metadata:0x5/0xff',
    'note:01.02,note:aa',
    'mod_nw_src:1.2.3.4,mod_dl_dst:00:00:00:00:00:02,mod_tp_src:7,mod_nw_ecn:2,mod_nw_ttl:9',
    'controller:7',
    'resubmit(,4),resubmit:3,resubmit(2,4)',
    'learn(table=2,delete_learned,send_flow_rem,NXM_NX_REG0[0..3]=0x5,reg1=0x7,load:0x3->NXM_NX_REG2[0..3])',
    'set_tunnel:0xffffffff,set_tunnel:0x100000000,set_tunnel64:0x5',
    'clone(ct_clear,exit)',
  ];
  for (const text of ROUND_TRIP) {
    it(text, () => {
      const actions = parseActions(text);
      assert.deepEqual(parseActions(formatActions(actions)), actions);
    });
  }

  it('keeps what a bare ct, a full-width set_field and a 32-bit tunnel id mean', () => {
    const [ct] = parseActions('ct');
    assert.deepEqual(ct, { kind: 'ct', commit: false, force: false, table: null, zone: { value: 0 }, nat: null, exec: [], alg: null });
    const [wide, narrow] = parseActions('set_tunnel:0x100000000,set_tunnel:0xffffffff');
    assert.deepEqual([wide.kind === 'set_tunnel' && wide.wide, narrow.kind === 'set_tunnel' && narrow.wide], [true, false]);
    assert.equal(formatActions(parseActions('set_field:0xf/0xf->reg3')), 'set_field:0xf/0xf->reg3');
    assert.equal(formatActions(parseActions('set_field:0xf->reg3')), 'set_field:0xf->reg3');
    assert.equal(formatActions(parseActions('push_vlan:0x88a8')), 'push_vlan:0x88a8');
    assert.equal(formatActions(parseActions('note:aa')), 'note:aa');
  });
});
