// Where a live capture writes, safely also in directories other users can write to (/tmp):
//  - no file named: a fresh private directory (mkdtemp: random name, mode 0700) holds the file;
//  - one file: we create it ourselves (O_EXCL|O_NOFOLLOW, mode 0600: no symbolic or planted link is
//    followed, no existing file is opened) and the program writes to that descriptor (`-w -`);
//  - a ring buffer: the program must name its files itself, so the directory may not be writable
//    by other users (they could plant links under the names it will use).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveCaptureError } from './errors';
import { CaptureProgram } from './programs';
import { tcpdumpRingFiles } from './ring-files';

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } = fs.constants;
const CREATE_NEW = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** A new file name inside a new private directory. */
export function privateOutputPath(program: CaptureProgram, iface: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-capture-'));
  fs.chmodSync(dir, 0o700);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '');
  const ext = program.name === 'dumpcap' ? 'pcapng' : 'pcap';
  return path.join(dir, `tunnelscope_${iface.replace(/[^\w.-]/g, '_')}_${stamp}.${ext}`);
}

const refuse = (message: string) => new LiveCaptureError('bad-options', message);

/**
 * Creates the output file for the program to write through its standard output; returns the open
 * descriptor. A regular file already there is replaced (its name is removed, never its content
 * followed); anything else there (a link, a directory, a FIFO) is refused.
 */
export function createOutputFile(file: string): number {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw refuse(`cannot write ${file}: directory ${dir} does not exist`);
  for (let attempt = 0; ; attempt++) {
    try {
      return fs.openSync(file, CREATE_NEW, 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt > 0) {
        const why = code === 'EEXIST' ? 'something was put there again while it was being replaced (someone else writes in that directory)' : code ?? (err as Error).message;
        throw refuse(`cannot create ${file}: ${why}`);
      }
    }
    const existing = fs.lstatSync(file, { throwIfNoEntry: false });
    if (existing !== undefined && !existing.isFile()) {
      throw refuse(`cannot write ${file}: it is ${existing.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; not writing through it`);
    }
    try {
      fs.unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(`cannot replace ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}

/** A ring buffer's directory must be ours alone to write in; old ring files would be read before the program reuses them. */
export function prepareRingOutput(program: CaptureProgram, file: string): void {
  const dir = path.dirname(file);
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw refuse(`cannot write ${file}: directory ${dir} does not exist`);
  const uid = process.getuid?.() ?? st.uid;
  if ((st.mode & 0o002) !== 0 || st.uid !== uid) {
    throw refuse(`a ring buffer's files are created by ${program.name} itself by name: ${dir} can be written by other users, who could redirect them; choose a directory of your own`);
  }
  const stale = program.name === 'tcpdump' ? tcpdumpRingFiles(file) : [];
  for (const old of stale) {
    try {
      fs.unlinkSync(old);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(`cannot replace ${old}: ${(err as Error).message}`);
    }
  }
}
