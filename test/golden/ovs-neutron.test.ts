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
import { normaliseDumpFlow, OvsInstance, ovsMissing, ovsTraceSteps, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

interface Out {
  dp: number;
  vlan: number | null;
  tunnel: string | null;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Outputs of every "Datapath actions:" line of an ofproto/trace (the first pass, then each
 * recirculation, which starts from the VLAN stack and tunnel the datapath had at its recirc()).
 */
function ovsOutputs(text: string, initialVlans: number[]): Out[] {
  const outputs: Out[] = [];
  const snapshots = new Map<string, { stack: number[]; tunnel: string | null }>();
  let state = { stack: [...initialVlans], tunnel: null as string | null };
  for (const line of text.split('\n')) {
    const resume = /^recirc\((0x[0-9a-f]+)\) - resume/.exec(line);
    if (resume) {
      const s = snapshots.get(resume[1]);
      state = s ? { stack: [...s.stack], tunnel: s.tunnel } : state;
      continue;
    }
    if (!line.startsWith('Datapath actions:')) continue;
    const actions = line.slice('Datapath actions:'.length).trim();
    if (actions === 'drop') continue;
    for (const token of splitTop(actions)) {
      const push = /^push_vlan\((?:tpid=0x[0-9a-f]+,)?vid=(\d+)/.exec(token);
      const tunnel = /^set\(tunnel\(tun_id=(0x[0-9a-f]+),.*?dst=([\d.]+)/.exec(token);
      const recirc = /^recirc\((0x[0-9a-f]+)\)/.exec(token);
      if (push) state.stack.unshift(Number(push[1]));
      else if (token === 'pop_vlan') state.stack.shift();
      else if (tunnel) state.tunnel = `${Number(tunnel[1])}@${tunnel[2]}`;
      else if (recirc) snapshots.set(recirc[1], { stack: [...state.stack], tunnel: state.tunnel });
      else if (/^\d+$/.test(token)) outputs.push({ dp: Number(token), vlan: state.stack.length > 0 ? state.stack[0] : null, tunnel: null });
    }
  }
  return outputs;
}

/** Datapath port numbers by bridge and OpenFlow port, from `dpif/show`. */
function datapathPorts(dpif: string): Map<string, number> {
  const ports = new Map<string, number>();
  let bridge = '';
  for (const line of dpif.split('\n')) {
    const b = /^ {2}(\S+):$/.exec(line);
    if (b) bridge = b[1];
    const p = /^ {4}\S+ (\d+)\/(\d+):/.exec(line);
    if (p) ports.set(`${bridge}|${p[1]}`, Number(p[2]));
  }
  return ports;
}

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
    ovs.vsctl([
      'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail-mode=secure',
      '--', 'add-port', 'br-int', 'tap-vm1', '--', 'set', 'interface', 'tap-vm1', 'type=dummy', 'ofport_request=5',
      '--', 'add-port', 'br-int', 'tap-vm2', '--', 'set', 'interface', 'tap-vm2', 'type=dummy', 'ofport_request=6',
      '--', 'add-port', 'br-int', 'patch-tun', '--', 'set', 'interface', 'patch-tun', 'type=patch', 'options:peer=patch-int', 'ofport_request=2',
      '--', 'add-br', 'br-tun', '--', 'set', 'bridge', 'br-tun', 'datapath_type=netdev', 'fail-mode=secure',
      '--', 'add-port', 'br-tun', 'patch-int', '--', 'set', 'interface', 'patch-int', 'type=patch', 'options:peer=patch-tun', 'ofport_request=1',
      '--', 'add-port', 'br-tun', 'vxlan-ac10010a', '--', 'set', 'interface', 'vxlan-ac10010a', 'type=vxlan', 'options:remote_ip=172.16.1.10', 'options:key=flow', 'options:local_ip=172.16.1.1', 'ofport_request=3',
      '--', 'add-port', 'br-tun', 'vxlan-ac10010b', '--', 'set', 'interface', 'vxlan-ac10010b', 'type=vxlan', 'options:remote_ip=172.16.1.11', 'options:key=flow', 'options:local_ip=172.16.1.1', 'ofport_request=4',
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
    dp = datapathPorts(ovs.appctl(['dpif/show']));
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
    const kinds = { drop: 0, one: 0, many: 0, recirc: 0, crossed: 0, conj: 0 };
    for (const c of cases) {
      const text = ovs.appctl(['ofproto/trace', c.bridge, c.flow, ...c.ct.flatMap((s) => ['--ct-next', s])]);
      const steps = ovsTraceSteps(text);
      const outputs = ovsOutputs(text, c.vlans).map((o) => ({ dp: o.dp, vlan: o.vlan }));
      const mine = results.get(c)!;
      const mySteps = mine.steps.map((s) => ({ table: s.table, priority: s.priority }));
      const myOutputs = mine.outputs.map((o) => ({ dp: dp.get(`${o.bridge}|${o.port}`) ?? -1, vlan: o.tunnel ? null : o.vlan }));
      // NORMAL floods in the order of OVS's internal port list (a hash order); compare those as sets.
      const sort = (xs: { dp: number; vlan: number | null }[]) => (/NORMAL/.test(text) ? [...xs].sort((a, b) => a.dp - b.dp) : xs);
      const same = JSON.stringify(mySteps) === JSON.stringify(steps) && JSON.stringify(sort(myOutputs)) === JSON.stringify(sort(outputs));
      if (!same) disagreements.push(`${c.bridge} ${c.flow} --ct-next ${c.ct.join(' --ct-next ')}\n  ovs:  ${JSON.stringify({ steps, outputs })}\n  ours: ${JSON.stringify({ steps: mySteps, outputs: myOutputs, error: mine.error })}`);
      if (outputs.length === 0) kinds.drop++;
      else if (outputs.length === 1) kinds.one++;
      else kinds.many++;
      if (/recirc\(0x/.test(text)) kinds.recirc++;
      if (/bridge\("br-tun"\)/.test(text) && c.bridge === 'br-int') kinds.crossed++;
      if (/conj_id=18/.test(text)) kinds.conj++;
    }
    assert.deepEqual(disagreements.slice(0, 4), [], `${disagreements.length} of ${cases.length} microflows disagree`);
    // The set must exercise drops, unicast, floods, conntrack recirculation, patch ports and the conjunction.
    assert.ok(kinds.drop > 20 && kinds.one > 10 && kinds.many > 10 && kinds.recirc > 40 && kinds.crossed > 15 && kinds.conj > 0, JSON.stringify(kinds));
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
      assert.deepEqual(ovsOutputs(text, []).map((o) => o.dp), expected, text);
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
