// Runs the real tshark (Debian's package) as the dissection reference.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { TEST_OUTPUT as REPO_TEST_OUTPUT } from './paths';

/**
 * tshark's version line ('' when tshark is missing), read once per process: tshark takes a second to start,
 * and mutation testing reloads the test modules for every mutant in one process.
 */
export function tsharkVersion(): string {
  const known = process.env.TUNNELSCOPE_TSHARK_VERSION;
  if (known !== undefined) return known;
  let version = '';
  try {
    version = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    // not installed: the callers skip
  }
  process.env.TUNNELSCOPE_TSHARK_VERSION = version;
  return version;
}

export interface TsharkFields {
  rows: string[][];
  exitCode: number;
}

/** tshark -T fields for every frame of a file; never throws (corrupt files make tshark exit non-zero). */
export function tsharkFields(file: string, fields: string[], extraArgs: string[] = []): Promise<TsharkFields> {
  const args = ['-n', '-r', file, ...extraArgs, '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])];
  return new Promise((resolve) => {
    execFile('tshark', args, { maxBuffer: 512 * 1024 * 1024, timeout: 120_000, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout) => {
      const rows = stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ rows, exitCode: code });
    });
  });
}

/** Runs async jobs with at most `limit` at once (tshark start-up dominates: use both cores). */
export async function mapLimit<T, R>(items: T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Frames tshark reads from each file (`tshark -r F -T fields -e frame.number`, counted). tshark starts slowly
 * and the corpus has hundreds of files, so the counts are kept in test-output/ and reused while the file
 * (size, modification time) and the tshark version are unchanged.
 */
export async function tsharkFrameCounts(files: string[], cacheFile: string): Promise<Map<string, number>> {
  const version = tsharkVersion();
  let cache: { version: string; files: Record<string, { size: number; mtimeMs: number; frames: number }> } = { version, files: {} };
  try {
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (stored.version === version) cache = stored;
  } catch {
    // no cache yet
  }
  const counts = new Map<string, number>();
  const missing: string[] = [];
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    const hit = cache.files[file];
    if (hit && hit.size === size && hit.mtimeMs === mtimeMs) counts.set(file, hit.frames);
    else missing.push(file);
  }
  mkdirSync(dirname(cacheFile), { recursive: true });
  await mapLimit(missing, 2, async (file) => {
    const { rows } = await tsharkFields(file, ['frame.number']);
    const { size, mtimeMs } = statSync(file);
    cache.files[file] = { size, mtimeMs, frames: rows.length };
    counts.set(file, rows.length);
    // Saved as it goes: a run stopped half-way keeps what it counted.
    writeFileSync(cacheFile, JSON.stringify(cache));
  });
  return counts;
}

/**
 * tshark's output for `args` (which read `input`, if any), kept in test-output/tshark-cache while the
 * tshark version, the arguments and the input's bytes are unchanged: mutation testing reruns the golden
 * comparisons for many mutants of our code, and tshark's answer does not depend on it.
 */
export function tsharkOutputCached(args: string[], input?: string): string {
  const version = tsharkVersion();
  const hash = createHash('sha256').update(version).update(JSON.stringify(args.map((a) => (a === input ? '<input>' : a))));
  if (input !== undefined) hash.update(readFileSync(input));
  const file = join(REPO_TEST_OUTPUT, 'tshark-cache', `${hash.digest('hex')}.txt`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out);
    return out;
  }
}
