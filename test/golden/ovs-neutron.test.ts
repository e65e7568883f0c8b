// Compares `tunnelscope trace` with a real Open vSwitch (user space, dummy datapath) on a Neutron-like
// compute node: br-int with the firewall driver's conntrack flows and a security-group conjunction,
// joined by patch ports to br-tun (VXLAN, learning, ARP responder). The emulator reads what OVS 3.1
// itself prints: br-int dumped with --names, br-tun in OpenFlow 1.3, `ovs-vsctl show` and
// `ovs-ofctl show` of both bridges. Every generated microflow, with each recirculation's conntrack
// state given to both like `ofproto/trace --ct-next`, must visit the same tables at the same
// priorities (across both bridges and recirculations) and leave by the same datapath ports with the
// same VLAN and tunnel; learned flows must be the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BR_INT_FLOWS, BR_TUN_FLOWS } from '../../src/samples/neutron-flows';
import { addBridge, datapathPorts, normaliseDumpFlow, OvsInstance, ovsMissing, ovsTraceOutputs, ovsTraceSteps, rng, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

const VMS = [
  { port: 5, mac: 'fa:16:3e:00:01:01', ip: '10.0.0.1', ll: 'fe80::f816:3eff:fe00:101' },
  { port: 6, mac: 'fa:16:3e:00:01:02', ip: '10.0.0.2', ll: 'fe80::f816:3eff:fe00:102' },
];
const REMOTE = { mac: 'fa:16:3e:00:02:09', ip: '10.0.0.9' };
/** --ct-next for the first and second recirculation (egress, then ingress firewall). */
const CT_PAIRS = [['trk,new', 'trk,new'], ['trk,est', 'trk,est'], ['trk,est,rpl', 'trk,est,rpl'], ['trk,inv', 'trk,inv'], ['trk,new', 'trk,inv'], ['trk,rel', 'trk,est']];

interface Case {
  bridge: 'br-int' | 'br-tun';
  flow: string;
  vlans: number[];
  ct: string[];
}

function generate(count: number): Case[] {
  const next = rng(1717);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const ct = pick(CT_PAIRS);
    const fromTunnel = next() < 0.25;
    const vm = pick(VMS);
    const peerVm = VMS.find((v) => v !== vm)!;
    const other = fromTunnel ? pick(VMS) : pick([peerVm, peerVm, peerVm, REMOTE, { mac: 'fa:16:3e:00:09:99', ip: '10.0.0.77' }]);
    const dst = pick([other.mac, other.mac, other.mac, other.mac, 'ff:ff:ff:ff:ff:ff', '33:33:00:00:00:01', '01:80:c2:00:00:00', '01:80:c2:00:00:0e']);
    const src = fromTunnel ? REMOTE.mac : pick([vm.mac, vm.mac, vm.mac, vm.mac, 'fa:16:3e:00:00:66']);
    const srcIp = fromTunnel ? REMOTE.ip : pick([vm.ip, vm.ip, vm.ip, vm.ip, '10.0.0.66']);
    const parts = fromTunnel ? [`in_port=${pick([3, 4])}`, `tun_id=${pick(['0x64', '0x64', '0x65'])}`] : [`in_port=${vm.port}`];
    const vlans: number[] = [];
    if (!fromTunnel && next() < 0.1) {
      parts.push('dl_vlan=1');
      vlans.push(1);
    }
    parts.push(`dl_src=${src}`, `dl_dst=${dst}`);
    const kind = pick(['tcp', 'tcp', 'tcp', 'udp', 'icmp', 'arp', 'arp', 'ns', 'na', 'ipv6']);
    const dstIp = (other as { ip: string }).ip;
    if (kind === 'tcp') parts.push('tcp', `nw_src=${srcIp}`, `nw_dst=${dstIp}`, `tcp_src=${pick([22, 80, 40000])}`, `tcp_dst=${pick([22, 22, 80, 443])}`, `tcp_flags=${pick(['0x002', '0x012', '0x010', '0x004'])}`);
    else if (kind === 'udp') parts.push('udp', `nw_src=${srcIp}`, `nw_dst=${dstIp}`, `udp_src=${pick([68, 5000])}`, `udp_dst=${pick([67, 53])}`);
    else if (kind === 'icmp') parts.push('icmp', `nw_src=${srcIp}`, `nw_dst=${dstIp}`, `icmp_type=${pick([8, 0, 3])}`);
    else if (kind === 'arp') parts.push('arp', `arp_op=${pick([1, 2])}`, `arp_spa=${srcIp}`, `arp_tpa=${pick([dstIp, '10.0.0.9'])}`, `arp_sha=${src}`);
    else if (kind === 'ns') parts.push('icmp6', 'icmpv6_type=135', `nd_target=${pick([VMS[0].ll, VMS[1].ll, 'fe80::1'])}`, `nd_sll=${src}`);
    else if (kind === 'na') parts.push('icmp6', 'icmpv6_type=136', `nd_target=${pick([VMS[0].ll, VMS[1].ll, 'fe80::1'])}`, `nd_tll=${src}`);
    else parts.push('ipv6');
    cases.push({ bridge: fromTunnel ? 'br-tun' : 'br-int', flow: parts.join(','), vlans, ct });
  }
  return cases;
}

const missing = ovsMissing();

describe('tunnelscope trace agrees with Open vSwitch on a Neutron compute node (br-int firewall + br-tun)', { skip: missing ?? false, timeout: 240_000 }, () => {
  let ovs: OvsInstance;
  let work: string;
  let dp: Map<string, number>;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tunnelscope-neutron-'));
    ovs = startOvs();
    // Ports one at a time in OpenFlow-number order: the add order the emulator assumes for pasted `ovs-vsctl show`.
    addBridge(ovs, 'br-int', [
      { name: 'patch-tun', ofport: 2, type: 'patch', options: ['peer=patch-int'] },
      { name: 'tap-vm1', ofport: 5 },
      { name: 'tap-vm2', ofport: 6 },
    ]);
    addBridge(ovs, 'br-tun', [
      { name: 'patch-int', ofport: 1, type: 'patch', options: ['peer=patch-tun'] },
      { name: 'vxlan-ac10010a', ofport: 3, type: 'vxlan', options: ['remote_ip=172.16.1.10', 'key=flow', 'local_ip=172.16.1.1'] },
      { name: 'vxlan-ac10010b', ofport: 4, type: 'vxlan', options: ['remote_ip=172.16.1.11', 'key=flow', 'local_ip=172.16.1.1'] },
    ]);
    writeFileSync(join(work, 'br-int.txt'), BR_INT_FLOWS);
    writeFileSync(join(work, 'br-tun.txt'), BR_TUN_FLOWS);
    ovs.ofctl(['add-flows', 'br-int', join(work, 'br-int.txt')]);
    ovs.ofctl(['add-flows', 'br-tun', join(work, 'br-tun.txt')]);
    // What an operator pastes: OVS's own output.
    writeFileSync(join(work, 'bridges.txt'), [ovs.vsctl(['show']), ovs.ofctl(['show', 'br-int']), ovs.ofctl(['show', 'br-tun'])].join('\n'));
    writeFileSync(
      join(work, 'flows.txt'),
      ['$ ovs-ofctl --names dump-flows br-int', ovs.ofctl(['--names', 'dump-flows', 'br-int']), '$ ovs-ofctl -O OpenFlow13 dump-flows br-tun', ovs.ofctl(['-O', 'OpenFlow13', 'dump-flows', 'br-tun'])].join('\n'),
    );
    dp = datapathPorts(ovs);
  });

  after(() => {
    ovs?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function ours(bridge: string, ct: string[], flows: string[], extra: string[] = []): { steps: { bridge?: string; table: number; priority: number | null }[]; outputs: { port: number; vlan: number | null; tunId: number; bridge?: string; tunnel?: { remoteIp: string } }[]; error?: string }[] {
    const out = execFileSync(process.execPath, [CLI, 'trace', '--flows', join(work, 'flows.txt'), '--bridge', join(work, 'bridges.txt'), '--in-bridge', bridge, '--format', 'json', ...ct.flatMap((c) => ['--ct-next', c]), ...extra, ...flows], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return out.trim().split('\n').slice(0, flows.length).map((l) => JSON.parse(l));
  }

  it('takes the same tables, priorities and datapath outputs for 300 microflows', () => {
    const cases = generate(300);
    const groups = new Map<string, Case[]>();
    for (const c of cases) {
      const key = `${c.bridge}|${c.ct.join(' ')}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const results = new Map<Case, ReturnType<typeof ours>[number]>();
    for (const [key, group] of groups) {
      const [bridge] = key.split('|');
      ours(bridge, group[0].ct, group.map((c) => c.flow)).forEach((r, i) => results.set(group[i], r));
    }
    const disagreements: string[] = [];
    const kinds = { drop: 0, one: 0, many: 0, normalFloods: 0, recirc: 0, crossed: 0, conj: 0 };
    for (const c of cases) {
      const text = ovs.appctl(['ofproto/trace', c.bridge, c.flow, ...c.ct.flatMap((s) => ['--ct-next', s])]);
      const steps = ovsTraceSteps(text);
      const outputs = ovsTraceOutputs(text, c.vlans);
      const mine = results.get(c)!;
      const mySteps = mine.steps.map((s) => ({ table: s.table, priority: s.priority }));
      const myOutputs = mine.outputs.map((o) => ({ dp: dp.get(`${o.bridge}|${o.port}`) ?? -1, vlan: o.tunnel ? null : o.vlan }));
      // Outputs in order, NORMAL floods included (the ports were added in the order the emulator assumes).
      const same = JSON.stringify(mySteps) === JSON.stringify(steps) && JSON.stringify(myOutputs) === JSON.stringify(outputs);
      if (!same) disagreements.push(`${c.bridge} ${c.flow} --ct-next ${c.ct.join(' --ct-next ')}\n  ovs:  ${JSON.stringify({ steps, outputs })}\n  ours: ${JSON.stringify({ steps: mySteps, outputs: myOutputs, error: mine.error })}`);
      if (outputs.length === 0) kinds.drop++;
      else if (outputs.length === 1) kinds.one++;
      else kinds.many++;
      if (outputs.length > 1 && /flooding/.test(text)) kinds.normalFloods++;
      if (/recirc\(0x/.test(text)) kinds.recirc++;
      if (/bridge\("br-tun"\)/.test(text) && c.bridge === 'br-int') kinds.crossed++;
      if (/conj_id=18/.test(text)) kinds.conj++;
    }
    assert.deepEqual(disagreements.slice(0, 4), [], `${disagreements.length} of ${cases.length} microflows disagree`);
    // The set must exercise drops, unicast, floods, conntrack recirculation, patch ports and the conjunction.
    assert.ok(kinds.drop > 20 && kinds.one > 10 && kinds.many > 10 && kinds.normalFloods > 5 && kinds.recirc > 40 && kinds.crossed > 15 && kinds.conj > 0, JSON.stringify(kinds));
  });

  it('allows a new TCP connection by the security group, its reply as established, and drops an invalid packet', () => {
    const syn = 'in_port=5,dl_src=fa:16:3e:00:01:01,dl_dst=fa:16:3e:00:01:02,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_src=40000,tcp_dst=22,tcp_flags=0x002';
    const synAck = 'in_port=6,dl_src=fa:16:3e:00:01:02,dl_dst=fa:16:3e:00:01:01,tcp,nw_src=10.0.0.2,nw_dst=10.0.0.1,tcp_src=22,tcp_dst=40000,tcp_flags=0x012';
    const stray = 'in_port=5,dl_src=fa:16:3e:00:01:01,dl_dst=fa:16:3e:00:01:02,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_src=40001,tcp_dst=22,tcp_flags=0x010';
    const scenarios: [string, string[], number[]][] = [
      [syn, ['trk,new', 'trk,new'], [dp.get('br-int|6')!]],
      [synAck, ['trk,est,rpl', 'trk,est,rpl'], [dp.get('br-int|5')!]],
      [stray, ['trk,inv'], []],
    ];
    for (const [flow, ct, expected] of scenarios) {
      const text = ovs.appctl(['ofproto/trace', 'br-int', flow, ...ct.flatMap((s) => ['--ct-next', s])]);
      const [mine] = ours('br-int', ct, [flow]);
      assert.deepEqual(ovsTraceOutputs(text, []).map((o) => o.dp), expected, text);
      assert.deepEqual(mine.outputs.map((o) => dp.get(`${o.bridge}|${o.port}`)), expected, JSON.stringify(mine));
      assert.deepEqual(mine.steps.map((s) => [s.table, s.priority]), ovsTraceSteps(text).map((s) => [s.table, s.priority]));
    }
  });

  it('learns the same br-tun flows as ofproto/trace -generate', () => {
    const next = rng(99);
    const sequence: string[] = [];
    for (let i = 0; i < 30; i++) {
      const port = next() < 0.5 ? 3 : 4;
      sequence.push(`in_port=${port},tun_id=0x64,dl_src=fa:16:3e:00:0${2 + Math.floor(next() * 3)}:0${Math.floor(next() * 9)},dl_dst=fa:16:3e:00:01:01,arp,arp_op=2`);
    }
    for (const m of sequence) ovs.appctl(['ofproto/trace', 'br-tun', m, '-generate']);
    const dumped = ovs.ofctl(['dump-flows', 'br-tun', 'table=20']).split('\n').map(normaliseDumpFlow).filter((l): l is string => l !== null && l.includes('cookie=0x4e')).sort();
    const out = execFileSync(process.execPath, [CLI, 'trace', '--flows', join(work, 'flows.txt'), '--bridge', join(work, 'bridges.txt'), '--in-bridge', 'br-tun', '--generate', '--dump-table', '20', '--format', 'json', ...sequence], { encoding: 'utf8' }).trim().split('\n');
    const dump = JSON.parse(out[out.length - 1]) as { flows: string[] };
    assert.ok(dumped.length > 10, `OVS learned ${dumped.length} flows`);
    assert.deepEqual(dump.flows.filter((f) => f.includes('cookie=0x4e')).sort(), dumped);
  });
});
