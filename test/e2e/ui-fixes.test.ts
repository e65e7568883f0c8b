// The app's fixes a Wireshark user notices first: a capture given on the command line shows however
// late the page subscribes; Enter applies what is typed and Escape keeps it; an empty view names its
// filter; Home/End select; a filter that hides the selected frame leaves nothing selected.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAMPLES } from '../helpers/paths';
import { applyFilter, displayedCount, haveChromium, NO_CHROMIUM, startUi, UiHarness, waitForIndexed, waitForRow, waitForText } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;
const SAMPLE = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');

describe('UI fixes (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test('a capture opened before the page loaded is shown on every load', async () => {
    const { page, service } = ui;
    service.open(SAMPLE);
    for (let load = 0; load < 5; load++) {
      await page.reload();
      await page.waitForSelector(`[data-testid=file-info][data-path="${SAMPLE}"]`, { timeout: 30_000 });
    }
    await waitForIndexed(page);
    await waitForRow(page, 1);
  });

  test('Enter applies the typed filter, not a completion; Escape closes the completions and keeps the text', async () => {
    const { page } = ui;
    const before = Number(await page.getAttribute('[data-testid=filter-bar]', 'data-view-version'));
    await page.click('[data-testid=filter-input]');
    await page.fill('[data-testid=filter-input]', '');
    await page.type('[data-testid=filter-input]', 'tenant == vxlan:101 && arp');
    await page.waitForSelector('[data-testid=filter-suggestions] li');
    await page.press('[data-testid=filter-input]', 'Enter');
    await page.waitForFunction((v) => {
      const bar = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid=filter-bar]');
      return bar !== null && Number(bar.getAttribute('data-view-version')) > v && bar.getAttribute('data-pending') === 'no';
    }, before);
    assert.equal(await page.getAttribute('[data-testid=filter-bar]', 'data-applied'), 'tenant == vxlan:101 && arp');
    await page.type('[data-testid=filter-input]', ' && ip');
    await page.press('[data-testid=filter-input]', 'Escape');
    assert.equal(await page.inputValue('[data-testid=filter-input]'), 'tenant == vxlan:101 && arp && ip');
    assert.equal(await page.$('[data-testid=filter-suggestions]'), null);
    // Tab takes the highlighted completion.
    await page.fill('[data-testid=filter-input]', '');
    await page.type('[data-testid=filter-input]', 'vxlan.vn');
    await page.waitForSelector('[data-testid=filter-suggestions] li');
    await page.press('[data-testid=filter-input]', 'Tab');
    assert.equal(await page.inputValue('[data-testid=filter-input]'), 'vxlan.vni');
  });

  test('tenant ranges and _ws.malformed are accepted; an empty view names its filter', async () => {
    const { page } = ui;
    await applyFilter(page, 'tenant == vxlan:100..101');
    assert.ok((await displayedCount(page)) > 0);
    await applyFilter(page, '_ws.malformed');
    assert.equal(await displayedCount(page), 0);
    await waitForText(page, '[data-testid=list-empty]', /No frames match _ws\.malformed/);
    assert.equal(await page.$('.ag-overlay-no-rows-center'), null);
    await applyFilter(page, '');
  });

  test('End and Home select the last and first frame; a filter hiding the selection clears it', async () => {
    const { page } = ui;
    await waitForRow(page, 1);
    await page.click('.ag-row[row-id="2"] .ag-cell[col-id="info"]');
    await waitForText(page, '[data-testid=status-counts]', /Selected: 2$/);
    await page.keyboard.press('End');
    await waitForText(page, '[data-testid=status-counts]', /Selected: 33$/);
    await page.keyboard.press('Home');
    await waitForText(page, '[data-testid=status-counts]', /Selected: 1$/);
    await applyFilter(page, 'frame.number == 5');
    await page.waitForFunction(() => !/Selected/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=status-counts]')?.textContent ?? ''));
    await applyFilter(page, '');
  });
});
