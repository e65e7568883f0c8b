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

/** Opens a capture through the Open dialog's path field, as a user would; returns once the window shows it. */
export async function openCapture(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+o');
  await page.fill('[data-testid=open-path]', file);
  await page.press('[data-testid=open-path]', 'Enter');
  await page.waitForSelector(`[data-testid=file-info][data-path="${path.resolve(file)}"]`, { timeout: 30_000 });
}

/** Waits until the packet list shows frame `n` in a row. */
export async function waitForRow(page: Page, n: number, timeout = 30_000): Promise<void> {
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

/**
 * The text of an element once it has some: a paged table draws a row empty until its page arrives, so
 * reading a cell as soon as the row is there may read nothing.
 */
export async function filledText(page: Page, selector: string, timeout = 60_000): Promise<string> {
  await waitForText(page, selector, /\S/, timeout);
  return ((await page.textContent(selector)) ?? '').trim();
}

/** Waits until the open capture is fully indexed (the window's state, not a status message). */
export async function waitForIndexed(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('[data-testid=file-info][data-indexing=no]', { timeout });
}

interface FilterBarElement {
  getAttribute(name: string): string | null;
}

/** The applied view's version (a new one per Apply, also when the filter text is the same). */
async function viewVersion(page: Page): Promise<number> {
  return Number((await page.getAttribute('[data-testid=filter-bar]', 'data-view-version')) ?? -1);
}

/**
 * Applies a display filter and waits until the service's new view is in place: a new view version,
 * not pending, with this filter. (An empty filter shows no "frames match" line, so no text is awaited.)
 */
export async function applyFilter(page: Page, filter: string, timeout = 60_000): Promise<void> {
  const before = await viewVersion(page);
  await page.fill('[data-testid=filter-input]', filter);
  // Close the completion list so it cannot cover the Apply button.
  await page.press('[data-testid=filter-input]', 'Escape').catch(() => undefined);
  await page.fill('[data-testid=filter-input]', filter);
  await page.click('[data-testid=filter-apply]');
  await page.waitForFunction(
    ([previous, wanted]) => {
      const bar = (globalThis as unknown as { document: { querySelector(s: string): FilterBarElement | null } }).document.querySelector('[data-testid=filter-bar]');
      return bar !== null && Number(bar.getAttribute('data-view-version')) > previous && bar.getAttribute('data-pending') === 'no' && (bar.getAttribute('data-applied') ?? '').trim() === wanted;
    },
    [before, filter.trim()] as const,
    { timeout },
  );
}

/** Waits until a view with a non-empty filter chosen outside the filter bar (a click in a view) is in place. */
export async function waitForFilteredView(page: Page, prefix: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const bar = (globalThis as unknown as { document: { querySelector(s: string): FilterBarElement | null } }).document.querySelector('[data-testid=filter-bar]');
      return bar !== null && bar.getAttribute('data-pending') === 'no' && (bar.getAttribute('data-applied') ?? '').startsWith(wanted);
    },
    prefix,
    { timeout },
  );
}

/** Two animation frames: whatever React rendered is painted (for screenshots; no fixed sleep). */
export async function painted(page: Page): Promise<void> {
  await page.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    return new Promise<void>((resolve) => raf(() => raf(() => resolve())));
  });
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
  await page.waitForSelector(`[data-testid=packet-list] .ag-row-selected[row-id="${frame}"]`, { timeout: 30_000 });
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}
