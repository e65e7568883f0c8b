// Golden test: every frame's protocol chain against tshark's frame.protocols, over the samples and
// ../shared/corpus/tcpdump. Prints the agreement figure; fails below the floors it states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareChains, Agreement, normaliseTshark } from '../helpers/protocol-agreement';
import { ourChains } from '../helpers/our-chains';
import { corpusFiles, haveProgram, haveShared, NO_SHARED, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { mapLimit, tsharkFields } from '../helpers/tshark';
import { frameCountProblem } from '../helpers/corpus-expectations';

interface Tally {
  frames: number;
  exact: number;
  consistent: number;
  differs: number;
  examples: string[];
  /** Files where Tunnelscope and tshark read a different number of frames (or we cannot open it). */
  countMismatches: string[];
  /** Frames tshark calls malformed in a layer Tunnelscope dissects too, that Tunnelscope does not flag. */
  unflagged: string[];
}

/** The layer tshark found malformed (the protocol before "_ws.malformed"), with its depth, or null. */
function malformedLayer(tsharkChain: string): { name: string; depth: number } | null {
  const layers = normaliseTshark(tsharkChain.split(':_ws.malformed')[0]);
  if (!tsharkChain.includes(':_ws.malformed') || layers.length === 0) return null;
  return { name: layers[layers.length - 1], depth: layers.length - 1 };
}

async function tally(files: string[], tsharkArgs: string[] = []): Promise<Tally> {
  const t: Tally = { frames: 0, exact: 0, consistent: 0, differs: 0, examples: [], countMismatches: [], unflagged: [] };
  const results = await mapLimit(files, 2, async (file) => ({ file, ref: await tsharkFields(file, ['frame.number', 'frame.protocols'], tsharkArgs) }));
  // frame.number first: tshark prints an empty frame.protocols for some damaged frames, and a row that is
  // only empty would be lost, shifting the count.
  for (const { file, ref } of results) {
    const ours = ourChains(file);
    // A dropped or extra frame would shift every comparison after it: the counts must agree first.
    const countProblem = frameCountProblem(path.basename(file), ours.chains.length, ref.rows.length, ours.linkTypes);
    if (countProblem !== null) t.countMismatches.push(countProblem + (ours.openError ? ` (${ours.openError})` : ''));
    if (ours.chains.length !== ref.rows.length) continue;
    for (let i = 0; i < ours.chains.length; i++) {
      const tshark = ref.rows[i][1] ?? '';
      const verdict: Agreement = compareChains(ours.chains[i], tshark);
      t.frames++;
      t[verdict]++;
      if (verdict === 'differs' && t.examples.length < 400) t.examples.push(`${path.basename(file)}#${i + 1}: ours ${ours.chains[i]} | tshark ${tshark}`);
      const damaged = malformedLayer(tshark);
      if (damaged !== null && ours.chains[i].split(':')[damaged.depth] === damaged.name && ours.malformed[i] === null) {
        t.unflagged.push(`${path.basename(file)}#${i + 1}: tshark ${tshark}, ours ${ours.chains[i]} not flagged`);
      }
    }
  }
  return t;
}

function summary(name: string, t: Tally): string {
  const pct = (n: number) => ((100 * n) / Math.max(t.frames, 1)).toFixed(2);
  return `${name}: ${t.frames} frames, exact ${t.exact} (${pct(t.exact)}%), consistent ${t.consistent}, agreement ${pct(t.exact + t.consistent)}%, differs ${t.differs}`;
}

const skipTshark = haveProgram('tshark') ? false : 'tshark is not installed (scripts/install-test-peers.sh installs it)';

test('samples: every frame has exactly the protocol chain tshark gives', { skip: skipTshark }, async () => {
  const files = fs.readdirSync(SAMPLES, { recursive: true }).map(String).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => path.join(SAMPLES, f));
  assert.ok(files.length >= 4, 'the samples are there');
  const t = await tally(files, ['-d', 'udp.port==8472,vxlan']);
  console.log(summary('samples', t));
  assert.deepEqual(t.countMismatches, [], 'frame counts per file');
  assert.deepEqual(t.unflagged, [], 'frames tshark calls malformed');
  assert.equal(t.differs, 0, t.examples.join('\n'));
  assert.equal(t.consistent, 0, 'samples hold only protocols Tunnelscope dissects');
});

test('corpus: protocol chains agree with tshark', { skip: skipTshark || (!haveShared() && NO_SHARED), timeout: 900_000 }, async () => {
  const t = await tally(corpusFiles(), ['-d', 'udp.port==8472,vxlan']);
  const line = summary('corpus', t);
  console.log(line);
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  fs.writeFileSync(path.join(TEST_OUTPUT, 'tshark-agreement.txt'), [line, ...t.countMismatches, ...t.unflagged, ...t.examples].join('\n') + '\n');
  assert.deepEqual(t.countMismatches, [], 'frame counts per file equal tshark\'s');
  assert.deepEqual(t.unflagged.slice(0, 20), [], `${t.unflagged.length} frames tshark calls malformed in a layer we dissect are not flagged`);
  assert.ok(t.frames > 5000, 'the corpus was read');
  assert.ok((t.exact + t.consistent) / t.frames >= 0.97, line);
});
