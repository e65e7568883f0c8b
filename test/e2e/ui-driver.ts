// Drives the UI in browser mode for the e2e tests and the screenshot script: the service and its HTTP
// server in this process, Debian's Chromium (never a downloaded browser) through playwright-core.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { startHttpServer, RunningServer } from '../../src/service/http-server';
import { RENDERER_DIR, SAMPLES_DIR } from '../../src/service/paths';
import { TunnelscopeService } from '../../src/service/service';

export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM = `${CHROMIUM} is absent (scripts/install-test-peers.sh installs Debian's chromium): UI tests skipped`;

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface UiHarness {
  service: TunnelscopeService;
  server: RunningServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startUi(viewport = { width: 1440, height: 900 }): Promise<UiHarness> {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-ui-'));
  const service = new TunnelscopeService({ configDir, samplesDir: SAMPLES_DIR });
  const server = await startHttpServer(service, RENDERER_DIR);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  await page.goto(server.url);
  await page.waitForSelector('.header');
  return {
    service,
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      service.closeAll();
      await server.close();
      fs.rmSync(configDir, { recursive: true, force: true });
      if (errors.length > 0) console.error(`page errors:\n  ${errors.join('\n  ')}`);
    },
  };
}

/** Opens a capture through the Open dialog's path field, as a user would. */
export async function openCapture(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+o');
  await page.fill('[data-testid=open-path]', file);
  await page.press('[data-testid=open-path]', 'Enter');
}

/** Waits until the packet list shows frame `n` in a row. */
export async function waitForRow(page: Page, n: number, timeout = 10_000): Promise<void> {
  await page.waitForSelector(`[data-testid=packet-list] .ag-row[row-id="${n}"]`, { timeout });
}

interface MinimalDocument {
  querySelector(selector: string): { textContent: string | null } | null;
}

/** Waits until an element's text matches (a function, not a string: the page's CSP forbids eval). */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([sel, source]) => new RegExp(source).test((globalThis as unknown as { document: MinimalDocument }).document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source] as const,
    { timeout },
  );
}

export async function waitForIndexed(page: Page, timeout = 60_000): Promise<void> {
  await waitForText(page, '.status-message', /Indexed/, timeout);
}

export async function applyFilter(page: Page, filter: string): Promise<void> {
  await page.fill('[data-testid=filter-input]', filter);
  await page.press('[data-testid=filter-input]', 'Escape').catch(() => undefined);
  await page.fill('[data-testid=filter-input]', filter);
  await page.click('[data-testid=filter-apply]');
  await waitForText(page, '[data-testid=filter-status]', /frames match/, 60_000);
}

export async function displayedCount(page: Page): Promise<number> {
  const text = (await page.textContent('[data-testid=status-counts]')) ?? '';
  const m = /Displayed: ([\d,]+)/.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : -1;
}

export async function gotoFrame(page: Page, frame: number): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.fill('[data-testid=goto-input]', String(frame));
  await page.press('[data-testid=goto-input]', 'Enter');
  await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${frame}"]`, { timeout: 10_000 });
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}
