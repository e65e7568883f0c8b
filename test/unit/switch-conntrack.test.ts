// Connection tracking as replay computes it, and the neutron-compute sample replayed end to end
// through the replay driver (br-int firewall with conntrack, patch ports, br-tun VXLAN).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { CaptureFile } from '../../src/capture/capture-file';
import { writeSamples } from '../../src/samples/make-samples';
import { ConnectionTracker, CtRequest, CT_TIMEOUTS, PacketExtras } from '../../src/switch/conntrack';
import { Flow } from '../../src/switch/flow';
import { parseNat } from '../../src/switch/nat';
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_RELATED, CS_REPLY_DIR, CS_TRACKED } from '../../src/switch/fields';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { ReplayRecord } from '../../src/switch/replay';
import { runReplay } from '../../src/switch/replay-driver';

const tcp = (from: string, to: string, sport: number, dport: number, flags: string) =>
  parseMicroflow(`tcp,nw_src=${from},nw_dst=${to},tcp_src=${sport},tcp_dst=${dport},tcp_flags=${flags}`);

/** One packet through the tracker (each call is a new packet). */
function exec(ct: ConnectionTracker, flow: Flow, request: CtRequest, extras: PacketExtras = {}) {
  ct.beginPacket(extras);
  return ct.execute(flow, request);
}

describe('connection tracker', () => {
  it('classifies a TCP connection like Linux conntrack: new, reply established, then established', () => {
    const ct = new ConnectionTracker();
    const syn = tcp('10.0.0.1', '10.0.0.2', 40000, 22, '0x002');
    assert.equal(exec(ct, syn, { zone: 1, commit: false, exec: null }).state, CS_TRACKED | CS_NEW, 'first SYN');
    assert.equal(exec(ct, syn, { zone: 1, commit: true, exec: null }).state, CS_TRACKED | CS_NEW, 'retransmitted SYN, now committed');
    assert.equal(exec(ct, syn, { zone: 1, commit: false, exec: null }).state, CS_TRACKED | CS_NEW, 'orig direction before any reply');
    const synAck = tcp('10.0.0.2', '10.0.0.1', 22, 40000, '0x012');
    assert.equal(exec(ct, synAck, { zone: 1, commit: false, exec: null }).state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 40000, 22, '0x010'), { zone: 1, commit: false, exec: null }).state, CS_TRACKED | CS_ESTABLISHED);
    // Zones are separate tables.
    assert.equal(exec(ct, synAck, { zone: 2, commit: false, exec: null }).state, CS_TRACKED | CS_INVALID, 'a SYN/ACK of no connection in zone 2');
  });

  it('marks as invalid a SYN/ACK or flags no segment carries, and non-IP packets; a bare ACK is picked up as new (as OVS does)', () => {
    const ct = new ConnectionTracker();
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x012'), { zone: 0, commit: true, exec: null }).state, CS_TRACKED | CS_INVALID);
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x001'), { zone: 0, commit: true, exec: null }).state, CS_TRACKED | CS_INVALID);
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x010'), { zone: 0, commit: true, exec: null }).state, CS_TRACKED | CS_NEW);
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x006'), { zone: 0, commit: true, exec: null }).state, CS_TRACKED | CS_INVALID);
    assert.equal(exec(ct, parseMicroflow('arp,arp_op=1'), { zone: 0, commit: true, exec: null }).state, CS_TRACKED | CS_INVALID);
  });

  it('keeps the mark exec() sets on commit, and pairs ICMP echo with its reply', () => {
    const ct = new ConnectionTracker();
    const req = parseMicroflow('icmp,nw_src=10.0.0.1,nw_dst=10.0.0.2,icmp_type=8');
    assert.equal(exec(ct, req, { zone: 3, commit: true, exec: () => ({ mark: 1n, label: 0n }) }).mark, 1n);
    const reply = exec(ct, parseMicroflow('icmp,nw_src=10.0.0.2,nw_dst=10.0.0.1,icmp_type=0'), { zone: 3, commit: false, exec: null });
    assert.equal(reply.state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.equal(reply.mark, 1n);
  });

  it('relates an ICMP error to the connection its quoted packet belongs to, and never opens one', () => {
    const ct = new ConnectionTracker();
    exec(ct, tcp('10.0.0.1', '10.0.0.2', 40000, 22, '0x002'), { zone: 1, commit: true, exec: null });
    const quoted = { dlType: 0x0800n, proto: 6n, src: 0x0a000001n, dst: 0x0a000002n, sport: 40000n, dport: 22n };
    const error = parseMicroflow('icmp,nw_src=10.0.0.254,nw_dst=10.0.0.1,icmp_type=3,icmp_code=4');
    assert.equal(exec(ct, error, { zone: 1, commit: false, exec: null }, { quoted }).state, CS_TRACKED | CS_RELATED | CS_REPLY_DIR, 'towards the originator');
    const back = parseMicroflow('icmp,nw_src=10.0.0.254,nw_dst=10.0.0.2,icmp_type=3,icmp_code=3');
    assert.equal(exec(ct, back, { zone: 1, commit: false, exec: null }, { quoted: { ...quoted, src: quoted.dst, dst: quoted.src, sport: 22n, dport: 40000n } }).state, CS_TRACKED | CS_RELATED);
    assert.equal(exec(ct, error, { zone: 1, commit: true, exec: null }, { quoted: { ...quoted, sport: 1n } }).state, CS_TRACKED | CS_INVALID, 'about no connection');
    assert.equal(exec(ct, error, { zone: 2, commit: true, exec: null }, { quoted }).state, CS_TRACKED | CS_INVALID, 'other zone');
  });

  it('expires idle connections after the default timeout policy, on the caller clock', () => {
    const ct = new ConnectionTracker();
    const out = parseMicroflow('udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=6000,udp_dst=7000');
    const back = parseMicroflow('udp,nw_src=10.0.0.2,nw_dst=10.0.0.1,udp_src=7000,udp_dst=6000');
    exec(ct, out, { zone: 0, commit: true, exec: null, now: 0 });
    assert.equal(exec(ct, back, { zone: 0, commit: false, exec: null, now: CT_TIMEOUTS.otherFirst - 1 }).state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.equal(exec(ct, out, { zone: 0, commit: false, exec: null, now: CT_TIMEOUTS.otherFirst - 1 + CT_TIMEOUTS.otherBidir }).state, CS_TRACKED | CS_NEW, 'idle for the two-way timeout');
    const syn = tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x002');
    exec(ct, syn, { zone: 0, commit: true, exec: null, now: 0 });
    exec(ct, tcp('10.0.0.2', '10.0.0.1', 2, 1, '0x012'), { zone: 0, commit: false, exec: null, now: 1 });
    exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x010'), { zone: 0, commit: false, exec: null, now: 2 });
    assert.equal(exec(ct, tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x010'), { zone: 0, commit: false, exec: null, now: 3600 }).state, CS_TRACKED | CS_ESTABLISHED, 'established lasts a day');
  });

  it('translates with nat(src=...) and translates replies back', () => {
    const ct = new ConnectionTracker();
    const q = parseMicroflow('udp,nw_src=10.0.0.1,nw_dst=10.0.0.9,udp_src=5000,udp_dst=53');
    const first = exec(ct, q, { zone: 5, commit: true, exec: null, nat: parseNat('src=10.1.1.1:4000') });
    assert.deepEqual(first.rewrite, { src: { addr: 0x0a010101n, port: 4000n } });
    const reply = exec(ct, parseMicroflow('udp,nw_src=10.0.0.9,nw_dst=10.1.1.1,udp_src=53,udp_dst=4000'), { zone: 5, commit: false, exec: null, nat: 'restore' });
    assert.equal(reply.state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.deepEqual(reply.rewrite, { dst: { addr: 0x0a000001n, port: 5000n } });
    assert.equal(exec(ct, q, { zone: 5, commit: false, exec: null }).rewrite, undefined, 'no nat asked: no translation');
  });
});

describe('neutron-compute sample replayed end to end', () => {
  it('agrees with every frame: ARP responder, SSH out over VXLAN, blocked SSH in, HTTP in, stray SYN/ACK dropped as invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-neutron-'));
    try {
      writeSamples(dir);
      const base = join(dir, 'neutron-compute');
      const file = CaptureFile.open(join(base, 'vm1.pcapng'));
      const outcome = runReplay({ flowsPath: join(base, 'flows.txt'), bridgePath: join(base, 'bridges.txt') }, (visit) => {
        const ix = file.index;
        new CaptureIndexer(file).run((ctx, f) =>
          visit(ctx, { frame: f + 1, time: ix.tsSec[f] + ix.tsNsec[f] / 1e9, interfaceName: file.interfaces[ix.iface[f]]?.name ?? '', direction: ix.flags[f] & 3, outerSrc: ix.outerSrc[f], outerDst: ix.outerDst[f] }),
        );
      });
      assert.equal(outcome.mode, 'flows');
      const records = outcome.records as ReplayRecord[];
      assert.equal(records.length, 14);
      for (const r of records) {
        if (r.role === 'ingress') assert.equal(r.agrees, true, `frame ${r.frame}: ${JSON.stringify(r)}`);
        if (r.role === 'egress') assert.equal(r.egress?.agrees, true, `frame ${r.frame}: ${JSON.stringify(r)}`);
      }
      const last = (n: number) => records[n - 1].path!.at(-1)!;
      assert.deepEqual([records[8].decision, last(9).match], ['drop', ''], 'SSH to VM1: no rule, table 82 priority 0');
      assert.match(last(14).match!, /ct_state=\+inv\+trk/);
      assert.match(last(5).match!, /ct_state=\+est-rel\+rpl/, 'the SYN/ACK is the reply of the committed connection');
      assert.match(last(12).match ?? '', /dl_dst=fa:16:3e:00:02:09/);
      assert.ok(records[11].path!.some((s) => s.bridge === 'br-int' && /ct_state=\+est-rel\+rpl/.test(s.match ?? '')), 'VM1 answers the ingress connection: reply');
      assert.match(records[4].learned![0], /^br-tun: table=20,.*dl_dst=fa:16:3e:00:02:09.*output:4$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
