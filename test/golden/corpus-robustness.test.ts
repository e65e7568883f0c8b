// Every capture of ../shared/corpus/tcpdump (many of them fuzzer-found crashers) loads without a
// crash or hang, holds the frames tshark reads, dissects fully (tree and columns), flags damaged frames
// with a reason, and never reads past a frame's captured bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import { Dissection } from '../../src/dissect/dissection';
import { dissectFrameTree } from '../../src/dissect/engine';
import { CLI, corpusFiles, haveProgram, haveShared, NO_SHARED, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { tsharkFrameCounts } from '../helpers/tshark';
import { EXPECTED_UNREADABLE, frameCountProblem } from '../helpers/corpus-expectations';

function treeText(ctx: Dissection): string {
  return JSON.stringify(ctx.tree) + ctx.info + ctx.colSrc + ctx.colDst + ctx.colProto + ctx.malformed;
}

const skipCorpus = (!haveShared() && NO_SHARED) || (!haveProgram('tshark') && 'tshark is not installed (scripts/install-test-peers.sh installs it)');

test('every corpus file opens (or is a listed non-capture), has tshark\'s frame count, and dissects reading only its captured bytes', { skip: skipCorpus, timeout: 3_600_000 }, async () => {
  const files = corpusFiles();
  const tsharkCounts = await tsharkFrameCounts(files, path.join(TEST_OUTPUT, 'tshark-frame-counts.json'));
  const inChunk = new Dissection();
  const alone = new Dissection();
  const problems: string[] = [];
  let frames = 0;
  let malformed = 0;
  let unreadable = 0;
  for (const file of files) {
    const name = path.basename(file);
    const expectedError = EXPECTED_UNREADABLE[name];
    let capture: CaptureFile;
    try {
      capture = CaptureFile.open(file);
    } catch (err) {
      const message = String((err as Error).message);
      unreadable++;
      if (message.includes('\n')) problems.push(`${name}: the open error is not one line`);
      if (expectedError === undefined) problems.push(`${name}: does not open: ${message}`);
      else if (!expectedError.test(message)) problems.push(`${name}: listed as unreadable for ${expectedError}, but the error is: ${message}`);
      continue;
    }
    if (expectedError !== undefined) problems.push(`${name}: listed as unreadable (${expectedError}) but opens`);
    capture.scan((buf, offset, capLen, frame) => {
      const meta = { number: frame + 1, linkType: capture.linkType(frame), tsSec: 0, tsNsec: 0, relative: 0, firstTsSec: 0, firstTsNsec: 0, interfaceId: 0, direction: 0 };
      dissectFrameTree(inChunk, buf, offset, capLen, capture.index.origLen[frame], meta);
      // The same frame alone in an exact-size buffer: any read past its end would change the result.
      const copy = Uint8Array.prototype.slice.call(buf, offset, offset + capLen) as Uint8Array;
      dissectFrameTree(alone, copy, 0, capLen, capture.index.origLen[frame], meta);
      if (treeText(inChunk) !== treeText(alone)) problems.push(`${name} frame ${frame + 1} reads past its captured bytes`);
      frames++;
      if (inChunk.malformed !== null) {
        malformed++;
        // A damaged frame is flagged with its reason: one line that says what is wrong.
        if (inChunk.malformed.trim().length < 8 || inChunk.malformed.includes('\n')) problems.push(`${name} frame ${frame + 1}: malformed without a reason (${JSON.stringify(inChunk.malformed)})`);
      }
    });
    const linkTypes = [...new Set(capture.interfaces.map((i) => i.linkType))];
    const countProblem = frameCountProblem(name, capture.frameCount, tsharkCounts.get(file) ?? -1, linkTypes);
    if (countProblem !== null) problems.push(countProblem + (capture.problem ? ` (${capture.problem})` : ''));
    capture.close();
  }
  console.log(`corpus: ${files.length} files, ${frames} frames dissected with trees, ${malformed} marked malformed, ${unreadable} files not captures`);
  assert.deepEqual(problems, []);
  assert.ok(frames > 5000);
});

test('mutated captures (bytes flipped, truncated) give malformed frames or clean errors', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-mutate-'));
  const sources = fs.readdirSync(SAMPLES).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => path.join(SAMPLES, f));
  assert.ok(sources.length > 0);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const ctx = new Dissection();
  let runs = 0;
  for (const source of sources) {
    const original = fs.readFileSync(source);
    for (let round = 0; round < 40; round++) {
      const data = Buffer.from(original);
      for (let i = 0; i < 1 + Math.floor(random() * 8); i++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const cut = round % 4 === 0 ? data.subarray(0, Math.floor(random() * data.length)) : data;
      const p = path.join(dir, `m${round}${path.extname(source)}`);
      fs.writeFileSync(p, cut);
      let capture: CaptureFile;
      try {
        capture = CaptureFile.open(p);
      } catch {
        continue;
      }
      capture.scan((buf, offset, capLen, frame) => {
        dissectFrameTree(ctx, buf, offset, capLen, capture.index.origLen[frame], { number: frame + 1, linkType: capture.linkType(frame), tsSec: 0, tsNsec: 0, relative: 0, firstTsSec: 0, firstTsNsec: 0, interfaceId: 0, direction: 0 });
      });
      capture.close();
      runs++;
    }
  }
  assert.ok(runs > 50);
});

test('the CLI answers a truncated file with its frames and one line, and garbage with one line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-cli-'));
  const sample = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const data = fs.readFileSync(sample);
  const cut = path.join(dir, 'cut.pcapng');
  fs.writeFileSync(cut, data.subarray(0, data.length - 40));
  const r = spawnSync(process.execPath, [CLI, 'dissect', cut], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.ok(r.stdout.split('\n').length > 30, 'the whole frames are printed');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /cut short|middle of a packet/);
  const junk = path.join(dir, 'junk.pcap');
  fs.writeFileSync(junk, 'GET / HTTP/1.1\r\n\r\n');
  const j = spawnSync(process.execPath, [CLI, 'dissect', junk], { encoding: 'utf8' });
  assert.equal(j.status, 1);
  assert.equal(j.stderr.trim(), `tunnelscope: ${junk}: not a pcap or pcapng capture file`);
  const usage = spawnSync(process.execPath, [CLI, 'dissect', sample, '--format', 'xml'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.doesNotMatch(usage.stderr, /\n\s+at /, 'no stack trace');
  void execFileSync;
});
