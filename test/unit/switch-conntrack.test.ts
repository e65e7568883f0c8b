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
import { ConnectionTracker } from '../../src/switch/conntrack';
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_REPLY_DIR, CS_TRACKED } from '../../src/switch/fields';
import { parseMicroflow } from '../../src/switch/match-syntax';
import { ReplayRecord } from '../../src/switch/replay';
import { runReplay } from '../../src/switch/replay-driver';

const tcp = (from: string, to: string, sport: number, dport: number, flags: string) =>
  parseMicroflow(`tcp,nw_src=${from},nw_dst=${to},tcp_src=${sport},tcp_dst=${dport},tcp_flags=${flags}`);

describe('connection tracker', () => {
  it('classifies a TCP connection like Linux conntrack: new, reply established, then established', () => {
    const ct = new ConnectionTracker();
    const syn = tcp('10.0.0.1', '10.0.0.2', 40000, 22, '0x002');
    assert.equal(ct.execute(syn, 1, false, null).state, CS_TRACKED | CS_NEW, 'first SYN');
    assert.equal(ct.execute(syn, 1, true, null).state, CS_TRACKED | CS_NEW, 'retransmitted SYN, now committed');
    assert.equal(ct.execute(syn, 1, false, null).state, CS_TRACKED | CS_NEW, 'orig direction before any reply');
    const synAck = tcp('10.0.0.2', '10.0.0.1', 22, 40000, '0x012');
    assert.equal(ct.execute(synAck, 1, false, null).state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.equal(ct.execute(tcp('10.0.0.1', '10.0.0.2', 40000, 22, '0x010'), 1, false, null).state, CS_TRACKED | CS_ESTABLISHED);
    // Zones are separate tables.
    assert.equal(ct.execute(synAck, 2, false, null).state, CS_TRACKED | CS_INVALID, 'a SYN/ACK of no connection in zone 2');
  });

  it('marks as invalid a TCP packet that opens nothing, SYN with RST, and non-IP packets', () => {
    const ct = new ConnectionTracker();
    assert.equal(ct.execute(tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x010'), 0, true, null).state, CS_TRACKED | CS_INVALID);
    assert.equal(ct.execute(tcp('10.0.0.1', '10.0.0.2', 1, 2, '0x006'), 0, true, null).state, CS_TRACKED | CS_INVALID);
    assert.equal(ct.execute(parseMicroflow('arp,arp_op=1'), 0, true, null).state, CS_TRACKED | CS_INVALID);
  });

  it('keeps the mark exec() sets on commit, and pairs ICMP echo with its reply', () => {
    const ct = new ConnectionTracker();
    const req = parseMicroflow('icmp,nw_src=10.0.0.1,nw_dst=10.0.0.2,icmp_type=8');
    assert.equal(ct.execute(req, 3, true, () => ({ mark: 1n, label: 0n })).mark, 1n);
    const reply = ct.execute(parseMicroflow('icmp,nw_src=10.0.0.2,nw_dst=10.0.0.1,icmp_type=0'), 3, false, null);
    assert.equal(reply.state, CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR);
    assert.equal(reply.mark, 1n);
  });
});

describe('neutron-compute sample replayed end to end', () => {
  it('agrees with every frame: ARP responder, SSH out over VXLAN, blocked SSH in, HTTP in, invalid ACK dropped', () => {
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
