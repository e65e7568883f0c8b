// Several hosts' captures as one in the app (browser mode, headless Chromium): the three hypervisors'
// files picked in the Open dialog (one named FILE@NAME), the merged packet list with its Capture
// column, the capture filter fields, the Tenants view counting each transmission once exactly as
// `tunnelscope tenants -T json` over the same files, and a frame lost in the underlay, from the
// Paths view to the packet list.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { CLI, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { applyFilter, displayedCount, haveChromium, NO_CHROMIUM, screenshot, startUi, UiHarness, waitForIndexed, waitForRow, waitForText } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;
const SET = path.join(SAMPLES, 'three-hypervisors');
const FILES = ['host1.pcapng', 'host2.pcapng', 'host3.pcapng@hv3'].map((f) => path.join(SET, f));
const SHOTS = path.join(TEST_OUTPUT, 'ui');

async function cellText(page: Page, row: number, column: string): Promise<string> {
  return ((await page.textContent(`[data-testid=packet-list] .ag-row[row-id="${row}"] [col-id="${column}"]`)) ?? '').trim();
}

/** One column of the rows the list has drawn, in row order. */
async function shownRows(page: Page, column: string): Promise<string[]> {
  const rows = await page.$$eval(
    '[data-testid=packet-list] .ag-row[row-index]',
    (elements, col) => elements.map((r) => [Number(r.getAttribute('row-index')), (r.querySelector(`[col-id="${col}"]`)?.textContent ?? '').trim()] as [number, string]),
    column,
  );
  return rows.sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

describe("several hosts' captures as one (browser mode, headless Chromium)", { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test('picks the three captures in the Open dialog, one named, and shows them merged with a Capture column', async () => {
    const { page } = ui;
    await page.keyboard.press('Control+o');
    await page.click('.open-browser .link-row.dir:has-text("three-hypervisors")');
    for (const name of ['host1.pcapng', 'host2.pcapng', 'host3.pcapng']) await page.check(`[data-testid="open-pick-${name}"]`);
    await page.fill('[data-testid="open-name-host3.pcapng"]', 'hv3');
    await page.click('[data-testid=open-picked-button]');
    await page.waitForSelector('[data-testid=capture-set]', { timeout: 30_000 });
    await waitForIndexed(page);
    await waitForRow(page, 1);
    assert.match((await page.textContent('[data-testid=file-info]')) ?? '', /529 frames.*3 captures merged/);
    assert.match((await page.textContent('[data-testid=capture-set-summary]')) ?? '', /host2\.pcapng \(192\.168\.100\.2, clock \+312\.41\d ms\).*hv3 \(192\.168\.100\.3, clock -158\.20\d ms\)/);
    // Merged by corrected time: host1's ARP request (frame 3) reaches host2 (frame 4), which answers (frame 5).
    assert.deepEqual([await cellText(page, 1, 'capture'), await cellText(page, 2, 'capture'), await cellText(page, 3, 'capture'), await cellText(page, 4, 'capture')], ['host1.pcapng', 'host2.pcapng', 'host1.pcapng', 'host2.pcapng']);
    const times = (await shownRows(page, 'time')).map(Number);
    assert.ok(times.length > 10 && times.every((t, i) => i === 0 || t >= times[i - 1]), `times in order: ${times.join(' ')}`);
    // Frame 4 is host2's second frame: both numbers in the details.
    await page.click('.ag-row[row-id="4"] .ag-cell[col-id="info"]');
    await page.click('[data-testid=detail-tree] [data-field=frame] [data-testid=tree-twisty]');
    assert.match((await page.textContent('[data-testid=detail-tree] [data-field="frame.number"]')) ?? '', /Frame Number: 4/);
    assert.match((await page.textContent('[data-testid=detail-tree] [data-field="frame.capture_frame"]')) ?? '', /Frame number in its capture: 2/);
    assert.match((await page.textContent('[data-testid=detail-tree] [data-field="frame.capture_host"]')) ?? '', /192\.168\.100\.2/);
    await screenshot(page, path.join(SHOTS, 'capture-set-packets.png'));
  });

  test('filters by capture name and by capture host', async () => {
    const { page } = ui;
    await applyFilter(page, 'frame.capture == "hv3"');
    assert.equal(await displayedCount(page), 154);
    await waitForText(page, '[data-testid=packet-list] .ag-row[row-index="0"]', /hv3/);
    const captures = await shownRows(page, 'capture');
    assert.ok(captures.length > 10 && captures.every((c) => c === 'hv3'), captures.join(' '));
    await applyFilter(page, 'frame.capture_host == "192.168.100.2" && icmp');
    const host2Icmp = Number(execFileSync(process.execPath, [CLI, 'dissect', ...FILES, '-Y', 'frame.capture_host == "192.168.100.2" && icmp']).toString().trim().split('\n').length);
    assert.equal(await displayedCount(page), host2Icmp);
    await applyFilter(page, '');
  });

  test('the Tenants view counts each transmission once, as tunnelscope tenants does over the same files', async () => {
    const { page } = ui;
    const cli = JSON.parse(execFileSync(process.execPath, [CLI, 'tenants', ...FILES, '-T', 'json']).toString()) as { underlay: { packets: number; bytes: number }; tenants: { type: string; id: number; packets: number; bytes: number }[] };
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]');
    const shown = await page.$$eval('[data-testid=tenant-row]', (rows) => rows.map((r) => [r.getAttribute('data-tenant'), Number(r.getAttribute('data-frames')), Number(r.getAttribute('data-bytes'))]));
    assert.deepEqual(shown, cli.tenants.map((t) => [`${t.type}:${t.id}`, t.packets, t.bytes]));
    const underlay = await page.$eval('[data-testid=underlay-row]', (r) => [Number(r.getAttribute('data-frames')), Number(r.getAttribute('data-bytes'))]);
    assert.deepEqual(underlay, [cli.underlay.packets, cli.underlay.bytes]);
    // Each transmission once: fewer than the tunnel frames the three captures hold together.
    const sightings = shown.reduce((n, [, frames]) => n + (frames as number), 0);
    assert.ok(sightings < 529 - cli.underlay.packets, `${sightings} transmissions`);
    await page.waitForSelector('[data-testid=traffic-chart] canvas');
    await screenshot(page, path.join(SHOTS, 'capture-set-tenants.png'));
  });

  test('a frame lost in the underlay, clicked in the Paths view, is selected in the packet list', async () => {
    const { page } = ui;
    await page.click('[data-testid=tab-paths]');
    const cell = '[data-testid="paths-cell-192.168.100.3-192.168.100.1"]';
    await waitForText(page, cell, /^2\/47 lost/);
    await page.click(cell);
    await page.waitForSelector('[data-testid=paths-lost-frame]');
    const lost = await page.$$eval('[data-testid=paths-lost] li', (items) => items.map((i) => i.textContent ?? ''));
    assert.match(lost[0], /^hv3 frame 27 /);
    const merged = Number(/frame (\d+) of the merged/.exec(lost[0])![1]);
    await page.click('[data-testid=paths-lost-frame] >> nth=0');
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${merged}"]`, { timeout: 30_000 });
    assert.equal(await cellText(page, merged, 'capture'), 'hv3');
    assert.match((await page.textContent('[data-testid=status-counts]')) ?? '', new RegExp(`Selected: ${merged}\\b`));
    await page.click('[data-testid=detail-tree] [data-field=frame] [data-testid=tree-twisty]');
    assert.match((await page.textContent('[data-testid=detail-tree] [data-field="frame.capture_frame"]')) ?? '', /Frame number in its capture: 27/);
  });

  test("a folder opens as its captures read as one", async () => {
    const { page } = ui;
    await page.keyboard.press('Control+o');
    await page.click('.open-browser .link-row.dir:has-text("three-hypervisors")');
    await page.waitForSelector('[data-testid=open-folder]');
    assert.match((await page.textContent('.open-browser h3')) ?? '', /three-hypervisors$/);
    await page.click('[data-testid=open-folder]');
    await waitForText(page, '[data-testid=file-info] .file-name', /^three-hypervisors\/ \(3 captures\)$/);
    await waitForIndexed(page);
    assert.match((await page.textContent('[data-testid=capture-set-summary]')) ?? '', /^host1\.pcapng .*host2\.pcapng .*host3\.pcapng /);
    await waitForRow(page, 1);
    assert.equal(await displayedCount(page), 529);
    assert.equal(await cellText(page, 1, 'capture'), 'host1.pcapng');
  });
});
