// The desktop UI in browser mode over the sample captures: open, filter, select, expand the tree,
// link tree and bytes, switch views; screenshots go to test-output/ui/.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { applyFilter, displayedCount, gotoFrame, haveChromium, NO_CHROMIUM, openCapture, screenshot, startUi, UiHarness, waitForFilteredView, waitForIndexed, waitForRow, waitForText } from './ui-driver';

const SHOTS = path.join(TEST_OUTPUT, 'ui');
const skip = haveChromium() ? false : NO_CHROMIUM;

describe('UI over the samples (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test('opens vxlan-three-hosts and shows its frames with tenants and VTEPs', async () => {
    const { page } = ui;
    await openCapture(page, path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
    await waitForRow(page, 1);
    await waitForIndexed(page);
    assert.match((await page.textContent('[data-testid=file-info]')) ?? '', /vxlan-three-hosts\.pcapng.*33 frames/);
    const row4 = (await page.textContent('.ag-row[row-id="4"]')) ?? '';
    assert.match(row4, /vxlan:101/);
    assert.match(row4, /192\.168\.100\.1 → 239\.1\.1\.1/);
    assert.equal(await displayedCount(page), 33);
    await screenshot(page, path.join(SHOTS, 'packets.png'));
  });

  test('an invalid filter turns red and says where; a valid one filters the list', async () => {
    const { page } = ui;
    await page.fill('[data-testid=filter-input]', 'vxlan.vin == 101');
    await page.waitForSelector('.filter-invalid');
    assert.match((await page.textContent('[data-testid=filter-status]')) ?? '', /vxlan\.vin.*column 1/);
    await page.fill('[data-testid=filter-input]', 'vxlan.v');
    await page.waitForSelector('[data-testid=filter-suggestions] li');
    assert.ok(((await page.textContent('[data-testid=filter-suggestions]')) ?? '').includes('vxlan.vni'));
    await screenshot(page, path.join(SHOTS, 'filter-completion.png'));
    await applyFilter(page, 'vxlan.vni == 102 && arp');
    assert.equal(await displayedCount(page), 4);
    await waitForRow(page, 24);
    await screenshot(page, path.join(SHOTS, 'filtered.png'));
  });

  test('selects a frame, expands its VXLAN layer and highlights the VNI bytes', async () => {
    const { page } = ui;
    await page.click('.ag-row[row-id="24"] .ag-cell[col-id="info"]');
    await page.waitForSelector('[data-testid=detail-tree] [data-field=vxlan]');
    await page.click('[data-testid=detail-tree] [data-field=vxlan] [data-testid=tree-twisty]');
    await page.click('[data-testid=detail-tree] [data-field="vxlan.vni"]');
    const highlighted = await page.$$eval('[data-testid=hex-pane] .hex-byte.hl', (els) => els.map((e) => e.textContent).join(''));
    assert.equal(highlighted, '000066', 'VNI 102 is 00 00 66 on the wire');
    // And back: a click on a byte selects the field that covers it.
    await page.click('[data-testid=hex-pane] .hex-byte[data-offset="12"]');
    assert.match((await page.textContent('.tree-row.selected')) ?? '', /Type: .*0x0800/);
    await screenshot(page, path.join(SHOTS, 'details.png'));
  });

  test('Ctrl+G goes to a frame after clearing the filter', async () => {
    const { page } = ui;
    await applyFilter(page, '');
    await gotoFrame(page, 30);
    assert.match((await page.textContent('[data-testid=status-counts]')) ?? '', /Selected: 30/);
  });

  test('Tenants view lists both VNIs and a click filters the packet list', async () => {
    const { page } = ui;
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]');
    const tenants = await page.$$eval('[data-testid=tenant-row]', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.equal(tenants.length, 2);
    assert.match(tenants[0], /vxlan:101/);
    await page.click('[data-testid=stats-kind-tcp]');
    await page.waitForSelector('[data-testid=traffic-chart] canvas');
    await page.waitForSelector('[data-testid=stats-table][data-kind=tcp][data-total="1"] .ag-row[row-index="0"] [col-id="a"]');
    await screenshot(page, path.join(SHOTS, 'tenants.png'));
    await page.dblclick('[data-testid=stats-table] .ag-row[row-index="0"] [col-id="a"]');
    await page.waitForSelector('[data-testid=packet-list]');
    await waitForFilteredView(page, 'tenant == ');
    assert.equal(await displayedCount(page), 8, 'the TCP conversation has 8 frames');
  });

  test('VTEP timeline of the migration sample shows the move and the FDB at a frame', async () => {
    const { page } = ui;
    await openCapture(page, path.join(SAMPLES, 'vxlan-vm-migration.pcapng'));
    await waitForIndexed(page);
    await page.click('[data-testid=tab-vteps]');
    await page.waitForSelector('[data-testid=timeline-svg] .mk-move');
    await page.click('[data-testid=timeline-svg] .mk-move', { force: true });
    await waitForText(page, '.fdb-panel h3', /after frame 9/);
    // The FDB's rows are drawn empty until their page arrives: wait for the entries themselves.
    await waitForText(page, '[data-testid=fdb-table]', /192\.168\.100\.3/);
    await screenshot(page, path.join(SHOTS, 'vtep-timeline.png'));
    // The entry the selected frame learned is marked; clicking an entry selects the frame it was learned at.
    await page.waitForSelector('[data-testid=fdb-table] .ag-row.just-learned');
    const other = '[data-testid=fdb-table] .ag-row:not(.just-learned) [col-id="learnedFrame"]';
    const since = ((await page.textContent(other)) ?? '').trim();
    await page.click(other);
    await waitForText(page, '.fdb-panel h3', new RegExp(`after frame ${since}\\b`));
    await page.waitForSelector('[data-testid=fdb-table] .ag-row.just-learned');
  });

  test('Switch replay of the OVS GRE host traces every ingress frame', async () => {
    const { page } = ui;
    await openCapture(page, path.join(SAMPLES, 'ovs-gre', 'host1.pcapng'));
    await waitForIndexed(page);
    await page.click('[data-testid=tab-switch]');
    await page.click('[data-testid=replay-run]');
    await page.waitForSelector('[data-testid=replay-row]');
    assert.equal((await page.$$('[data-testid=replay-row]')).length, 18);
    await page.click('[data-testid=replay-row]:nth-child(1)');
    assert.match((await page.textContent('[data-testid=trace-text]')) ?? '', /path: 0\[in_port=1/);
    await screenshot(page, path.join(SHOTS, 'switch-replay.png'));
  });

  test('Switch view: an empty path field is answered in plain words', async () => {
    const { page } = ui;
    await page.fill('[data-testid=flows-path]', '');
    await page.click('[data-testid=replay-run]');
    await page.waitForSelector('[data-testid=replay-error]');
    assert.equal(await page.textContent('[data-testid=replay-error]'), 'choose the flow table file (ovs-ofctl dump-flows output) first');
  });

  test('a capture opened from Switch replay starts the view afresh', async () => {
    const { page } = ui;
    // Still on Switch replay (the tests before), with the last replay's rows and its error shown.
    await page.waitForSelector('[data-testid=replay-error]');
    await openCapture(page, path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
    await waitForIndexed(page);
    await page.waitForSelector('[data-testid=replay-run]');
    assert.equal(await page.$('[data-testid=replay-row]'), null, 'no rows of the last replay');
    assert.equal(await page.$('[data-testid=replay-error]'), null, 'no error of the last replay');
  });

  test('Switch replay of the Neutron compute node follows br-int, the patch ports and br-tun', async () => {
    const { page } = ui;
    const dir = path.join(SAMPLES, 'neutron-compute');
    await openCapture(page, path.join(dir, 'vm1.pcapng'));
    await waitForIndexed(page);
    await page.click('[data-testid=tab-switch]');
    await page.fill('[data-testid=flows-path]', path.join(dir, 'flows.txt'));
    await page.fill('[data-testid=bridge-path]', path.join(dir, 'bridges.txt'));
    await page.click('[data-testid=replay-run]');
    await page.waitForSelector('[data-testid=replay-row]');
    assert.equal((await page.$$('[data-testid=replay-row]')).length, 14);
    assert.match((await page.textContent('[data-testid=replay-summary]')) ?? '', /br-int \+ br-tun: 8 of 14 frames explained, 0 disagreements/);
    await page.click('[data-testid=replay-row]:nth-child(5)');
    const steps = (await page.textContent('[data-testid=path-steps]')) ?? '';
    assert.match(steps, /br-tun table 10.*br-int table 82 priority 72 ct_state=\+est-rel\+rpl/);
    await screenshot(page, path.join(SHOTS, 'switch-neutron.png'));
  });

  test('Switch view runs the flood-and-learn replay with the local VTEP chosen', async () => {
    const { page } = ui;
    await openCapture(page, path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
    await waitForIndexed(page);
    await page.click('[data-testid=tab-switch]');
    await page.click('[data-testid=mode-vtep]');
    await page.fill('[data-testid=local-vtep]', '192.168.100.1');
    await page.click('[data-testid=replay-run]');
    await page.waitForSelector('[data-testid=replay-row]');
    assert.equal((await page.$$('[data-testid=replay-row]')).length, 33);
    assert.match((await page.textContent('[data-testid=replay-summary]')) ?? '', /VTEP 192\.168\.100\.1: \d+ of 33 frames explained, 0 disagreements/);
    await page.click('[data-testid=replay-row]:nth-child(5)');
    assert.match((await page.textContent('[data-testid=trace-text]')) ?? '', /recv VNI 101 .* learn fa:16:3e:00:65:02 behind 192\.168\.100\.2/);
  });
});
