// Output files that never destroy anything: written under a temporary name in the target's folder and
// renamed over the target only when complete (a failed or interrupted write leaves the old target, or
// none, never half a file), and refused outright when the target is a file being read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A target that would overwrite an input, or that cannot be written. One line, for the user. */
export class OutputError extends Error {}

/** The target is a capture being read: a usage mistake, refused before anything is written. */
export class OutputIsInputError extends OutputError {}

/** The file a path names after following symlinks (device and inode), or null when there is none. */
function identity(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** True when `target` (after symlinks) is the very file open as `fd` or found at `inputPath`. */
export function isSameFile(target: string, input: { fd: number } | { path: string }): boolean {
  const out = identity(target);
  if (out === null) return false;
  let inp: fs.Stats | null;
  try {
    inp = 'fd' in input ? fs.fstatSync(input.fd) : fs.statSync(input.path);
  } catch {
    return false;
  }
  return out.dev === inp.dev && out.ino === inp.ino;
}

/** Throws OutputError when `target` is one of the inputs (same device and inode, after symlinks). */
export function refuseInputAsOutput(target: string, inputs: readonly ({ fd: number } | { path: string })[]): void {
  for (const input of inputs) {
    if (isSameFile(target, input)) throw new OutputIsInputError(`${target}: is the capture being read; writing it would destroy it (choose another file)`);
  }
}

/** Temporary files not yet renamed or removed: removed if the process exits first. */
const pending = new Set<string>();
let cleanupRegistered = false;

function removePendingOnExit(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.on('exit', () => {
    for (const temp of pending) fs.rmSync(temp, { force: true });
  });
}

/**
 * A file written under a temporary name beside `target` and renamed onto it by commit(). The rename is
 * atomic: readers see the old file or the complete new one.
 */
export class AtomicFile {
  readonly fd: number;
  readonly tempPath: string;
  private done = false;

  constructor(readonly target: string) {
    const dir = path.dirname(path.resolve(target));
    this.tempPath = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
    try {
      // 'wx': never follows or reuses a file someone planted under the temporary name.
      this.fd = fs.openSync(this.tempPath, 'wx', 0o644);
    } catch (err) {
      throw new OutputError(`${target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    removePendingOnExit();
    pending.add(this.tempPath);
  }

  /** Forces the data to disk, closes and renames the temporary file onto the target. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      fs.renameSync(this.tempPath, this.target);
    } catch (err) {
      fs.rmSync(this.tempPath, { force: true });
      throw new OutputError(`${this.target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    } finally {
      pending.delete(this.tempPath);
    }
  }

  /** Drops the temporary file; the target is left as it was. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.tempPath, { force: true });
    pending.delete(this.tempPath);
  }
}

/** Writes a whole file atomically, refusing a target that is one of the inputs. */
export function writeFileAtomically(target: string, data: string | Uint8Array, inputs: readonly ({ fd: number } | { path: string })[] = []): void {
  refuseInputAsOutput(target, inputs);
  const file = new AtomicFile(target);
  try {
    fs.writeFileSync(file.fd, data);
  } catch (err) {
    file.abort();
    throw new OutputError(`${target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  file.commit();
}

/** Copies `source` to `target` atomically; refuses a target that is the source (or another input). */
export function copyFileAtomically(source: string, target: string, inputs: readonly ({ fd: number } | { path: string })[] = []): void {
  refuseInputAsOutput(target, [{ path: source }, ...inputs]);
  const file = new AtomicFile(target);
  try {
    fs.copyFileSync(source, file.tempPath);
  } catch (err) {
    file.abort();
    throw new OutputError(`${target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  file.commit();
}
