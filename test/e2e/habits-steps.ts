// Steps shared by the habits tests on the samples and on the 1M-packet capture.
import type { Page } from 'playwright-core';
import { waitForRow, waitForText } from './ui-driver';

/** Right-click a packet-list cell, then Apply as Filter → Selected. */
export async function rightClickApplyAsFilter(page: Page, frame: number, column: string): Promise<void> {
  await waitForRow(page, frame);
  await page.click(`[data-testid=packet-list] .ag-row[row-id="${frame}"] .ag-cell[col-id="${column}"]`, { button: 'right' });
  await page.hover('[data-testid=menu-apply]');
  await page.click('[data-testid=apply-selected]');
}

/** Right-click a frame, Follow Stream; returns the dialog's text and closes it. */
export async function followStreamText(page: Page, frame: number): Promise<string> {
  await waitForRow(page, frame);
  await page.click(`[data-testid=packet-list] .ag-row[row-id="${frame}"] .ag-cell[col-id="info"]`, { button: 'right' });
  await page.click('[data-testid=menu-follow]');
  await page.waitForSelector('[data-testid=follow-text]', { timeout: 60_000 });
  const text = (await page.textContent('[data-testid=follow-text]')) ?? '';
  await page.keyboard.press('Escape');
  await page.click('[data-testid=follow-dialog] .modal-buttons .btn-primary');
  return text;
}

/** File → Save Displayed As to `file`; returns the status message. */
export async function saveDisplayedAs(page: Page, file: string): Promise<string> {
  await page.click('[data-testid=file-menu]');
  await page.click('[data-testid=menu-save-as]');
  await page.fill('[data-testid=save-path]', file);
  await page.click('[data-testid=save-run]');
  await waitForText(page, '.status-message', /^Saved /, 300_000);
  return (await page.textContent('.status-message')) ?? '';
}

/** File → Export Tenant Report to `file` (format from its extension); returns the status message. */
export async function exportTenantReport(page: Page, file: string): Promise<string> {
  await page.click('[data-testid=file-menu]');
  await page.click('[data-testid=menu-report]');
  await page.fill('[data-testid=report-path]', file);
  await page.click('[data-testid=report-run]');
  await waitForText(page, '.status-message', /^Wrote the /, 300_000);
  return (await page.textContent('.status-message')) ?? '';
}
