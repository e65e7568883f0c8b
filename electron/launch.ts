// `npm start [FILE] [--port N]`: runs the Electron app where Electron is installed; otherwise says so
// and serves the same UI and API on http://127.0.0.1:PORT for a browser (it opens nothing itself).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startHttpServer } from '../src/service/http-server';
import { RENDERER_DIR, SAMPLES_DIR } from '../src/service/paths';
import { TunnelscopeService } from '../src/service/service';

const STOP_GRACE_MS = 3000;
const ORPHAN_CHECK_MS = 500;

interface LaunchOptions {
  files: string[];
  port: number;
  browser: boolean;
}

function parseArgs(argv: string[]): LaunchOptions {
  const options: LaunchOptions = { files: [], port: 0, browser: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') {
      const port = Number(argv[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port needs a number 0..65535, not "${argv[i] ?? ''}"`);
      options.port = port;
    } else if (arg === '--browser') options.browser = true;
    else if (arg === '--help' || arg === '-h') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else options.files.push(arg);
  }
  return options;
}

function usage(problem?: string): never {
  if (problem) console.error(`tunnelscope: ${problem}`);
  console.error('usage: npm start -- [FILE] [--port N] [--browser]\n  --browser  serve the UI on 127.0.0.1 even when Electron is installed');
  process.exit(problem ? 2 : 0);
}

/** The Electron binary, or null when the npm package is there without its download (our machines). */
function electronBinary(): string | null {
  try {
    const binary: unknown = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

async function serveInBrowser(options: LaunchOptions, why: string): Promise<void> {
  const service = new TunnelscopeService({ samplesDir: SAMPLES_DIR });
  // Several files (or a folder) are several hosts' captures, read as one as the CLI's commands read them.
  if (options.files.length > 0) {
    try {
      service.open(...options.files);
    } catch (err) {
      console.error(`tunnelscope: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
  const server = await startHttpServer(service, RENDERER_DIR, options.port);
  console.log(
    `${why}\nTunnelscope is serving its UI at ${server.url}\nOpen that address in a browser on this machine; it carries this launch's secret, without which the service refuses every call. Press Ctrl+C to stop.`,
  );
  let stopping = false;
  const stop = (): void => {
    // A second Ctrl+C, or a close that hangs, still ends the process: it must never outlive `npm start`.
    if (stopping) process.exit(process.exitCode ?? 0);
    stopping = true;
    setTimeout(() => process.exit(process.exitCode ?? 0), STOP_GRACE_MS).unref();
    void service
      .closeAll()
      .catch(() => undefined)
      .then(() => server.close())
      .finally(() => process.exit(process.exitCode ?? 0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  stopWhenOrphaned(stop);
}

/**
 * `npm start` runs this file through a shell that does not pass SIGTERM on: when npm is stopped the
 * shell dies and this process is re-parented. Noticing that is the one signal that always arrives.
 */
function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, ORPHAN_CHECK_MS).unref();
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const binary = options.browser ? null : electronBinary();
  if (binary === null) {
    const why = options.browser ? 'Browser mode (--browser).' : 'Electron is not installed (the electron package has no binary here), so there is no desktop window.';
    serveInBrowser(options, why).catch((err: Error) => {
      console.error(`tunnelscope: cannot start the local server: ${err.message}`);
      process.exit(1);
    });
    return;
  }
  const child = spawn(binary, [path.join(__dirname, 'main.js'), ...options.files.map((f) => path.resolve(f))], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  const stopChild = (): void => void child.kill('SIGTERM');
  process.on('SIGINT', stopChild);
  process.on('SIGTERM', stopChild);
  stopWhenOrphaned(stopChild);
}

main();
