// Golden test: every frame's protocol chain against tshark's frame.protocols, over the samples and
// ../shared/corpus/tcpdump. Prints the agreement figure; fails below the floors it states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareChains, Agreement } from '../helpers/protocol-agreement';
import { ourChains } from '../helpers/our-chains';
import { corpusFiles, haveProgram, haveShared, NO_SHARED, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { mapLimit, tsharkFields } from '../helpers/tshark';

interface Tally {
  frames: number;
  exact: number;
  consistent: number;
  differs: number;
  examples: string[];
}

async function tally(files: string[], tsharkArgs: string[] = []): Promise<Tally> {
  const t: Tally = { frames: 0, exact: 0, consistent: 0, differs: 0, examples: [] };
  const results = await mapLimit(files, 2, async (file) => ({ file, ref: await tsharkFields(file, ['frame.protocols'], tsharkArgs) }));
  for (const { file, ref } of results) {
    const ours = ourChains(file);
    const n = Math.min(ours.chains.length, ref.rows.length);
    for (let i = 0; i < n; i++) {
      const verdict: Agreement = compareChains(ours.chains[i], ref.rows[i][0] ?? '');
      t.frames++;
      t[verdict]++;
      if (verdict === 'differs' && t.examples.length < 400) t.examples.push(`${path.basename(file)}#${i + 1}: ours ${ours.chains[i]} | tshark ${ref.rows[i][0]}`);
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
  assert.equal(t.differs, 0, t.examples.join('\n'));
  assert.equal(t.consistent, 0, 'samples hold only protocols Tunnelscope dissects');
});

test('corpus: protocol chains agree with tshark', { skip: skipTshark || (!haveShared() && NO_SHARED), timeout: 900_000 }, async () => {
  const t = await tally(corpusFiles(), ['-d', 'udp.port==8472,vxlan']);
  const line = summary('corpus', t);
  console.log(line);
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  fs.writeFileSync(path.join(TEST_OUTPUT, 'tshark-agreement.txt'), [line, ...t.examples].join('\n') + '\n');
  assert.ok(t.frames > 5000, 'the corpus was read');
  assert.ok((t.exact + t.consistent) / t.frames >= 0.97, line);
});
