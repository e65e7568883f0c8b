// Export building blocks: --tenant parsing, the summary line, and a round trip through the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { describeExport, exportFrames } from '../../src/export/export-frames';
import { parseTenantSpec, TenantSpecError } from '../../src/export/tenant-spec';
import { SAMPLES, TEST_OUTPUT } from '../helpers/paths';

test('--tenant TYPE:ID accepts decimal and hex ids and names what is wrong', () => {
  assert.deepEqual([parseTenantSpec('vxlan:102').type, parseTenantSpec('vxlan:102').id], [1, 102]);
  assert.equal(parseTenantSpec('nvgre:0x1234').id, 0x1234);
  assert.equal(parseTenantSpec('GRE:4294967295').id, 4294967295);
  assert.throws(() => parseTenantSpec('vxlan'), TenantSpecError);
  assert.throws(() => parseTenantSpec('vlan:3'), /unknown tenant type 'vlan'/);
  assert.throws(() => parseTenantSpec('vxlan:16777216'), /up to 16777215/);
});

test('the export summary says how many frames were written and why others were not', () => {
  const line = describeExport({ frames: 18, matched: 18, written: 10, bytesWritten: 644, fragments: 0, skipped: { 'not encapsulated': 8 }, problem: null }, 'o.pcapng', false);
  assert.equal(line, 'wrote 10 of 18 frames (644 bytes) to o.pcapng; 8 matched but skipped: 8 not encapsulated');
});

test('export keeps timestamps, lengths, interfaces and directions (read back with our reader)', () => {
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  const source = CaptureFile.open(path.join(SAMPLES, 'ovs-gre', 'host1.pcapng'));
  const out = path.join(TEST_OUTPUT, 'export-unit-host1.pcapng');
  const summary = exportFrames(source, out, { filter: null, decap: false, format: 'pcapng' });
  source.close();
  assert.equal(summary.written, 18);
  const a = CaptureFile.open(path.join(SAMPLES, 'ovs-gre', 'host1.pcapng'));
  const b = CaptureFile.open(out);
  a.scan();
  b.scan();
  assert.equal(b.frameCount, a.frameCount);
  assert.deepEqual(b.interfaces.map((i) => [i.name, i.linkType]), a.interfaces.map((i) => [i.name, i.linkType]));
  for (let i = 0; i < a.frameCount; i++) {
    for (const column of ['tsSec', 'tsNsec', 'capLen', 'origLen', 'iface'] as const) assert.equal(b.index[column][i], a.index[column][i], `frame ${i + 1} ${column}`);
    assert.equal(b.index.flags[i] & 3, a.index.flags[i] & 3, `frame ${i + 1} direction`);
    assert.deepEqual(Buffer.from(b.readFrame(i)), Buffer.from(a.readFrame(i)));
  }
  a.close();
  b.close();
});
