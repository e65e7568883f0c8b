// Compares the bucket `tunnelscope trace` picks in select groups with the one a real Open vSwitch
// (user space) picks for the same packet: OVS receives each packet on a dummy port and its group
// statistics say which bucket counted it. Three groups read from OVS's own `dump-groups` output:
// equal weights (the default selection method), weights 10/30/60 with explicit bucket ids, and
// selection_method=dp_hash with a symmetric-L4 parameter and a basis.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ethernet } from '../../src/craft/ethernet';
import { ipv4, ipv6 } from '../../src/craft/ip';
import { tcp, udp } from '../../src/craft/transport';
import { addBridge, OvsInstance, ovsMissing, rng, startOvs } from '../helpers/ovs';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

const GROUPS = `group_id=1,type=select,bucket=output:4,bucket=output:5,bucket=output:6
group_id=2,type=select,bucket=bucket_id:5,weight:10,actions=output:4,bucket=bucket_id:7,weight:30,actions=output:5,bucket=bucket_id:9,weight:60,actions=output:6
group_id=3,type=select,selection_method=dp_hash,selection_method_param=0x100001234,bucket=output:4,bucket=output:5,bucket=output:6,bucket=output:7
`;
const FLOWS = 'in_port=1,actions=group:1\nin_port=2,actions=group:2\nin_port=3,actions=group:3\n';
/** Output port of each bucket position, per group. */
const BUCKET_PORTS: Record<number, number[]> = { 1: [4, 5, 6], 2: [4, 5, 6], 3: [4, 5, 6, 7] };

interface Case {
  port: 1 | 2 | 3;
  microflow: string;
  bytes: Uint8Array;
}

function generate(count: number): Case[] {
  const next = rng(4711);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const port = (1 + (i % 3)) as 1 | 2 | 3;
    const v6 = next() < 0.25;
    const proto = pick(['tcp', 'tcp', 'udp']);
    const sport = 1024 + Math.floor(next() * 60000);
    const dport = pick([22, 53, 80, 443]);
    const src = v6 ? `fd00::${(1 + Math.floor(next() * 4000)).toString(16)}` : `10.${Math.floor(next() * 4)}.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 250)}`;
    const dst = v6 ? pick(['fd00::99', 'fd00:1::5']) : pick(['10.9.0.1', '192.168.7.7']);
    const l4 = proto === 'tcp' ? tcp({ srcPort: sport, dstPort: dport, seq: 1, flags: 0x02 }) : udp({ srcPort: sport, dstPort: dport });
    const bytes = ethernet({ src: '00:00:00:00:00:01', dst: '00:00:00:00:00:02', etherType: v6 ? 0x86dd : 0x0800, payload: (v6 ? ipv6 : ipv4)({ src, dst, payload: l4 }) });
    const family = v6 ? `${proto}6,ipv6_src=${src},ipv6_dst=${dst}` : `${proto},nw_src=${src},nw_dst=${dst}`;
    cases.push({ port, microflow: `in_port=${port},${family},${proto}_src=${sport},${proto}_dst=${dport}`, bytes });
  }
  return cases;
}

const missing = ovsMissing();

describe('select groups pick the bucket Open vSwitch picks', { skip: missing ?? false, timeout: 240_000 }, () => {
  let ovs: OvsInstance;
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tunnelscope-select-'));
    ovs = startOvs();
    addBridge(ovs, 'br0', [1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: `p${n}`, ofport: n })));
    writeFileSync(join(work, 'groups.txt'), GROUPS);
    writeFileSync(join(work, 'flows.txt'), FLOWS);
    ovs.ofctl(['-O', 'OpenFlow15', 'add-groups', 'br0', join(work, 'groups.txt')]);
    ovs.ofctl(['add-flows', 'br0', join(work, 'flows.txt')]);
    // What an operator pastes: the flows, then OVS's own dump-groups output.
    writeFileSync(join(work, 'pasted.txt'), [ovs.ofctl(['dump-flows', 'br0']), ovs.ofctl(['-O', 'OpenFlow15', 'dump-groups', 'br0'])].join('\n'));
    writeFileSync(join(work, 'bridge.txt'), [ovs.vsctl(['show']), ovs.ofctl(['show', 'br0'])].join('\n'));
  });

  after(() => {
    ovs?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Bucket positions' packet counts, by `group/position`. */
  function bucketCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const line of ovs.ofctl(['-O', 'OpenFlow15', 'dump-group-stats', 'br0']).split('\n')) {
      const g = /group_id=(\d+)/.exec(line);
      if (g) for (const m of line.matchAll(/bucket(\d+):packet_count=(\d+)/g)) counts.set(`${g[1]}/${m[1]}`, Number(m[2]));
    }
    return counts;
  }

  it('agrees on 150 IPv4 and IPv6 TCP/UDP packets over equal weights, weights 10/30/60 and dp_hash with a basis', () => {
    const cases = generate(150);
    const theirs: number[] = [];
    let before = bucketCounts();
    for (const c of cases) {
      ovs.appctl(['netdev-dummy/receive', `p${c.port}`, Buffer.from(c.bytes).toString('hex')]);
      ovs.appctl(['revalidator/purge']);
      const now = bucketCounts();
      const hits = [...now].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k]) => k);
      assert.equal(hits.length, 1, `${c.microflow}: OVS counted ${hits.join(', ') || 'no bucket'}`);
      theirs.push(BUCKET_PORTS[c.port][Number(hits[0].split('/')[1])]);
      before = now;
    }
    const ours = execFileSync(process.execPath, [CLI, 'trace', '--flows', join(work, 'pasted.txt'), '--bridge', join(work, 'bridge.txt'), '--format', 'json', ...cases.map((c) => c.microflow)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outputs: { port: number }[]; error?: string });
    const disagreements = cases.flatMap((c, i) => (ours[i].outputs.length === 1 && ours[i].outputs[0].port === theirs[i] ? [] : [`${c.microflow}: ovs port ${theirs[i]}, ours ${JSON.stringify(ours[i].outputs.map((o) => o.port))} ${ours[i].error ?? ''}`]));
    assert.deepEqual(disagreements, []);
    // Every bucket of every group is taken at least once, so the comparison covers the weights.
    for (const [group, ports] of Object.entries(BUCKET_PORTS)) {
      const taken = new Set(theirs.filter((_, i) => cases[i].port === Number(group)));
      assert.equal(taken.size, ports.length, `group ${group} buckets taken: ${[...taken].join(',')}`);
    }
  });

  it('selection_method=hash: the same bucket as ofproto/trace for 120 microflows (fields, masks, weights, basis)', () => {
    const groups = `group_id=11,type=select,selection_method=hash,fields(ip_src,tcp_dst),bucket=output:4,bucket=output:5,bucket=output:6
group_id=12,type=select,selection_method=hash,selection_method_param=7,fields(eth_dst,ip_dst=255.255.255.0,ipv6_src,udp_src),bucket=bucket_id:3,weight:20,actions=output:5,bucket=bucket_id:8,weight:80,actions=output:6,bucket=bucket_id:9,weight:50,actions=output:7
`;
    writeFileSync(join(work, 'hash-groups.txt'), groups);
    ovs.ofctl(['-O', 'OpenFlow15', 'add-groups', 'br0', join(work, 'hash-groups.txt')]);
    writeFileSync(join(work, 'hash-flows.txt'), 'priority=40000,in_port=1,actions=group:11\npriority=40000,in_port=2,actions=group:12\n');
    ovs.ofctl(['add-flows', 'br0', join(work, 'hash-flows.txt')]);
    writeFileSync(join(work, 'hash-pasted.txt'), [ovs.ofctl(['dump-flows', 'br0']), ovs.ofctl(['-O', 'OpenFlow15', 'dump-groups', 'br0'])].join('\n'));
    const cases = generate(120).map((c, i) => ({ ...c, microflow: `${c.microflow.replace(/^in_port=3/, 'in_port=1')},dl_dst=00:00:00:00:${(i % 7).toString(16).padStart(2, '0')}:${((i * 37) % 256).toString(16).padStart(2, '0')}` }));
    const ours = execFileSync(process.execPath, [CLI, 'trace', '--flows', join(work, 'hash-pasted.txt'), '--bridge', join(work, 'bridge.txt'), '--format', 'json', ...cases.map((c) => c.microflow)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outputs: { port: number }[]; error?: string });
    const taken = new Set<number>();
    const disagreements = cases.flatMap((c, i) => {
      const text = ovs.appctl(['ofproto/trace', 'br0', c.microflow]);
      const out = /Datapath actions: (\d+)$/m.exec(text);
      const theirs = out ? Number(out[1]) : -1;
      taken.add(theirs);
      const mine = ours[i].outputs.map((o) => o.port);
      return mine.length === 1 && mine[0] === theirs ? [] : [`${c.microflow}: ovs ${theirs}, ours ${JSON.stringify(mine)} ${ours[i].error ?? ''}`];
    });
    assert.deepEqual(disagreements.slice(0, 5), [], `${disagreements.length} of ${cases.length} disagree`);
    assert.equal(taken.size, 4, `outputs taken: ${[...taken].join(',')}`);
  });
});
