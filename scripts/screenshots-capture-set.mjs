// The screenshots of several hosts' captures read as one (samples/three-hypervisors): the Open dialog
// with the three captures ticked, the merged packet list with its Capture column, the Tenants view
// counting each transmission once, and the Paths view's lost frames. Called by screenshots.mjs;
// `node scripts/screenshots-capture-set.mjs` writes only these.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function captureSetShots(ui, page, shot) {
  await page.keyboard.press('Control+o');
  // The dialog lists the folder of the last capture opened (samples/ovs-gre after the switch replay).
  const setFolder = '.open-browser .link-row.dir:has-text("three-hypervisors")';
  await page.waitForSelector('.open-browser .link-row');
  if ((await page.$(setFolder)) === null) await page.click('.open-browser .link-row.dir:has-text("..")');
  await page.click(setFolder);
  for (const name of ['host1.pcapng', 'host2.pcapng', 'host3.pcapng']) await page.check(`[data-testid="open-pick-${name}"]`);
  await page.fill('[data-testid="open-name-host3.pcapng"]', 'hv3');
  await shot('capture-set-open.png');
  await page.click('[data-testid=open-picked-button]');
  await page.waitForSelector('[data-testid=capture-set]', { timeout: 30_000 });
  await page.click('[data-testid=tab-packets]');
  await ui.waitForIndexed(page);
  await ui.waitForRow(page, 5);
  // Host1's ARP request (frame 3) seen arriving on host2 (frame 4): both frame numbers in the details.
  await page.click('.ag-row[row-id="4"] .ag-cell[col-id="info"]');
  await page.click('[data-testid=detail-tree] [data-field=frame] [data-testid=tree-twisty]');
  await page.click('[data-testid=detail-tree] [data-field="frame.capture_frame"]');
  await shot('capture-set-packets.png');
  await page.click('[data-testid=tab-tenants]');
  await page.waitForSelector('[data-testid=tenant-row]');
  await page.waitForSelector('[data-testid=traffic-chart] canvas');
  await shot('capture-set-tenants.png');
  await page.click('[data-testid=tab-paths]');
  const cell = '[data-testid="paths-cell-192.168.100.3-192.168.100.1"]';
  await page.waitForSelector(cell);
  await page.click(cell);
  await page.waitForSelector('[data-testid=paths-lost-frame]');
  await shot('capture-set-paths.png');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const require = createRequire(import.meta.url);
  const repo = resolve(import.meta.dirname, '..');
  const ui = require(join(repo, 'dist', 'test', 'e2e', 'ui-driver.js'));
  const harness = await ui.startUi({ width: 1440, height: 860 });
  const shot = async (name) => {
    await ui.painted(harness.page);
    await ui.screenshot(harness.page, join(repo, 'docs', 'screenshots', name));
    console.log(`wrote docs/screenshots/${name}`);
  };
  try {
    await captureSetShots(ui, harness.page, shot);
  } finally {
    await harness.close();
  }
}
