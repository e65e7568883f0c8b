// The I/O graph's tenant picker on a capture of more tenants than it lists at once (200): it says how
// many more match, and typing narrows the list to the tenants that match.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed } from './ui-driver';

const CAPTURE = path.join(TEST_OUTPUT, 'ui-io-picker.pcap');
const skip = haveChromium() ? false : NO_CHROMIUM;

describe('I/O graph tenant picker over 260 tenants (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    generateVxlanCapture(CAPTURE, { packets: 20_000, vnis: 260, vteps: 8, seed: 11 });
    ui = await startUi();
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
  });

  test('the picker lists 200 tenants, says how many more, and a search narrows it', async () => {
    const { page } = ui;
    await openCapture(page, CAPTURE);
    await waitForIndexed(page);
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=io-picker] [data-testid=io-choice]', { timeout: 120_000 });
    const placeholder = (await page.getAttribute('[data-testid=io-search]', 'placeholder')) ?? '';
    const tenants = Number(/\((\d+)\)/.exec(placeholder)?.[1]);
    assert.ok(tenants > 200, `${tenants} tenants in the picker's count`);
    assert.equal((await page.$$('[data-testid=io-choice]')).length, 200);
    assert.equal(((await page.textContent('[data-testid=io-more]')) ?? '').trim(), `${tenants - 200} more: type to narrow`);
    const needle = '1025';
    await page.fill('[data-testid=io-search]', needle);
    await page.waitForSelector('[data-testid=io-more]', { state: 'detached' });
    const labels = await page.$$eval('.io-choice', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(labels.length > 0 && labels.length < 200, `${labels.length} tenants match ${needle}`);
    for (const label of labels) assert.ok(label.includes(needle), label);
  });
});
