// The app's figures for `npm run bench` on the 1M-packet capture, in headless Chromium (browser mode):
// first rows after Open, scroll to the last row and select it, Tenants view ready, VTEP view ready.
// A benchmark, not a test: it prints figures against targets and asserts nothing.
import { haveChromium, startUi, waitForIndexed, waitForRow } from '../e2e/ui-driver';

export interface UiFigure {
  name: string;
  ms: number;
  targetMs: number;
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
    started = process.hrtime.bigint();
    await page.$eval('[data-testid=packet-list] .ag-grid-viewport', (el) => el.scrollTo(0, el.scrollHeight));
    const last = `[data-testid=packet-list] .ag-row[row-id="${packets}"] .ag-cell[col-id="info"]`;
    await page.waitForSelector(last, { timeout: 60_000 });
    await page.click(last);
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${packets}"]`);
    figures.push({ name: 'scroll to the last row and select it', ms: since(started), targetMs: 300 });

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
