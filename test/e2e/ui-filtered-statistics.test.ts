// Statistics → "Limit to display filter": Conversations per kind over the frames the packet list's
// filter matches equal `tunnelscope report -Y FILTER`'s (the same engine pass); computed once per
// filter (flipping the box back and forth does not compute again).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAMPLES } from '../helpers/paths';
import { checkStatisticsAgainstCli, cliConversationCounts, cliFilteredConversationCounts } from './statistics-checks';
import { applyFilter, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;
const FILE = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
const FILTER = 'tenant == vxlan:101';

describe('Statistics limited to the display filter (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test(`Conversations with "${FILTER}" equal the CLI report's over the same filter`, async () => {
    const expected = cliFilteredConversationCounts(FILE, FILTER);
    assert.notDeepEqual(expected, cliConversationCounts(FILE), 'the filter changes the figures (else this test could not fail)');
    const { page, service } = ui;
    await openCapture(page, FILE);
    await waitForIndexed(page);
    await applyFilter(page, FILTER);
    await page.click('[data-testid=tab-statistics]');
    await page.check('[data-testid=stats-limit]');
    await page.waitForSelector(`[data-testid=stats-table][data-display-filter="${FILTER}"]`);
    await checkStatisticsAgainstCli(page, expected);

    const sessionId = service.openSessions()[0].sessionId;
    const once = (await service.call('analysisProgress', { sessionId })).status?.filteredPasses;
    assert.equal(once, 1);
    await page.uncheck('[data-testid=stats-limit]');
    await page.waitForSelector('[data-testid=stats-table][data-display-filter=""]');
    await page.check('[data-testid=stats-limit]');
    await page.waitForSelector(`[data-testid=stats-table][data-display-filter="${FILTER}"]:not([data-total=""])`);
    assert.equal((await service.call('analysisProgress', { sessionId })).status?.filteredPasses, 1, 'the filter\'s statistics were kept');
  });
});
