// Opening a capture file answers with its first frames already indexed (the head, read on the
// service's thread), so the packet list has rows before the worker's pass over the whole file has
// started. That pass indexes the head again: its frames and reassembled datagrams must not be counted
// twice, and the index must end up the one a single pass makes, also when the head ends between the
// fragments of a datagram.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { INDEX_COLUMN_NAMES } from '../../src/capture/frame-index';
import { HEAD_INDEX_BYTES, indexHead } from '../../src/service/head-index';
import type { TunnelscopeService } from '../../src/service/service';
import type { FragmentLinks } from '../../src/dissect/reassembly';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { findMix } from '../bench/mixes';
import { newService, openIndexed } from '../helpers/service-session';

const PACKETS = 20_000;

interface SessionInternals {
  file: CaptureFile;
  fragmentLinks: FragmentLinks;
}

function internals(service: TunnelscopeService, sessionId: string): SessionInternals {
  return (service as unknown as { sessions: Map<string, SessionInternals> }).sessions.get(sessionId)!;
}

function wholeFileIndex(capture: string): { file: CaptureFile; completed: number[][] } {
  const file = CaptureFile.open(capture);
  const indexer = new CaptureIndexer(file);
  indexer.run(null, true);
  return { file, completed: indexer.reassembly!.links!.completed };
}

describe('the head of a capture, indexed at open', () => {
  let service: TunnelscopeService;
  let dir: string;
  let plain: string;
  let fragmented: string;
  before(() => {
    service = newService();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-head-index-'));
    plain = path.join(dir, 'plain.pcap');
    fragmented = path.join(dir, 'fragmented.pcap');
    generateVxlanCapture(plain, { packets: PACKETS, vnis: 20, vteps: 8, seed: 5 });
    generateVxlanCapture(fragmented, { ...findMix('fragments').options, packets: PACKETS, seed: 7 });
  });
  after(async () => {
    await service.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the open call answers with frames, and their rows are served at once', async () => {
    const size = fs.statSync(plain).size;
    assert.ok(size > 2 * HEAD_INDEX_BYTES, 'the capture is larger than the head');
    const info = service.open(plain);
    assert.ok(info.indexing, 'the pass over the whole file is still running');
    assert.ok(info.frames > 100, `a block of rows at open (${info.frames} frames)`);
    assert.ok(info.frames < PACKETS, 'only the head');
    const rows = await service.call('getRows', { sessionId: info.sessionId, viewVersion: 0, start: 0, count: 60 });
    assert.deepEqual(rows.rows.map((r) => r.number), Array.from({ length: 60 }, (_, i) => i + 1));
    // The head's last rows, past the VTEPs' IGMP joins that open the capture: tenant traffic.
    const tail = info.frames - 60;
    const tenantRows = await service.call('getRows', { sessionId: info.sessionId, viewVersion: 0, start: tail, count: 60 });
    await service.call('closeCapture', { sessionId: info.sessionId });
    // The same rows as once the whole file is indexed (tenant, VTEPs and protocol come from the index).
    const other = newService();
    const indexed = await openIndexed(other, plain, 120_000);
    const later = await other.call('getRows', { sessionId: indexed.sessionId, viewVersion: 0, start: 0, count: 60 });
    const laterTenantRows = await other.call('getRows', { sessionId: indexed.sessionId, viewVersion: 0, start: tail, count: 60 });
    await other.closeAll();
    assert.deepEqual(rows.rows, later.rows);
    assert.deepEqual(tenantRows.rows, laterTenantRows.rows);
    assert.ok(tenantRows.rows.filter((r) => r.tenant !== '').length > 30, 'the head classified its frames');
  });

  test('after the whole pass, the index and the reassembled datagrams are a single pass\'s, none twice', async () => {
    for (const capture of [plain, fragmented]) {
      const info = await openIndexed(service, capture, 120_000);
      assert.equal(info.frames, PACKETS, `${path.basename(capture)}: every frame once`);
      const session = internals(service, info.sessionId);
      const whole = wholeFileIndex(capture);
      for (const name of INDEX_COLUMN_NAMES) {
        const theirs = session.file.index[name].subarray(0, PACKETS);
        const ours = whole.file.index[name].subarray(0, PACKETS);
        assert.ok(Buffer.from(theirs.buffer, theirs.byteOffset, theirs.byteLength).equals(Buffer.from(ours.buffer, ours.byteOffset, ours.byteLength)), `${path.basename(capture)}: index column ${name}`);
      }
      assert.deepEqual(session.fragmentLinks.completed, whole.completed, `${path.basename(capture)}: datagrams, in order, once each`);
      whole.file.close();
      await service.call('closeCapture', { sessionId: info.sessionId });
    }
  });

  test('a head that ends between the fragments of a datagram keeps only what it completed', () => {
    const whole = wholeFileIndex(fragmented);
    assert.ok(whole.completed.length > 10, 'the fragments mix reassembles datagrams');
    // Cut the head just after the first fragment of a datagram completed later in the file.
    const [first, ...rest] = whole.completed.find((frames) => frames.length >= 2)!;
    const bytes = whole.file.index.fileOffset[first] + whole.file.index.capLen[first];
    const head = indexHead([fragmented], [], bytes)!;
    assert.equal(head.count, first + 1, 'the head ends at the cut');
    const completedBefore = whole.completed.filter((frames) => frames[frames.length - 1] <= first);
    assert.deepEqual(head.reassembled, completedBefore, 'datagrams completed within the head, in the same order');
    assert.ok(!head.reassembled.some((frames) => frames.includes(first)), `frame ${first + 1}'s datagram (completed by frame ${rest[rest.length - 1] + 1}) is not in the head`);
    for (const name of INDEX_COLUMN_NAMES) {
      if (name === 'flags') continue; // a fragment's flag is set when its datagram completes, after the head
      assert.deepEqual([...head.columns[name]], [...whole.file.index[name].subarray(0, head.count)], `column ${name}`);
    }
    whole.file.close();
  });

  test('a set of captures has no head (their frames interleave only once merged)', () => {
    assert.equal(indexHead([plain, fragmented], []), null);
  });
});
