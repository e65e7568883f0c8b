// Which files a capture program has written so far, oldest first: the one output file, or the files
// of a ring buffer (dumpcap names each new file on stderr; tcpdump appends 0..N-1 and reuses them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureProgramName } from './programs';

export function writtenFiles(program: CaptureProgramName, outputPath: string, ring: boolean, stderrSoFar: string): string[] {
  if (!ring) return [outputPath];
  if (program === 'dumpcap') {
    return [...stderrSoFar.matchAll(/^File: (.+)$/gm)].map((m) => m[1]);
  }
  return tcpdumpRingFiles(outputPath);
}

/** tcpdump -C/-W writes FILE0, FILE1... and starts over at FILE0: the newest is the one modified last. */
export function tcpdumpRingFiles(outputPath: string): string[] {
  const dir = path.dirname(outputPath);
  const base = path.basename(outputPath);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const files: { file: string; mtime: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(base) || !/^\d+$/.test(name.slice(base.length))) continue;
    const file = path.join(dir, name);
    try {
      files.push({ file, mtime: fs.statSync(file).mtimeMs });
    } catch {
      // removed between readdir and stat
    }
  }
  return files.sort((a, b) => a.mtime - b.mtime).map((f) => f.file);
}
