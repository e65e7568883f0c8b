// Two network namespaces joined by a veth pair, each with a kernel VXLAN device (VNI 42) and an
// overlay address: a tiny two-host overlay whose traffic never leaves the namespaces. Documentation
// addresses only: underlay 192.0.2.0/24, overlay 198.51.100.0/24.
import { ChildProcess, execFileSync, ExecFileSyncOptions, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI, haveProgram } from './paths';

export const VNI = 42;
export const UNDERLAY = { a: '192.0.2.1', b: '192.0.2.2' };
export const OVERLAY = { a: '198.51.100.1', b: '198.51.100.2' };

/** Why these tests cannot run here, or null when they can. */
export function netnsSkipReason(...programs: string[]): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux: skipped';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CI runs as root): skipped';
  const missing = ['ip', 'ping', ...programs].filter((p) => !haveProgram(p));
  if (missing.length > 0) return `${missing.join(', ')} not installed (CI installs iproute2, iputils-ping, tcpdump): skipped`;
  return null;
}

let created = 0;
const alive = new Set<VxlanPair>();
process.on('exit', () => {
  // Last resort when a test dies before its cleanup ran.
  for (const pair of alive) pair.destroy();
});

export class VxlanPair {
  readonly nsA: string;
  readonly nsB: string;
  readonly vethA: string;
  readonly vethB: string;

  constructor() {
    const tag = `${process.pid}-${++created}`;
    this.nsA = `ts-${tag}-a`;
    this.nsB = `ts-${tag}-b`;
    // Interface names are at most 15 characters.
    const short = `${process.pid % 100000}${created}`;
    this.vethA = `tsv${short}a`.slice(-15);
    this.vethB = `tsv${short}b`.slice(-15);
    alive.add(this);
    try {
      this.build();
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  private build(): void {
    const { nsA, nsB, vethA, vethB } = this;
    ip('netns', 'add', nsA);
    ip('netns', 'add', nsB);
    for (const ns of [nsA, nsB]) this.quietIpv6(ns);
    ip('link', 'add', vethA, 'netns', nsA, 'type', 'veth', 'peer', 'name', vethB, 'netns', nsB);
    const sides: [string, string, string, string, string][] = [
      [nsA, vethA, UNDERLAY.a, UNDERLAY.b, OVERLAY.a],
      [nsB, vethB, UNDERLAY.b, UNDERLAY.a, OVERLAY.b],
    ];
    for (const [ns, veth, local, remote, overlay] of sides) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'add', `${local}/24`, 'dev', veth);
      ip('-n', ns, 'link', 'set', veth, 'up');
      ip('-n', ns, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', String(VNI), 'local', local, 'remote', remote, 'dstport', '4789', 'dev', veth);
      ip('-n', ns, 'addr', 'add', `${overlay}/24`, 'dev', 'vx0');
      ip('-n', ns, 'link', 'set', 'vx0', 'up');
    }
  }

  /** No IPv6 in the namespaces: its neighbour discovery and MLD would make packet counts vary. */
  private quietIpv6(ns: string): void {
    for (const scope of ['all', 'default']) {
      try {
        execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', `echo 1 > /proc/sys/net/ipv6/conf/${scope}/disable_ipv6`], { stdio: 'ignore' });
      } catch {
        // a kernel without IPv6: nothing to quiet
      }
    }
  }

  /** Runs a command inside a namespace and returns its stdout. */
  exec(ns: string, command: string[], options: ExecFileSyncOptions = {}): string {
    return String(execFileSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8', timeout: 20000, ...options }));
  }

  /** Pings B's overlay address from A; returns ping's summary ("N packets transmitted, M received"). */
  ping(count: number, intervalSeconds = 0.2): { transmitted: number; received: number } {
    const out = this.exec(this.nsA, ['ping', '-n', '-q', '-c', String(count), '-i', String(intervalSeconds), '-W', '1', OVERLAY.b], {
      timeout: (count * intervalSeconds + 5) * 1000,
    });
    const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
    if (m === null) throw new Error(`unexpected ping output: ${out}`);
    return { transmitted: Number(m[1]), received: Number(m[2]) };
  }

  /** Deletes both namespaces (and with them the veth and VXLAN devices). Safe to call twice. */
  destroy(): void {
    for (const ns of [this.nsA, this.nsB]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    alive.delete(this);
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10000 });
}

export interface RunningCapture {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `tunnelscope capture ARGS` inside a namespace; resolves once it says it is capturing. */
export async function startCli(ns: string, args: string[]): Promise<RunningCapture> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, CLI, 'capture', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const hardStop = setTimeout(() => child.kill('SIGKILL'), 30000);
  void exited.then(() => clearTimeout(hardStop));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (/Capturing on/.test(err)) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`capture exited ${child.exitCode} before capturing: ${err}`));
      }
    }, 20);
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}


/** The process ids of a process's children (the capture program started by the CLI). */
/** Every process below pid (children, grandchildren...): the CLI may run its work in a child node. */
export function childPids(pid: number): number[] {
  let direct: number[];
  try {
    direct = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((p) => p !== '')
      .map(Number);
  } catch {
    return [];
  }
  return direct.flatMap((child) => [child, ...childPids(child)]);
}
