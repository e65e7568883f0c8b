// Decode As in the app: VXLAN on a port the dissector does not know (9999) is plain UDP until the
// user right-clicks the port in the details and applies udp.port==9999,vxlan; then the packet list,
// the details and the Tenants view show the tenant, with the same figures as the CLI's -d.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ETHERTYPE_IPV4, TCP_ACK, TCP_PSH, ethernet, ipv4, tcp, vxlan } from '../../src/craft';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { gotoFrame, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed, waitForText } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;
const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const RULE = 'udp.port==9999,vxlan';

function writeCapture(file: string): void {
  const outer = { srcMac: '02:00:00:00:00:a1', dstMac: '02:00:00:00:00:a2', srcIp: '192.168.100.1', dstIp: '192.168.100.2' };
  const writer = createCaptureWriter(file, { format: 'pcapng', nanosecond: true });
  const iface = writer.addInterface({ linkType: LINKTYPE_ETHERNET });
  for (let i = 0; i < 6; i++) {
    const inner = ethernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: tcp({ srcPort: 40000, dstPort: 80, seq: 1 + i * 4, ack: 1, flags: TCP_PSH | TCP_ACK, payload: new TextEncoder().encode('ping') }) }) });
    writer.writePacket(iface, 1704067200, i * 1000, vxlan({ outer, vni: 4242, inner, srcPort: 50000, dstPort: 9999 }));
  }
  writer.close();
}

describe('Decode As (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  let dir = '';
  let file = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-decode-as-'));
    file = path.join(dir, 'vxlan-9999.pcapng');
    writeCapture(file);
    ui = await startUi();
  });
  after(async () => {
    await ui?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`right-click udp.dstport → Decode As ${RULE}: list, details and Tenants show the tenant as the CLI's -d`, async () => {
    const { page, service } = ui;
    await openCapture(page, file);
    await waitForIndexed(page);
    const tenantCell = '[data-testid=packet-list] .ag-row[row-id="1"] .ag-cell[col-id="tenant"]';
    assert.equal(((await page.textContent(tenantCell)) ?? '').trim(), '', 'port 9999 is plain UDP before Decode As');

    await gotoFrame(page, 1);
    await page.click('[data-testid=detail-tree] [data-testid=tree-row][data-field=udp]', { clickCount: 2 });
    await page.click('[data-testid=detail-tree] [data-testid=tree-row][data-field="udp.dstport"]', { button: 'right' });
    await page.click('[data-testid=menu-decode-as]');
    assert.equal(await page.inputValue('[data-testid=decode-as-rules]'), RULE);
    await page.click('[data-testid=decode-as-apply]');
    await page.waitForSelector('[data-testid=decode-as-badge]');
    await waitForIndexed(page);
    await waitForText(page, tenantCell, /vxlan:4242/);

    await gotoFrame(page, 1);
    await page.waitForSelector('[data-testid=detail-tree] [data-testid=tree-row][data-field=vxlan]');

    const cli = spawnSync(process.execPath, [CLI, 'tenants', file, '-d', RULE, '-T', 'json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const expected = (JSON.parse(cli.stdout) as { tenants: { id: number; packets: number }[] }).tenants.map((t) => [`vxlan:${t.id}`, t.packets]);
    await page.click('[data-testid=tab-tenants]');
    await page.waitForSelector('[data-testid=tenant-row]', { timeout: 120_000 });
    const sessionId = service.openSessions()[0].sessionId;
    const report = await service.call('tenants', { sessionId });
    assert.deepEqual(report.tenants.map((t) => [t.tenant, t.frames]), expected);
    assert.deepEqual(expected, [['vxlan:4242', 6]]);
  });
});
