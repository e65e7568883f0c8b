// Display filters against tshark's: for each filter, the frames it selects from the samples (merged into
// one capture) must be exactly the frames `tshark -Y` selects. tshark's answers are kept in test-output/
// while the captures, the filter list and the tshark version are unchanged (a tshark start per filter is
// slow); the comparison itself is ours, every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { compileFilter } from '../../src/filter';
import { forEachMatchingFrame } from '../../src/filter/filtered-pass';
import { haveProgram, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { TSHARK_SKIP_REASON } from './tshark-fields';

const CAPTURES = ['vxlan-three-hosts.pcapng', 'nvgre.pcapng', 'geneve.pcapng', 'gre-two-routers.pcap', 'mpls-over-gre.pcapng', 'vxlan-erspan-mirror.pcapng', 'vxlan-underlay-fragmented.pcapng', 'vxlan-vm-migration.pcapng'];

/**
 * Filters over every kind of field, operator, literal and combination the samples can tell apart. Left out:
 * syntax tshark 4.0 does not know yet (`^^`, sets without commas, `#-1` layers, `== true`), slices and
 * functions (not supported here), and `contains` on a protocol other than frame or a tunnel header: tshark
 * searches from the protocol's first byte to the end of its payload ("udp contains 08:00:00:00" finds a
 * VXLAN header), Tunnelscope only the protocol's own header (a known difference).
 */
const FILTERS = [
  // protocols and fields present
  'vxlan', 'arp', 'icmp', 'tcp', 'udp', 'ipv6', 'gre', 'geneve', 'mpls', 'erspan', '!vxlan', 'not ip', 'vxlan.vni', 'gre.key', 'tcp.flags.syn',
  // integers: every comparison, each base, both spellings
  'vxlan.vni == 101', 'vxlan.vni eq 102', 'vxlan.vni != 101', 'vxlan.vni ne 101', 'vxlan.vni < 102', 'vxlan.vni lt 101', 'vxlan.vni <= 101',
  'vxlan.vni le 100', 'vxlan.vni > 101', 'vxlan.vni gt 100', 'vxlan.vni >= 102', 'vxlan.vni ge 101', 'vxlan.vni == 0x65', 'vxlan.vni == 0145',
  'vxlan.vni in {101, 103}', 'vxlan.vni in {100..101}', 'vxlan.vni in {102..200}', 'udp.port == 4789', 'udp.dstport != 4789', 'udp.srcport > 40000',
  'frame.len > 100', 'frame.len <= 60', 'frame.len >= 1000', 'ip.ttl < 64', 'ip.ttl == 64', 'ip.proto == 47', 'ip.proto == 17', 'eth.type == 0x0806',
  'arp.opcode == 1', 'arp.opcode == 2', 'icmp.type == 8', 'icmp.type == 0', 'tcp.port == 80', 'tcp.dstport == 22', 'tcp.len > 0', 'udp.length > 100',
  'gre.proto == 0x6558', 'gre.proto == 0x0800', 'gre.key == 0x00100001', 'geneve.vni > 0', 'ip.flags.mf == 1', 'ip.frag_offset > 0', 'mpls.label == 16',
  // booleans
  'tcp.flags.syn == 1', 'tcp.flags.syn == 0', 'tcp.flags.ack == 1 && tcp.flags.syn == 0', 'tcp.flags.syn == True', 'vxlan.flag_i == 1',
  // addresses: exact, networks, both directions, layers
  'ip.src == 10.0.0.1', 'ip.addr == 10.0.0.2', 'ip.dst != 10.0.0.2', 'ip.src == 192.168.0.0/16', 'ip.dst == 10.0.0.0/8', 'ip.addr == 172.16.0.0/12',
  'ip.src == 10.0.0.0/31', 'ip.src in {10.0.0.1, 10.0.0.3}', 'ip.src#1 == 192.168.1.10', 'ip.src#2 == 10.0.0.1', 'ip#2',
  'ip.src > 10.0.0.1', 'ipv6.src == fe80::/10', 'ipv6.addr == ::1', 'eth.dst == ff:ff:ff:ff:ff:ff', 'eth.src == fa:16:3e:00:00:01', 'eth.addr == 33:33:00:00:00:01',
  'eth.dst == ff-ff-ff-ff-ff-ff', 'eth.dst == ffff.ffff.ffff', 'eth.src#2 == fa:16:3e:00:00:01',
  // bytes and strings
  'eth.dst contains ff:ff', 'vxlan contains 00:00:65', 'frame contains "abc"', 'arp.src.proto_ipv4 == 10.0.0.1',
  'frame contains 0a:00:00:01', 'frame contains 0a:00:00:02:00',
  // combinations
  'vxlan && arp', 'vxlan and icmp', 'arp || icmp', 'arp or tcp', '!(vxlan.vni == 101)', 'not vxlan.vni == 101',
  '(arp || icmp) && vxlan.vni == 102', 'arp || icmp && vxlan.vni == 102', 'vxlan.vni == 101 && ip.src == 10.0.0.1 || arp', '!arp && !icmp && vxlan',
  'ip.src == 10.0.0.1 && ip.dst == 10.0.0.2', 'udp.port == 4789 && !vxlan', 'gre && !(gre.key)', 'vxlan.vni any_eq 101', 'vxlan.vni all_eq 101', 'ip.addr ~= 10.0.0.1',
  'ip.src != 10.0.0.1', 'ip.addr != 10.0.0.1', 'udp.port in {4789, 6081}', 'ip.len > 100 && ip.len < 200', 'frame.number > 10 && frame.number <= 20',
];

function mergedCapture(): string {
  const out = path.join(TEST_OUTPUT, 'filter-tshark');
  fs.mkdirSync(out, { recursive: true });
  const merged = path.join(out, 'samples-merged.pcapng');
  if (!fs.existsSync(merged)) execFileSync('mergecap', ['-a', '-F', 'pcapng', '-w', merged, ...CAPTURES.map((c) => path.join(SAMPLES, c))], { stdio: 'ignore' });
  return merged;
}

/**
 * Frame numbers tshark selects for each filter ([-1]: tshark rejects it), kept per filter in test-output/
 * while the capture and the tshark version are unchanged.
 */
function tsharkSelections(capture: string): Map<string, number[]> {
  const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const key = createHash('sha256').update(version).update(fs.readFileSync(capture)).digest('hex');
  const cacheFile = path.join(path.dirname(capture), 'tshark-selections.json');
  let cached: Record<string, number[]> = {};
  try {
    const stored = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (stored.key === key) cached = stored.selections;
  } catch {
    // no cache yet
  }
  const selections = new Map<string, number[]>();
  for (const filter of FILTERS) {
    if (cached[filter] === undefined) {
      try {
        const out = execFileSync('tshark', ['-n', '-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        cached[filter] = out.split('\n').filter((l) => l !== '').map(Number);
      } catch {
        cached[filter] = [-1];
      }
    }
    selections.set(filter, cached[filter]);
  }
  fs.writeFileSync(cacheFile, JSON.stringify({ key, selections: cached }));
  return selections;
}

function ourSelection(capture: string, filter: string): number[] {
  const file = CaptureFile.open(capture);
  try {
    const frames: number[] = [];
    forEachMatchingFrame(file, compileFilter(filter), (_ctx, frame) => frames.push(frame + 1));
    return frames;
  } finally {
    file.close();
  }
}

test('display filters select the same frames as tshark -Y', { skip: TSHARK_SKIP_REASON || (!haveProgram('mergecap') && 'mergecap is not installed') }, () => {
  const capture = mergedCapture();
  const tshark = tsharkSelections(capture);
  const differences: string[] = [];
  let nonEmpty = 0;
  for (const filter of FILTERS) {
    const theirs = tshark.get(filter)!;
    if (theirs.length > 0) nonEmpty++;
    let ours: number[];
    try {
      ours = ourSelection(capture, filter);
    } catch {
      ours = [-1]; // rejected, as tshark's -1
    }
    if (ours.join(',') !== theirs.join(',')) differences.push(`${filter}: ours [${ours.join(',')}], tshark [${theirs.join(',')}]`);
  }
  assert.deepEqual(differences, []);
  assert.ok(nonEmpty > FILTERS.length / 2, `only ${nonEmpty} filters select anything`);
});
