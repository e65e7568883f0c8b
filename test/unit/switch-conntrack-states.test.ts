// Connection tracking state by state, with the expectations of Open vSwitch's user-space conntrack
// (conntrack.c, conntrack-tcp.c, conntrack-other.c, conntrack-icmp.c and the default timeout policy):
// a connection expires once now >= its expiration; TCP timeouts follow both sides' states (opening
// 30 s, established 24 h, closing 15 min, fin-wait 45 s, closed 30 s); UDP-like 60 s one way, 30 s
// both ways; ICMP 60 s, 30 s after the reply. ct(force) ends a connection seen in the reply direction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyNat, ConnectionTracker, CT_TIMEOUTS, CtRequest, packetTuple, PacketExtras, ScriptedConntrack } from '../../src/switch/conntrack';
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_RELATED, CS_REPLY_DIR, CS_TRACKED, Slot } from '../../src/switch/fields';
import { Flow } from '../../src/switch/flow';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { parseNat } from '../../src/switch/nat';

const NEW = CS_TRACKED | CS_NEW;
const EST = CS_TRACKED | CS_ESTABLISHED;
const RPL = CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR;
const INV = CS_TRACKED | CS_INVALID;

const A = '10.0.0.1';
const B = '10.0.0.2';
const tcp = (from: string, to: string, sport: number, dport: number, flags: number) =>
  parseMicroflow(`tcp,nw_src=${from},nw_dst=${to},tcp_src=${sport},tcp_dst=${dport},tcp_flags=0x${flags.toString(16)}`);
const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;
const ab = (flags: number) => tcp(A, B, 1000, 80, flags);
const ba = (flags: number) => tcp(B, A, 80, 1000, flags);
const udp = (from: string, to: string, sport: number, dport: number) => parseMicroflow(`udp,nw_src=${from},nw_dst=${to},udp_src=${sport},udp_dst=${dport}`);

function exec(ct: ConnectionTracker, flow: Flow, request: Partial<CtRequest> = {}, extras: PacketExtras = {}) {
  ct.beginPacket(extras);
  return ct.execute(flow, { zone: 0, commit: false, exec: null, ...request });
}
const state = (ct: ConnectionTracker, flow: Flow, request: Partial<CtRequest> = {}, extras: PacketExtras = {}) => exec(ct, flow, request, extras).state;

/** A committed TCP connection A:1000 -> B:80 through the three-way handshake at t = 0, 1, 2. */
function established(): ConnectionTracker {
  const ct = new ConnectionTracker();
  assert.equal(state(ct, ab(SYN), { commit: true, now: 0 }), NEW);
  assert.equal(state(ct, ba(SYN | ACK), { now: 1 }), RPL);
  assert.equal(state(ct, ab(ACK), { now: 2 }), EST);
  return ct;
}

describe('TCP timeouts follow both sides\' states', () => {
  it('a first SYN lives 30 s: gone exactly at 30', () => {
    const ct = new ConnectionTracker();
    state(ct, ab(SYN), { commit: true, now: 0 });
    assert.equal(state(ct, ba(SYN | ACK), { now: CT_TIMEOUTS.tcpFirstPacket - 0.01 }), RPL);
    const ct2 = new ConnectionTracker();
    state(ct2, ab(SYN), { commit: true, now: 0 });
    assert.equal(state(ct2, ba(SYN | ACK), { now: CT_TIMEOUTS.tcpFirstPacket }), INV, 'expired: a SYN/ACK of no connection');
  });

  it('opening (one side not yet established) lives 30 s from the last packet', () => {
    const ct = new ConnectionTracker();
    state(ct, ab(SYN), { commit: true, now: 0 });
    state(ct, ba(SYN | ACK), { now: 10 });
    assert.equal(state(ct, ba(SYN | ACK), { now: 39.9 }), RPL);
    assert.equal(state(ct, ba(SYN | ACK), { now: 69.8 }), RPL, 'refreshed by the last packet');
    assert.equal(state(ct, ba(SYN | ACK), { now: 99.8 }), INV);
  });

  it('established lives a day; SYN and ACK in any order establish it', () => {
    const ct = established();
    assert.equal(state(ct, ba(ACK), { now: 2 + CT_TIMEOUTS.tcpEstablished - 1 }), RPL);
    assert.equal(state(ct, ba(ACK), { now: 2 + 2 * CT_TIMEOUTS.tcpEstablished }), NEW, 'expired: a bare ACK picks up a new connection');
  });

  it('one FIN: closing, 15 min; FIN both ways: 45 s; the last ACK: closed, 30 s', () => {
    const ct = established();
    assert.equal(state(ct, ab(FIN | ACK), { now: 10 }), EST);
    assert.equal(state(ct, ba(ACK), { now: 10 + CT_TIMEOUTS.tcpClosing - 1 }), RPL, 'half closed');
    const t = 10 + CT_TIMEOUTS.tcpClosing - 1;
    assert.equal(state(ct, ba(FIN | ACK), { now: t }), RPL);
    assert.equal(state(ct, ba(ACK), { now: t + CT_TIMEOUTS.tcpFinWait - 1 }), RPL, 'both closing');
    const u = t + CT_TIMEOUTS.tcpFinWait - 1;
    assert.equal(state(ct, ab(ACK), { now: u }), EST, 'last ACK');
    assert.equal(state(ct, ab(ACK), { now: u + CT_TIMEOUTS.tcpClosed - 1 }), EST);
    assert.equal(state(ct, ba(ACK), { now: u + 2 * CT_TIMEOUTS.tcpClosed }), NEW, 'closed connection expired');

    const fin = established();
    state(fin, ab(FIN | ACK), { now: 10 });
    assert.equal(state(fin, ba(ACK), { now: 10 + CT_TIMEOUTS.tcpClosing + 1 }), NEW, 'half closed expired');
    const both = established();
    state(both, ab(FIN | ACK), { now: 10 });
    state(both, ba(FIN | ACK), { now: 11 });
    assert.equal(state(both, ba(ACK), { now: 11 + CT_TIMEOUTS.tcpFinWait + 1 }), NEW, 'fin-wait expired');
  });

  it('a RST closes both sides: 30 s', () => {
    const ct = established();
    assert.equal(state(ct, ba(RST | ACK), { now: 10 }), RPL);
    assert.equal(state(ct, ab(ACK), { now: 10 + CT_TIMEOUTS.tcpClosed - 1 }), EST);
    const ct2 = established();
    state(ct2, ba(RST | ACK), { now: 10 });
    assert.equal(state(ct2, ab(ACK), { now: 10 + CT_TIMEOUTS.tcpClosed + 1 }), NEW);
  });

  it('a SYN on a closed connection starts a new one; on an open one it is part of it', () => {
    const ct = established();
    state(ct, ba(RST | ACK), { now: 10 });
    assert.equal(state(ct, ab(SYN), { now: 11 }), NEW, 'not committed: nothing tracked');
    assert.equal(state(ct, ba(ACK), { now: 11 }), NEW, 'the closed connection was removed');
    const open = established();
    assert.equal(state(open, ab(SYN), { now: 3 }), EST);
    const half = established();
    state(half, ab(FIN | ACK), { now: 3 });
    state(half, ba(ACK), { now: 3 });
    assert.equal(state(half, ab(SYN), { now: 4 }), EST, 'only one side closed: still the same connection');
  });

  it('flags no segment carries are invalid inside a connection too, with the connection\'s mark', () => {
    const ct = new ConnectionTracker();
    exec(ct, ab(SYN), { commit: true, exec: () => ({ mark: 7n, label: 9n }) });
    for (const flags of [FIN, SYN | FIN | ACK, SYN | RST, 0, 0x08, 0x20]) {
      const r = exec(ct, ab(flags));
      assert.deepEqual([r.state, r.mark, r.label], [INV, 7n, 9n], `flags 0x${flags.toString(16)}`);
    }
    assert.equal(state(ct, ab(RST), { now: 1 }), NEW, 'a bare RST is a valid segment (no reply seen yet: new)');
    assert.equal(state(new ConnectionTracker(), ab(RST)), NEW, 'a bare RST of no connection may open one');
    assert.equal(state(new ConnectionTracker(), ab(0x18)), NEW, 'PSH+ACK');
    assert.equal(state(new ConnectionTracker(), ab(0x08)), INV, 'PSH without ACK');
    assert.equal(state(new ConnectionTracker(), ab(0x20)), INV, 'URG without ACK');
    assert.equal(state(new ConnectionTracker(), ab(SYN | 0x08)), INV, 'SYN+PSH without ACK');
  });
});

describe('UDP-like and ICMP timeouts', () => {
  it('one way 60 s, after a reply 30 s', () => {
    const ct = new ConnectionTracker();
    const out = udp(A, B, 5000, 53);
    const back = udp(B, A, 53, 5000);
    exec(ct, out, { commit: true, now: 0 });
    assert.equal(state(ct, out, { now: 59.9 }), NEW, 'one way, not expired');
    assert.equal(state(ct, out, { now: 119.8 }), NEW, 'a second packet the same way: 60 s again');
    assert.equal(state(ct, back, { now: 179.7 }), RPL);
    assert.equal(state(ct, out, { now: 209.6 }), EST);
    assert.equal(state(ct, back, { now: 239.6 }), NEW, 'both ways: 30 s (uncommitted, so new)');
    const once = new ConnectionTracker();
    exec(once, out, { commit: true, now: 0 });
    assert.equal(state(once, back, { now: 60 }), NEW, 'gone at 60 s');
  });

  it('ICMP echo: 60 s for the query, 30 s after the answer; answers pair by identifier', () => {
    const ct = new ConnectionTracker();
    const echo = parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=8,icmp_code=0`);
    const answer = parseMicroflow(`icmp,nw_src=${B},nw_dst=${A},icmp_type=0,icmp_code=0`);
    exec(ct, echo, { commit: true, now: 0 }, { icmpId: 7 });
    assert.equal(state(ct, answer, { now: 1 }, { icmpId: 8 }), INV, 'answer to another query');
    assert.equal(state(ct, answer, { now: 59.9 }, { icmpId: 7 }), RPL);
    assert.equal(state(ct, echo, { now: 89.8 }, { icmpId: 7 }), EST);
    assert.equal(state(ct, echo, { now: 119.9 }, { icmpId: 7 }), NEW, 'expired after 30 s');
    const q = new ConnectionTracker();
    exec(q, echo, { commit: true, now: 0 }, { icmpId: 7 });
    assert.equal(state(q, answer, { now: 60 }, { icmpId: 7 }), INV, 'query expired at 60 s');
  });

  it('ICMP answers and unknown types never open a connection; timestamp and ICMPv6 echo pair like echo', () => {
    const ct = new ConnectionTracker();
    for (const type of [0, 14, 16, 9]) {
      assert.equal(state(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=${type}`), { commit: true }), INV, `type ${type}`);
    }
    exec(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=13`), { commit: true });
    assert.equal(state(ct, parseMicroflow(`icmp,nw_src=${B},nw_dst=${A},icmp_type=14`)), RPL);
    exec(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=15`), { commit: true });
    assert.equal(state(ct, parseMicroflow(`icmp,nw_src=${B},nw_dst=${A},icmp_type=16`)), RPL);
    exec(ct, parseMicroflow('icmp6,ipv6_src=fe80::1,ipv6_dst=fe80::2,icmp_type=128'), { commit: true });
    assert.equal(state(ct, parseMicroflow('icmp6,ipv6_src=fe80::2,ipv6_dst=fe80::1,icmp_type=129')), RPL);
    assert.equal(state(ct, parseMicroflow('icmp6,ipv6_src=fe80::2,ipv6_dst=fe80::1,icmp_type=128')), NEW, 'the other way round is another query');
  });

  it('ICMPv6 errors relate to the connection they quote', () => {
    const ct = new ConnectionTracker();
    const out = parseMicroflow('udp6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,udp_src=5000,udp_dst=53');
    exec(ct, out, { commit: true });
    const tuple = packetTuple(out)!;
    assert.deepEqual(tuple, { dlType: 0x86ddn, proto: 17n, src: 0x20010db8000000000000000000000001n, dst: 0x20010db8000000000000000000000002n, sport: 5000n, dport: 53n });
    for (const type of [1, 2, 3, 4]) {
      const error = parseMicroflow(`icmp6,ipv6_src=2001:db8::9,ipv6_dst=2001:db8::1,icmp_type=${type}`);
      assert.equal(state(ct, error, {}, { quoted: tuple }), CS_TRACKED | CS_RELATED | CS_REPLY_DIR, `type ${type}`);
    }
    assert.equal(state(ct, parseMicroflow('icmp6,ipv6_src=2001:db8::9,ipv6_dst=2001:db8::1,icmp_type=3'), {}), INV, 'without a quoted packet');
    for (const type of [3, 4, 5, 11, 12]) {
      assert.equal(state(ct, parseMicroflow(`icmp,nw_src=10.9.9.9,nw_dst=${A},icmp_type=${type}`), { commit: true }, { quoted: packetTuple(udp(A, B, 1, 2))! }), INV, `IPv4 error type ${type} about no connection never opens one`);
    }
  });
});

describe('ct(force), exec and the connection a packet keeps between ct() calls', () => {
  it('force ends a connection met in the reply direction and commits this packet as a new originator', () => {
    const ct = new ConnectionTracker();
    exec(ct, udp(A, B, 1, 2), { commit: true });
    assert.equal(state(ct, udp(B, A, 2, 1), { commit: true, force: true }), NEW);
    assert.equal(state(ct, udp(A, B, 1, 2)), RPL, 'the old originator now answers');
    assert.equal(state(ct, udp(B, A, 2, 1), { force: true }), EST, 'without commit force ends nothing: the new originator, its reply seen');
    const keep = new ConnectionTracker();
    exec(keep, udp(A, B, 1, 2), { commit: true });
    state(keep, udp(B, A, 2, 1));
    assert.equal(state(keep, udp(A, B, 1, 2), { commit: true, force: true }), EST, 'original direction: kept');
  });

  it('exec runs only on commit, on the connection\'s current mark and label', () => {
    const ct = new ConnectionTracker();
    const bump = (mark: bigint, label: bigint) => ({ mark: mark + 1n, label: label | 2n });
    assert.equal(exec(ct, udp(A, B, 1, 2), { commit: true, exec: bump }).mark, 1n);
    assert.equal(exec(ct, udp(A, B, 1, 2), { exec: bump }).mark, 1n, 'no commit: no change');
    const r = exec(ct, udp(B, A, 2, 1), { commit: true, exec: bump });
    assert.deepEqual([r.mark, r.label], [2n, 2n]);
    assert.equal(exec(ct, udp(B, A, 2, 1), { commit: false, exec: null }).mark, 2n);
    const err = parseMicroflow(`icmp,nw_src=10.9.9.9,nw_dst=${A},icmp_type=3`);
    const rel = exec(ct, err, { commit: true, exec: bump }, { quoted: packetTuple(udp(A, B, 1, 2))! });
    assert.deepEqual([rel.state, rel.mark], [CS_TRACKED | CS_RELATED | CS_REPLY_DIR, 3n]);
    assert.equal(exec(ct, err, { commit: false, exec: bump }, { quoted: packetTuple(udp(A, B, 1, 2))! }).mark, 3n);
  });

  it('a second ct() of the same packet in the same zone keeps the connection found, even after nat changed the addresses', () => {
    const ct = new ConnectionTracker();
    exec(ct, udp(A, B, 5000, 53), { commit: true, nat: parseNat('src=10.1.1.1') });
    const back = udp(B, '10.1.1.1', 53, 5000);
    ct.beginPacket();
    const first = ct.execute(back, { zone: 0, commit: false, exec: null, nat: 'restore' });
    assert.deepEqual([first.state, first.rewrite], [RPL, { dst: { addr: 0x0a000001n, port: 5000n } }]);
    applyNat(back, first.rewrite!);
    const mark = (m: bigint) => ({ mark: m + 5n, label: 0n });
    const again = ct.execute(back, { zone: 0, commit: true, exec: mark, nat: 'restore' });
    assert.deepEqual([again.state, again.mark], [RPL, 5n], 'the same connection, its mark set by the commit');
    assert.equal(ct.execute(back, { zone: 1, commit: false, exec: null }).state, NEW, 'another zone: looked up again');
    ct.clear();
    assert.equal(ct.execute(back, { zone: 0, commit: false, exec: null }).state, NEW, 'after ct_clear: looked up again (B -> A is no tuple of it)');
    ct.beginPacket();
    assert.equal(ct.execute(back, { zone: 0, commit: false, exec: null }).state, NEW, 'a new packet forgets');
  });

  it('the kept connection is dropped once it expired', () => {
    const ct = new ConnectionTracker();
    ct.beginPacket();
    const out = udp(A, B, 1, 2);
    assert.equal(ct.execute(out, { zone: 0, commit: true, exec: null, now: 0 }).state, NEW);
    // Another packet at 100 s expires it (the tracker removes it); the first packet's second ct() then finds nothing.
    const other = new ConnectionTracker();
    other.beginPacket();
    other.execute(out, { zone: 0, commit: true, exec: null, now: 0 });
    const saved = other as unknown as { packet: PacketExtras };
    const kept = saved.packet;
    other.beginPacket();
    assert.equal(other.execute(udp(B, A, 2, 1), { zone: 0, commit: false, exec: null, now: 100 }).state, NEW, 'expired');
    other.beginPacket(kept);
    assert.equal(other.execute(udp(B, A, 2, 1), { zone: 0, commit: false, exec: null, now: 100 }).state, NEW, 'the kept connection is gone too');
  });
});

describe('nat', () => {
  it('dst nat rewrites the destination, replies get the original destination back as source', () => {
    const ct = new ConnectionTracker();
    const first = exec(ct, udp(A, '10.0.0.100', 5000, 80), { commit: true, nat: parseNat('dst=10.0.0.50:8080') });
    assert.deepEqual(first.rewrite, { dst: { addr: 0x0a000032n, port: 8080n } });
    assert.equal(first.note, undefined, 'a single address and port: nothing chosen');
    const reply = exec(ct, udp('10.0.0.50', A, 8080, 5000), { nat: 'restore' });
    assert.deepEqual([reply.state, reply.rewrite], [RPL, { src: { addr: 0x0a000064n, port: 80n } }]);
    const again = exec(ct, udp(A, '10.0.0.100', 5000, 80), { nat: 'restore' });
    assert.deepEqual([again.state, again.rewrite], [EST, { dst: { addr: 0x0a000032n, port: 8080n } }]);
    // An ICMP error from the server quotes the translated packet, which is the reply tuple reversed: addresses only.
    const quoted = packetTuple(udp(A, '10.0.0.50', 5000, 8080))!;
    const err = exec(ct, parseMicroflow(`icmp,nw_src=10.0.0.50,nw_dst=${A},icmp_type=3`), { nat: 'restore' }, { quoted });
    assert.deepEqual([err.state, err.rewrite], [CS_TRACKED | CS_RELATED | CS_REPLY_DIR, { src: { addr: 0x0a000064n } }]);
    const noNat = exec(ct, parseMicroflow(`icmp,nw_src=10.0.0.50,nw_dst=${A},icmp_type=3`), {}, { quoted });
    assert.equal(noNat.rewrite, undefined);
  });

  it('src nat without a port keeps the port; a range says the first address is shown; ICMP has no ports', () => {
    const ct = new ConnectionTracker();
    const r = exec(ct, udp(A, B, 5000, 53), { commit: true, nat: parseNat('src=10.1.1.1-10.1.1.9') });
    assert.deepEqual(r.rewrite, { src: { addr: 0x0a010101n, port: 5000n } });
    assert.match(r.note ?? '', /nat range/);
    const ports = exec(new ConnectionTracker(), udp(A, B, 5000, 53), { commit: true, nat: parseNat('src=10.1.1.1:4000-4010') });
    assert.match(ports.note ?? '', /nat range/, 'a port range');
    const icmp = new ConnectionTracker();
    const q = exec(icmp, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=8`), { commit: true, nat: parseNat('src=10.1.1.1:4000') }, { icmpId: 3 });
    assert.deepEqual([q.rewrite, q.note], [{ src: { addr: 0x0a010101n } }, undefined]);
    const a = exec(icmp, parseMicroflow(`icmp,nw_src=${B},nw_dst=10.1.1.1,icmp_type=0`), { nat: 'restore' }, { icmpId: 3 });
    assert.deepEqual([a.state, a.rewrite], [RPL, { dst: { addr: 0x0a000001n } }]);
  });

  it('an IPv4 nat on an IPv6 connection is not applied; IPv6 nat rewrites IPv6 addresses', () => {
    const ct = new ConnectionTracker();
    const v6 = parseMicroflow('udp6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,udp_src=1,udp_dst=2');
    assert.equal(exec(ct, v6, { commit: true, nat: parseNat('src=10.1.1.1') }).rewrite, undefined);
    const r = exec(new ConnectionTracker(), v6, { commit: true, nat: parseNat('src=[2001:db8::99]') });
    assert.deepEqual(r.rewrite, { src: { addr: 0x20010db8000000000000000000000099n, port: 1n } });
    applyNat(v6, r.rewrite!);
    assert.equal(v6.get(Slot.Ipv6Src), 0x20010db8000000000000000000000099n);
    assert.equal(v6.get(Slot.NwSrc), 0n);
    const d = parseMicroflow('udp6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,udp_src=1,udp_dst=2');
    applyNat(d, { dst: { addr: 5n, port: 9n } });
    assert.deepEqual([d.get(Slot.Ipv6Dst), d.get(Slot.TpDst), d.get(Slot.Ipv6Src), d.get(Slot.TpSrc)], [5n, 9n, 0x20010db8000000000000000000000001n, 1n]);
    const v4 = udp(A, B, 1, 2);
    applyNat(v4, { src: { addr: 7n } });
    assert.deepEqual([v4.get(Slot.NwSrc), v4.get(Slot.TpSrc), v4.get(Slot.NwDst)], [7n, 1n, 0x0a000002n]);
  });
});

describe('ofproto/trace --ct-next', () => {
  it('gives the scripted states in turn, then trk|new; exec runs on commit from zero', () => {
    const scripted = new ScriptedConntrack([EST, RPL]);
    const flow = udp(A, B, 1, 2);
    const set = () => ({ mark: 4n, label: 6n });
    assert.deepEqual(scripted.execute(flow, { zone: 0, commit: true, exec: set }), { state: EST, mark: 4n, label: 6n });
    assert.deepEqual(scripted.execute(flow, { zone: 0, commit: false, exec: set }), { state: RPL, mark: 0n, label: 0n });
    assert.deepEqual(scripted.execute(flow, { zone: 0, commit: true, exec: null }), { state: NEW, mark: 0n, label: 0n });
  });
});

describe('what conntrack says about invalid packets', () => {
  it('names the reason, and relates IPv4 time-exceeded errors too', () => {
    const ct = new ConnectionTracker();
    assert.match(exec(ct, parseMicroflow('arp')).note ?? '', /not an IP packet/);
    assert.match(exec(ct, ab(SYN | ACK), { commit: true }).note ?? '', /cannot open a connection/);
    assert.match(exec(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=0`), { commit: true }).note ?? '', /no tracked query/);
    assert.match(exec(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=3`)).note ?? '', /without a quoted packet/);
    assert.match(exec(ct, parseMicroflow(`icmp,nw_src=${A},nw_dst=${B},icmp_type=3`), {}, { quoted: packetTuple(udp(A, B, 1, 2))! }).note ?? '', /about no tracked connection/);
    exec(ct, ab(SYN), { commit: true });
    assert.match(exec(ct, ab(FIN)).note ?? '', /TCP flags no segment may carry/);
    exec(ct, udp(A, B, 7, 8), { commit: true });
    for (const type of [11, 12, 4, 5]) {
      const r = exec(ct, parseMicroflow(`icmp,nw_src=10.9.9.9,nw_dst=${A},icmp_type=${type}`), {}, { quoted: packetTuple(udp(A, B, 7, 8))! });
      assert.deepEqual([r.state, r.note], [CS_TRACKED | CS_RELATED | CS_REPLY_DIR, undefined], `type ${type}`);
    }
    // An ICMP error type that is no query: its tuple is not turned round as an echo would be.
    assert.equal(state(ct, parseMicroflow(`icmp,nw_src=${B},nw_dst=${A},icmp_type=9`)), INV);
  });
});
