// Runs the real tshark (Debian's package) as the dissection reference.
import { execFile } from 'node:child_process';

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
