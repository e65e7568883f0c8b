// Compares `tunnelscope replay`'s connection tracking with a real Open vSwitch's user-space conntrack:
// the same packets go through both (OVS receives them on dummy ports, with its clock advanced by
// time/warp as far as the capture's timestamps advance), and the flows classify each packet's
// ct_state (table 2) and its addresses after NAT (table 3). For every packet the rule hit in those
// tables must be the same: new / established / reply / related / invalid, idle connections expiring
// after the default timeout policy, and source and destination NAT with the reverse translation of
// replies and of ICMP errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { internetChecksum, writeU16 } from '../../src/craft/bytes';
import { icmpEcho, icmpv6Echo } from '../../src/craft/control';
import { ethernet } from '../../src/craft/ethernet';
import { ipv4, ipv6, IpPayload, pseudoHeaderSum } from '../../src/craft/ip';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, tcp, udp } from '../../src/craft/transport';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { createCaptureWriter, PACKET_INBOUND } from '../../src/capture/writer';
import { addBridge, OvsInstance, ovsMissing, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

const FLOWS = `table=0,priority=10,ip,actions=ct(table=1,zone=5,nat)
table=0,priority=10,ipv6,actions=ct(table=1,zone=5,nat)
table=0,priority=0,actions=drop
table=1,priority=10,actions=resubmit(,2),resubmit(,3),resubmit(,4)
table=2,priority=100,ct_state=+inv+trk,actions=drop
table=2,priority=90,ct_state=+rel+rpl+trk,actions=drop
table=2,priority=89,ct_state=+rel-rpl+trk,actions=drop
table=2,priority=80,ct_state=+est+rpl+trk,actions=drop
table=2,priority=79,ct_state=+est-rpl+trk,actions=drop
table=2,priority=70,ct_state=+new+trk,actions=drop
table=2,priority=0,actions=drop
table=3,priority=30,ip,nw_src=10.1.1.1,actions=drop
table=3,priority=29,ip,nw_dst=10.1.1.1,actions=drop
table=3,priority=28,tcp,nw_dst=10.0.0.2,tp_dst=8080,actions=drop
table=3,priority=27,tcp,nw_src=10.0.0.2,tp_src=8080,actions=drop
table=3,priority=26,tcp,nw_dst=10.0.0.200,actions=drop
table=3,priority=25,tcp,nw_src=10.0.0.200,tp_src=80,actions=drop
table=3,priority=24,tcp,nw_dst=10.0.0.1,tp_dst=40002,actions=drop
table=3,priority=23,udp,nw_dst=10.0.0.1,tp_dst=5000,actions=drop
table=3,priority=22,icmp,nw_dst=10.0.0.1,actions=drop
table=3,priority=0,actions=drop
table=4,priority=100,ct_state=+new+trk,tcp,nw_dst=10.0.0.200,actions=ct(commit,zone=5,nat(dst=10.0.0.2:8080)),output:2
table=4,priority=90,ct_state=+new+trk,udp,tp_dst=53,actions=ct(commit,zone=5,nat(src=10.1.1.1)),output:2
table=4,priority=80,ct_state=+new+trk,tcp,tp_dst=443,actions=ct(commit,zone=5,nat(src=10.1.1.1:5000)),output:2
table=4,priority=10,ct_state=+new+trk,ip,actions=ct(commit,zone=5),output:2
table=4,priority=10,ct_state=+new+trk,ipv6,actions=ct(commit,zone=5),output:2
table=4,priority=0,actions=drop
`;

const MAC = { a: '00:00:00:00:00:0a', b: '00:00:00:00:00:0b' };
const A = '10.0.0.1';
const B = '10.0.0.9';
const R = '10.0.0.254';

/** An ICMP error (type/code) quoting the first 28 bytes of `quoted` (an IPv4 packet). */
function icmpError(type: number, code: number, quoted: Uint8Array): IpPayload {
  return {
    protocol: 1,
    encode() {
      const body = quoted.subarray(0, 28);
      const message = new Uint8Array(8 + body.length);
      message[0] = type;
      message[1] = code;
      message.set(body, 8);
      writeU16(message, 2, internetChecksum(message));
      return message;
    },
  };
}

/** An ICMPv6 error (type/code) quoting `quoted` (an IPv6 packet) whole, as RFC 4443 asks for small packets. */
function icmpv6Error(type: number, code: number, quoted: Uint8Array, keep = quoted.length): IpPayload {
  return {
    protocol: 58,
    encode(pseudo) {
      const body = quoted.subarray(0, keep);
      const message = new Uint8Array(8 + body.length);
      message[0] = type;
      message[1] = code;
      message.set(body, 8);
      writeU16(message, 2, internetChecksum(message, 0, message.length, pseudoHeaderSum(pseudo, 58, message.length)));
      return message;
    },
  };
}

interface Packet {
  /** Seconds since the first packet (OVS's clock is warped by the same amount). */
  at: number;
  /** Ingress port: 1 (side A) or 2 (side B). */
  port: 1 | 2;
  src: string;
  dst: string;
  payload: IpPayload;
  note: string;
}

const tcpSeg = (sport: number, dport: number, flags: number) => tcp({ srcPort: sport, dstPort: dport, seq: 1000, ack: flags & TCP_ACK ? 2000 : 0, flags });
const quotedUdp = (src: string, dst: string, sport: number, dport: number) => ipv4({ src, dst, payload: udp({ srcPort: sport, dstPort: dport, payload: new Uint8Array(4) }) });
const quotedTcp = (src: string, dst: string, sport: number, dport: number) => ipv4({ src, dst, payload: tcpSeg(sport, dport, TCP_SYN) });

function sequence(): Packet[] {
  const p: Packet[] = [];
  let t = 0;
  const add = (dt: number, port: 1 | 2, src: string, dst: string, payload: IpPayload, note: string) => {
    t += dt;
    p.push({ at: t, port, src, dst, payload, note });
  };
  add(0, 1, A, B, tcpSeg(40000, 22, TCP_SYN), 'SYN: new, committed');
  add(0.01, 1, A, B, tcpSeg(40000, 22, TCP_SYN), 'SYN retransmitted before any reply');
  add(0.01, 2, B, A, tcpSeg(22, 40000, TCP_SYN | TCP_ACK), 'SYN/ACK: reply');
  add(0.01, 1, A, B, tcpSeg(40000, 22, TCP_ACK), 'ACK: established');
  add(0.01, 2, R, A, icmpError(3, 4, quotedTcp(A, B, 40000, 22)), 'frag needed towards A quoting A->B: related, reply');
  add(0.01, 1, R, B, icmpError(3, 3, quotedTcp(B, A, 22, 40000)), 'port unreachable towards B quoting B->A: related');
  add(0.01, 1, R, A, icmpError(3, 3, quotedTcp(A, B, 40999, 22)), 'ICMP error quoting no connection');
  add(0.01, 1, A, B, tcpSeg(40001, 22, TCP_ACK), 'ACK of no connection');
  add(0.01, 2, B, A, tcpSeg(22, 40005, TCP_SYN | TCP_ACK), 'SYN/ACK of no connection');
  add(0.01, 1, A, B, udp({ srcPort: 5000, dstPort: 53, payload: new Uint8Array(8) }), 'DNS query: SNAT to 10.1.1.1');
  add(0.01, 1, A, B, udp({ srcPort: 5000, dstPort: 53, payload: new Uint8Array(8) }), 'second query: translated by ct(nat)');
  add(0.01, 2, B, '10.1.1.1', udp({ srcPort: 53, dstPort: 5000, payload: new Uint8Array(8) }), 'answer to the NAT address: reply, translated back');
  add(0.01, 2, R, '10.1.1.1', icmpError(3, 3, quotedUdp('10.1.1.1', B, 5000, 53)), 'ICMP error for the translated query: related, translated back');
  add(0.01, 1, A, '10.0.0.200', tcpSeg(40002, 80, TCP_SYN), 'SYN to the service address: DNAT to 10.0.0.2:8080');
  add(0.01, 2, '10.0.0.2', A, tcpSeg(8080, 40002, TCP_SYN | TCP_ACK), 'SYN/ACK from the backend: reply, source translated back');
  add(0.01, 1, A, '10.0.0.200', tcpSeg(40002, 80, TCP_ACK), 'ACK: established, destination translated');
  add(0.01, 1, A, B, tcpSeg(40003, 443, TCP_SYN), 'SYN: SNAT to 10.1.1.1:5000');
  add(0.01, 2, B, '10.1.1.1', tcpSeg(443, 5000, TCP_SYN | TCP_ACK), 'SYN/ACK to the NAT address and port');
  add(0.01, 1, A, B, icmpEcho({ kind: 'request', id: 7, seq: 1 }), 'echo request: new');
  add(0.01, 2, B, A, icmpEcho({ kind: 'reply', id: 7, seq: 1 }), 'echo reply: reply');
  add(0.01, 2, B, A, icmpEcho({ kind: 'reply', id: 8, seq: 1 }), 'echo reply of another id: invalid');
  add(0.01, 1, A, B, udp({ srcPort: 6000, dstPort: 7000 }), 'UDP: new');
  add(59, 1, A, B, udp({ srcPort: 6000, dstPort: 7000 }), 'UDP again 59 s later: within the 60 s first-packet timeout');
  add(59, 1, A, B, udp({ srcPort: 6000, dstPort: 7000 }), 'and again 59 s later (60 s multiple); the answer below shows the connection lasted');
  add(1, 2, B, A, udp({ srcPort: 7000, dstPort: 6000 }), 'answer: both ways now (30 s)');
  add(31, 1, A, B, udp({ srcPort: 6000, dstPort: 7000 }), '31 s idle: expired, new again');
  add(0.01, 1, A, B, icmpEcho({ kind: 'request', id: 9, seq: 1 }), 'echo request');
  add(61, 2, B, A, icmpEcho({ kind: 'reply', id: 9, seq: 1 }), 'echo reply 61 s later: expired');
  add(0.01, 1, A, B, tcpSeg(41000, 22, TCP_SYN), 'SYN');
  add(29, 2, B, A, tcpSeg(22, 41000, TCP_SYN | TCP_ACK), 'SYN/ACK 29 s later: within the 30 s opening timeout');
  add(31, 1, A, B, tcpSeg(41000, 22, TCP_ACK), 'ACK 31 s later: the half-open connection expired');
  add(0.01, 1, A, B, tcpSeg(40000, 22, TCP_ACK), 'the established SSH connection is still there after 4 minutes');
  add(24 * 3600, 1, A, B, tcpSeg(40000, 22, TCP_ACK), 'one day idle: expired');
  const handshake = (port: number) => {
    add(1, 1, A, B, tcpSeg(port, 22, TCP_SYN), `SYN ${port}`);
    add(0.01, 2, B, A, tcpSeg(22, port, TCP_SYN | TCP_ACK), `SYN/ACK ${port}`);
    add(0.01, 1, A, B, tcpSeg(port, 22, TCP_ACK), `ACK ${port}`);
  };
  handshake(42000);
  add(0.01, 1, A, B, tcpSeg(42000, 22, TCP_FIN | TCP_ACK), 'FIN from A');
  add(0.01, 2, B, A, tcpSeg(22, 42000, TCP_ACK), 'B acknowledges: half closed');
  add(14 * 60, 2, B, A, tcpSeg(22, 42000, TCP_ACK), 'half closed, 14 min idle: alive (15 min closing timeout)');
  add(16 * 60, 2, B, A, tcpSeg(22, 42000, TCP_ACK), 'half closed, 16 min idle: expired');
  handshake(43000);
  add(0.01, 1, A, B, tcpSeg(43000, 22, TCP_RST | TCP_ACK), 'RST from A');
  add(31, 1, A, B, tcpSeg(43000, 22, TCP_ACK), '31 s after the reset: expired');
  handshake(44000);
  add(0.01, 1, A, B, tcpSeg(44000, 22, TCP_FIN | TCP_ACK), 'FIN from A');
  add(0.01, 2, B, A, tcpSeg(22, 44000, TCP_FIN | TCP_ACK), 'FIN from B');
  add(0.01, 1, A, B, tcpSeg(44000, 22, TCP_ACK), 'last ACK: closed');
  add(29, 1, A, B, tcpSeg(44000, 22, TCP_ACK), 'closed, 29 s later: still there');
  add(31, 1, A, B, tcpSeg(44000, 22, TCP_ACK), 'closed, 31 s idle: expired');
  const [A6, B6, R6] = ['fd00::1', 'fd00::9', 'fd00::fe'];
  add(1, 1, A6, B6, tcpSeg(45000, 22, TCP_SYN), 'IPv6 SYN');
  add(0.01, 2, B6, A6, tcpSeg(22, 45000, TCP_SYN | TCP_ACK), 'IPv6 SYN/ACK');
  add(0.01, 2, R6, A6, icmpv6Error(2, 0, ipv6({ src: A6, dst: B6, payload: tcpSeg(45000, 22, TCP_ACK) })), 'ICMPv6 packet too big towards A: related, reply');
  add(0.01, 1, R6, A6, icmpv6Error(1, 4, ipv6({ src: A6, dst: B6, payload: tcpSeg(45999, 22, TCP_ACK) })), 'ICMPv6 unreachable about no connection');
  add(0.01, 2, R6, A6, icmpv6Error(2, 0, ipv6({ src: A6, dst: B6, payload: tcpSeg(45000, 22, TCP_ACK) }), 48), 'ICMPv6 error quoting only 8 bytes of TCP: invalid to OVS');
  add(0.01, 1, A6, B6, icmpv6Echo({ kind: 'request', id: 3, seq: 1 }), 'ICMPv6 echo request');
  add(0.01, 2, B6, A6, icmpv6Echo({ kind: 'reply', id: 3, seq: 1 }), 'ICMPv6 echo reply');
  return p;
}

function frameOf(p: Packet): Uint8Array {
  const [src, dst] = p.port === 1 ? [MAC.a, MAC.b] : [MAC.b, MAC.a];
  const v6 = p.src.includes(':');
  return ethernet({ src, dst, etherType: v6 ? 0x86dd : 0x0800, payload: (v6 ? ipv6 : ipv4)({ src: p.src, dst: p.dst, payload: p.payload }) });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** n_packets of every rule of tables 2 and 3, by `table/priority`. */
function ruleCounts(ovs: OvsInstance): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of ovs.ofctl(['dump-flows', 'br0']).split('\n')) {
    const m = /table=(\d+), n_packets=(\d+).* priority=(\d+)/.exec(line);
    if (m && (m[1] === '2' || m[1] === '3')) counts.set(`${m[1]}/${m[3]}`, Number(m[2]));
  }
  return counts;
}

const missing = ovsMissing();

describe('replay conntrack agrees with Open vSwitch user-space conntrack', { skip: missing ?? false, timeout: 240_000 }, () => {
  let ovs: OvsInstance;
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tunnelscope-ct-'));
    ovs = startOvs();
    addBridge(ovs, 'br0', [{ name: 'side-a', ofport: 1 }, { name: 'side-b', ofport: 2 }]);
    writeFileSync(join(work, 'flows.txt'), FLOWS);
    ovs.ofctl(['add-flows', 'br0', join(work, 'flows.txt')]);
    writeFileSync(join(work, 'bridge.txt'), [ovs.vsctl(['show']), ovs.ofctl(['show', 'br0'])].join('\n'));
  });

  after(() => {
    ovs?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('classifies every packet the same: states, timeouts, NAT and the reverse translation', () => {
    const packets = sequence();
    // Open vSwitch: each packet in turn, its clock advanced like the capture's.
    ovs.appctl(['time/stop']);
    const theirs: string[] = [];
    let before = ruleCounts(ovs);
    let clock = 0;
    for (const p of packets) {
      const warp = Math.round((p.at - clock) * 1000);
      if (warp > 0) ovs.appctl(['time/warp', String(warp)]);
      clock = p.at;
      ovs.appctl(['netdev-dummy/receive', p.port === 1 ? 'side-a' : 'side-b', hex(frameOf(p))]);
      ovs.appctl(['revalidator/purge']);
      const now = ruleCounts(ovs);
      const hit = [...now].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k]) => k).sort();
      theirs.push(hit.join(' '));
      before = now;
    }
    // Tunnelscope: the same frames as a capture, replayed.
    const capture = join(work, 'ct.pcapng');
    const writer = createCaptureWriter(capture, { format: 'pcapng', nanosecond: true });
    const ifaces = [writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535, name: 'side-a' }), writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535, name: 'side-b' })];
    for (const p of packets) {
      const ns = Math.round(p.at * 1e9);
      writer.writePacket(ifaces[p.port - 1], 1704067200 + Math.floor(ns / 1e9), ns % 1e9, frameOf(p), undefined, PACKET_INBOUND);
    }
    writer.close();
    const records = execFileSync(process.execPath, [CLI, 'replay', capture, '--flows', join(work, 'flows.txt'), '--bridge', join(work, 'bridge.txt'), '--format', 'jsonl'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { frame: number; microflow?: string; path?: { table: number; priority: number | null }[] });
    const ours = records.map((r) => (r.path ?? []).filter((s) => s.table === 2 || s.table === 3).map((s) => `${s.table}/${s.priority}`).sort().join(' '));
    const disagreements = packets.flatMap((p, i) => (ours[i] === theirs[i] ? [] : [`packet ${i + 1} (${p.note}): ovs ${theirs[i]}, ours ${ours[i]}`]));
    assert.deepEqual(disagreements, []);
    const states = theirs.map((t) => t.split(' ')[0]);
    for (const s of ['2/100', '2/90', '2/89', '2/80', '2/79', '2/70']) assert.ok(states.includes(s), `the sequence reaches ${s}: ${states.join(',')}`);
    // The timing packets test what their notes say (an expired connection makes the packet new again).
    packets.forEach((p, i) => {
      if (/expired/.test(p.note)) assert.ok(['2/70', '2/100'].includes(states[i]), `packet ${i + 1} (${p.note}): ${states[i]}`);
      if (/alive|still there/.test(p.note)) assert.ok(['2/79', '2/80'].includes(states[i]), `packet ${i + 1} (${p.note}): ${states[i]}`);
    });
  });
});
