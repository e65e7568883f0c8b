// The CSV and JSON reports' figures against the samples' known traffic, computed independently by
// tshark (frame.len and the tunnel id of every frame), and the JSON report against its schema (ajv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-schema';
import { TENANT_CSV_COLUMNS } from '../../src/report/csv-report';
import { CLI, haveProgram, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { tsharkFields } from '../helpers/tshark';

/** RFC 4180 CSV (quoted fields, doubled quotes) into objects keyed by the header row. */
function parse(text: string, _options: { columns: true }): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const [header, ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

const OUT = path.join(TEST_OUTPUT, 'report-figures');
const skip = haveProgram('tshark') ? false : 'tshark is not installed: skipped';

function report(sample: string, out: string, extra: string[] = []): void {
  fs.mkdirSync(OUT, { recursive: true });
  const result = spawnSync(process.execPath, [CLI, 'report', path.join(SAMPLES, sample), '--out', path.join(OUT, out), ...extra], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

interface Expected {
  packets: number;
  bytes: number;
  first: string;
  last: string;
  vteps: Set<string>;
}

/** Per tenant "type:id" from tshark: packets, sum of frame.len, first/last epoch time, outer unicast addresses. */
async function tsharkTenants(sample: string): Promise<Map<string, Expected>> {
  const fields = ['frame.len', 'frame.time_epoch', 'vxlan.vni', 'gre.key', 'gre.proto', 'geneve.vni', 'ip.src', 'ip.dst'];
  const { rows, exitCode } = await tsharkFields(path.join(SAMPLES, sample), fields, ['-E', 'occurrence=f']);
  assert.equal(exitCode, 0);
  const out = new Map<string, Expected>();
  for (const [len, time, vni, key, greProto, geneve, src, dst] of rows) {
    let tenant: string | null = null;
    if (vni) tenant = `vxlan:${Number(vni)}`;
    else if (geneve) tenant = `geneve:${Number(geneve)}`;
    else if (key) {
      const k = Number(key);
      // RFC 7637: TEB with a VSID above the reserved range is NVGRE; the rest is a plain key.
      tenant = Number(greProto) === 0x6558 && k >>> 8 > 0xfff ? `nvgre:${k >>> 8}` : `gre:${k}`;
    }
    // A GRE tunnel without a key names no tenant: it is underlay (README, "What a tenant is").
    if (tenant === null) continue;
    let e = out.get(tenant);
    if (!e) out.set(tenant, (e = { packets: 0, bytes: 0, first: time, last: time, vteps: new Set() }));
    e.packets++;
    e.bytes += Number(len);
    if (Number(time) < Number(e.first)) e.first = time;
    if (Number(time) > Number(e.last)) e.last = time;
    for (const a of [src, dst]) if (a && Number(a.split('.')[0]) < 224) e.vteps.add(a);
  }
  return out;
}

/** "1704067201.030000000" -> "2024-01-01T00:00:01.030000Z" */
function isoFromEpoch(epoch: string): string {
  const [sec, frac = ''] = epoch.split('.');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 6)}Z`;
}

for (const sample of ['vxlan-three-hosts.pcapng', 'gre-two-routers.pcap', 'nvgre.pcapng', 'geneve.pcapng', 'vxlan-vm-migration.pcapng']) {
  test(`CSV report of ${sample}: one row per tenant with tshark's packets, bytes, times and VTEPs`, { skip }, async () => {
    const csvName = `${sample.replace(/\W/g, '-')}.csv`;
    report(sample, csvName);
    const text = fs.readFileSync(path.join(OUT, csvName), 'utf8');
    assert.equal(text.split('\n')[0], 'type,id,packets,bytes,first_seen,last_seen,vteps,conversations,flood_packets');
    const rows = parse(text, { columns: true });
    const expected = await tsharkTenants(sample);
    assert.deepEqual(new Set(rows.map((r) => `${r.type}:${r.id}`)), new Set(expected.keys()));
    for (const row of rows) {
      const e = expected.get(`${row.type}:${row.id}`)!;
      const where = `${sample} ${row.type}:${row.id}`;
      assert.equal(Number(row.packets), e.packets, `${where} packets`);
      assert.equal(Number(row.bytes), e.bytes, `${where} bytes`);
      assert.equal(row.first_seen, isoFromEpoch(e.first), `${where} first_seen`);
      assert.equal(row.last_seen, isoFromEpoch(e.last), `${where} last_seen`);
      assert.deepEqual(new Set(row.vteps.split(' ')), e.vteps, `${where} vteps`);
    }
  });
}

test('CSV report of the three-host story: conversations and floods per tenant', { skip }, () => {
  report('vxlan-three-hosts.pcapng', 'three-hosts.csv');
  const rows = parse(fs.readFileSync(path.join(OUT, 'three-hosts.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]), TENANT_CSV_COLUMNS);
  const byId = new Map(rows.map((r) => [r.id, r]));
  // samples/README.md: VNI 101 floods at frames 4 and 20, VNI 102 at 24 and 30 (the ARP requests).
  assert.equal(byId.get('101')!.flood_packets, '2');
  assert.equal(byId.get('102')!.flood_packets, '2');
  assert.ok(Number(byId.get('101')!.conversations) > 0);
});

test('CSV --conversations: one row per conversation; VNI 101 TCP 10.0.0.1:43210 <-> 10.0.0.2:9000 is frames 10-17', { skip }, async () => {
  report('vxlan-three-hosts.pcapng', 'conversations.csv', ['--conversations']);
  const rows = parse(fs.readFileSync(path.join(OUT, 'conversations.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const tcp = rows.filter((r) => r.layer === 'tcp');
  assert.equal(tcp.length, 1);
  const [conv] = tcp;
  assert.deepEqual([conv.type, conv.id, conv.first_frame, conv.last_frame, conv.packets], ['vxlan', '101', '10', '17', '8']);
  assert.deepEqual(new Set([conv.a, conv.b]), new Set(['10.0.0.1:43210', '10.0.0.2:9000']));
  // first_seen is the time of the first frame, last_seen of the last (tshark's times of frames 10 and 17).
  const { rows: times } = await tsharkFields(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), ['frame.time_epoch'], ['-Y', 'frame.number == 10 || frame.number == 17']);
  assert.notEqual(times[0][0], times[1][0]);
  assert.deepEqual([conv.first_seen, conv.last_seen], [isoFromEpoch(times[0][0]), isoFromEpoch(times[1][0])]);
  // Bytes of the encapsulated frames: tshark's UDP payload minus the 8-byte VXLAN header.
  const { rows: udp } = await tsharkFields(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), ['udp.length'], ['-Y', 'vxlan.vni == 101 && tcp', '-E', 'occurrence=f']);
  assert.equal(Number(conv.bytes), udp.reduce((n, [len]) => n + Number(len) - 16, 0));
  // Tenants with equal inner IPs stay apart: 10.0.0.1 <-> 10.0.0.2 exists in both VNIs.
  const ipPairs = rows.filter((r) => r.layer === 'ip' && new Set([r.a, r.b]).has('10.0.0.1') && new Set([r.a, r.b]).has('10.0.0.2'));
  assert.deepEqual(ipPairs.map((r) => r.id).sort(), ['101', '102']);
});

test('JSON report: valid against the schema, the tenants and vteps documents of the three-host story', { skip }, async () => {
  report('vxlan-three-hosts.pcapng', 'three-hosts.json');
  const doc = JSON.parse(fs.readFileSync(path.join(OUT, 'three-hosts.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_JSON_SCHEMA);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.equal(doc.capture.frames, 33);
  assert.equal(doc.tenants.frames, 33);
  const expected = await tsharkTenants('vxlan-three-hosts.pcapng');
  for (const t of doc.tenants.tenants) {
    const e = expected.get(`${t.type}:${t.id}`)!;
    assert.equal(t.packets, e.packets);
    assert.equal(t.bytes, e.bytes);
  }
  // The traffic accounting behind the charts agrees with the tenants analysis.
  for (const t of doc.traffic.tenants) {
    const analysed: { packets: number; bytes: number } = doc.tenants.tenants.find((a: { type: string; id: number }) => a.type === t.type && a.id === t.id);
    assert.equal(t.packets, analysed.packets);
    assert.equal(t.bytes, analysed.bytes);
    assert.equal(t.packetsOverTime.reduce((n: number, v: number) => n + v, 0), t.packets);
  }
  // docs/overlay.md's story: at frame 4 VTEP2 and VTEP3 learn VM1 behind VTEP1; at frame 5 VTEP1 learns VM2 behind VTEP2.
  const learns = doc.vteps.events.filter((e: { kind: string; frame: number }) => e.kind === 'learn' && e.frame <= 5);
  assert.deepEqual(
    learns.map((e: { frame: number; vtep: string; mac: string; remoteVtep: string }) => [e.frame, e.vtep, e.mac, e.remoteVtep]),
    [
      [4, '192.168.100.2', 'fa:16:3e:00:65:01', '192.168.100.1'],
      [4, '192.168.100.3', 'fa:16:3e:00:65:01', '192.168.100.1'],
      [5, '192.168.100.1', 'fa:16:3e:00:65:02', '192.168.100.2'],
    ],
  );
  // VNI 101's VTEP matrix: frame 4 is the only flood from VTEP1 to 239.1.1.1.
  const vni101 = doc.traffic.tenants.find((t: { id: number }) => t.id === 101);
  assert.deepEqual(vni101.matrix.find((c: { from: string; to: string }) => c.from === '192.168.100.1' && c.to === '239.1.1.1'), {
    from: '192.168.100.1', to: '239.1.1.1', toGroup: true, packets: 1, bytes: 92,
  });
});

test('JSON report with --filter covers only the matching frames', { skip }, () => {
  report('vxlan-three-hosts.pcapng', 'vni102.json', ['--filter', 'vxlan.vni == 102']);
  const doc = JSON.parse(fs.readFileSync(path.join(OUT, 'vni102.json'), 'utf8'));
  assert.equal(doc.capture.filter, 'vxlan.vni == 102');
  assert.deepEqual(doc.traffic.tenants.map((t: { id: number }) => t.id), [102]);
  assert.equal(doc.traffic.frames, 10);
  assert.deepEqual(doc.tenants.tenants.map((t: { id: number; packets: number }) => [t.id, t.packets]), [[102, 10]]);
});

test('report usage errors exit 2: bad extension, --conversations outside CSV', () => {
  fs.mkdirSync(OUT, { recursive: true });
  const sample = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  for (const [args, message] of [
    [['--out', path.join(OUT, 'r.txt')], /\.html, \.csv or \.json/],
    [['--out', path.join(OUT, 'r.html'), '--conversations'], /--conversations is for CSV/],
    [['--out', path.join(OUT, 'r.json'), '--filter', 'vxlan.vni =='], /invalid filter/],
  ] as [string[], RegExp][]) {
    const result = spawnSync(process.execPath, [CLI, 'report', sample, ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});
