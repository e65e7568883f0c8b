// Compares `tunnelscope trace` with a real Open vSwitch (user space) on NORMAL and output:FLOOD/ALL:
// the order of flooded outputs, and access / trunk / native VLAN ports (`tag`, `trunks`,
// `vlan_mode`). Two bridges: br0 with ports added out of number order (described by JSON that
// lists the ports in the order they were added) and br1 with ports added in number order (described
// by pasted `ovs-vsctl show` + `ovs-ofctl show`, whose add order the emulator assumes). A -generate
// sequence runs in both so MAC learning per VLAN is compared too; every output must agree in order,
// with its VLAN.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addBridge, datapathPorts, OvsInstance, ovsMissing, OvsPort, ovsTraceOutputs, ovsTraceSteps, rng, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** br0: added in this (non-numeric) order, with every VLAN mode. */
const BR0: (OvsPort & { json: object })[] = [
  { name: 'p7', ofport: 7, port: ['tag=10'], json: { tag: 10 } },
  { name: 'p3', ofport: 3, json: {} },
  { name: 'p12', ofport: 12, port: ['tag=20'], json: { tag: 20 } },
  { name: 'p1', ofport: 1, port: ['trunks=10,30'], json: { trunks: [10, 30] } },
  { name: 'p20', ofport: 20, port: ['tag=10'], json: { tag: 10 } },
  { name: 'p9', ofport: 9, port: ['tag=30', 'vlan_mode=native-untagged', 'trunks=10,30'], json: { tag: 30, vlan_mode: 'native-untagged', trunks: [10, 30] } },
  { name: 'p4', ofport: 4, port: ['tag=20', 'vlan_mode=native-tagged'], json: { tag: 20, vlan_mode: 'native-tagged' } },
  { name: 'p15', ofport: 15, port: ['trunks=20'], json: { trunks: [20] } },
  { name: 'p2', ofport: 2, port: ['tag=30'], json: { tag: 30 } },
  { name: 'p30', ofport: 30, json: {} },
];

/** br1: added in number order, so the assumed order of a pasted `ovs-vsctl show` is the real one. */
const BR1: OvsPort[] = Array.from({ length: 13 }, (_, i) => ({ name: `q${i + 1}`, ofport: i + 1, ...(i % 4 === 1 ? { port: [`tag=${i % 3 === 0 ? 10 : 20}`] } : {}) }));

const FLOWS = 'priority=10,dl_dst=f0:00:00:00:00:01,actions=FLOOD\npriority=10,dl_dst=f0:00:00:00:00:02,actions=ALL\npriority=0,actions=NORMAL\n';

const MACS = ['00:00:00:00:00:01', '00:00:00:00:00:02', '00:00:00:00:00:03', '00:00:00:00:00:04', '00:00:00:00:00:05', '00:00:00:00:00:06'];

function generate(seed: number, count: number, ports: number[]): { flow: string; vlans: number[] }[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const out: { flow: string; vlans: number[] }[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [`in_port=${pick([...ports, ...ports, 'LOCAL', 99])}`];
    const vlan = pick([null, null, null, 0, 10, 20, 30, 40]);
    if (vlan !== null) parts.push(`dl_vlan=${vlan}`, `dl_vlan_pcp=${pick([0, 0, 5])}`);
    parts.push(`dl_src=${pick(MACS)}`, `dl_dst=${pick([...MACS, ...MACS, 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '01:80:c2:00:00:00', 'f0:00:00:00:00:01', 'f0:00:00:00:00:02'])}`);
    out.push({ flow: parts.join(','), vlans: vlan === null ? [] : [vlan] });
  }
  return out;
}

const missing = ovsMissing();

describe('NORMAL and FLOOD agree with Open vSwitch: flood order and VLAN ports', { skip: missing ?? false, timeout: 240_000 }, () => {
  let ovs: OvsInstance;
  let work: string;
  let dp: Map<string, number>;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tunnelscope-normal-'));
    ovs = startOvs();
    addBridge(ovs, 'br0', BR0);
    addBridge(ovs, 'br1', BR1);
    writeFileSync(join(work, 'flows.txt'), FLOWS);
    for (const b of ['br0', 'br1']) ovs.ofctl(['add-flows', b, join(work, 'flows.txt')]);
    writeFileSync(join(work, 'br0.json'), JSON.stringify({ name: 'br0', ports: [{ ofport: 65534, name: 'br0', type: 'internal' }, ...BR0.map((p) => ({ ofport: p.ofport, name: p.name, ...p.json }))] }));
    writeFileSync(join(work, 'br1.txt'), [ovs.vsctl(['show']), ovs.ofctl(['show', 'br1'])].join('\n'));
    dp = datapathPorts(ovs);
  });

  after(() => {
    ovs?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function compare(bridge: string, description: string, cases: { flow: string; vlans: number[] }[]): { disagreements: string[]; kinds: Record<string, number> } {
    const ours = execFileSync(process.execPath, [CLI, 'trace', '--flows', join(work, 'flows.txt'), '--bridge', join(work, description), '--in-bridge', bridge, '--generate', '--format', 'json', ...cases.map((c) => c.flow)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .trim()
      .split('\n')
      .slice(0, cases.length)
      .map((l) => JSON.parse(l) as { steps: { table: number; priority: number | null }[]; outputs: { port: number; vlan: number | null }[]; error?: string });
    const disagreements: string[] = [];
    const kinds = { flood: 0, normalFlood: 0, unicast: 0, drop: 0, vlanDrop: 0, tagged: 0, untagged: 0 };
    cases.forEach((c, i) => {
      const text = ovs.appctl(['ofproto/trace', bridge, c.flow, '-generate']);
      const outputs = ovsTraceOutputs(text, c.vlans);
      const steps = ovsTraceSteps(text);
      const mine = ours[i];
      const myOutputs = mine.outputs.map((o) => ({ dp: dp.get(`${bridge}|${o.port}`) ?? -1, vlan: o.vlan }));
      if (JSON.stringify(myOutputs) !== JSON.stringify(outputs) || JSON.stringify(mine.steps.map((s) => ({ table: s.table, priority: s.priority }))) !== JSON.stringify(steps)) {
        disagreements.push(`${bridge} ${c.flow}\n  ovs:  ${JSON.stringify(outputs)}\n  ours: ${JSON.stringify(myOutputs)} ${mine.error ?? ''}`);
      }
      if (/dl_dst=f0:00:00:00:00:0[12]/.test(c.flow) && outputs.length > 1) kinds.flood++;
      else if (/flooding/.test(text) && outputs.length > 1) kinds.normalFlood++;
      else if (outputs.length === 1) kinds.unicast++;
      else kinds.drop++;
      if (/disallowed VLAN VID/.test(text)) kinds.vlanDrop++;
      for (const o of outputs) {
        if (o.vlan === null) kinds.untagged++;
        else kinds.tagged++;
      }
    });
    return { disagreements, kinds };
  }

  it('br0 (ports added out of number order, JSON in add order): 250 microflows in the same order with the same VLANs', () => {
    const { disagreements, kinds } = compare('br0', 'br0.json', generate(1701, 250, BR0.map((p) => p.ofport)));
    assert.deepEqual(disagreements.slice(0, 4), [], `${disagreements.length} of 250 microflows disagree`);
    assert.ok(kinds.flood > 10 && kinds.normalFlood > 20 && kinds.unicast > 10 && kinds.drop > 20 && kinds.vlanDrop > 10 && kinds.tagged > 50 && kinds.untagged > 50, JSON.stringify(kinds));
  });

  it('br1 (pasted ovs-vsctl show, ports added in number order): 150 microflows in the same order', () => {
    const { disagreements, kinds } = compare('br1', 'br1.txt', generate(1702, 150, BR1.map((p) => p.ofport)));
    assert.deepEqual(disagreements.slice(0, 4), [], `${disagreements.length} of 150 microflows disagree`);
    assert.ok(kinds.flood > 5 && kinds.normalFlood > 10, JSON.stringify(kinds));
  });
});
