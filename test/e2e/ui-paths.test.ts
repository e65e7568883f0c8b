// The Paths view in browser mode (headless Chromium): the three hypervisors' captures correlated
// through the service call, the VTEP-pair matrix with loss and latency, a click lists the lost frames.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { haveChromium, NO_CHROMIUM, openCapture, screenshot, startUi, UiHarness, waitForIndexed, waitForRow, waitForText } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;

describe('Paths view (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test('correlates the folder of the open capture and lists the frames lost on a path', async () => {
    const { page } = ui;
    await openCapture(page, path.join(SAMPLES, 'three-hypervisors', 'host1.pcapng'));
    await waitForRow(page, 1);
    await waitForIndexed(page);
    await page.click('[data-testid=tab-paths]');
    assert.equal(await page.inputValue('[data-testid=paths-input]'), path.join(SAMPLES, 'three-hypervisors'));
    await page.click('[data-testid=paths-run]');
    await page.waitForSelector('[data-testid=paths-matrix]');
    const cell = '[data-testid="paths-cell-192.168.100.3-192.168.100.1"]';
    await waitForText(page, cell, /^2\/47 lost · 2[56]\d µs$/);
    assert.match((await page.textContent('[data-testid=paths-captures]')) ?? '', /host2\.pcapng192\.168\.100\.2\+312\.41\d ms/);
    await page.click(cell);
    await page.waitForSelector('[data-testid=paths-lost] li');
    const lost = await page.$$eval('[data-testid=paths-lost] li', (items) => items.map((i) => i.textContent ?? ''));
    assert.deepEqual(lost.map((l) => /^(\S+) frame (\d+)/.exec(l)?.slice(1).join('#')), ['host3.pcapng#27', 'host3.pcapng#84']);
    await screenshot(page, path.join(TEST_OUTPUT, 'ui', 'paths.png'));
  });
});
