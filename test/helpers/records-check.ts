// Shared by the 10k-packet unit test and the 1M-packet e2e test: `records` read back by DuckDB equals
// `tenants -T json` (per-tenant packets, bytes and floods to groups; all frames; conversations) and the
// learning table equals `vteps -T json`'s events by kind.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { CLI } from './paths';

export function cli(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(sql);
    return result.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs `records CAPTURE --out DIR/records` and checks its tables against the CLI's reports. */
export async function checkRecordsAgainstReports(capture: string, dir: string): Promise<void> {
  const out = path.join(dir, 'records');
  const r = cli('records', capture, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  for (const table of ['frames', 'conversations', 'learning', 'paths']) assert.ok(fs.existsSync(path.join(out, table, path.basename(capture, path.extname(capture)) + '.parquet')), table);
  assert.deepEqual(fs.readdirSync(out).sort(), ['conversations', 'frames', 'learning', 'paths'], 'no scratch files left');

  const tenants = JSON.parse(cli('tenants', capture, '-T', 'json').stdout) as { frames: number; underlay: { packets: number; bytes: number }; tenants: { type: string; id: number; packets: number; bytes: number; flood: { toGroup: number } }[] };
  const frames = `read_parquet('${path.join(out, 'frames', '*.parquet')}')`;
  const rows = await query(`SELECT tenant_type, tenant_id, count(*)::INTEGER AS packets, sum(len)::BIGINT AS bytes,
    count(*) FILTER (WHERE outer_dst LIKE '239.%')::INTEGER AS to_group FROM ${frames} WHERE tenant_type IS NOT NULL GROUP BY ALL ORDER BY tenant_type, tenant_id`);
  const want = tenants.tenants.map((t) => ({ tenant_type: t.type, tenant_id: t.id, packets: t.packets, bytes: BigInt(t.bytes), to_group: t.flood.toGroup })).sort((a, b) => a.tenant_id - b.tenant_id);
  assert.equal(rows.length, want.length);
  assert.deepEqual(rows.map((row) => ({ ...row, bytes: BigInt(row.bytes as number) })), want);
  const [all] = await query(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE tenant_type IS NULL)::INTEGER AS underlay FROM ${frames}`);
  assert.deepEqual(all, { n: tenants.frames, underlay: tenants.underlay.packets });

  const [conversations] = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path.join(out, 'conversations', '*.parquet')}')`);
  assert.equal(conversations.n, tenants.tenants.reduce((n, t) => n + (t as unknown as { conversations: unknown[] }).conversations.length, 0));
  const vteps = JSON.parse(cli('vteps', capture, '-T', 'json').stdout) as { events: { kind: string }[] };
  const learning = await query(`SELECT kind, count(*)::INTEGER AS n FROM read_parquet('${path.join(out, 'learning', '*.parquet')}') GROUP BY kind ORDER BY kind`);
  const kinds = new Map<string, number>();
  for (const e of vteps.events) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  assert.deepEqual(learning, [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => ({ kind, n })));
}
