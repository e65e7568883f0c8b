// `tunnelscope records`: Parquet read back by DuckDB. Per-tenant totals over the frames table equal
// `tenants -T json` on a generated capture (1M packets in test/e2e/records-million.test.ts), and
// on the three-hypervisor samples each transmission counts once (first_sighting / transmission).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { HypervisorTruth } from '../../src/samples/hypervisor-samples';
import { SAMPLES } from '../helpers/paths';
import { ParquetTables } from '../../src/overlay/parquet-tables';
import { checkRecordsAgainstReports, cli, query } from '../helpers/records-check';

const PACKETS = 10_000;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-records-'));
}

test(`records of a generated ${PACKETS.toLocaleString('en-US')}-packet capture: DuckDB's per-tenant totals equal tenants -T json`, async () => {
  const dir = tmpDir();
  try {
    const capture = path.join(dir, 'gen.pcap');
    generateVxlanCapture(capture, { packets: PACKETS, seed: 7 });
    await checkRecordsAgainstReports(capture, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('records of the three hypervisors: each transmission once per tenant, paths as in the ground truth', async () => {
  const dir = tmpDir();
  try {
    const truth = JSON.parse(fs.readFileSync(path.join(SAMPLES, 'three-hypervisors', 'truth.json'), 'utf8')) as HypervisorTruth;
    const r = cli('records', path.join(SAMPLES, 'three-hypervisors'), '--out', dir);
    assert.equal(r.status, 0, r.stderr);
    const frames = `read_parquet('${path.join(dir, 'frames', '*.parquet')}')`;
    const perTenant = await query(`SELECT tenant_type || ':' || tenant_id AS tenant, count(*) FILTER (WHERE first_sighting)::INTEGER AS once,
      count(DISTINCT transmission)::INTEGER AS transmissions FROM ${frames} WHERE tenant_type IS NOT NULL GROUP BY ALL ORDER BY tenant`);
    assert.deepEqual(perTenant.map((t) => [t.tenant, t.once, t.transmissions]), Object.entries(truth.tenantPackets).map(([t, n]) => [t, n, n]));
    const paths = await query(`SELECT from_vtep, to_vtep, sent::INTEGER AS sent, received::INTEGER AS received, lost::INTEGER AS lost
      FROM read_parquet('${path.join(dir, 'paths', '*.parquet')}') WHERE tenant IS NULL ORDER BY from_vtep, to_vtep`);
    assert.deepEqual(paths, truth.pairs.map((p) => ({ from_vtep: p.from, to_vtep: p.to, sent: p.sent, received: p.received, lost: p.lost })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('records --out naming a file: one line, exit 2', () => {
  const dir = tmpDir();
  try {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    const r = cli('records', path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), '--out', file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^tunnelscope: --out .*: not a folder\n$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('records staging: texts with quotes, commas, newlines and non-ASCII, empty texts, NULLs and doubles read back exactly', async () => {
  const dir = tmpDir();
  try {
    const texts = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', 'caf\u00e9 \u2192 "\u00fc",x', '"', ','];
    const doubles = [1704067200.123456, 0.1 + 0.2, 1e-7, 123456789.000001, 0, 4294967296.5];
    const tables = ParquetTables.open(dir, [{ name: 't', columns: [['s', 'VARCHAR'], ['n', 'UINTEGER'], ['d', 'DOUBLE'], ['b', 'BOOLEAN'], ['u', 'UBIGINT']] }]);
    const rows = tables.appender('t');
    for (let i = 0; i < 3000; i++) {
      const text = texts[i % texts.length];
      if (i % 11 === 5) rows.appendNull();
      else rows.appendVarchar(text);
      rows.appendUInteger(i === 7 ? 4294967295 : i);
      rows.appendDouble(doubles[i % doubles.length]);
      if (i % 13 === 3) rows.appendNull();
      else rows.appendBoolean(i % 2 === 0);
      rows.appendUBigInt(BigInt(i) * 10000000000n);
      rows.endRow();
    }
    assert.deepEqual(await tables.finish(dir, 'x'), { t: 3000 });
    assert.deepEqual(fs.readdirSync(dir), ['t'], 'no staging files left');
    const back = await query(`SELECT s, n, d, b, u FROM read_parquet('${path.join(dir, 't', 'x.parquet')}')`);
    assert.equal(back.length, 3000);
    for (let i = 0; i < 3000; i++) {
      assert.deepEqual(back[i], {
        s: i % 11 === 5 ? null : texts[i % texts.length],
        n: i === 7 ? 4294967295 : i,
        d: doubles[i % doubles.length],
        b: i % 13 === 3 ? null : i % 2 === 0,
        u: BigInt(i) * 10000000000n,
      }, `row ${i}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
