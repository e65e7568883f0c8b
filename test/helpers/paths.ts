// Where the tests find the repo, ../shared and the real programs they compare against.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SHARED = path.resolve(REPO, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus', 'tcpdump');
export const SAMPLES = path.join(REPO, 'samples');
export const CLI = path.join(REPO, 'dist', 'src', 'cli', 'main.js');
export const TEST_OUTPUT = path.join(REPO, 'test-output');

export function haveShared(): boolean {
  return fs.existsSync(CORPUS);
}

/** Why a test that needs ../shared is skipped (a user's clone has no ../shared; CI has it). */
export const NO_SHARED = '../shared is absent (only CI and developers have it): skipped';

export function haveProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function corpusFiles(): string[] {
  return fs.readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort().map((f) => path.join(CORPUS, f));
}
