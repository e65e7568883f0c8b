// Finding the capture programs (dumpcap, tcpdump) without a shell, also in sbin directories that a
// non-root PATH often lacks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LiveCaptureError } from './errors';

export type CaptureProgramName = 'dumpcap' | 'tcpdump';
export type ProgramChoice = CaptureProgramName | 'auto';

export interface CaptureProgram {
  name: CaptureProgramName;
  path: string;
}

const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/** Where to look for the capture programs instead of PATH and the sbin directories (a PATH-like list). */
export const PROGRAM_PATH_VARIABLE = 'TUNNELSCOPE_CAPTURE_PATH';

/** Absolute path of an executable named `name`, or null. */
export function findExecutable(name: string, searchPath?: string): string | null {
  const listed = searchPath ?? process.env.PATH ?? '';
  const dirs = listed.split(path.delimiter).filter((d) => d !== '').concat(searchPath === undefined ? EXTRA_DIRS : []);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here (or not executable by us): keep looking
    }
  }
  return null;
}

/** dumpcap where installed (pcapng, like Wireshark), else tcpdump; or the one asked for. */
export function chooseCaptureProgram(choice: ProgramChoice = 'auto'): CaptureProgram {
  const order: CaptureProgramName[] = choice === 'auto' ? ['dumpcap', 'tcpdump'] : [choice];
  for (const name of order) {
    const found = findExecutable(name, process.env[PROGRAM_PATH_VARIABLE]);
    if (found !== null) return { name, path: found };
  }
  const wanted = choice === 'auto' ? 'neither dumpcap nor tcpdump is installed' : `${choice} is not installed`;
  throw new LiveCaptureError('no-program', `${wanted}: install Wireshark's dumpcap (apt install wireshark-common) or tcpdump (apt install tcpdump)`);
}
