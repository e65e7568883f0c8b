// Starts a private, user-space Open vSwitch (ovsdb-server + ovs-vswitchd with dummy datapath, no kernel
// module) in a temporary directory, and stops it by pidfile.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const PROGRAMS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'];

function which(program: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${program} || test -x /usr/sbin/${program}`], { encoding: 'utf8' });
  return r.status === 0;
}

/** Why a real Open vSwitch cannot run here, or null when it can. */
export function ovsMissing(): string | null {
  const missing = PROGRAMS.filter((p) => !which(p));
  if (missing.length > 0) return `Open vSwitch not installed (missing ${missing.join(', ')}); run scripts/install-test-peers.sh`;
  if (!existsSync(SCHEMA)) return `Open vSwitch schema ${SCHEMA} not found`;
  return null;
}

export interface OvsInstance {
  dir: string;
  vsctl(args: string[]): string;
  ofctl(args: string[], input?: string): string;
  appctl(args: string[]): string;
  stop(): void;
}

function sbin(program: string): string {
  return existsSync(`/usr/sbin/${program}`) ? `/usr/sbin/${program}` : program;
}

export function startOvs(): OvsInstance {
  const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-ovs-'));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir, OVS_SYSCONFDIR: dir, OVS_PKGDATADIR: '/usr/share/openvswitch' };
  const run = (program: string, args: string[], input?: string): string =>
    execFileSync(sbin(program), args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 20000 });
  const db = `unix:${join(dir, 'db.sock')}`;
  const pidfiles = [join(dir, 'ovs-vswitchd.pid'), join(dir, 'ovsdb-server.pid')];
  const stop = (): void => {
    for (const pidfile of pidfiles) {
      if (!existsSync(pidfile)) continue;
      const pid = Number(readFileSync(pidfile, 'utf8').trim());
      if (!pid) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        spawnSync('sleep', ['0.05']);
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA]);
    run('ovsdb-server', [
      `--remote=p${db}`,
      `--pidfile=${pidfiles[1]}`,
      `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`,
      '--detach',
      join(dir, 'conf.db'),
    ]);
    run('ovs-vsctl', [`--db=${db}`, '--no-wait', 'init']);
    run('ovs-vswitchd', [
      db,
      '--enable-dummy=override',
      `--pidfile=${pidfiles[0]}`,
      `--unixctl=${join(dir, 'ovs-vswitchd.ctl')}`,
      `--log-file=${join(dir, 'ovs-vswitchd.log')}`,
      '-vconsole:off',
      '--detach',
    ]);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    dir,
    vsctl: (args) => run('ovs-vsctl', [`--db=${db}`, '--timeout=20', ...args]),
    ofctl: (args, input) => run('ovs-ofctl', args, input),
    appctl: (args) => run('ovs-appctl', ['-t', join(dir, 'ovs-vswitchd.ctl'), ...args]),
    stop,
  };
}

/** Tables visited and the rule priority in each (null = "No match."), from ofproto/trace text. */
export function ovsTraceSteps(text: string): { table: number; priority: number | null }[] {
  const steps: { table: number; priority: number | null }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\. (.*)$/.exec(line);
    if (!m) continue;
    if (m[2].startsWith('No match')) steps.push({ table: Number(m[1]), priority: null });
    else {
      const p = /priority (\d+)/.exec(m[2]);
      if (p) steps.push({ table: Number(m[1]), priority: Number(p[1]) });
    }
  }
  return steps;
}

/** Splits on commas outside parentheses. */
export function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Outputs from the "Datapath actions:" line: each port number with the outer VLAN on the wire,
 * replaying push_vlan/pop_vlan from the microflow's initial VLAN stack.
 */
export function ovsDatapathOutputs(text: string, initialVlans: number[]): { outputs: { port: number; vlan: number | null }[]; failed: boolean } {
  const line = text.split('\n').find((l) => l.startsWith('Datapath actions:')) ?? 'Datapath actions: drop';
  const actions = line.slice('Datapath actions:'.length).trim();
  const stack = [...initialVlans];
  const outputs: { port: number; vlan: number | null }[] = [];
  if (actions !== 'drop') {
    for (const token of splitTop(actions)) {
      const push = /^push_vlan\((?:tpid=0x[0-9a-f]+,)?vid=(\d+)/.exec(token);
      if (push) stack.unshift(Number(push[1]));
      else if (token === 'pop_vlan') stack.shift();
      else if (/^\d+$/.test(token)) outputs.push({ port: Number(token), vlan: stack.length > 0 ? stack[0] : null });
    }
  }
  return { outputs, failed: /Translation failed/.test(text) };
}

/**
 * One `ovs-ofctl dump-flows` line in the emulator's --dump-table form:
 * `priority=1,<match>,cookie=..,idle_timeout=..,hard_timeout=..,actions=...` (statistics dropped).
 */
export function normaliseDumpFlow(line: string): string | null {
  const at = line.indexOf(' actions=');
  if (at < 0) return null;
  const head = line.slice(0, at).trim();
  const actions = line.slice(at + ' actions='.length).trim();
  const fields = head.split(', ');
  let cookie = '';
  let idle = '';
  let hard = '';
  let match = '';
  for (const f of fields) {
    const [key, value] = f.split('=');
    if (key === 'cookie') cookie = value === '0x0' ? '' : `cookie=${value}`;
    else if (key === 'idle_timeout') idle = f;
    else if (key === 'hard_timeout') hard = f;
    else if (['duration', 'table', 'n_packets', 'n_bytes', 'idle_age', 'hard_age', 'reset_counts'].includes(key)) continue;
    else match = f;
  }
  return [match, cookie, idle, hard, `actions=${actions}`].filter((s) => s !== '').join(',');
}

/** Small deterministic generator so a failure reproduces. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export interface OvsPort {
  name: string;
  ofport: number;
  /** Interface type (default dummy). */
  type?: string;
  /** Interface options, e.g. ['remote_ip=172.16.1.10', 'key=flow']. */
  options?: string[];
  /** Port columns, e.g. ['tag=10'] or ['trunks=10,20']. */
  port?: string[];
}

/**
 * Adds a user-space bridge (fail-mode secure), then its ports one transaction each in the order
 * given: Open vSwitch floods in the order ports were added, and only ports added separately get a
 * deterministic order (ports added in one transaction are ordered by a hash of memory addresses).
 */
export function addBridge(ovs: OvsInstance, bridge: string, ports: readonly OvsPort[]): void {
  ovs.vsctl(['add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=netdev', 'fail-mode=secure']);
  for (const p of ports) {
    ovs.vsctl([
      'add-port', bridge, p.name, ...(p.port ?? []),
      '--', 'set', 'interface', p.name, `type=${p.type ?? 'dummy'}`, `ofport_request=${p.ofport}`, ...(p.options ?? []).map((o) => `options:${o}`),
    ]);
  }
}

/** Datapath port numbers by bridge and OpenFlow port (`bridge|ofport`), from `dpif/show`. */
export function datapathPorts(ovs: OvsInstance): Map<string, number> {
  const ports = new Map<string, number>();
  let bridge = '';
  for (const line of ovs.appctl(['dpif/show']).split('\n')) {
    const b = /^ {2}(\S+):$/.exec(line);
    if (b) bridge = b[1];
    const p = /^ {4}\S+ (\d+|LOCAL)\/(\d+):/.exec(line);
    if (p) ports.set(`${bridge}|${p[1] === 'LOCAL' ? 65534 : p[1]}`, Number(p[2]));
  }
  return ports;
}

export interface OvsOutput {
  /** Datapath port number. */
  dp: number;
  /** Outer VLAN on the wire (null = untagged). */
  vlan: number | null;
}

/**
 * Outputs of every "Datapath actions:" line of an ofproto/trace, in order (the first pass, then each
 * recirculation, which starts from the VLAN stack the datapath had at its recirc()).
 */
export function ovsTraceOutputs(text: string, initialVlans: number[]): OvsOutput[] {
  const outputs: OvsOutput[] = [];
  const snapshots = new Map<string, number[]>();
  let stack = [...initialVlans];
  for (const line of text.split('\n')) {
    const resume = /^recirc\((0x[0-9a-f]+)\) - resume/.exec(line);
    if (resume) {
      stack = [...(snapshots.get(resume[1]) ?? stack)];
      continue;
    }
    if (!line.startsWith('Datapath actions:')) continue;
    const actions = line.slice('Datapath actions:'.length).trim();
    if (actions === 'drop') continue;
    for (const token of splitTop(actions)) {
      const push = /^push_vlan\((?:tpid=0x[0-9a-f]+,)?vid=(\d+)/.exec(token);
      const recirc = /^recirc\((0x[0-9a-f]+)\)/.exec(token);
      if (push) stack.unshift(Number(push[1]));
      else if (token === 'pop_vlan') stack.shift();
      else if (recirc) snapshots.set(recirc[1], [...stack]);
      else if (/^\d+$/.test(token)) outputs.push({ dp: Number(token), vlan: stack.length > 0 ? stack[0] : null });
    }
  }
  return outputs;
}
