// The hex pane's "Reassembled" tab: a frame that completed an IP datagram shows the datagram's bytes
// in a second tab, and the fields of the reassembled data point into those bytes, not past the frame.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAMPLES } from '../helpers/paths';
import { gotoFrame, haveChromium, NO_CHROMIUM, openCapture, startUi, UiHarness, waitForIndexed } from './ui-driver';

const skip = haveChromium() ? false : NO_CHROMIUM;
const FILE = path.join(SAMPLES, 'vxlan-underlay-fragmented.pcapng');
// Frame 4 completes the datagram whose first fragment is frame 3: an inner ICMP echo of 588 bytes.
const COMPLETING = 4;

describe('hex pane: Reassembled tab (browser mode, headless Chromium)', { skip }, () => {
  let ui: UiHarness;
  before(async () => {
    ui = await startUi();
  });
  after(async () => ui?.close());

  test('a frame that completed a datagram: the inner ICMP data highlights bytes of the reassembled datagram', async () => {
    const { page, service } = ui;
    await openCapture(page, FILE);
    await waitForIndexed(page);
    const sessionId = service.openSessions()[0].sessionId;
    const detail = await service.call('frameDetail', { sessionId, frame: COMPLETING });
    const frameBytes = detail.bytesHex.length / 2;
    const reassembledBytes = (detail.reassembledHex ?? '').length / 2;
    assert.ok(reassembledBytes > frameBytes, 'the reassembled datagram is longer than the frame');
    assert.deepEqual(detail.tree.map((n) => n.name), ['frame', 'eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'icmp', 'data'], 'dissected on into the reassembled datagram');
    // The inner ICMP echo's data: the last layer of the datagram.
    const icmp = detail.tree[detail.tree.length - 1];
    assert.equal(icmp.name, 'data');
    assert.ok(icmp.reassembled, 'the inner ICMP data is in the reassembled datagram');
    assert.ok(icmp.start + icmp.length <= reassembledBytes && icmp.start + icmp.length > frameBytes, 'its bytes lie inside the datagram, past the frame');

    await gotoFrame(page, COMPLETING);
    await page.waitForSelector('[data-testid=hex-tab-reassembled]');
    await page.click('[data-testid=detail-tree] [data-testid=tree-row][data-field=data]');
    await page.waitForSelector('[data-testid=hex-pane][data-source=reassembled]');
    const offsets = await page.$$eval('[data-testid=hex-pane] .hex-byte.hl', (cells) => cells.map((c) => Number((c as unknown as { getAttribute(n: string): string }).getAttribute('data-offset'))));
    assert.equal(offsets.length, icmp.length, 'every byte of the ICMP data is highlighted');
    assert.equal(offsets[0], icmp.start);
    assert.equal(await page.$$eval('[data-testid=hex-pane] .hex-byte', (cells) => cells.length), reassembledBytes);

    // The Frame tab shows the frame's own bytes again.
    await page.click('[data-testid=hex-tab-frame]');
    await page.waitForSelector('[data-testid=hex-pane][data-source=frame]');
    assert.equal(await page.$$eval('[data-testid=hex-pane] .hex-byte', (cells) => cells.length), frameBytes);
  });

  test('a frame that completed nothing has no Reassembled tab', async () => {
    const { page } = ui;
    await gotoFrame(ui.page, 2);
    await page.waitForSelector('[data-testid=hex-pane][data-source=frame]');
    assert.equal(await page.$('[data-testid=hex-tab-reassembled]'), null);
  });
});
