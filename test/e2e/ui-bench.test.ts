// The UI over a generated 1M-packet VXLAN capture: time from Open to the first rows on screen
// (target < 1 s), scrolling to the last row and selecting it (target < 300 ms), Ctrl+G to the last
// frame, and a display filter over the whole file. Figures go to test-output/ui-bench.json.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { applyFilter, displayedCount, haveChromium, NO_CHROMIUM, screenshot, startUi, UiHarness, waitForIndexed, waitForRow } from './ui-driver';

const PACKETS = 1_000_000;
const CAPTURE = path.join(TEST_OUTPUT, 'ui-bench-1m.pcap');
const FIGURES = path.join(TEST_OUTPUT, 'ui-bench.json');
const skip = haveChromium() ? false : NO_CHROMIUM;

describe(`UI over a ${PACKETS.toLocaleString('en-US')}-packet capture`, { skip }, () => {
  let ui: UiHarness;
  const figures: Record<string, number | string> = {};

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    const started = Date.now();
    const summary = generateVxlanCapture(CAPTURE, { packets: PACKETS, vnis: 200, vteps: 32, seed: 7 });
    figures.packets = summary.packets;
    figures.fileBytes = fs.statSync(CAPTURE).size;
    figures.generateMs = Date.now() - started;
    ui = await startUi();
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
    figures.measuredAt = new Date().toISOString();
    fs.writeFileSync(FIGURES, JSON.stringify(figures, null, 2) + '\n');
    console.log(`UI benchmark (${FIGURES}):\n${JSON.stringify(figures, null, 2)}`);
  });

  test('first rows are on screen within 1 s of Open', async () => {
    const { page } = ui;
    await page.keyboard.press('Control+o');
    await page.fill('[data-testid=open-path]', CAPTURE);
    const started = Date.now();
    await page.press('[data-testid=open-path]', 'Enter');
    await waitForRow(page, 1);
    await waitForRow(page, 20);
    figures.openToFirstRowsMs = Date.now() - started;
    await waitForIndexed(page, 120_000);
    figures.openToFullyIndexedMs = Date.now() - started;
    assert.equal(await displayedCount(page), PACKETS);
    assert.ok((figures.openToFirstRowsMs as number) < 1000, `first rows after ${figures.openToFirstRowsMs} ms`);
  });

  test('scrolling to the last row and selecting it takes under 300 ms', async () => {
    const { page } = ui;
    await page.click('.ag-row[row-id="1"] .ag-cell[col-id="info"]');
    const started = Date.now();
    await page.$eval('[data-testid=packet-list] .ag-grid-viewport', (el) => el.scrollTo(0, el.scrollHeight));
    const last = `[data-testid=packet-list] .ag-row[row-id="${PACKETS}"] .ag-cell[col-id="info"]`;
    await page.waitForSelector(last, { timeout: 10_000 });
    await page.click(last);
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${PACKETS}"]`);
    figures.scrollToLastAndSelectMs = Date.now() - started;
    await page.waitForSelector('[data-testid=detail-tree] .tree-row');
    figures.scrollSelectAndDetailsMs = Date.now() - started;
    await screenshot(page, path.join(TEST_OUTPUT, 'ui', 'bench-last-row.png'));
    assert.ok((figures.scrollToLastAndSelectMs as number) < 300, `scroll + select took ${figures.scrollToLastAndSelectMs} ms`);
  });

  test('Ctrl+G jumps to a frame in the middle', async () => {
    const { page } = ui;
    const started = Date.now();
    await page.keyboard.press('Control+g');
    await page.fill('[data-testid=goto-input]', '500000');
    await page.press('[data-testid=goto-input]', 'Enter');
    await page.waitForSelector('[data-testid=packet-list] .ag-row-selected[row-id="500000"]', { timeout: 10_000 });
    figures.gotoFrameMs = Date.now() - started;
  });

  test('a display filter runs over the whole file in a worker', async () => {
    const { page } = ui;
    const started = Date.now();
    await applyFilter(page, 'arp');
    figures.filterArpMs = Date.now() - started;
    figures.filterArpMatches = await displayedCount(page);
    assert.ok((figures.filterArpMatches as number) > 0);
    await page.waitForSelector('[data-testid=packet-list] .ag-row.proto-arp');
  });
});
