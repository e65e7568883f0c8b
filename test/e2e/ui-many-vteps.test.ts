// The VTEP view on a capture of 10,000 flooding VTEPs and 4,000 VNIs without IGMP (the bench's `scale`
// mix, smaller): the FDB table holds every entry the service counts at the last frame and its search
// finds a MAC, the lanes scroll to the last VTEP, the pairs and groups tables hold every row, and the
// page stays small (its rows and lanes are drawn for what is on screen). No assertion on time.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { filledText, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed } from './ui-driver';

const CAPTURE = path.join(TEST_OUTPUT, 'ui-many-vteps.pcap');
const skip = haveChromium() ? false : NO_CHROMIUM;
/** Far fewer elements than rows or lanes: the view draws what is on screen. */
const MAX_ELEMENTS = 20_000;

type Doc = { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>; getElementsByTagName(s: string): { length: number } } };

const countOf = async (ui: UiHarness, testId: string) => Number(((await ui.page.textContent(`[data-testid=${testId}]`)) ?? '').replace(/[^0-9]/g, ''));

describe('the VTEP view at thousands of VTEPs', { skip }, () => {
  let ui: UiHarness;
  let sessionId: string;

  before(async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    generateVxlanCapture(CAPTURE, { packets: 60_000, vnis: 4000, vmsPerVni: 250, vteps: 10_000, seed: 9, igmp: false, broadcastShare: 0.5 });
    ui = await startUi();
    await openCapture(ui.page, CAPTURE);
    await waitForIndexed(ui.page, 300_000);
    sessionId = ui.service.openSessions()[0].sessionId;
    await ui.page.click('[data-testid=tab-vteps]');
    await ui.page.waitForSelector('[data-testid=timeline-status][data-mode]:not([data-mode=""])', { timeout: 300_000 });
  });

  after(async () => {
    await ui?.close();
    fs.rmSync(CAPTURE, { force: true });
  });

  test('the FDB lists every entry at the last frame and its search finds a MAC', async () => {
    const { page, service } = ui;
    await filledText(page, '[data-testid=fdb-table] .ag-row[row-index="0"] [col-id="mac"]', 120_000);
    const frames = service.openSessions()[0].frames;
    const all = await service.call('vtepTable', { sessionId, table: 'fdb', frame: frames, search: '', sortColumn: '', sortDirection: 'asc', start: 0, count: 0 });
    assert.ok(all.total > 50_000, `${all.total} FDB entries`);
    await page.waitForFunction((n) => ((globalThis as unknown as Doc).document.querySelectorAll('[data-testid=fdb-count]')[0]?.textContent ?? '').replace(/[^0-9]/g, '') === String(n), all.total);
    // Scrolled to its last row: the table asks for the page there.
    await page.$eval('[data-testid=fdb-table] .ag-grid-viewport', (el) => el.scrollTo(0, el.scrollHeight));
    const last = await service.call('vtepTable', { sessionId, table: 'fdb', frame: frames, search: '', sortColumn: '', sortDirection: 'asc', start: all.total - 1, count: 1 });
    const lastMac = (last.rows[0] as { mac: string }).mac;
    // The row is drawn empty while its page is on its way, then with the service's last entry.
    const lastCell = `[data-testid=fdb-table] .ag-row[row-index="${all.total - 1}"] [col-id="mac"]`;
    await page.waitForFunction(([selector, mac]) => ((globalThis as unknown as Doc).document.querySelectorAll(selector)[0]?.textContent ?? '').trim() === mac, [lastCell, lastMac] as const, { timeout: 60_000 });
    await page.fill('[data-testid=fdb-search]', lastMac);
    await page.waitForFunction((m) => {
      const rows = (globalThis as unknown as Doc).document.querySelectorAll('[data-testid=fdb-table] .ag-row [col-id="mac"]');
      return rows.length > 0 && Array.from(rows).every((r) => (r.textContent ?? '').includes(m));
    }, lastMac);
    const found = await service.call('vtepTable', { sessionId, table: 'fdb', frame: frames, search: lastMac, sortColumn: '', sortDirection: 'asc', start: 0, count: 0 });
    assert.equal(await countOf(ui, 'fdb-count'), found.total);
    await page.fill('[data-testid=fdb-search]', '');
  });

  test('the lanes scroll to the last VTEP, a window of lanes at a time', async () => {
    const { page, service } = ui;
    const timeline = await service.call('vtepTimeline', { sessionId });
    const lanes = timeline.vteps.length;
    assert.ok(lanes > 9000, `${lanes} lanes`);
    assert.equal(await page.getAttribute('[data-testid=timeline-lanes]', 'data-of'), String(lanes));
    const shown = Number(await page.getAttribute('[data-testid=timeline-lanes]', 'data-count'));
    assert.equal((await page.$$('[data-testid=timeline-svg] .lane-label')).length, shown);
    await page.$eval('[data-testid=timeline-lanes-scroll]', (el) => (el.scrollTop = el.scrollHeight));
    const lastVtep = timeline.vteps[timeline.vteps.length - 1];
    await page.waitForFunction((v) => {
      const labels = Array.from((globalThis as unknown as Doc).document.querySelectorAll('[data-testid=timeline-svg] .lane-label'));
      return labels.length > 0 && labels[labels.length - 1].textContent === v;
    }, lastVtep);
    // The drawing is of those lanes: its status counts their events, as the service does.
    await page.waitForFunction((n) => Number((globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } } }).document.querySelector('[data-testid=timeline-lanes]').getAttribute('data-first')) === n, lanes - shown);
    const window = await service.call('vtepEvents', { sessionId, from: timeline.firstTime, to: timeline.lastTime, bins: 50, tenant: '', vtep: '', mac: '', laneStart: lanes - shown, laneCount: shown });
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } } }).document.querySelector('[data-testid=timeline-status]').getAttribute('data-lane-total') === String(n), window.laneTotal);
  });

  test('the pairs and groups tables hold every row, and the page stays small', async () => {
    const { page, service } = ui;
    const timeline = await service.call('vtepTimeline', { sessionId });
    assert.equal(timeline.groupCount, 4000);
    await filledText(page, '[data-testid=vtep-matrix] .ag-row[row-index="0"] [col-id="to"]');
    await filledText(page, '[data-testid=groups-table] .ag-row[row-index="0"] [col-id="group"]');
    const rowCount = async (testId: string) => Number(await page.getAttribute(`[data-testid=${testId}] [role=grid], [data-testid=${testId}] [role=treegrid]`, 'aria-rowcount')) - 1;
    assert.equal(await rowCount('vtep-matrix'), timeline.pairCount);
    assert.equal(await rowCount('groups-table'), 4000);
    assert.equal(await countOf(ui, 'groups-count'), 4000);
    // No IGMP in this capture: each group's members are assumed, as its row says, and one note sums them up.
    assert.match((await page.textContent('[data-testid=groups-table] .ag-row[row-index="0"]'))!, /assumed/);
    const notes = await page.$$eval('.timeline-panel .notes li', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(notes.length, 1, notes.join('\n'));
    assert.match(notes[0], /^no IGMP\/MLD membership report seen for 4,000 groups/);
    const elements = await page.evaluate(() => (globalThis as unknown as Doc).document.getElementsByTagName('*').length);
    assert.ok(elements < MAX_ELEMENTS, `${elements} elements in the page`);
  });
});
