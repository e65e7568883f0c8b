// The learning model itself (src/overlay/learning.ts), as the analysis and replay's flood-and-learn VTEP
// use it: what learnAt reports for each transition, the ageing boundary (idle exactly the ageing time is
// still known), age events oldest first at their expiry, flood receiver lists, the FDB at a frame, and
// sizes past the initial tables and event blocks. Learners, tenants and remotes are plain numbers here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_KINDS, Ev, EventCode, FloodCode, Refreshed, VtepLearning } from '../../src/overlay/learning';

const MAC_HI = 0x0200;

/** Event i as [frame, kind, vtep, tenant, macLo, remote, previous, time]. */
function event(l: VtepLearning, i: number): unknown[] {
  return [l.get(i, Ev.Frame), EVENT_KINDS[l.get(i, Ev.Kind)], l.get(i, Ev.Vtep), l.get(i, Ev.Tenant), l.get(i, Ev.MacLo), l.get(i, Ev.Remote), l.get(i, Ev.Previous), l.get(i, Ev.Time)];
}

function events(l: VtepLearning): unknown[][] {
  return Array.from({ length: l.eventCount }, (_, i) => event(l, i));
}

test('learnAt: learn, refresh, move, local and migrate, each with the previous remote', () => {
  const l = new VtepLearning(4, 300);
  const slot = l.slot(1, 101, MAC_HI, 7);
  assert.equal(l.learnAt(slot, 0, 10, 1, 101, MAC_HI, 7, 2), EventCode.Learn);
  assert.equal(l.learnAt(slot, 1, 11, 1, 101, MAC_HI, 7, 2), Refreshed);
  assert.equal(l.learnAt(slot, 2, 12, 1, 101, MAC_HI, 7, 3), EventCode.Move);
  assert.equal(l.learnAt(slot, 3, 13, 1, 101, MAC_HI, 7, 1), EventCode.Migrate); // the MAC is now local at 1
  const local = l.slot(4, 101, MAC_HI, 8);
  assert.equal(l.learnAt(local, 4, 14, 4, 101, MAC_HI, 8, 4), EventCode.Local);
  assert.deepEqual(events(l), [
    [0, 'learn', 1, 101, 7, 2, -1, 10],
    [2, 'move', 1, 101, 7, 3, 2, 12],
    [3, 'migrate', 1, 101, 7, 1, 3, 13],
    [4, 'local', 4, 101, 8, 4, -1, 14],
  ]);
  // The same key is the same slot; another tenant, MAC or learner is another.
  assert.equal(l.slot(1, 101, MAC_HI, 7), slot);
  assert.deepEqual(new Set([slot, local, l.slot(1, 102, MAC_HI, 7), l.slot(1, 101, MAC_HI + 1, 7), l.slot(2, 101, MAC_HI, 7)]).size, 5);
  // learn() finds the slot itself and returns it.
  assert.equal(l.learn(5, 15, 1, 101, MAC_HI, 7, 1), slot);
  assert.equal(l.eventCount, 4, 'the same mapping again is no event');
});

test('ageing boundary: idle exactly the ageing time is still known; longer is aged out at its expiry time', () => {
  const l = new VtepLearning(4, 10);
  const slot = l.learn(0, 100, 1, 101, MAC_HI, 7, 2);
  assert.equal(l.lookup(1, 101, MAC_HI, 7, 110), 2);
  assert.equal(l.lookup(1, 101, MAC_HI, 7, 110.25), -1);
  assert.equal(l.lookup(1, 101, MAC_HI, 8, 100), -1, 'an unknown MAC');
  assert.equal(l.lookup(9, 101, MAC_HI, 7, 100), -1, 'another learner');
  assert.equal(l.refresh(slot, 2, 110), true, 'exactly the ageing time: a refresh');
  // Refreshed at 110: known until 120.
  assert.equal(l.lookup(1, 101, MAC_HI, 7, 120), 2);
  assert.equal(l.refresh(slot, 3, 115), false, 'another remote is not a refresh');
  assert.equal(l.refresh(slot, 2, 120.5), false, 'aged: not a refresh');
  l.sweep(120, 1);
  assert.equal(l.eventCount, 1, 'nothing expires at the deadline itself');
  // The same mapping exactly the ageing time later: a refresh (known until 130).
  assert.equal(l.learnAt(slot, 2, 120, 1, 101, MAC_HI, 7, 2), Refreshed);
  // Learning again after the expiry: the entry ages out first (expired at 130), then is learned afresh.
  assert.equal(l.learnAt(slot, 3, 135, 1, 101, MAC_HI, 7, 2), EventCode.Learn);
  assert.deepEqual(events(l), [
    [0, 'learn', 1, 101, 7, 2, -1, 100],
    [3, 'age', 1, 101, 7, 2, 0, 130],
    [3, 'learn', 1, 101, 7, 2, -1, 135],
  ]);
  assert.equal(l.get(1, Ev.ExpiredAt), 130);
});

test('sweep: every entry idle longer than the ageing time, oldest first, each timed at its own expiry', () => {
  const l = new VtepLearning(4, 10);
  l.learn(0, 102, 1, 101, MAC_HI, 1, 5); // expires at 112
  l.learn(1, 100, 2, 101, MAC_HI, 2, 5); // expires at 110
  l.learn(2, 101, 3, 101, MAC_HI, 3, 5); // expires at 111
  l.learn(3, 101, 4, 101, MAC_HI, 4, 5); // expires at 111, learned after the one before
  l.learn(4, 119, 5, 101, MAC_HI, 5, 6); // expires at 129
  l.sweep(105, 5);
  assert.equal(l.eventCount, 5);
  l.sweep(113, 6);
  assert.deepEqual(events(l).slice(5).map((e) => [e[0], e[1], e[2], e[7]]), [
    [6, 'age', 2, 110],
    [6, 'age', 3, 111],
    [6, 'age', 4, 111],
    [6, 'age', 1, 112],
  ]);
  assert.equal(l.lookup(5, 101, MAC_HI, 5, 113), 6, 'the entry not yet idle long enough stays');
  l.sweep(128, 7);
  assert.equal(l.eventCount, 9);
  l.sweep(131, 8);
  assert.deepEqual(event(l, 9).slice(0, 3), [8, 'age', 5]);
  assert.equal(l.get(9, Ev.ExpiredAt), 129);
  // An empty database stays empty: nothing more to age.
  l.sweep(1000, 9);
  assert.equal(l.eventCount, 10);
  // An entry learned after everything aged is aged in its turn.
  l.learn(10, 1000, 1, 101, MAC_HI, 1, 5);
  l.sweep(1011, 11);
  assert.deepEqual(event(l, 11).slice(0, 3), [11, 'age', 1]);
});

test('floods: reason, group, the receivers of each flood (shared with the flood before when equal)', () => {
  const l = new VtepLearning(4, 300);
  l.flood(0, 1, 1, 101, MAC_HI, 1, 0xffff, 0xffffffff, FloodCode.Broadcast, 50, [2, 3], true);
  l.flood(1, 2, 1, 101, MAC_HI, 1, 0xffff, 0xffffffff, FloodCode.Broadcast, 50, [2, 3], false);
  l.flood(2, 3, 1, 101, MAC_HI, 1, 0x0100, 5, FloodCode.Multicast, 50, [3, 4], true);
  l.flood(3, 4, 4, 101, MAC_HI, 2, 0x0200, 9, FloodCode.UnknownUnicast, -1, [1], false);
  l.flood(4, 5, 4, 101, MAC_HI, 2, 0x0200, 9, FloodCode.UnknownUnicast, -1, [2], false);
  l.flood(5, 6, 4, 101, MAC_HI, 2, 0x0200, 9, FloodCode.UnknownUnicast, -1, [], false);
  l.flood(6, 7, 4, 101, MAC_HI, 2, 0x0200, 9, FloodCode.UnknownUnicast, -1, [2, 3, 4], false);
  assert.deepEqual(Array.from({ length: l.eventCount }, (_, i) => l.receiversOf(i)), [[2, 3], [2, 3], [3, 4], [1], [2], [], [2, 3, 4]]);
  assert.deepEqual(
    Array.from({ length: l.eventCount }, (_, i) => [EVENT_KINDS[l.get(i, Ev.Kind)], l.get(i, Ev.Vtep), l.get(i, Ev.DstHi), l.get(i, Ev.DstLo), l.get(i, Ev.Reason), l.get(i, Ev.Group), l.get(i, Ev.Assumed), l.get(i, Ev.Time)]),
    [
      ['flood', 1, 0xffff, 0xffffffff, FloodCode.Broadcast, 50, 1, 1],
      ['flood', 1, 0xffff, 0xffffffff, FloodCode.Broadcast, 50, 0, 2],
      ['flood', 1, 0x0100, 5, FloodCode.Multicast, 50, 1, 3],
      ['flood', 4, 0x0200, 9, FloodCode.UnknownUnicast, -1, 0, 4],
      ['flood', 4, 0x0200, 9, FloodCode.UnknownUnicast, -1, 0, 5],
      ['flood', 4, 0x0200, 9, FloodCode.UnknownUnicast, -1, 0, 6],
      ['flood', 4, 0x0200, 9, FloodCode.UnknownUnicast, -1, 0, 7],
    ],
  );
  // A learning event has no group.
  l.learn(7, 8, 2, 101, MAC_HI, 1, 1);
  assert.equal(l.get(7, Ev.Group), -1);
  // Floods are not FDB entries.
  assert.deepEqual([...l.fdbAt(7).entries.keys()], [2]);
});

test('many receivers lists and events: past the initial receiver space and past one event block', () => {
  const l = new VtepLearning(4, 1e9);
  // 600 floods of 4 distinct receivers each: 2,400 receivers, more than the space sized up front.
  for (let i = 0; i < 600; i++) l.flood(i, i, 1, 101, MAC_HI, i, 0xffff, 0xffffffff, FloodCode.Broadcast, 50, [i, i + 1, i + 2, i + 3], false);
  for (let i = 0; i < 600; i++) assert.deepEqual(l.receiversOf(i), [i, i + 1, i + 2, i + 3], `flood ${i}`);
  // 10,000 MACs learned by one VTEP: FDB slots past the initial tables, events past the first block.
  for (let mac = 0; mac < 10_000; mac++) l.learn(600 + mac, 600 + mac, 7, 101, MAC_HI, mac, 8 + (mac % 3));
  assert.equal(l.eventCount, 10_600);
  for (const mac of [0, 1, 4095, 8191, 8192, 9999]) {
    assert.equal(l.lookup(7, 101, MAC_HI, mac, 20_000), 8 + (mac % 3), `MAC ${mac}`);
    assert.deepEqual(event(l, 600 + mac), [600 + mac, 'learn', 7, 101, mac, 8 + (mac % 3), -1, 600 + mac]);
  }
  const fdb = l.fdbAt(20_000).entries.get(7)!;
  assert.equal(fdb.length, 10_000);
  assert.deepEqual(fdb[9999], { tenant: 101, macHi: MAC_HI, macLo: 9999, remote: 8, since: 10_599 });
});

test('fdbAt: the events up to a frame replayed; a move updates the entry, an age removes it, an emptied VTEP is left out', () => {
  const l = new VtepLearning(4, 10);
  l.learn(1, 100, 1, 101, MAC_HI, 1, 2);
  l.learn(1, 100, 3, 101, MAC_HI, 1, 2);
  l.learn(2, 101, 1, 101, MAC_HI, 2, 3);
  l.learn(4, 103, 1, 101, MAC_HI, 1, 5); // a move
  l.sweep(112, 6); // everything learned at 100 expires at 110; MAC 2 at 111; the move (103) at 113
  const at = (frame: number) => [...l.fdbAt(frame).entries].map(([learner, list]) => [learner, list.map((e) => [e.macLo, e.remote, e.since])]);
  assert.deepEqual(at(0), []);
  assert.deepEqual(at(1), [[1, [[1, 2, 1]]], [3, [[1, 2, 1]]]]);
  assert.deepEqual(at(3), [[1, [[1, 2, 1], [2, 3, 2]]], [3, [[1, 2, 1]]]]);
  assert.deepEqual(at(5), [[1, [[1, 5, 4], [2, 3, 2]]], [3, [[1, 2, 1]]]]);
  assert.deepEqual(at(6), [[1, [[1, 5, 4]]]]);
});

test('the first VTEP (endpoint 0) as a remote: looked up, moved away from, migrated from, and a move is not a refresh', () => {
  const l = new VtepLearning(4, 300);
  // Learner 1 learns MAC 7 behind endpoint 0 and refreshes it; then the VM moves to learner 1 itself.
  const slot = l.slot(1, 5, 0, 7);
  assert.equal(l.learnAt(slot, 0, 10, 1, 5, 0, 7, 0), EventCode.Learn);
  assert.equal(l.lookup(1, 5, 0, 7, 11), 0);
  assert.equal(l.learnAt(slot, 1, 12, 1, 5, 0, 7, 0), Refreshed);
  assert.equal(l.learnAt(slot, 2, 13, 1, 5, 0, 7, 1), EventCode.Migrate);
  assert.equal(l.get(l.eventCount - 1, Ev.Previous), 0);
  assert.equal(l.lookup(1, 5, 0, 7, 14), 1);
  // Learner 3 has MAC 8 behind endpoint 0, then behind 2: a move (not a refresh, not a first learn).
  const other = l.slot(3, 5, 0, 8);
  assert.equal(l.learnAt(other, 3, 15, 3, 5, 0, 8, 0), EventCode.Learn);
  const move = l.learnAt(other, 4, 16, 3, 5, 0, 8, 2);
  assert.equal(move, EventCode.Move);
  assert.notEqual(move, Refreshed);
  assert.equal(l.get(l.eventCount - 1, Ev.Previous), 0);
  // Not heard of for longer than the ageing time: gone at lookup.
  assert.equal(l.lookup(3, 5, 0, 8, 16 + 301), -1);
});

test('Refreshed is told apart from every event code', () => {
  // learnAt's callers read its result as an event code unless it is Refreshed.
  for (let code = 0; code < EVENT_KINDS.length; code++) assert.notEqual(Refreshed, code, EVENT_KINDS[code]);
});

test('an entry behind endpoint 0 idle past the ageing time is aged out when seen again, before any sweep', () => {
  const l = new VtepLearning(4, 300);
  const slot = l.slot(1, 5, 0, 7);
  assert.equal(l.learnAt(slot, 0, 10, 1, 5, 0, 7, 0), EventCode.Learn);
  // No sweep in between: seen again at 400, 390 s after the learn (expired at 310).
  assert.equal(l.learnAt(slot, 1, 400, 1, 5, 0, 7, 0), EventCode.Learn);
  assert.deepEqual(events(l), [
    [0, 'learn', 1, 5, 7, 0, -1, 10],
    [1, 'age', 1, 5, 7, 0, 0, 310],
    [1, 'learn', 1, 5, 7, 0, -1, 400],
  ]);
});

test('sweep past an entry refreshed since it was queued: the entries behind it still expire', () => {
  const l = new VtepLearning(4, 300);
  const first = l.learn(0, 0, 1, 5, MAC_HI, 1, 9); // queued to expire at 300
  l.learn(1, 10, 2, 5, MAC_HI, 2, 9); // expires at 310
  // MAC 1 refreshed at 100: it now expires at 400, though its first deadline (300) is still the earliest queued.
  assert.equal(l.learn(2, 100, 1, 5, MAC_HI, 1, 9), first);
  assert.equal(l.eventCount, 2);
  l.sweep(350, 3);
  assert.deepEqual(events(l).slice(2), [[3, 'age', 2, 5, 2, 9, 0, 310]]);
  assert.equal(l.lookup(1, 5, MAC_HI, 1, 350), 9, 'the refreshed entry stays');
  l.sweep(401, 4);
  assert.deepEqual(events(l).slice(3), [[4, 'age', 1, 5, 1, 9, 0, 400]]);
});

test('a flood shares the receiver list before it only when the lists are equal', () => {
  const l = new VtepLearning(4, 300);
  const lists = [
    [1, 2],
    [1, 2, 0], // the list before and one more receiver (endpoint 0): not the same list
    [5],
    [3, 4],
    [3, 5], // starts like the list before, ends like the one before that
    [3, 5],
  ];
  lists.forEach((receivers, i) => l.flood(i, i, 9, 101, MAC_HI, 1, 0xffff, 0xffffffff, FloodCode.Broadcast, -1, receivers, false));
  assert.deepEqual(Array.from({ length: l.eventCount }, (_, i) => l.receiversOf(i)), lists);
});

test('one flood to more receivers than twice the receiver space sized up front', () => {
  // Sized for 4 events: room for 4 * 256 receivers; one flood reaches 2,100 VTEPs.
  const l = new VtepLearning(4, 300);
  const receivers = Array.from({ length: 2100 }, (_, i) => i + 1);
  l.flood(0, 0, 0, 101, MAC_HI, 1, 0xffff, 0xffffffff, FloodCode.Broadcast, -1, receivers, false);
  l.flood(1, 1, 0, 101, MAC_HI, 2, 0xffff, 0xffffffff, FloodCode.Broadcast, -1, [7], false);
  assert.deepEqual(l.receiversOf(0), receivers);
  assert.deepEqual(l.receiversOf(1), [7]);
});
