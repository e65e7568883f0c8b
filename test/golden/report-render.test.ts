// The HTML report in headless Chromium (Debian's /usr/bin/chromium via playwright-core; never a
// downloaded browser): rendered to a PNG and printed to a PDF without console errors, page errors or
// network requests, with the sections on separate printed pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, SAMPLES, TEST_OUTPUT } from '../helpers/paths';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(TEST_OUTPUT, 'report-render');
const skip = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium): skipped`;

interface Rendered {
  problems: string[];
  requests: string[];
  png: Buffer;
  pdf: Buffer;
  sectionTitles: string[];
  overflowing: string[];
}

async function renderInChromium(htmlPath: string, pngPath: string, pdfPath: string): Promise<Rendered> {
  // Loaded lazily so that a machine without playwright-core still runs (and skips) the file.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(`file://${htmlPath}`, { waitUntil: 'load' });
    const sectionTitles = await page.$$eval('section h2', (nodes) => nodes.map((n) => n.textContent ?? ''));
    // Nothing wider than the page: tables and charts must fit the viewport.
    const overflowing = await page.$$eval('section', (nodes) =>
      nodes.filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.id),
    );
    const png = await page.screenshot({ path: pngPath, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    return { problems, requests, png, pdf, sectionTitles, overflowing };
  } finally {
    await browser.close();
  }
}

function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

for (const sample of ['vxlan-three-hosts.pcapng', 'gre-two-routers.pcap', 'ovs-gre/host1.pcapng']) {
  test(`HTML report of ${sample} renders to PNG and PDF in Chromium without errors`, { skip }, async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const base = path.join(OUT, sample.replace(/[/.]/g, '-'));
    const html = `${base}.html`;
    execFileSync(process.execPath, [CLI, 'report', path.join(SAMPLES, sample), '--out', html], { stdio: ['ignore', 'ignore', 'pipe'] });
    const rendered = await renderInChromium(html, `${base}.png`, `${base}.pdf`);
    assert.deepEqual(rendered.problems, [], 'console and page errors');
    assert.deepEqual(rendered.requests, [], 'the report must not touch the network');
    assert.deepEqual(rendered.overflowing, [], 'sections wider than the page');
    assert.deepEqual(rendered.sectionTitles, [
      'Capture summary',
      'Tenants',
      'Traffic over time',
      'VTEP-to-VTEP traffic per tenant',
      'Top conversations',
      'VTEP learning events',
      'Findings',
    ]);
    assert.equal(rendered.png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(rendered.pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = pdfPageCount(rendered.pdf);
    assert.ok(pages >= rendered.sectionTitles.length, `each section starts a printed page: ${pages} pages for ${rendered.sectionTitles.length} sections`);
  });
}
