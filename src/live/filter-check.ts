// Checks a capture filter and the interface before capturing: tcpdump -d (compile only) where
// installed, else dumpcap -d; the program's own reason is passed on.
import { execFile } from 'node:child_process';
import { CaptureProgram, findExecutable, PROGRAM_PATH_VARIABLE } from './programs';
import { programFailure } from './program-errors';

function run(file: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10000, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1;
      resolve({ code, stderr: String(stderr) });
    });
  });
}

/** Resolves when the capture program accepts interface and filter; rejects with a LiveCaptureError. */
export async function checkCaptureFilter(program: CaptureProgram, iface: string, filter: string | undefined, snaplen?: number): Promise<void> {
  const tcpdump = program.name === 'tcpdump' ? program.path : findExecutable('tcpdump', process.env[PROGRAM_PATH_VARIABLE]);
  let result: { code: number | null; stderr: string };
  let checker: CaptureProgram;
  if (tcpdump !== null) {
    checker = { name: 'tcpdump', path: tcpdump };
    const args = ['-d', '-i', iface];
    if (snaplen) args.push('-s', String(snaplen));
    if (filter) args.push('--', filter);
    result = await run(tcpdump, args);
  } else {
    checker = program;
    result = await run(program.path, ['-d', '-i', iface, ...(filter ? ['-f', filter] : [])]);
    // dumpcap -d exits 0 even when it rejects the filter: its message is the verdict.
    if (/Invalid capture filter|There is no device|don't have permission/i.test(result.stderr)) result.code = 1;
  }
  if (result.code === 0) return;
  const failure = programFailure(checker, iface, filter, result.stderr, result.code);
  // A checker without permission tells nothing about the filter; the capture itself will report it.
  if (failure.kind === 'permission' && checker.path !== program.path) return;
  throw failure;
}
