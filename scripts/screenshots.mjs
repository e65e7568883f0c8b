// Writes one PNG per view into docs/screenshots/ for the README, by driving the built UI in browser
// mode with Debian's Chromium (run `npm run build` first). Usage: npm run screenshots
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureSetShots } from './screenshots-capture-set.mjs';

const require = createRequire(import.meta.url);
const repo = resolve(import.meta.dirname, '..');
const driverPath = join(repo, 'dist', 'test', 'e2e', 'ui-driver.js');
if (!existsSync(driverPath) || !existsSync(join(repo, 'dist', 'renderer', 'index.html'))) {
  console.error('screenshots: the app is not built; run npm run build first');
  process.exit(1);
}
const ui = require(driverPath);
if (!ui.haveChromium()) {
  console.error(`screenshots: ${ui.NO_CHROMIUM}`);
  process.exit(1);
}

const out = join(repo, 'docs', 'screenshots');
const samples = join(repo, 'samples');
mkdirSync(out, { recursive: true });
const harness = await ui.startUi({ width: 1440, height: 860 });
const { page } = harness;
const shot = async (name) => {
  await ui.painted(page);
  await ui.screenshot(page, join(out, name));
  console.log(`wrote docs/screenshots/${name}`);
};

try {
  // Capture dialog (Ctrl+K): this machine's interfaces, whether capture is permitted, filter and stop conditions.
  await page.keyboard.press('Control+k');
  await page.waitForSelector('[data-testid=capture-interface]');
  await page.fill('[data-testid=capture-filter]', 'udp port 4789 or udp port 8472 or proto gre');
  await page.fill('[data-testid=capture-duration]', '60');
  await page.fill('[data-testid=capture-count]', '100000');
  await shot('capture-dialog.png');
  await page.click('[data-testid=capture-dialog] .modal-buttons .btn:not(.btn-primary)');

  // Packets: the three-host story of docs/overlay.md, frame 4 (VNI 101 flood) with its VXLAN layer open and the VNI bytes lit.
  await ui.openCapture(page, join(samples, 'vxlan-three-hosts.pcapng'));
  await ui.waitForIndexed(page);
  await ui.waitForRow(page, 4);
  await page.click('.ag-row[row-id="4"] .ag-cell[col-id="info"]');
  await page.waitForSelector('[data-testid=detail-tree] [data-field=vxlan]');
  await page.click('[data-testid=detail-tree] [data-field=vxlan] [data-testid=tree-twisty]');
  await page.click('[data-testid=detail-tree] [data-field="vxlan.vni"]');
  await shot('packets.png');

  // Filter bar with an error, then a working filter.
  await page.fill('[data-testid=filter-input]', 'vxlan.vin == 101');
  await page.waitForSelector('.filter-invalid');
  await shot('filter-error.png');
  await ui.applyFilter(page, 'tenant == vxlan:102');
  await shot('filtered.png');
  await ui.applyFilter(page, '');

  // Right-click on a field: Apply / Prepare as Filter, Follow Stream, Copy.
  await ui.waitForRow(page, 13);
  await page.click('.ag-row[row-id="13"] .ag-cell[col-id="info"]');
  await page.waitForSelector('[data-testid=detail-tree] [data-field=tcp]');
  await page.click('[data-testid=detail-tree] [data-field=tcp] [data-testid=tree-twisty]');
  await page.click('[data-testid=detail-tree] [data-field="tcp.dstport"]', { button: 'right' });
  await page.hover('[data-testid=menu-apply]');
  await page.waitForSelector('[data-testid=apply-and]');
  await shot('context-menu.png');
  await page.keyboard.press('Escape');

  // Follow TCP Stream of the inner conversation.
  await page.click('.ag-row[row-id="13"] .ag-cell[col-id="info"]', { button: 'right' });
  await page.click('[data-testid=menu-follow]');
  await page.waitForSelector('[data-testid=follow-text] .follow-a');
  await shot('follow-stream.png');
  await page.click('[data-testid=follow-dialog] .modal-buttons .btn-primary');

  // Decode As from a right-clicked UDP port (cancelled: the sample's 4789 is VXLAN already).
  await page.click('.ag-row[row-id="13"] .ag-cell[col-id="info"]');
  await page.waitForSelector('[data-testid=detail-tree] [data-field=udp]');
  await page.click('[data-testid=detail-tree] [data-field=udp] [data-testid=tree-twisty]');
  await page.click('[data-testid=detail-tree] [data-field="udp.dstport"]', { button: 'right' });
  await page.click('[data-testid=menu-decode-as]');
  await page.waitForSelector('[data-testid=decode-as-dialog]');
  await shot('decode-as.png');
  await page.click('[data-testid=decode-as-dialog] .modal-buttons .btn:not(.btn-primary)');

  // File → Save Displayed As.
  await ui.applyFilter(page, 'tenant == vxlan:101');
  await page.click('[data-testid=file-menu]');
  await page.click('[data-testid=menu-save-as]');
  await page.waitForSelector('[data-testid=save-dialog]');
  await shot('save-displayed.png');
  await page.click('[data-testid=save-dialog] .modal-buttons .btn:not(.btn-primary)');
  await ui.applyFilter(page, '');

  // Tenants.
  await page.click('[data-testid=tab-tenants]');
  await page.waitForSelector('[data-testid=traffic-chart] canvas');
  await page.waitForSelector('[data-testid=stats-table]:not([data-total=""]) .ag-row[row-index="0"] [col-id="a"]');
  await shot('tenants.png');

  // Statistics: conversations, protocol hierarchy, I/O graph.
  await page.click('[data-testid=tab-statistics]');
  await page.click('[data-testid=stats-page-conversations]');
  await page.click('[data-testid=stats-kind-tcp]');
  await page.waitForSelector('[data-testid=stats-table][data-kind=tcp]:not([data-total=""]) .ag-row[row-index="0"] [col-id="a"]');
  await shot('conversations.png');
  await page.click('[data-testid=stats-page-hierarchy]');
  await page.waitForSelector('[data-testid=hierarchy-row]');
  await shot('protocol-hierarchy.png');
  await page.click('[data-testid=stats-page-io]');
  await page.waitForSelector('[data-testid=traffic-chart] canvas');
  await shot('io-graph.png');

  // Statistics limited to the packet list's display filter.
  await ui.applyFilter(page, 'tenant == vxlan:101');
  await page.click('[data-testid=tab-statistics]');
  await page.click('[data-testid=stats-page-conversations]');
  await page.check('[data-testid=stats-limit]');
  await page.click('[data-testid=stats-kind-eth]');
  await page.waitForSelector('[data-testid=stats-table][data-kind=eth][data-display-filter="tenant == vxlan:101"]:not([data-total=""]) .ag-row[row-index="0"] [col-id="a"]');
  await shot('statistics-limited.png');
  await page.uncheck('[data-testid=stats-limit]');
  await ui.applyFilter(page, '');

  // VTEP timeline: the VM migration, with the move selected.
  await ui.openCapture(page, join(samples, 'vxlan-vm-migration.pcapng'));
  await ui.waitForIndexed(page);
  await page.click('[data-testid=tab-vteps]');
  await page.waitForSelector('[data-testid=timeline-svg] .mk-move');
  await page.click('[data-testid=timeline-svg] .mk-move', { force: true });
  await ui.waitForText(page, '.fdb-panel h3', /after frame 9/);
  await page.waitForSelector('[data-testid=forwarding-here]');
  await shot('vtep-timeline.png');

  // Expert Info of the migration: the MAC move.
  await page.click('[data-testid=tab-statistics]');
  await page.click('[data-testid=stats-page-expert]');
  await page.waitForSelector('[data-testid=expert-row]');
  await shot('expert-info.png');

  // The moved frame's details with its Forwarding subtree open.
  await ui.gotoFrame(page, 9);
  await page.waitForSelector('[data-testid=detail-tree] [data-field=forwarding]');
  await page.click('[data-testid=detail-tree] [data-field=forwarding] [data-testid=tree-twisty]');
  await shot('forwarding.png');

  // The Reassembled tab: frame 4 of the fragmented underlay completed a datagram; its inner ICMP data lit.
  await ui.openCapture(page, join(samples, 'vxlan-underlay-fragmented.pcapng'));
  await ui.waitForIndexed(page);
  await page.click('[data-testid=tab-packets]');
  await ui.gotoFrame(page, 4);
  await page.waitForSelector('[data-testid=hex-tab-reassembled]');
  await page.click('[data-testid=detail-tree] [data-testid=tree-row][data-field=icmp]');
  await page.waitForSelector('[data-testid=hex-pane][data-source=reassembled]');
  await shot('reassembled.png');

  // Switch replay of the Open vSwitch GRE host.
  await ui.openCapture(page, join(samples, 'ovs-gre', 'host1.pcapng'));
  await ui.waitForIndexed(page);
  await page.click('[data-testid=tab-switch]');
  await page.click('[data-testid=replay-run]');
  await page.waitForSelector('[data-testid=replay-row]');
  await page.click('[data-testid=replay-row]:nth-child(4)');
  await shot('switch-replay.png');

  // The VTEP view at thousands of flooding VTEPs (the bench's `scale` mix, smaller).
  const { generateVxlanCapture } = require(join(repo, 'dist', 'test', 'bench', 'generate-vxlan.js'));
  const manyVteps = join(tmpdir(), 'tunnelscope-screenshot-many-vteps.pcap');
  generateVxlanCapture(manyVteps, { packets: 60_000, vnis: 4000, vmsPerVni: 250, vteps: 10_000, seed: 9, igmp: false, broadcastShare: 0.5 });
  await ui.openCapture(page, manyVteps);
  await ui.waitForIndexed(page, 300_000);
  await page.click('[data-testid=tab-vteps]');
  await page.waitForSelector('[data-testid=timeline-status][data-mode]:not([data-mode=""])', { timeout: 300_000 });
  await page.waitForSelector('[data-testid=fdb-table] .ag-row[row-index="0"] [col-id="mac"]', { timeout: 300_000 });
  await page.waitForSelector('[data-testid=groups-table] .ag-row[row-index="0"] [col-id="group"]', { timeout: 300_000 });
  await page.$eval('[data-testid=timeline-lanes-scroll]', (el) => (el.scrollTop = 4000 * 34));
  await page.waitForSelector('[data-testid=timeline-lanes][data-first="4000"]');
  await page.waitForTimeout(500);
  await shot('vtep-many-vteps.png');
  rmSync(manyVteps, { force: true });

  // Several hosts' captures read as one.
  await captureSetShots(ui, page, shot);
} finally {
  await harness.close();
}
