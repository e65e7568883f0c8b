// Writes one PNG per view into docs/screenshots/ for the README, by driving the built UI in browser
// mode with Debian's Chromium (run `npm run build` first). Usage: npm run screenshots
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

  // Tenants.
  await page.click('[data-testid=tab-tenants]');
  await page.waitForSelector('[data-testid=traffic-chart] canvas');
  await shot('tenants.png');

  // VTEP timeline: the VM migration, with the move selected.
  await ui.openCapture(page, join(samples, 'vxlan-vm-migration.pcapng'));
  await ui.waitForIndexed(page);
  await page.click('[data-testid=tab-vteps]');
  await page.waitForSelector('[data-testid=timeline-svg] .mk-move');
  await page.click('[data-testid=timeline-svg] .mk-move');
  await ui.waitForText(page, '.fdb-panel h3', /after frame 9/);
  await shot('vtep-timeline.png');

  // Switch replay of the Open vSwitch GRE host.
  await ui.openCapture(page, join(samples, 'ovs-gre', 'host1.pcapng'));
  await ui.waitForIndexed(page);
  await page.click('[data-testid=tab-switch]');
  await page.click('[data-testid=replay-run]');
  await page.waitForSelector('[data-testid=replay-row]');
  await page.click('[data-testid=replay-row]:nth-child(4)');
  await shot('switch-replay.png');
} finally {
  await harness.close();
}
