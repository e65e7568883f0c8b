// Tenant and conversation counts checked against numbers computed independently from tshark's
// per-frame fields: frame.len per VNI, and per inner address pair the inner frame length, which is
// the outer UDP length minus the UDP and VXLAN headers (16 bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { analyzeCapture } from '../../src/overlay/analyze-capture';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { SAMPLES } from '../helpers/paths';
import { TSHARK_SKIP_REASON, tsharkFields } from './tshark-fields';

const FIELDS = ['frame.len', 'vxlan.vni', 'ip.src', 'ip.dst', 'udp.length', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'];

type Totals = Map<string, { packets: number; bytes: number }>;

function add(map: Totals, key: string, bytes: number): void {
  const entry = map.get(key) ?? { packets: 0, bytes: 0 };
  entry.packets++;
  entry.bytes += bytes;
  map.set(key, entry);
}

const pair = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Expected tenant totals and ip/tcp/udp conversations, from tshark alone. */
function expectedFromTshark(file: string): { tenants: Totals; conversations: Totals } {
  const tenants: Totals = new Map();
  const conversations: Totals = new Map();
  for (const row of tsharkFields(file, FIELDS, { cached: true })) {
    const vni = row['vxlan.vni'];
    if (vni === '') continue;
    add(tenants, vni, Number(row['frame.len']));
    const inner = Number(row['udp.length'].split(',')[0]) - 16;
    const src = row['ip.src'].split(',');
    const dst = row['ip.dst'].split(',');
    if (src.length < 2) continue; // ARP inside: no inner IP
    add(conversations, `${vni} ip ${pair(src[1], dst[1])}`, inner);
    for (const l4 of ['tcp', 'udp']) {
      const sport = row[`${l4}.srcport`].split(',');
      const dport = row[`${l4}.dstport`].split(',');
      const at = l4 === 'udp' ? 1 : 0; // the outer UDP (VXLAN) comes first
      if (sport[at] === undefined || sport[at] === '') continue;
      add(conversations, `${vni} ${l4} ${pair(`${src[1]}:${sport[at]}`, `${dst[1]}:${dport[at]}`)}`, inner);
    }
  }
  return { tenants, conversations };
}

function ours(file: string): { tenants: Totals; conversations: Totals } {
  const report = analyzeCapture(CaptureFile.open(file)).tenants;
  const tenants: Totals = new Map();
  const conversations: Totals = new Map();
  for (const t of report.tenants) {
    tenants.set(String(t.id), { packets: t.packets, bytes: t.bytes });
    for (const c of t.conversations) {
      if (c.layer === 'eth') continue;
      const key = `${t.id} ${c.layer} ${pair(c.a, c.b)}`;
      assert.ok(!conversations.has(key), `conversation listed twice: ${key}`);
      conversations.set(key, { packets: c.packets, bytes: c.bytes });
    }
  }
  return { tenants, conversations };
}

function sorted(map: Totals): [string, { packets: number; bytes: number }][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

test('three hosts: tenant and conversation packets/bytes agree with tshark', { skip: TSHARK_SKIP_REASON }, () => {
  const file = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const expected = expectedFromTshark(file);
  const actual = ours(file);
  assert.deepEqual(sorted(actual.tenants), sorted(expected.tenants));
  assert.deepEqual(sorted(actual.conversations), sorted(expected.conversations));
  assert.ok(expected.conversations.size >= 6);
});

test('a generated 20,000-packet VXLAN capture: every conversation agrees with tshark', { skip: TSHARK_SKIP_REASON }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-tenants-golden-'));
  const file = path.join(dir, 'vxlan-20k.pcap');
  generateVxlanCapture(file, { packets: 20_000, vnis: 20, vteps: 8, seed: 7 });
  const expected = expectedFromTshark(file);
  const actual = ours(file);
  assert.deepEqual(sorted(actual.tenants), sorted(expected.tenants));
  assert.equal(actual.conversations.size, expected.conversations.size);
  assert.deepEqual(sorted(actual.conversations), sorted(expected.conversations));
  fs.rmSync(dir, { recursive: true, force: true });
});
