// The capture reader on hand-built files: every pcap and pcapng variant, following a growing file,
// and clean errors for files that are cut short, corrupt or not captures at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureError } from '../../src/capture/capture-error';
import { splitTimestamp } from '../../src/capture/format-parser';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-reader-'));

/** Little byte writer for either byte order. */
class Bytes {
  parts: Buffer[] = [];
  constructor(readonly le: boolean) {}
  u8(v: number) { this.parts.push(Buffer.from([v])); return this; }
  u16(v: number) { const b = Buffer.alloc(2); if (this.le) b.writeUInt16LE(v); else b.writeUInt16BE(v); this.parts.push(b); return this; }
  u32(v: number) { const b = Buffer.alloc(4); if (this.le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0); this.parts.push(b); return this; }
  raw(b: Buffer) { this.parts.push(b); return this; }
  pad4() { const len = this.length(); if (len % 4) this.parts.push(Buffer.alloc(4 - (len % 4))); return this; }
  length() { return this.parts.reduce((n, p) => n + p.length, 0); }
  build() { return Buffer.concat(this.parts); }
}

function frame(n: number, len = 60): Buffer {
  const b = Buffer.alloc(len);
  b.fill(0xff, 0, 6); // broadcast destination
  b.writeUInt32BE(n, 6);
  b.writeUInt16BE(0x88b5, 12); // local experimental ethertype: payload is data
  return b;
}

function pcap(le: boolean, nanos: boolean, frames: Buffer[], linkType = 1): Buffer {
  const w = new Bytes(le).u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(linkType);
  frames.forEach((f, i) => w.u32(1700000000 + i).u32(nanos ? 123456789 : 123456).u32(f.length).u32(f.length + 10).raw(f));
  return w.build();
}

function block(le: boolean, type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  return new Bytes(le).u32(type).u32(padded.length + 12).raw(padded).u32(padded.length + 12).build();
}

function option(le: boolean, code: number, value: Buffer): Buffer {
  return new Bytes(le).u16(code).u16(value.length).raw(value).pad4().build();
}

function shb(le: boolean): Buffer {
  return block(le, 0x0a0d0d0a, new Bytes(le).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).build());
}

function idb(le: boolean, linkType: number, tsresol?: number, name?: string): Buffer {
  const opts: Buffer[] = [];
  if (name) opts.push(option(le, 2, Buffer.from(name)));
  if (tsresol !== undefined) opts.push(option(le, 9, Buffer.from([tsresol])));
  if (opts.length) opts.push(new Bytes(le).u32(0).build());
  return block(le, 1, Buffer.concat([new Bytes(le).u16(linkType).u16(0).u32(262144).build(), ...opts]));
}

function epb(le: boolean, iface: number, ts: bigint, data: Buffer, flags?: number): Buffer {
  const w = new Bytes(le).u32(iface).u32(Number(ts >> 32n)).u32(Number(ts & 0xffffffffn)).u32(data.length).u32(data.length).raw(data).pad4();
  if (flags !== undefined) w.raw(option(le, 2, new Bytes(le).u32(flags).build())).u32(0);
  return block(le, 6, w.build());
}

function write(name: string, data: Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

function readAll(p: string): { file: CaptureFile; frames: Buffer[] } {
  const file = CaptureFile.open(p);
  const frames: Buffer[] = [];
  file.scan((buf, off, capLen) => frames.push(Buffer.from(buf.subarray(off, off + capLen))));
  return { file, frames };
}

for (const le of [true, false]) {
  for (const nanos of [false, true]) {
    test(`pcap ${le ? 'little' : 'big'}-endian ${nanos ? 'nanosecond' : 'microsecond'}`, () => {
      const frames = [frame(1), frame(2, 100), frame(3, 14)];
      const { file, frames: got } = readAll(write(`p-${le}-${nanos}.pcap`, pcap(le, nanos, frames)));
      assert.equal(file.format, 'pcap');
      assert.equal(file.frameCount, 3);
      assert.deepEqual(got, frames);
      assert.equal(file.index.tsSec[1], 1700000001);
      assert.equal(file.index.tsNsec[0], nanos ? 123456789 : 123456000);
      assert.equal(file.index.origLen[1], 110);
      assert.equal(file.linkType(0), 1);
      assert.equal(file.problem, null);
      assert.deepEqual(file.readFrame(1), frames[1], 're-read by offset');
      file.close();
    });
  }
}

for (const le of [true, false]) {
  test(`pcapng ${le ? 'little' : 'big'}-endian: interfaces with own link types and resolutions, unknown blocks skipped`, () => {
    const data = Buffer.concat([
      shb(le),
      idb(le, 1, undefined, 'eth0'),
      idb(le, 113, 9, 'any'),
      block(le, 0x00000bad, Buffer.from('custom block')),
      epb(le, 0, 1700000000_000001n, frame(1), 1),
      epb(le, 1, 1700000000_123456789n, Buffer.concat([Buffer.alloc(16), frame(2)]), 2),
      block(le, 3, Buffer.concat([new Bytes(le).u32(60).build(), frame(3)])), // SPB
      block(le, 2, Buffer.concat([new Bytes(le).u16(0).u16(0).u32(Number(1700000001_000000n >> 32n)).u32(Number(1700000001_000000n & 0xffffffffn)).u32(60).u32(60).build(), frame(4)])), // OPB
    ]);
    const { file, frames } = readAll(write(`n-${le}.pcapng`, data));
    assert.equal(file.format, 'pcapng');
    assert.equal(file.frameCount, 4);
    assert.deepEqual(frames[0], frame(1));
    assert.deepEqual(frames[2], frame(3));
    assert.deepEqual(frames[3], frame(4));
    assert.deepEqual(file.interfaces.map((i) => [i.name, i.linkType]), [['eth0', 1], ['any', 113]]);
    assert.equal(file.linkType(1), 113);
    assert.equal(file.index.tsSec[0], 1700000000);
    assert.equal(file.index.tsNsec[0], 1000, 'microsecond default resolution');
    assert.equal(file.index.tsSec[1], 1700000000);
    assert.equal(file.index.tsNsec[1], 123456789, 'if_tsresol 9 = nanoseconds, exact');
    assert.equal(file.index.flags[0] & 3, 1, 'epb_flags inbound');
    assert.equal(file.index.flags[1] & 3, 2, 'epb_flags outbound');
    assert.equal(file.index.tsSec[3], 1700000001);
    file.close();
  });
}

test('pcapng: a second section with the other byte order starts its own interfaces', () => {
  const data = Buffer.concat([shb(true), idb(true, 1), epb(true, 0, 1n, frame(1)), shb(false), idb(false, 101), epb(false, 0, 2n, Buffer.from([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))]);
  const { file } = readAll(write('two-sections.pcapng', data));
  assert.equal(file.frameCount, 2);
  assert.equal(file.linkType(0), 1);
  assert.equal(file.linkType(1), 101);
  file.close();
});

test('timestamps split exactly without BigInt', () => {
  const out = { sec: 0, nsec: 0 };
  const ts = 1700000000_987654321n;
  splitTimestamp(Number(ts >> 32n), Number(ts & 0xffffffffn), 1e9, out);
  assert.deepEqual(out, { sec: 1700000000, nsec: 987654321 });
  const binary = (1700000000n << 20n) + (1n << 19n); // 2^-20 resolution, half a second
  splitTimestamp(Number(binary >> 32n), Number(binary & 0xffffffffn), 2 ** 20, out);
  assert.deepEqual(out, { sec: 1700000000, nsec: 500000000 });
});

test('a file cut in the middle of a packet keeps every whole frame and says so', () => {
  const whole = pcap(true, false, [frame(1), frame(2), frame(3)]);
  const { file, frames } = readAll(write('cut.pcap', whole.subarray(0, whole.length - 20)));
  assert.equal(frames.length, 2);
  assert.match(file.problem ?? '', /middle of a packet: 56 bytes after frame 2/);
  file.close();
});

test('a corrupt record length stops the reader cleanly after the good frames', () => {
  const data = pcap(true, false, [frame(1), frame(2)]);
  data.writeUInt32LE(0x7fffffff, 24 + 16 + 60 + 8); // second record's captured length
  const { file, frames } = readAll(write('corrupt.pcap', data));
  assert.equal(frames.length, 1);
  assert.match(file.problem ?? '', /corrupt pcap record at byte 100: captured length 2147483647/);
  file.close();
});

test('corrupt pcapng block lengths are errors, not hangs', () => {
  const data = Buffer.concat([shb(true), idb(true, 1), epb(true, 0, 1n, frame(1))]);
  data.writeUInt32LE(7, data.length - 4 - 60 - 28 + 4); // EPB block length not a multiple of 4
  const { file, frames } = readAll(write('corrupt.pcapng', data));
  assert.equal(frames.length, 0);
  assert.match(file.problem ?? '', /block length 7 is invalid/);
});

test('not a capture, empty, missing: one-line errors', () => {
  assert.throws(() => CaptureFile.open(write('text.pcap', Buffer.from('hello world, not a capture'))), (e: Error) => e instanceof CaptureError && /not a pcap or pcapng capture file/.test(e.message));
  assert.throws(() => CaptureFile.open(write('empty.pcap', Buffer.alloc(0))), /file is empty/);
  assert.throws(() => CaptureFile.open(path.join(dir, 'nope.pcap')), /no such file/);
  assert.throws(() => CaptureFile.open(dir), /is a directory|not a pcap/);
  assert.throws(() => CaptureFile.open(write('short.pcap', Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0]))), /inside the pcap file header/);
});

test('following a file that is still being written', () => {
  const p = path.join(dir, 'growing.pcap');
  const full = pcap(true, false, [frame(1), frame(2), frame(3)]);
  fs.writeFileSync(p, full.subarray(0, 24 + 16 + 60 + 10)); // header, frame 1, and part of frame 2
  const file = CaptureFile.open(p);
  assert.equal(file.scan(null, false), 1);
  assert.equal(file.problem, null, 'a partial record is not a problem while following');
  fs.appendFileSync(p, full.subarray(24 + 16 + 60 + 10, full.length - 5));
  assert.equal(file.scan(null, false), 1);
  fs.appendFileSync(p, full.subarray(full.length - 5));
  assert.equal(file.scan(null, false), 1);
  assert.equal(file.frameCount, 3);
  assert.deepEqual(file.readFrame(2), frame(3));
  file.close();
});

test('files larger than the read buffer are read in chunks without loading them whole', () => {
  const frames = Array.from({ length: 9000 }, (_, i) => frame(i, 1500));
  const { file, frames: got } = readAll(write('big.pcap', pcap(true, false, frames)));
  assert.equal(got.length, 9000);
  assert.deepEqual(got[8999], frames[8999]);
  assert.deepEqual(file.readFrame(5000), frames[5000]);
  file.close();
});
