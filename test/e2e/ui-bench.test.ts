// The UI over a generated 1M-packet VXLAN capture: the first rows appear while indexing goes on,
// the last row can be scrolled to and selected, Ctrl+G reaches a frame in the middle, and a display
// filter runs over the whole file. Behaviour only: how fast each step is, measured against its
// target, is `npm run bench` (test/bench/ui-figures.ts); a test that failed on a slower machine
// would not be a passing test.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { applyFilter, displayedCount, haveChromium, NO_CHROMIUM, screenshot, startUi, UiHarness, waitForIndexed, waitForRow } from './ui-driver';

const PACKETS = 1_000_000;
const CAPTURE = path.join(TEST_OUTPUT, 'ui-bench-1m.pcap');
const skip = haveChromium() ? false : NO_CHROMIUM;

describe(`UI over a ${PACKETS.toLocaleString('en-US')}-packet capture`, { skip }, () => {
  let ui: UiHarness;

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    generateVxlanCapture(CAPTURE, { packets: PACKETS, vnis: 200, vteps: 32, seed: 7 });
    ui = await startUi();
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
  });

  test('the first rows appear, then every frame is indexed', async () => {
    const { page } = ui;
    await page.keyboard.press('Control+o');
    await page.fill('[data-testid=open-path]', CAPTURE);
    await page.press('[data-testid=open-path]', 'Enter');
    await waitForRow(page, 1);
    await waitForRow(page, 20);
    await waitForIndexed(page, 600_000);
    assert.equal(await displayedCount(page), PACKETS);
  });

  test('the last row can be scrolled to and selected, and its details shown', async () => {
    const { page } = ui;
    await page.click('.ag-row[row-id="1"] .ag-cell[col-id="info"]');
    // The blocks the scroll shows are asked for at the scroll event (renderer/src/views/row-prefetch.ts)
    // and the grid's own ask takes that answer: each block reaches the service once.
    const blocksAsked: number[] = [];
    const call = ui.service.call.bind(ui.service);
    ui.service.call = ((method: string, params: { start?: number }) => {
      if (method === 'getRows') blocksAsked.push(params.start ?? -1);
      return call(method as never, params as never);
    }) as typeof ui.service.call;
    await page.$eval('[data-testid=packet-list] .ag-grid-viewport', (el) => el.scrollTo(0, el.scrollHeight));
    const last = `[data-testid=packet-list] .ag-row[row-id="${PACKETS}"] .ag-cell[col-id="info"]`;
    await page.waitForSelector(last, { timeout: 60_000 });
    ui.service.call = call;
    assert.ok(blocksAsked.includes(PACKETS - 100), `the last block asked for: ${blocksAsked.join(', ')}`);
    assert.equal(new Set(blocksAsked).size, blocksAsked.length, `a block asked for twice: ${blocksAsked.join(', ')}`);
    await page.click(last);
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${PACKETS}"]`);
    await page.waitForSelector('[data-testid=detail-tree] .tree-row');
    await screenshot(page, path.join(TEST_OUTPUT, 'ui', 'bench-last-row.png'));
  });

  test('Ctrl+G jumps to a frame in the middle', async () => {
    const { page } = ui;
    await page.keyboard.press('Control+g');
    await page.fill('[data-testid=goto-input]', '500000');
    await page.press('[data-testid=goto-input]', 'Enter');
    await page.waitForSelector('[data-testid=packet-list] .ag-row-selected[row-id="500000"]', { timeout: 60_000 });
  });

  test('a display filter runs over the whole file in a worker', async () => {
    const { page } = ui;
    await applyFilter(page, 'arp');
    const matches = await displayedCount(page);
    assert.ok(matches > 0 && matches < PACKETS, `${matches} ARP frames`);
    await page.waitForSelector('[data-testid=packet-list] .ag-row.proto-arp');
  });
});
