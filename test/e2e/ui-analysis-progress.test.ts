// The heavy views' analysis in the app: it shows its progress with Cancel; Cancel stops the service's
// worker and "Analyse" starts it over; then the views are built once and kept, so revisiting the
// Tenants, VTEP and Statistics tabs computes nothing again (the service's own counters, not a time).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForText } from './ui-driver';

// Large enough that reading it takes a while on any machine (the test waits for progress, then cancels).
const PACKETS = 600_000;
const CAPTURE = path.join(TEST_OUTPUT, 'ui-analysis-progress.pcap');
const SMALL = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
const skip = haveChromium() ? false : NO_CHROMIUM;

describe('heavy views: progress, cancel, computed once (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  let sessionId = '';

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    generateVxlanCapture(CAPTURE, { packets: PACKETS, vnis: 50, vteps: 16, seed: 3 });
    ui = await startUi();
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
  });

  test('the Tenants tab shows the analysis progress; Cancel stops it and Analyse starts it over', async () => {
    const { page, service } = ui;
    // The analysis starts at Open, so a fast machine can finish reading before a tab click: the Tenants
    // tab is already showing (over a small sample) when the large capture is opened.
    await openCapture(page, SMALL);
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 60_000 });
    await openCapture(page, CAPTURE);
    const opened = service.openSessions().find((s) => s.path === path.resolve(CAPTURE));
    assert.ok(opened, 'the large capture has a session');
    sessionId = opened.sessionId;
    await page.waitForSelector('[data-testid=analysis-progress][data-phase=reading]');
    // Progress reports frames read so far before the analysis is done.
    await waitForText(page, '[data-testid=analysis-progress]', /[\d,]+ frames, \d+%/, 120_000);
    await page.click('[data-testid=analysis-cancel]');
    await page.waitForSelector('[data-testid=analysis-progress][data-phase=cancelled]');
    const stopped = await service.call('analysisProgress', { sessionId });
    assert.equal(stopped.progress?.phase, 'cancelled');
    assert.equal(stopped.status, null, 'no analysis worker is left running');
    assert.equal(stopped.progress?.runs, 1);

    await page.click('[data-testid=analysis-restart]');
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 300_000 });
    const restarted = await service.call('analysisProgress', { sessionId });
    assert.equal(restarted.progress?.runs, 2, 'Analyse started a new analysis');
  });

  test('revisiting the heavy tabs computes nothing again: one pass, each view built once', async () => {
    const { page, service } = ui;
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 300_000 });
    await page.click('[data-testid=tab-vteps]');
    await page.waitForSelector('[data-testid=fdb-table] .ag-row', { timeout: 300_000 });
    await page.click('[data-testid=tab-statistics]');
    await page.waitForSelector('[data-testid=stats-table] .ag-row', { timeout: 300_000 });
    const first = await service.call('analysisProgress', { sessionId });
    for (const tab of ['packets', 'tenants', 'vteps', 'statistics', 'tenants']) {
      await page.click(`[data-testid=tab-${tab}]`);
      if (tab === 'tenants') await page.waitForSelector('[data-testid=tenant-row]');
      if (tab === 'vteps') await page.waitForSelector('[data-testid=fdb-table] .ag-row');
      if (tab === 'statistics') await page.waitForSelector('[data-testid=stats-table] .ag-row');
    }
    const again = await service.call('analysisProgress', { sessionId });
    assert.equal(again.progress?.phase, 'ready');
    assert.equal(again.progress?.runs, 2, 'no analysis started again (the first was cancelled)');
    assert.deepEqual(again.status?.builds, { tenants: 1, vteps: 1, statistics: 1, captureStatistics: 1 });
    assert.equal(again.status?.passes, 1, 'one pass over the capture');
    assert.deepEqual(again.status, first.status);
  });
});
