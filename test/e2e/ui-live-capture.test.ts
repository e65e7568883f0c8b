// Live capture in the UI on a real two-namespace VXLAN overlay (test/helpers/netns.ts): the UI server
// runs INSIDE namespace A (`ip netns exec`), and so does the browser (a wrapper enters the namespace),
// so all traffic stays in the namespaces this test made. Capture on the veth while pinging across the
// overlay: rows of tenant vxlan:42 appear while the capture runs, the Tenants and VTEP views show it,
// Stop ends it cleanly and keeps the file. The namespaces are always deleted.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { CaptureFile } from '../../src/capture/capture-file';
import { REPO, TEST_OUTPUT } from '../helpers/paths';
import { netnsSkipReason, OVERLAY, UNDERLAY, VNI, VxlanPair, withTimeout } from '../helpers/netns';
import { CHROMIUM, haveChromium, NO_CHROMIUM, screenshot } from './ui-driver';

const LAUNCH = path.join(REPO, 'dist', 'electron', 'launch.js');
const TENANT = `vxlan:${VNI}`;
const skip = !haveChromium() ? NO_CHROMIUM : (netnsSkipReason('tcpdump') ?? false);
const SHOTS = path.join(TEST_OUTPUT, 'ui');

/** Starts `npm start -- --browser` inside the namespace; resolves with its URL. */
async function startServer(ns: string, home: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, LAUNCH, '--browser', '--port', '0'], {
    // Recent files go to a scratch home, captures to a scratch temporary folder, not the user's.
    env: { ...process.env, HOME: home, TMPDIR: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      const check = setInterval(() => {
        const m = /serving its UI at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearInterval(check);
          resolve(m[1]);
        } else if (child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`UI server exited ${child.exitCode}: ${err}`));
        }
      }, 20);
    }),
    20_000,
    'UI server start',
  );
  return { child, url, exited };
}

/** Chromium inside the namespace: playwright talks to it over inherited pipes, which `ip netns exec` keeps. */
function browserInNamespace(ns: string, dir: string): string {
  const wrapper = path.join(dir, 'chromium-in-netns');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

async function rowsOfTenant(page: Page): Promise<number> {
  return page.$$eval('[data-testid=packet-list] .ag-row .cell-tenant', (cells, tenant) => cells.filter((c) => c.textContent === tenant).length, TENANT);
}

describe('UI live capture on a two-namespace VXLAN overlay', { skip, timeout: 180_000 }, () => {
  let pair: VxlanPair | undefined;
  let dir: string | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Browser | undefined;
  let ping: ChildProcess | undefined;

  after(async () => {
    ping?.kill('SIGKILL');
    await browser?.close().catch(() => undefined);
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGINT'); // stops its captures cleanly, then exits
      await withTimeout(server.exited, 15_000, 'UI server exit').catch(() => server!.child.kill('SIGKILL'));
    }
    pair?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('rows of the tenant appear while capturing; tenants and VTEPs follow; Stop keeps the file', async () => {
    pair = new VxlanPair();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-ui-live-'));
    server = await startServer(pair.nsA, dir);
    browser = await chromium.launch({
      executablePath: browserInNamespace(pair.nsA, dir),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector('.header');

    // The dialog lists the namespace's interfaces with their addresses and says capture is permitted (root).
    await page.keyboard.press('Control+k');
    const veth = `[data-testid=capture-interface][data-name="${pair.vethA}"]`;
    await page.waitForSelector(veth, { timeout: 30_000 });
    assert.match((await page.textContent(veth)) ?? '', new RegExp(`${UNDERLAY.a.replace(/\./g, '\\.')}/24`));
    assert.match((await page.textContent('[data-testid=capture-permission]')) ?? '', /Capture permitted/);
    await page.click(veth);

    // A capture filter the program rejects: its reason under the field, no capture started.
    await page.fill('[data-testid=capture-filter]', 'udp port 4789 and and');
    await page.click('[data-testid=capture-start]');
    await page.waitForSelector('[data-testid=capture-filter-error]', { timeout: 30_000 });
    assert.match((await page.textContent('[data-testid=capture-filter-error]')) ?? '', /filter/i);

    await page.fill('[data-testid=capture-filter]', 'udp port 4789');
    await page.click('[data-testid=capture-start]');
    await page.waitForSelector('[data-testid=live-bar][data-running=yes]', { timeout: 30_000 });
    const outputPath = (await page.getAttribute('[data-testid=file-info]', 'data-path')) ?? '';
    assert.ok(outputPath !== '', 'the live file is open');

    // Ping across the overlay in the background until the views are checked (however slow the
    // machine); the rows must show up while it still runs.
    ping = spawn('ip', ['netns', 'exec', pair.nsA, 'ping', '-n', '-q', '-c', '1000', '-i', '0.2', OVERLAY.b], { stdio: ['ignore', 'pipe', 'ignore'] });
    let pingSummary = '';
    ping.stdout!.on('data', (d) => (pingSummary += d));
    const pingDone = new Promise<void>((resolve) => ping!.on('exit', () => resolve()));
    await page.waitForFunction(
      (tenant) => Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid=packet-list] .ag-row .cell-tenant')).some((c) => c.textContent === tenant),
      TENANT,
      { timeout: 30_000 },
    );
    assert.equal(ping.exitCode, null, 'the rows appeared while the ping (and the capture) still ran');
    assert.ok((await rowsOfTenant(page)) > 0);
    assert.match((await page.textContent('[data-testid=status-counts]')) ?? '', /\(capturing\)/);
    await screenshot(page, path.join(SHOTS, 'live-packets.png'));

    // Tenants and VTEP timeline of what was captured so far.
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 30_000 });
    assert.match((await page.textContent('[data-testid=tenant-row]')) ?? '', new RegExp(TENANT));
    await page.click('[data-testid=tab-vteps]');
    await page.waitForSelector('[data-testid=timeline-svg] .mk-learn', { timeout: 30_000 });
    const lanes = await page.$$eval('[data-testid=timeline-svg] .lane-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(lanes, [UNDERLAY.a, UNDERLAY.b]);
    await page.click('[data-testid=tab-packets]');

    ping.kill('SIGINT'); // ping prints how many it sent and received
    await withTimeout(pingDone, 30_000, 'ping');
    const counts = /(\d+) packets transmitted, (\d+) received/.exec(pingSummary);
    assert.ok(counts, `ping's summary: ${pingSummary}`);
    const echoes = Number(counts[1]) + Number(counts[2]);
    await page.click('[data-testid=live-stop]');
    await page.waitForSelector('[data-testid=live-bar][data-running=no]', { timeout: 30_000 });
    assert.equal(await page.textContent('[data-testid=live-state]'), 'Stopped');
    await page.waitForSelector('[data-testid=file-info][data-indexing=no]', { timeout: 30_000 });

    // The file is complete on disk and holds every frame the list shows.
    const file = CaptureFile.open(outputPath);
    file.scan();
    assert.equal(file.problem, null);
    const frames = file.frameCount;
    file.close();
    assert.ok(echoes > 0 && frames >= echoes, `${echoes} echo requests and replies captured (${frames} frames)`);
    assert.match((await page.textContent('[data-testid=status-counts]')) ?? '', new RegExp(`Frames: ${frames}\\b`));

    // Save as: a copy next to it.
    const copy = path.join(dir, 'saved.pcapng');
    await page.click('[data-testid=live-save]');
    await page.fill('[data-testid=live-save-path]', copy);
    await page.click('[data-testid=live-save-confirm]');
    await page.waitForFunction((p) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('.status-message')?.textContent?.includes(p) ?? false, copy, { timeout: 10_000 });
    assert.equal(fs.statSync(copy).size, fs.statSync(outputPath).size);
    fs.rmSync(path.dirname(outputPath), { recursive: true, force: true }); // the capture's private folder
  });
});
