import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SAMPLE = join(ROOT, 'samples', 'ovs-gre');

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

describe('replay of the ovs-gre sample through the flows of docs/overlay.md', { skip: existsSync(join(SAMPLE, 'host1.pcapng')) ? false : 'samples/ovs-gre/host1.pcapng not present' }, () => {
  it('floods the ARP request, learns from the reply, then sends unicast, and the capture agrees', () => {
    const records = cli(['replay', join(SAMPLE, 'host1.pcapng'), '--flows', join(SAMPLE, 'flows.txt'), '--bridge', join(SAMPLE, 'bridge.json'), '--format', 'jsonl'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ingress = records.filter((r) => r.role === 'ingress');
    assert.ok(ingress.length >= 3);
    assert.ok(records.every((r) => r.role !== 'other'), 'every frame is ingress or egress');
    assert.ok(ingress.every((r) => r.agrees === true), JSON.stringify(ingress.filter((r) => r.agrees !== true)));
    assert.ok(records.filter((r) => r.role === 'egress').every((r) => r.egress.agrees === true));

    const flood = ingress.find((r) => r.decision === 'flood' && r.inPort === 1);
    assert.deepEqual(flood.outputs.map((o: { port: number; tunId: number }) => [o.port, o.tunId]), [[2, 1], [3, 1]]);
    const learn = ingress.find((r) => r.inPort === 2 && r.learned.length > 0);
    assert.equal(learn.tunId, 1);
    assert.match(learn.learned[0], /^table=20,priority=1,vlan_tci=0x0001\/0x0fff,dl_dst=00:00:00:00:02:01,hard_timeout=300,actions=load:0->NXM_OF_VLAN_TCI\[\],load:0x1->NXM_NX_TUN_ID\[\],output:2$/);
    assert.deepEqual(learn.outputs.map((o: { port: number; vlan: number }) => [o.port, o.vlan]), [[1, 1]]);
    const unicast = ingress.find((r) => r.inPort === 1 && r.decision === 'unicast' && r.frame > learn.frame);
    assert.deepEqual(unicast.outputs.map((o: { port: number }) => o.port), [2]);
    assert.equal(unicast.path[unicast.path.length - 1].table, 20);
  });
});

describe('flood-and-learn VTEP model', { skip: existsSync(join(ROOT, 'samples', 'vxlan-three-hosts.pcapng')) ? false : 'sample missing' }, () => {
  it('explains flood versus unicast and learns from received frames', () => {
    const records = cli(['replay', join(ROOT, 'samples', 'vxlan-three-hosts.pcapng'), '--local-vtep', '192.168.100.1', '--format', 'jsonl'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const sends = records.filter((r) => r.role === 'send');
    assert.equal(sends[0].decision, 'flood');
    const firstLearn = records.find((r) => r.role === 'receive' && r.learned.kind === 'learn');
    assert.ok(firstLearn);
    const laterUnicast = sends.find((r) => r.frame > firstLearn.frame && r.innerDst === firstLearn.innerSrc);
    assert.equal(laterUnicast.decision, 'unicast');
    assert.equal(laterUnicast.agrees, true);
  });
});
