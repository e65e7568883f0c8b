// The app's figures for `npm run bench` on the 1M-packet capture, in headless Chromium (browser mode):
// first rows after Open, scroll to the last row and select it, Tenants view ready, VTEP view ready.
// A benchmark, not a test: it prints figures against targets and asserts nothing.
import type { Page } from 'playwright-core';
import { haveChromium, startUi, waitForIndexed, waitForRow } from '../e2e/ui-driver';

export interface UiFigure {
  name: string;
  ms: number;
  targetMs: number;
  /** How the figure is made up, when it is not one stretch of wall time. */
  detail?: string;
}

/**
 * Page-side clock for the scroll step: when the scroll started, when frame `last` was first painted
 * in the list, when the mouse went down on it, when its row was painted selected. Paint is taken as
 * the first task after the animation frame that follows the change. A string: the bench compiles
 * without the DOM library.
 */
const ARM_SCROLL_CLOCK = `(frame) => {
  const clock = (window.__scrollClock = {});
  const afterPaint = (name) => requestAnimationFrame(() => setTimeout(() => (clock[name] ??= performance.now()), 0));
  const list = document.querySelector('[data-testid=packet-list]');
  const observer = new MutationObserver(() => {
    if (clock.shownSeen === undefined && list.querySelector('.ag-row[row-id="' + frame + '"]')) {
      clock.shownSeen = performance.now();
      afterPaint('shown');
    }
    if (clock.selectedSeen === undefined && list.querySelector('.ag-row-selected[row-id="' + frame + '"]')) {
      clock.selectedSeen = performance.now();
      afterPaint('selected');
      observer.disconnect();
    }
  });
  observer.observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  window.addEventListener('mousedown', () => (clock.mousedown ??= performance.now()), { capture: true, once: true });
}`;

async function armScrollClock(page: Page, last: number): Promise<void> {
  await page.evaluate(`(${ARM_SCROLL_CLOCK})(${last})`);
}

export async function measureUi(capture: string, packets: number): Promise<UiFigure[] | string> {
  if (!haveChromium()) return '/usr/bin/chromium is absent: no UI figures';
  const ui = await startUi();
  const { page } = ui;
  const figures: UiFigure[] = [];
  const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    await page.keyboard.press('Control+o');
    await page.fill('[data-testid=open-path]', capture);
    let started = process.hrtime.bigint();
    await page.press('[data-testid=open-path]', 'Enter');
    await waitForRow(page, 20, 60_000);
    figures.push({ name: 'first rows after Open', ms: since(started), targetMs: 1000 });
    await waitForIndexed(page, 300_000);

    await page.click('.ag-row[row-id="1"] .ag-cell[col-id="info"]');
    // The app's time: from the scroll to the last row painted, plus from the mouse-down to the row
    // painted selected. In between, Playwright's click() waits for the row to stay still over two
    // animation frames and checks what the mouse would hit (100-250 ms here): the driver's time, not
    // the app's, printed beside it with the whole sequence.
    await armScrollClock(page, packets);
    started = process.hrtime.bigint();
    await page.evaluate(`window.__scrollClock.scroll = performance.now();
      const viewport = document.querySelector('[data-testid=packet-list] .ag-grid-viewport');
      viewport.scrollTo(0, viewport.scrollHeight);`);
    const last = `[data-testid=packet-list] .ag-row[row-id="${packets}"] .ag-cell[col-id="info"]`;
    await page.waitForSelector(last, { timeout: 60_000 });
    await page.click(last);
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${packets}"]`);
    const wholeMs = since(started);
    const clock = await page.waitForFunction('window.__scrollClock.shown !== undefined && window.__scrollClock.selected !== undefined && window.__scrollClock');
    const { scroll, shown, mousedown, selected } = (await clock.jsonValue()) as Record<string, number>;
    const round = (ms: number) => Math.round(ms);
    figures.push({
      name: 'scroll to the last row and select it',
      ms: round(shown - scroll + (selected - mousedown)),
      targetMs: 300,
      detail: `scroll to row painted ${round(shown - scroll)} ms + mouse-down to selected ${round(selected - mousedown)} ms; the driver's whole sequence ${round(wholeMs)} ms`,
    });

    started = process.hrtime.bigint();
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 300_000 });
    await page.waitForSelector('[data-testid=stats-table]:not([data-total=""]) .ag-row[row-index="0"] [col-id="a"]', { timeout: 300_000 });
    figures.push({ name: 'Tenants view ready (tenants, chart, conversations)', ms: since(started), targetMs: 1000 });

    started = process.hrtime.bigint();
    await page.click('[data-testid=tab-vteps]');
    await page.waitForSelector('[data-testid=timeline-status][data-mode]:not([data-mode=""])', { timeout: 300_000 });
    await page.waitForSelector('[data-testid=fdb-table] .ag-row', { timeout: 300_000 });
    figures.push({ name: 'VTEP view ready (timeline and FDB)', ms: since(started), targetMs: 1000 });
  } finally {
    await ui.close();
  }
  return figures;
}
