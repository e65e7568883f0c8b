// The UI's speed on a large capture, for `npm run bench` (never asserted by `npm test`): Open to the
// first rows on screen (target < 1 s), scrolling to the last row and selecting it (target < 300 ms),
// Ctrl+G to a frame in the middle, and a display filter over the whole file.
import { applyFilter, displayedCount, startUi, waitForIndexed, waitForRow } from '../e2e/ui-driver';

export interface UiFigure {
  name: string;
  ms: number;
  /** The target in milliseconds, when the issue sets one. */
  targetMs?: number;
}

export async function measureUi(capture: string, packets: number): Promise<UiFigure[]> {
  const ui = await startUi();
  const figures: UiFigure[] = [];
  try {
    const { page } = ui;
    await page.keyboard.press('Control+o');
    await page.fill('[data-testid=open-path]', capture);
    let started = Date.now();
    await page.press('[data-testid=open-path]', 'Enter');
    await waitForRow(page, 1);
    await waitForRow(page, 20);
    figures.push({ name: 'Open to the first rows on screen', ms: Date.now() - started, targetMs: 1000 });
    await waitForIndexed(page, 600_000);
    figures.push({ name: 'Open to fully indexed', ms: Date.now() - started });

    await page.click('.ag-row[row-id="1"] .ag-cell[col-id="info"]');
    started = Date.now();
    await page.$eval('[data-testid=packet-list] .ag-grid-viewport', (el) => el.scrollTo(0, el.scrollHeight));
    const last = `[data-testid=packet-list] .ag-row[row-id="${packets}"] .ag-cell[col-id="info"]`;
    await page.waitForSelector(last, { timeout: 60_000 });
    await page.click(last);
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${packets}"]`);
    figures.push({ name: 'scroll to the last row and select it', ms: Date.now() - started, targetMs: 300 });
    await page.waitForSelector('[data-testid=detail-tree] .tree-row');
    figures.push({ name: 'scroll, select and show its details', ms: Date.now() - started });

    started = Date.now();
    const middle = Math.ceil(packets / 2);
    await page.keyboard.press('Control+g');
    await page.fill('[data-testid=goto-input]', String(middle));
    await page.press('[data-testid=goto-input]', 'Enter');
    await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${middle}"]`, { timeout: 60_000 });
    figures.push({ name: 'Ctrl+G to a frame in the middle', ms: Date.now() - started });

    started = Date.now();
    await applyFilter(page, 'arp', 600_000);
    figures.push({ name: `display filter "arp" over every frame (${await displayedCount(page)} match)`, ms: Date.now() - started });
  } finally {
    await ui.close();
  }
  return figures;
}
