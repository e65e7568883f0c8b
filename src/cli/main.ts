#!/usr/bin/env -S node --no-concurrent-recompilation
// The `tunnelscope` command line. Each subcommand lives in its own module under ./commands.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { UserError } from './errors';
import { terminalSafe } from '../overlay/output/terminal-text';

async function main(argv: string[]): Promise<number> {
  const program = new Command('tunnelscope')
    .description('Overlay network analyzer: VXLAN, NVGRE, GRE and Geneve tenants, VTEP learning, switch replay')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its one-line message; help and version exit 0, usage errors 2
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`tunnelscope: ${err.message.split('\n').map(terminalSafe).join('\n')}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tunnelscope: internal error: ${terminalSafe(message)}\n`);
    return 1;
  }
}

/**
 * Node 20 can deadlock at exit in NodePlatform::DrainTasks while a background JIT job is in flight
 * (nodejs/node#54918; about one `tenants` run in ten here). Compiling on the main thread avoids it,
 * and V8 takes that flag only at start-up: the shebang passes it, and `node main.js` re-runs itself with it.
 */
const NO_BACKGROUND_JIT = '--no-concurrent-recompilation';

/** Set in the re-run: the descriptor whose end-of-file says the first process is gone. */
const PARENT_FD_VARIABLE = 'TUNNELSCOPE_PARENT_FD';

function rerunWithFlag(): void {
  const child = spawn(process.execPath, [...process.execArgv, NO_BACKGROUND_JIT, __filename, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [PARENT_FD_VARIABLE]: '3' },
  });
  // Signals sent to this process are passed on (a terminal's Ctrl+C reaches both: commands that
  // handle SIGINT, like capture, treat a second one as the same request to stop).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exitCode = code ?? 1;
  });
}

/**
 * The re-run ends with the first process however that one ends (also by SIGKILL, which cannot be
 * passed on): the pipe it holds closes, and this process takes it as a hang-up (a capture stops
 * cleanly and keeps its file; other commands end).
 */
function hangUpWithParent(): void {
  const fd = Number(process.env[PARENT_FD_VARIABLE]);
  delete process.env[PARENT_FD_VARIABLE];
  if (!Number.isInteger(fd) || fd < 3) return;
  const parent = new net.Socket({ fd, readable: true, writable: false });
  parent.on('error', () => undefined);
  parent.on('close', () => process.kill(process.pid, 'SIGHUP'));
  parent.resume();
  parent.unref();
}

if (process.execArgv.includes(NO_BACKGROUND_JIT)) {
  hangUpWithParent();
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
} else {
  rerunWithFlag();
}
