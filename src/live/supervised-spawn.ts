// Starts a capture program so that it cannot outlive the process that started it, even when that
// process is killed with SIGKILL:
//  - the program runs in its own process group (Ctrl+C reaches only us; we stop it in order), with
//    umask 077 so whatever it creates is private;
//  - a watchdog, a tiny shell in its own session, holds the read end of a pipe whose write end only
//    this process has. When this process ends, however it ends, the kernel closes that end; the
//    watchdog sees end-of-file, stops the program's group with SIGINT (so it closes its file
//    properly) and SIGKILLs it after a grace period;
//  - the program is held before exec until the watchdog is armed, so there is no moment when it
//    runs unwatched: if we die before arming, it never starts.
// Why not the kernel's parent-death signal (`setpriv --pdeathsig`): Linux clears it when a program
// with file capabilities or set-user-ID starts, which is exactly how dumpcap and tcpdump are made
// usable without root (Debian's wireshark group gives dumpcap cap_net_raw).
import { ChildProcess, spawn } from 'node:child_process';
import { LiveCaptureError } from './errors';

/** Holds until "go", then becomes the program (exec: same pid, so signals and exit status are its own). */
const LAUNCHER = 'umask 077; read -r go || exit 125; [ "$go" = go ] || exit 125; exec "$@" </dev/null';

/** $1: the program's process group. Waits for end-of-file on stdin: the starting process is gone. */
const WATCHDOG = [
  'read -r _',
  'kill -INT -"$1" 2>/dev/null || exit 0',
  'n=0',
  'while [ $n -lt 50 ] && kill -0 -"$1" 2>/dev/null; do sleep 0.1; n=$((n+1)); done',
  'kill -KILL -"$1" 2>/dev/null',
  'exit 0',
].join('\n');

const SHELL = '/bin/sh';

export interface SupervisedProcess {
  /** The capture program (after the launcher's exec). */
  child: ChildProcess;
  /** Ends the watchdog once the program has exited (else it would signal a process group that may be reused). */
  release(): void;
}

/** Spawns `program args` with stdout going to `stdout` (an open file descriptor, or ignored) and stderr piped. */
export function spawnSupervised(program: string, args: string[], stdout: number | 'ignore'): SupervisedProcess {
  const child = spawn(SHELL, ['-c', LAUNCHER, 'tunnelscope-capture', program, ...args], { detached: true, stdio: ['pipe', stdout, 'pipe'] });
  if (child.pid === undefined) return { child, release: () => undefined }; // spawn failed: 'error' follows
  const watchdog = spawn(SHELL, ['-c', WATCHDOG, 'tunnelscope-watchdog', String(child.pid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  if (watchdog.pid === undefined) {
    // Unwatched it could outlive us: the program is never started.
    child.kill('SIGKILL');
    throw new LiveCaptureError('capture-failed', `cannot start the capture program's watchdog (${SHELL})`);
  }
  watchdog.stdin!.on('error', () => undefined);
  child.stdin!.on('error', () => undefined);
  // Neither keeps the event loop alive on its own: the program's exit is what we wait for.
  watchdog.unref();
  child.stdin!.end('go\n');
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    watchdog.kill('SIGKILL');
  };
  child.on('exit', release);
  return { child, release };
}
