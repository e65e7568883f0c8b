// The app on a generated 1M-packet VXLAN capture, as a Wireshark user would drive it: Statistics lists
// every conversation the CLI counts (same totals per kind), sorted and searched; zooming the VTEP
// timeline to one second shows single events; the FDB search finds a MAC; Apply as Filter from the
// context menu filters; Follow Stream shows an inner TCP payload; Save Displayed As writes a file
// tshark reads. No assertion on time.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { followStreamText, rightClickApplyAsFilter, saveDisplayedAs } from './habits-steps';
import { checkStatisticsAgainstCli, cliConversationCounts } from './statistics-checks';
import { applyFilter, displayedCount, filledText, gotoFrame, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForFilteredView, waitForIndexed, waitForText } from './ui-driver';

const PACKETS = 1_000_000;
const CAPTURE = path.join(TEST_OUTPUT, 'ui-million.pcap');
const SAVED = path.join(TEST_OUTPUT, 'ui-million-saved.pcapng');
const skip = haveChromium() ? false : NO_CHROMIUM;
const haveTshark = spawnSync('tshark', ['--version']).status === 0;

interface Attr {
  getAttribute(name: string): string | null;
}

/**
 * The density drawing is a canvas: hovering a cell names its lane and count. Pointed at the middle of the
 * first lane's middle column, the tooltip must give that VTEP and the count the service's window has there.
 */
async function checkDensityTooltip(ui: UiHarness): Promise<void> {
  const { page, service } = ui;
  const plot = (await page.$('[data-testid=timeline-svg] [data-testid=timeline-density]'))!;
  const box = (await plot.boundingBox())!;
  const firstLane = ((await page.textContent('[data-testid=timeline-svg] .lane-label')) ?? '').trim();
  const lanes = (await page.$$('[data-testid=timeline-svg] .lane-label')).length;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / lanes / 2);
  await page.waitForSelector('[data-testid=density-tooltip]');
  const attr = async (name: string) => (await page.getAttribute('[data-testid=density-tooltip]', `data-${name}`))!;
  const bins = Number(await attr('bins'));
  assert.equal(await attr('vtep'), firstLane);
  const column = Number(await attr('column'));
  assert.ok(Math.abs(column - bins / 2) <= 1, `column ${column} of ${bins}: the middle`);
  const sessionId = service.openSessions()[0].sessionId;
  const window = await service.call('vtepEvents', { sessionId, from: Number(await attr('from')), to: Number(await attr('to')), bins, tenant: '', vtep: '', mac: '' });
  const expected = window.density!.find((d) => d.vtep === firstLane)?.counts[column] ?? 0;
  assert.equal(Number(await attr('count')), expected);
  assert.match((await page.textContent('[data-testid=density-tooltip]'))!, new RegExp(`^${firstLane.replace(/\./g, '\\.')}: ${expected.toLocaleString('en-US')} events? from `));
  await page.mouse.move(0, 0);
}

describe(`the app on a ${PACKETS.toLocaleString('en-US')}-packet capture`, { skip }, () => {
  let ui: UiHarness;

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    generateVxlanCapture(CAPTURE, { packets: PACKETS, vnis: 200, vteps: 32, seed: 7 });
    ui = await startUi();
    await openCapture(ui.page, CAPTURE);
    await waitForIndexed(ui.page, 300_000);
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
    fs.rmSync(SAVED, { force: true });
  });

  test('Conversations lists every conversation the CLI counts, per kind; sort and search work', async () => {
    await checkStatisticsAgainstCli(ui.page, cliConversationCounts(CAPTURE));
  });

  test('the VTEP timeline draws a density for the whole capture and single events for one second', async () => {
    const { page } = ui;
    await page.click('[data-testid=tab-vteps]');
    await page.waitForSelector('[data-testid=timeline-status][data-mode]:not([data-mode=""])', { timeout: 300_000 });
    assert.equal(await page.getAttribute('[data-testid=timeline-status]', 'data-mode'), 'density');
    const whole = Number(await page.getAttribute('[data-testid=timeline-status]', 'data-total'));
    await checkDensityTooltip(ui);
    const from = Number(await page.inputValue('[data-testid=timeline-from]'));
    const to = Number(await page.inputValue('[data-testid=timeline-to]'));
    const start = Math.floor((from + to) / 2);
    await page.fill('[data-testid=timeline-from]', String(start));
    await page.fill('[data-testid=timeline-to]', String(start + 1));
    await page.click('[data-testid=timeline-zoom]');
    await page.waitForFunction(
      (total) => {
        const el = (globalThis as unknown as { document: { querySelector(s: string): Attr | null } }).document.querySelector('[data-testid=timeline-status]');
        return el !== null && el.getAttribute('data-mode') === 'events' && Number(el.getAttribute('data-total')) < total;
      },
      whole,
      { timeout: 60_000 },
    );
    // One marker per event of the lanes on screen (the others are scrolled to).
    const inSecond = Number(await page.getAttribute('[data-testid=timeline-status]', 'data-lane-total'));
    assert.ok(inSecond > 0, 'some events in that second');
    const markers = await page.$$('[data-testid=timeline-svg] .mk');
    assert.equal(markers.length, inSecond, 'one marker per event');
  });

  test('the FDB at a frame lists every entry and its search finds a MAC', async () => {
    const { page } = ui;
    await page.click('[data-testid=timeline-svg] .mk');
    const mac = await filledText(page, '[data-testid=fdb-table] .ag-row[row-index="0"] [col-id="mac"]');
    await waitForText(page, '[data-testid=fdb-count]', /^[\d,]+ entries$/);
    const count = Number(((await page.textContent('[data-testid=fdb-count]')) ?? '').replace(/[^0-9]/g, ''));
    assert.ok(count > 2000, `${count} FDB entries, more than the old 2,000 cap`);
    await page.fill('[data-testid=fdb-search]', mac);
    await page.waitForFunction((m) => {
      const rows = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid=fdb-table] .ag-row [col-id="mac"]');
      return rows.length > 0 && Array.from(rows).every((r) => (r.textContent ?? '').includes(m));
    }, mac);
  });

  test('the VTEP-to-VTEP matrix lists every pair and its search filters them', async () => {
    const { page, service } = ui;
    const sessionId = service.openSessions()[0].sessionId;
    const pairs = (await service.call('vtepTimeline', { sessionId })).pairCount;
    assert.ok(pairs > 1000, `${pairs} pairs, more than the old 1,000 cap`);
    const vtep = await filledText(page, '[data-testid=vtep-matrix] .ag-row[row-index="0"] [col-id="from"]');
    assert.equal(((await page.textContent('[data-testid=matrix-count]')) ?? '').trim(), `${pairs.toLocaleString('en-US')} pairs`);
    // The grid's row count (ARIA counts the header row too), not the rows drawn: it is virtualized.
    const rowCount = async () => Number(await page.getAttribute('[data-testid=vtep-matrix] [role=grid], [data-testid=vtep-matrix] [role=treegrid]', 'aria-rowcount')) - 1;
    assert.equal(await rowCount(), pairs);
    await page.fill('[data-testid=matrix-search]', vtep);
    await page.waitForFunction(([v, all]) => {
      const rows = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid=vtep-matrix] .ag-row');
      const grid = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid=vtep-matrix] [role=grid], [data-testid=vtep-matrix] [role=treegrid]');
      return rows.length > 0 && Number(grid?.getAttribute('aria-rowcount')) - 1 < Number(all) && Array.from(rows).every((r) => (r.textContent ?? '').includes(v as string));
    }, [vtep, pairs]);
    await page.fill('[data-testid=matrix-search]', '');
  });

  test('Apply as Filter from the packet list context menu filters the capture', async () => {
    const { page } = ui;
    await page.click('[data-testid=tab-packets]');
    await applyFilter(page, '');
    // Frames in the middle of the capture (it starts with underlay IGMP reports); the first one on
    // screen that is in a tenant.
    await gotoFrame(page, PACKETS / 2);
    const [frame, tenant] = await page.$$eval('[data-testid=packet-list] .ag-row[row-id]', (rows) => {
      const cells = (rows as unknown as { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null }[])
        .map((r) => [Number(r.getAttribute('row-id')), (r.querySelector('[col-id="tenant"]')?.textContent ?? '').trim()] as [number, string])
        .filter(([, t]) => t !== '')
        .sort((a, b) => a[0] - b[0]);
      return cells[0];
    });
    await rightClickApplyAsFilter(page, frame, 'tenant');
    await waitForFilteredView(page, `tenant == ${tenant}`, 300_000);
    const shown = await displayedCount(page);
    assert.ok(shown > 0 && shown < PACKETS, `${shown} frames of the tenant`);
  });

  test('Follow Stream shows an inner TCP payload', async () => {
    const { page } = ui;
    const applied = (await page.getAttribute('[data-testid=filter-bar]', 'data-applied')) ?? '';
    await applyFilter(page, `${applied} && tcp.len > 0`, 300_000);
    // The list may still be scrolled where Go to frame left it: Home selects the first frame.
    await page.click('[data-testid=packet-list] .ag-row[row-id] .ag-cell[col-id="number"]');
    await page.keyboard.press('Home');
    const firstRow = '[data-testid=packet-list] .ag-row[row-index="0"][row-id]:not(.row-loading)';
    await page.waitForSelector(firstRow, { timeout: 60_000 });
    const frame = Number(await page.getAttribute(firstRow, 'row-id'));
    assert.ok(frame > 0);
    const text = await followStreamText(page, frame);
    // The generator's payload bytes run 0x20, 0x27, 0x2e... (i * 7 + 0x20): printable from the start.
    assert.ok(text.startsWith(" '."), `payload text starts as generated: ${JSON.stringify(text.slice(0, 20))}`);
    await applyFilter(page, applied, 300_000);
  });

  test('Save Displayed As writes the displayed frames and tshark reads them', async (t) => {
    const { page } = ui;
    const shown = await displayedCount(page);
    const message = await saveDisplayedAs(page, SAVED);
    assert.match(message, new RegExp(`Saved ${shown.toLocaleString('en-US')} frames`));
    if (!haveTshark) return t.skip('tshark is absent');
    const run = spawnSync('capinfos', ['-c', '-M', SAVED], { encoding: 'utf8' });
    const counted = run.status === 0 ? Number(/Number of packets:\s+(\d+)/.exec(run.stdout)?.[1]) : Number(spawnSync('sh', ['-c', `tshark -r '${SAVED}' | wc -l`], { encoding: 'utf8' }).stdout.trim());
    assert.equal(counted, shown);
    const check = spawnSync('tshark', ['-r', SAVED, '-c', '5', '-T', 'fields', '-e', 'vxlan.vni'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });
});
