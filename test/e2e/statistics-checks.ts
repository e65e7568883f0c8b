// Shared by the Statistics e2e tests: the CLI's conversation counts per kind, and the checks of the
// Statistics tab against them (counts, sort order, search).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { waitForText } from './ui-driver';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const KINDS = ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'] as const;
type Kind = (typeof KINDS)[number];

/** `tunnelscope tenants -T json`: conversations per kind over every tenant (IP split by version). */
export function cliConversationCounts(file: string): Record<Kind, number> {
  const run = spawnSync(process.execPath, [CLI, 'tenants', file, '-T', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { tenants: { conversations: { layer: string; a: string }[] }[] };
  return countByKind(report.tenants);
}

/** `tunnelscope report -Y FILTER` (JSON): conversations per kind over the frames the filter matches. */
export function cliFilteredConversationCounts(file: string, filter: string): Record<Kind, number> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-report-')), 'report.json');
  const run = spawnSync(process.execPath, [CLI, 'report', file, '-Y', filter, '--out', out], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { tenants: { tenants: { conversations: { layer: string; a: string }[] }[] } };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return countByKind(report.tenants.tenants);
}

function countByKind(tenants: { conversations: { layer: string; a: string }[] }[]): Record<Kind, number> {
  const counts: Record<Kind, number> = { eth: 0, ipv4: 0, ipv6: 0, tcp: 0, udp: 0 };
  for (const t of tenants) {
    for (const c of t.conversations) counts[(c.layer === 'ip' ? (c.a.includes(':') ? 'ipv6' : 'ipv4') : c.layer) as Kind]++;
  }
  return counts;
}

interface Cell {
  textContent: string | null;
}

async function columnTexts(page: Page, column: string): Promise<string[]> {
  return page.$$eval(`[data-testid=stats-table] .ag-row`, (rows, col) =>
    (rows as unknown as { getAttribute(n: string): string | null; querySelector(s: string): Cell | null }[])
      .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
      .map((r) => r.querySelector(`[col-id="${col}"]`)?.textContent ?? ''),
  column);
}

async function waitForTotal(page: Page, total: number): Promise<void> {
  await page.waitForSelector(`[data-testid=stats-table][data-total="${total}"]`, { timeout: 120_000 });
}

export async function checkStatisticsAgainstCli(page: Page, expected: Record<Kind, number>): Promise<void> {
  await page.click('[data-testid=tab-statistics]');
  await page.click('[data-testid=stats-conversations]');
  for (const kind of KINDS) {
    await page.click(`[data-testid=stats-kind-${kind}]`);
    await page.waitForSelector(`[data-testid=stats-table][data-kind=${kind}]`);
    await waitForTotal(page, expected[kind]);
    await waitForText(page, `[data-testid=stats-count-${kind}]`, new RegExp(`^${expected[kind].toLocaleString('en-US')}$`), 120_000);
  }
  // The busiest kind: sorted by packets (descending by default), then ascending by a click on the header.
  const kind = [...KINDS].sort((a, b) => expected[b] - expected[a])[0];
  await page.click(`[data-testid=stats-kind-${kind}]`);
  await waitForTotal(page, expected[kind]);
  await page.waitForSelector('[data-testid=stats-table] .ag-row[row-index="0"]');
  // Sorted by packets (descending when first shown); a click on the header turns the order round.
  const header = '[data-testid=stats-table] .ag-header-cell[col-id="packets"]';
  const checkOrder = async (): Promise<'ascending' | 'descending'> => {
    const order = (await page.getAttribute(header, 'aria-sort')) as 'ascending' | 'descending';
    // The new order's rows replace the old ones when the service answers: read until they have.
    let packets: number[] = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      packets = (await columnTexts(page, 'packets')).filter((t) => t !== '').map((t) => Number(t.replace(/,/g, '')));
      const sorted = [...packets].sort((x, y) => (order === 'ascending' ? x - y : y - x));
      if (packets.length > 0 && JSON.stringify(sorted) === JSON.stringify(packets)) break;
      await page.waitForTimeout(100);
    }
    assert.ok(packets.length > 0);
    assert.deepEqual(packets, [...packets].sort((x, y) => (order === 'ascending' ? x - y : y - x)), `packets ${order}`);
    return order;
  };
  const first = await checkOrder();
  await page.click(`${header} .ag-header-cell-label`);
  await page.waitForSelector(`${header}[aria-sort="${first === 'ascending' ? 'descending' : 'ascending'}"]`);
  assert.notEqual(await checkOrder(), first);
  // Search: the first row's address A finds itself, and every row shown contains it.
  const address = (await columnTexts(page, 'a'))[0];
  const needle = address.replace(/:\d+$/, '');
  await page.fill('[data-testid=stats-search]', needle);
  await page.waitForSelector(`[data-testid=stats-table][data-search="${needle}"]:not([data-total=""])`);
  const total = Number(await page.getAttribute('[data-testid=stats-table]', 'data-total'));
  assert.ok(total >= 1 && total <= expected[kind], `search "${needle}" found ${total}`);
  await page.waitForSelector('[data-testid=stats-table] .ag-row[row-index="0"] [col-id="a"]');
  const rows = await page.$$eval('[data-testid=stats-table] .ag-row', (els) => els.map((e) => e.textContent ?? ''));
  for (const row of rows) assert.ok(row.includes(needle), `${row} contains ${needle}`);
  await page.fill('[data-testid=stats-search]', '');
  await waitForTotal(page, expected[kind]);
}
