// A complete file opened in the app is read once: the analysis worker's pass indexes it for the packet
// list too. Its index must be the index worker's (the one a live capture still uses), and cancelling
// the analysis must not stop the indexing: the packet list still gets every frame.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { INDEX_COLUMN_NAMES } from '../../src/capture/frame-index';
import type { TunnelscopeService } from '../../src/service/service';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { newService, openIndexed } from '../helpers/service-session';

const PACKETS = 300_000;

describe('one pass over a complete file: indexing and analysis', () => {
  let service: TunnelscopeService;
  let dir: string;
  let capture: string;
  before(() => {
    service = newService();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-one-pass-'));
    capture = path.join(dir, 'one-pass.pcap');
    generateVxlanCapture(capture, { packets: PACKETS, vnis: 20, vteps: 8, seed: 11 });
  });
  after(async () => {
    await service.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the analysis pass's index is the indexer's, column by column", async () => {
    const info = await openIndexed(service, capture, 300_000);
    assert.equal(info.frames, PACKETS);
    const own = CaptureFile.open(capture);
    new CaptureIndexer(own).run(null, true);
    const { file } = (service as unknown as { sessions: Map<string, { file: CaptureFile }> }).sessions.get(info.sessionId)!;
    for (const name of INDEX_COLUMN_NAMES) {
      const theirs = file.index[name].subarray(0, PACKETS);
      const ours = own.index[name].subarray(0, PACKETS);
      assert.ok(Buffer.from(theirs.buffer, theirs.byteOffset, theirs.byteLength).equals(Buffer.from(ours.buffer, ours.byteOffset, ours.byteLength)), `index column ${name}`);
    }
    own.close();
    // The same session's heavy views come from that pass: one pass counted, the tenants report ready.
    const tenants = await service.call('tenants', { sessionId: info.sessionId });
    assert.equal(tenants.frames, PACKETS);
    const { status } = await service.call('analysisProgress', { sessionId: info.sessionId });
    assert.equal(status?.passes, 1);
  });

  test('cancelling the analysis while the file is read leaves the indexing to finish', { timeout: 120_000 }, async () => {
    let sessionId = '';
    let cancelled = false;
    const done = new Promise<number>((resolve) => {
      service.subscribe((event, data) => {
        const p = data as { sessionId: string; done: boolean; frames: number };
        if (event !== 'indexProgress' || p.sessionId !== sessionId) return;
        if (!cancelled) {
          cancelled = true;
          void service.call('cancelAnalysis', { sessionId });
        }
        if (p.done) resolve(p.frames);
      });
    });
    sessionId = service.open(capture).sessionId;
    assert.equal(await done, PACKETS, 'every frame indexed after the cancel');
    const after = await service.call('analysisProgress', { sessionId });
    assert.equal(after.progress?.phase, 'cancelled');
    assert.equal(after.status, null, 'no analysis left running');
    assert.equal(service.openSessions().find((s) => s.sessionId === sessionId)?.problem, null);
  });
});
