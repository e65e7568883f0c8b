// Compares `tunnelscope trace` with a real Open vSwitch (user space, dummy datapath): hundreds of
// generated microflows through the br1 tables of docs/overlay.md plus extra tables (masks, prefixes,
// priorities, load/move, VLAN push/strip, goto_table, recursion limit), and the flows a -generate
// sequence learns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addBridge, normaliseDumpFlow, OvsInstance, ovsDatapathOutputs, ovsMissing, ovsTraceSteps, rng, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const DOMAIN_FLOWS = readFileSync(join(ROOT, 'samples', 'ovs-gre', 'flows.txt'), 'utf8');

/** Extra tables reached from in_port=4 (and one more in_port=5 rule) so the DOMAIN tables stay as they are. */
const EXTRA_FLOWS = `
table=0,priority=10,in_port=4,actions=goto_table:30
table=0,priority=10,in_port=5,dl_vlan=5,actions=resubmit(4,30),output:1
table=30,priority=100,ip,nw_src=10.1.0.0/16,nw_dst=10.2.3.0/255.255.255.0,actions=load:0x5->NXM_NX_REG0[0..7],resubmit(,31)
table=30,priority=90,tcp,tp_dst=80,actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:1,resubmit(,32)
table=30,priority=90,udp,tp_src=53,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:0x77->tun_id,output:2
table=30,priority=80,arp,arp_tpa=10.0.0.0/8,arp_op=1,actions=set_tunnel64:0x100000002,output:3,goto_table:31
table=30,priority=70,dl_src=00:00:00:00:02:00/ff:ff:ff:ff:ff:00,actions=mod_vlan_vid:20,output:2,strip_vlan,output:3
table=30,priority=60,vlan_tci=0x1000/0x1000,actions=strip_vlan,output:3,resubmit(,33)
table=30,priority=50,icmp,actions=in_port,output:4,output:1
table=30,priority=40,dl_type=0x88cc,actions=resubmit(,34)
table=30,priority=1,actions=resubmit(,35)
table=31,priority=5,reg0=0x5,actions=output:3
table=31,priority=5,tun_id=0x100000002,actions=output:1
table=32,priority=1,tcp,tp_dst=80,dl_vlan=10,actions=pop_vlan,output:2,in_port
table=33,priority=3,dl_vlan=2,actions=output:1
table=33,priority=1,actions=mod_vlan_vid:7,output:2,resubmit(,36)
table=36,priority=1,actions=push_vlan:0x8100,output:1
table=34,priority=5,actions=resubmit(,34)
table=35,priority=7,ipv6,actions=output:1
table=35,priority=7,dl_dst=ff:ff:ff:ff:ff:ff,actions=set_field:5->reg1,output:NXM_NX_REG1[0..15]
table=35,priority=2,tun_id=0x2/0x2,actions=output:2
`;

const MACS = ['00:00:00:00:01:01', '00:00:00:00:02:01', '00:00:00:00:02:07', '00:00:00:00:03:02', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:11:22:33:44:55'];
const IPS = ['10.1.2.3', '10.2.3.4', '10.2.4.4', '192.168.1.1', '10.9.9.9'];

function generateMicroflows(count: number): { text: string; vlans: number[] }[] {
  const next = rng(4242);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const out: { text: string; vlans: number[] }[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [`in_port=${pick([1, 1, 2, 2, 3, 4, 4, 4, 5, 6])}`];
    const tun = pick([0, 1, 2, 3, 0x100000002]);
    if (tun) parts.push(`tun_id=0x${tun.toString(16)}`);
    const vlan = pick([null, null, 1, 2, 5, 10]);
    if (vlan !== null) parts.push(`dl_vlan=${vlan}`);
    parts.push(`dl_src=${pick(MACS.filter((m) => !m.startsWith('ff') && !m.startsWith('01')))}`, `dl_dst=${pick(MACS)}`);
    const kind = pick(['arp', 'ip', 'tcp', 'udp', 'icmp', 'ipv6', 'lldp', 'none']);
    if (kind === 'arp') parts.push('arp', `arp_op=${pick([1, 2])}`, `arp_spa=${pick(IPS)}`, `arp_tpa=${pick(IPS)}`);
    else if (kind === 'ip') parts.push('ip', `nw_src=${pick(IPS)}`, `nw_dst=${pick(IPS)}`);
    else if (kind === 'tcp' || kind === 'udp') // ofproto/trace reads tp_src as tcp_src, so UDP ports go by their own names.
      parts.push(kind, `nw_src=${pick(IPS)}`, `nw_dst=${pick(IPS)}`, `${kind}_src=${pick([53, 80, 1234])}`, `${kind}_dst=${pick([53, 80, 4321])}`);
    else if (kind === 'icmp') parts.push('icmp', `nw_src=${pick(IPS)}`, `nw_dst=${pick(IPS)}`);
    else if (kind === 'ipv6') parts.push('ipv6');
    else if (kind === 'lldp') parts.push('dl_type=0x88cc');
    out.push({ text: parts.join(','), vlans: vlan === null ? [] : [vlan] });
  }
  return out;
}

function tunnelscope(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const missing = ovsMissing();

describe('tunnelscope trace agrees with Open vSwitch ofproto/trace', { skip: missing ?? false, timeout: 90_000 }, () => {
  let ovs: OvsInstance;
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tunnelscope-trace-'));
    ovs = startOvs();
    addBridge(ovs, 'br1', [
      { name: 'vm-side', ofport: 1 },
      { name: 'gre-host2', ofport: 2, type: 'gre', options: ['remote_ip=172.16.0.2', 'key=flow'] },
      { name: 'gre-host3', ofport: 3, type: 'gre', options: ['remote_ip=172.16.0.3', 'key=flow'] },
      { name: 'p4', ofport: 4 },
    ]);
    writeFileSync(join(work, 'bridge.json'), JSON.stringify({
      name: 'br1',
      localVtep: '172.16.0.1',
      ports: [
        { ofport: 1, name: 'vm-side', type: 'vm' },
        { ofport: 2, name: 'gre-host2', type: 'gre', remoteIp: '172.16.0.2', key: 'flow' },
        { ofport: 3, name: 'gre-host3', type: 'gre', remoteIp: '172.16.0.3', key: 'flow' },
        { ofport: 4, name: 'p4', type: 'vm' },
      ],
    }));
    const dpif = ovs.appctl(['dpif/show']);
    for (const port of [1, 2, 3, 4]) assert.match(dpif, new RegExp(` ${port}/${port}:`), `datapath port numbers equal OpenFlow numbers:\n${dpif}`);
  });

  after(() => {
    ovs?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('visits the same tables and outputs the same ports and VLANs for 400 microflows', () => {
    const flows = DOMAIN_FLOWS + EXTRA_FLOWS;
    writeFileSync(join(work, 'flows.txt'), flows);
    ovs.ofctl(['del-flows', 'br1']);
    // goto_table and push_vlan need OpenFlow 1.1+, but over OpenFlow 1.3 ovs-ofctl encodes mod_vlan_vid as an
    // unconditional push_vlan+set_field; the other flows go over OpenFlow 1.0 to keep "push if untagged".
    const lines = flows.split('\n').filter((l) => l.trim() !== '');
    writeFileSync(join(work, 'of13.txt'), lines.filter((l) => /goto_table|push_vlan/.test(l)).join('\n') + '\n');
    writeFileSync(join(work, 'of10.txt'), lines.filter((l) => !/goto_table|push_vlan/.test(l)).join('\n') + '\n');
    ovs.ofctl(['add-flows', 'br1', join(work, 'of10.txt')]);
    ovs.ofctl(['-O', 'OpenFlow13', 'add-flows', 'br1', join(work, 'of13.txt')]);
    const microflows = generateMicroflows(400);
    const ours = tunnelscope(['trace', '--flows', join(work, 'flows.txt'), '--bridge', join(work, 'bridge.json'), '--format', 'json', ...microflows.map((m) => m.text)])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { microflow: string; steps: { table: number; priority: number | null }[]; outputs: { port: number; vlan: number | null }[]; drop: boolean; error?: string });
    assert.equal(ours.length, microflows.length);
    let agreed = 0;
    const disagreements: string[] = [];
    const kinds = { drop: 0, output: 0, multi: 0, error: 0 };
    microflows.forEach((m, i) => {
      const text = ovs.appctl(['ofproto/trace', 'br1', m.text]);
      const steps = ovsTraceSteps(text);
      const { outputs, failed } = ovsDatapathOutputs(text, m.vlans);
      const mine = ours[i];
      const mySteps = mine.steps.map((s) => ({ table: s.table, priority: s.priority }));
      const myOutputs = mine.outputs.map((o) => ({ port: o.port, vlan: o.vlan }));
      const same = JSON.stringify(mySteps) === JSON.stringify(steps) && JSON.stringify(myOutputs) === JSON.stringify(outputs) && failed === (mine.error !== undefined) && mine.drop === (outputs.length === 0);
      if (same) agreed++;
      else disagreements.push(`${m.text}\n  ovs:  ${JSON.stringify({ steps, outputs, failed })}\n  ours: ${JSON.stringify({ steps: mySteps, outputs: myOutputs, error: mine.error })}`);
      if (failed) kinds.error++;
      else if (outputs.length === 0) kinds.drop++;
      else if (outputs.length === 1) kinds.output++;
      else kinds.multi++;
    });
    assert.deepEqual(disagreements.slice(0, 5), [], `${disagreements.length} of ${microflows.length} microflows disagree`);
    assert.equal(agreed, microflows.length);
    // The generated set must exercise every kind of outcome, or the comparison proves little.
    assert.ok(kinds.drop > 20 && kinds.output > 20 && kinds.multi > 20 && kinds.error > 0, JSON.stringify(kinds));
  });

  it('resubmit(,T) then resubmit:PORT: the second looks up the table the rule is in, as OVS does (outputs 4 then 3)', () => {
    const flows = [
      'table=0,priority=10,in_port=6,actions=resubmit(,41),resubmit:7',
      'table=0,priority=10,in_port=7,actions=output:3',
      'table=41,priority=10,in_port=6,actions=output:4',
    ].join('\n') + '\n';
    writeFileSync(join(work, 'resubmit.txt'), flows);
    ovs.ofctl(['del-flows', 'br1']);
    ovs.ofctl(['add-flows', 'br1', join(work, 'resubmit.txt')]);
    const microflow = 'in_port=6,dl_src=00:00:00:00:01:01,dl_dst=00:00:00:00:02:01';
    const { outputs } = ovsDatapathOutputs(ovs.appctl(['ofproto/trace', 'br1', microflow]), []);
    assert.deepEqual(outputs.map((o) => o.port), [4, 3], 'real Open vSwitch');
    const [mine] = tunnelscope(['trace', '--flows', join(work, 'resubmit.txt'), '--bridge', join(work, 'bridge.json'), '--format', 'json', microflow])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outputs: { port: number }[] });
    assert.deepEqual(mine.outputs.map((o) => o.port), [4, 3]);
  });

  it('learns the same flows as ofproto/trace -generate, in sequence', () => {
    writeFileSync(join(work, 'domain.txt'), DOMAIN_FLOWS);
    ovs.ofctl(['del-flows', 'br1']);
    ovs.ofctl(['add-flows', 'br1', join(work, 'domain.txt')]);
    const next = rng(7);
    const sequence: string[] = [];
    for (let i = 0; i < 40; i++) {
      const port = next() < 0.5 ? 2 : 3;
      const tun = 1 + Math.floor(next() * 3);
      const host = 2 + Math.floor(next() * 2);
      const vm = 1 + Math.floor(next() * 4);
      sequence.push(`in_port=${port},tun_id=0x${tun},dl_src=00:00:00:00:0${host}:0${vm},dl_dst=00:00:00:00:01:01,arp,arp_op=2`);
      // Local traffic in between uses what has been learned so far.
      sequence.push(`in_port=1,dl_vlan=${1 + Math.floor(next() * 2)},dl_src=00:00:00:00:01:01,dl_dst=00:00:00:00:0${host}:0${vm},ip`);
    }
    for (const m of sequence) ovs.appctl(['ofproto/trace', 'br1', m, '-generate']);
    const dumped = ovs.ofctl(['dump-flows', 'br1', 'table=20']).split('\n').map(normaliseDumpFlow).filter((l): l is string => l !== null).sort();
    const lines = tunnelscope(['trace', '--flows', join(work, 'domain.txt'), '--generate', '--dump-table', '20', '--format', 'json', ...sequence]).trim().split('\n');
    const dump = JSON.parse(lines[lines.length - 1]) as { table: number; flows: string[] };
    assert.equal(dump.table, 20);
    assert.ok(dumped.length > 10, `OVS learned ${dumped.length} flows`);
    assert.deepEqual([...dump.flows].sort(), dumped);
  });
});
