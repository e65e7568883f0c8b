// The flow tables' classifier rules, each expectation checked against a real Open vSwitch
// (ovs-vswitchd 3.x, dummy datapath, ofproto/trace): conjunctive matches, subtable ties after a
// subtable is emptied and made again, timeouts at their exact boundary, replacement and listing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFlowFile } from '../../src/switch/flow-file';
import { FlowTables, formatRule } from '../../src/switch/flow-tables';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { translate } from '../../src/switch/xlate';

function tablesOf(text: string, now = 0): FlowTables {
  return new FlowTables(parseFlowFile(text), now);
}

function ports(tables: FlowTables, microflow: string, now = 0): (number | string)[] {
  return translate({ tables, now, sideEffects: false }, parseMicroflow(microflow)).outputs.map((o) => o.port);
}

const CONJUNCTION = `table=0,priority=10,ip,nw_src=10.0.0.1,actions=conjunction(1,1/2)
table=0,priority=10,ip,nw_src=10.0.0.2,actions=conjunction(1,1/2)
table=0,priority=10,tcp,tp_dst=80,actions=conjunction(1,2/2)
table=0,priority=10,conj_id=1,ip,actions=output:3
table=0,priority=5,ip,actions=output:4
table=0,priority=20,ip,nw_dst=10.9.9.9,actions=output:5`;

describe('conjunctive match (OVS: conj_id flow wins when every clause matches above the best ordinary flow)', () => {
  it('matches when one flow of each clause matches, and falls back to the ordinary flow otherwise', () => {
    const t = tablesOf(CONJUNCTION);
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80'), [3]);
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.2,tp_dst=80'), [3]);
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.3,tp_dst=80'), [4], 'clause 1 missing');
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.1,tp_dst=81'), [4], 'clause 2 missing');
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.9.9.9,tp_dst=80'), [5], 'a higher ordinary flow wins');
    // The conj_id value is only set for the repeated lookup: the packet carries none afterwards.
    const r = translate({ tables: t, now: 0, sideEffects: false }, parseMicroflow('in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80'));
    assert.equal(r.steps[0].match, 'conj_id=1,ip');
    assert.equal(r.steps[0].priority, 10);
  });

  it('a conjunction flow alone never matches (its actions are not run)', () => {
    const t = tablesOf('table=0,priority=10,ip,actions=conjunction(2,1/1)\ntable=0,priority=1,actions=output:6');
    assert.deepEqual(ports(t, 'in_port=1,ip'), [6], 'no conj_id=2 flow: the ordinary one');
    const u = tablesOf('table=0,priority=10,ip,actions=conjunction(2,1/1)\ntable=0,priority=10,conj_id=2,actions=output:7\ntable=0,priority=1,actions=output:6');
    assert.deepEqual(ports(u, 'in_port=1,ip'), [7], 'one clause of one');
    assert.deepEqual(ports(u, 'in_port=1,arp'), [6]);
  });

  it('with no ordinary flow matching, the conjunction alone decides; a miss stays a miss', () => {
    const t = tablesOf('table=0,priority=10,ip,actions=conjunction(4,1/2)\ntable=0,priority=10,tcp,actions=conjunction(4,2/2)\ntable=0,priority=10,conj_id=4,actions=output:2');
    assert.deepEqual(ports(t, 'in_port=1,tcp'), [2]);
    assert.deepEqual(ports(t, 'in_port=1,udp'), []);
    assert.equal(t.lookup(0, parseMicroflow('in_port=1,arp')), null);
  });

  it('still finds conjunctions after an ordinary flow of the table expired', () => {
    const t = tablesOf(`${CONJUNCTION}\ntable=0,priority=1,hard_timeout=5,arp,actions=output:1`);
    assert.equal(t.expire(6).length, 1);
    assert.deepEqual(ports(t, 'in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80'), [3]);
    // And after the conjunction flows expire, conj_id flows are ordinary ones again (never matched without conj_id).
    const u = tablesOf('table=0,priority=10,hard_timeout=5,ip,actions=conjunction(1,1/1)\ntable=0,priority=10,conj_id=1,actions=output:3\ntable=0,priority=1,actions=output:4');
    assert.deepEqual(ports(u, 'in_port=1,ip'), [3]);
    assert.equal(u.expire(6).length, 1);
    assert.deepEqual(ports(u, 'in_port=1,ip'), [4]);
  });
});

describe('subtable order on a priority tie', () => {
  it('a subtable emptied and made again comes after the others (OVS: output 3, then 2 after delete and re-add)', () => {
    const t = tablesOf('priority=1,dl_vlan=1,hard_timeout=5,actions=output:3\npriority=1,in_port=1,actions=output:2');
    assert.deepEqual(ports(t, 'in_port=1,dl_vlan=1'), [3]);
    assert.deepEqual(t.expire(6).map((e) => formatRule(e.rule)), ['priority=1,dl_vlan=1,hard_timeout=5,actions=output:3']);
    assert.equal(t.add(parseFlowFile('priority=1,dl_vlan=1,actions=output:3')[0], 6), false);
    assert.deepEqual(ports(t, 'in_port=1,dl_vlan=1'), [2]);
  });

  it('a subtable whose highest priority is higher is visited first, even if made later (OVS: output 3)', () => {
    const t = tablesOf('priority=1,in_port=1,actions=output:2\npriority=1,dl_vlan=1,actions=output:3\npriority=5,dl_vlan=2,actions=output:4');
    assert.deepEqual(ports(t, 'in_port=1,dl_vlan=1'), [3]);
    // Three-way tie: the winner stays the one ranked best, whatever order the rules are met in.
    const u = tablesOf('priority=1,in_port=1,actions=output:2\npriority=1,dl_vlan=1,actions=output:3\npriority=1,dl_src=00:00:00:00:00:01,actions=output:4\npriority=5,dl_vlan=2,actions=output:5');
    assert.deepEqual(ports(u, 'in_port=1,dl_vlan=1,dl_src=00:00:00:00:00:01'), [3]);
  });

  it('a subtable is made again only once its last rule is gone', () => {
    const t = tablesOf('priority=1,dl_vlan=1,hard_timeout=5,actions=output:3\npriority=1,dl_vlan=2,hard_timeout=5,actions=output:5\npriority=1,in_port=1,actions=output:2');
    assert.equal(t.expire(6).length, 2);
    t.add(parseFlowFile('priority=1,dl_vlan=1,actions=output:3')[0], 6);
    assert.deepEqual(ports(t, 'in_port=1,dl_vlan=1'), [2]);
  });

  it('removing one rule of a subtable keeps the subtable in its place', () => {
    const t = tablesOf('priority=1,dl_vlan=1,actions=output:3\npriority=1,dl_vlan=2,hard_timeout=5,actions=output:5\npriority=1,in_port=1,actions=output:2');
    assert.equal(t.expire(6).length, 1);
    assert.deepEqual(ports(t, 'in_port=1,dl_vlan=1'), [3]);
  });
});

describe('timeouts (OVS expires a flow when now > modified + hard_timeout, or now > used + idle_timeout)', () => {
  it('keeps a flow at its exact hard timeout and removes it just after; hard is reported before idle', () => {
    const t = tablesOf('priority=1,in_port=1,hard_timeout=10,actions=output:2\npriority=1,in_port=2,idle_timeout=10,hard_timeout=10,actions=output:1\npriority=1,in_port=3,idle_timeout=4,actions=output:1', 100);
    assert.deepEqual(t.expire(104).map((e) => e.reason), []);
    assert.deepEqual(t.expire(104.5).map((e) => [formatRule(e.rule), e.reason]), [['priority=1,in_port=3,idle_timeout=4,actions=output:1', 'idle_timeout']]);
    assert.deepEqual(t.expire(110).length, 0);
    assert.deepEqual(
      t.expire(111).map((e) => [e.rule.line, e.reason]),
      [[1, 'hard_timeout'], [2, 'hard_timeout']],
      'in the order the flows were added',
    );
    assert.deepEqual(t.tableIds(), [0]);
    assert.deepEqual(t.rulesOf(0), []);
  });

  it('counts hits and keeps idle flows alive from the last hit', () => {
    const t = tablesOf('priority=1,in_port=1,idle_timeout=10,actions=output:2');
    const [rule] = t.rulesOf(0);
    t.touch(rule, 8);
    t.touch(rule, 9);
    assert.equal(rule.packets, 2);
    assert.equal(rule.usedAt, 9);
    assert.equal(t.expire(19).length, 0);
    assert.equal(t.expire(19.1).length, 1);
  });
});

describe('adding, replacing and listing flows', () => {
  it('replaces a flow with the same match and priority in place; other priorities are new flows', () => {
    const t = tablesOf('table=3,priority=5,in_port=1,actions=output:2\ntable=3,priority=7,in_port=2,actions=output:1\ntable=1,priority=5,in_port=1,actions=drop');
    assert.equal(t.add(parseFlowFile('table=3,priority=5,in_port=1,idle_timeout=9,actions=output:4')[0], 1), true);
    assert.equal(t.add(parseFlowFile('table=3,priority=6,in_port=1,actions=output:5')[0], 1), false);
    assert.deepEqual(t.rulesOf(3).map((r) => formatRule(r, true)), [
      'table=3,priority=7,in_port=2,actions=output:1',
      'table=3,priority=6,in_port=1,actions=output:5',
      'table=3,priority=5,in_port=1,idle_timeout=9,actions=output:4',
    ]);
    assert.deepEqual(t.tableIds(), [1, 3]);
    assert.deepEqual(t.rulesOf(2), []);
    assert.equal(t.lookup(2, parseMicroflow('in_port=1')), null);
    assert.equal(t.lookup(3, parseMicroflow('in_port=1'))?.priority, 6);
  });

  it('lists equal priorities in the order they were added, a replaced flow keeping its place', () => {
    const t = tablesOf('priority=5,in_port=1,actions=output:2\npriority=5,in_port=2,actions=output:1\npriority=5,in_port=3,actions=output:1');
    t.add(parseFlowFile('priority=5,in_port=1,actions=output:3')[0], 0);
    assert.deepEqual(t.rulesOf(0).map((r) => formatRule(r)), ['priority=5,in_port=1,actions=output:3', 'priority=5,in_port=2,actions=output:1', 'priority=5,in_port=3,actions=output:1']);
  });

  it('counts the flows one learn action made, and whether this one is among them', () => {
    const t = tablesOf('actions=drop');
    const [a, b] = parseFlowFile('table=4,priority=1,in_port=1,actions=drop\ntable=4,priority=1,in_port=2,actions=drop');
    const learner = {};
    assert.deepEqual(t.learnedCount(4, learner, a), { count: 0, present: false });
    t.add({ ...a, learnedBy: learner }, 0);
    t.add(parseFlowFile('table=4,priority=1,in_port=3,actions=drop')[0], 0);
    assert.deepEqual(t.learnedCount(4, learner, a), { count: 1, present: true });
    assert.deepEqual(t.learnedCount(4, learner, b), { count: 1, present: false });
    assert.deepEqual(t.learnedCount(4, learner, { ...a, priority: 2 }), { count: 1, present: false });
    assert.deepEqual(t.learnedCount(4, {}, a), { count: 0, present: false });
  });
});
