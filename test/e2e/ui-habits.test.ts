// Wireshark habits in the app: right-click Apply / Prepare as Filter in the packet list and the
// details tree, Follow TCP Stream of an inner conversation, and File → Save Displayed As writing a
// capture tshark reads (the tshark part skips when tshark is absent).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, SAMPLES } from '../helpers/paths';
import { displayedCount, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForFilteredView, waitForIndexed, waitForRow } from './ui-driver';
import { exportTenantReport, rightClickApplyAsFilter, followStreamText, saveDisplayedAs } from './habits-steps';

const skip = haveChromium() ? false : NO_CHROMIUM;
const haveTshark = spawnSync('tshark', ['--version']).status === 0;

describe('Wireshark habits (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-habits-'));
  before(async () => {
    ui = await startUi();
    await openCapture(ui.page, path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
    await waitForIndexed(ui.page);
    await waitForRow(ui.page, 1);
  });
  after(async () => {
    await ui?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  test("Apply as Filter from the packet list applies the cell's filter", async () => {
    await rightClickApplyAsFilter(ui.page, 13, 'tenant');
    await waitForFilteredView(ui.page, 'tenant == vxlan:101');
    assert.equal(await ui.page.getAttribute('[data-testid=filter-bar]', 'data-applied'), 'tenant == vxlan:101');
    assert.equal(await displayedCount(ui.page), 20);
  });

  test('Prepare as Filter from the tree puts "...and Selected" in the bar without applying it', async () => {
    const { page } = ui;
    await waitForRow(page, 13);
    await page.click('.ag-row[row-id="13"] .ag-cell[col-id="info"]');
    await page.waitForSelector('[data-testid=detail-tree] [data-field=tcp]');
    await page.click('[data-testid=detail-tree] [data-field=tcp] [data-testid=tree-twisty]');
    await page.click('[data-testid=detail-tree] [data-field="tcp.dstport"]', { button: 'right' });
    await page.hover('[data-testid=menu-prepare]');
    await page.click('[data-testid=prepare-and]');
    assert.equal(await page.inputValue('[data-testid=filter-input]'), 'tenant == vxlan:101 && tcp.dstport == 9000');
    assert.equal(await page.getAttribute('[data-testid=filter-bar]', 'data-applied'), 'tenant == vxlan:101');
  });

  test('Follow TCP Stream shows the inner TCP payload', async () => {
    const text = await followStreamText(ui.page, 13);
    assert.match(text, /GET \/status tenant-101/);
  });

  test('File → Export Tenant Report writes the JSON report tunnelscope report writes', async () => {
    const file = path.join(out, 'report.json');
    const message = await exportTenantReport(ui.page, file);
    assert.match(message, /^Wrote the JSON tenant report to /);
    const cliFile = path.join(out, 'report-cli.json');
    const run = spawnSync(process.execPath, [CLI, 'report', path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), '--out', cliFile], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const ours = JSON.parse(fs.readFileSync(file, 'utf8')) as { tenants: unknown };
    const cli = JSON.parse(fs.readFileSync(cliFile, 'utf8')) as { tenants: unknown };
    assert.deepEqual(ours.tenants, cli.tenants);
  });

  test('File → Save Displayed As writes the displayed frames; tshark reads them', async (t) => {
    const file = path.join(out, 'displayed.pcapng');
    const message = await saveDisplayedAs(ui.page, file);
    assert.match(message, /Saved 20 frames/);
    if (!haveTshark) return t.skip('tshark is absent (scripts/install-test-peers.sh installs it)');
    const run = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'vxlan.vni'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const vnis = run.stdout.trim().split('\n');
    assert.equal(vnis.length, 20);
    assert.ok(vnis.every((v) => v === '101'), vnis.join(','));
  });
});
