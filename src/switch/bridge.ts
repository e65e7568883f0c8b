// The bridge a flow table runs on: its ports (OpenFlow numbers, names, VM or tunnel ports with their
// remote_ip and key) and the host's own VTEP address. Read from a small JSON file, or from pasted
// `ovs-vsctl show` output followed by `ovs-ofctl show BRIDGE` output (which supplies the OpenFlow port
// numbers that `ovs-vsctl show` leaves out).
import { OFPP_LOCAL, parseIpv4, SyntaxProblem } from './values';

export type PortType = 'vm' | 'internal' | 'patch' | 'gre' | 'vxlan' | 'geneve' | 'stt' | 'erspan';

export const TUNNEL_TYPES: ReadonlySet<PortType> = new Set<PortType>(['gre', 'vxlan', 'geneve', 'stt', 'erspan']);

export interface BridgePort {
  ofport: number;
  name: string;
  type: PortType;
  /** Tunnel ports: the far VTEP. */
  remoteIp?: string;
  /** Tunnel ports: a fixed key/VNI, or "flow" (taken from / written to tun_id). Absent = key 0. */
  key?: number | 'flow';
  /** Patch ports: the name of the port at the other end (in another bridge). */
  peer?: string;
  /** NORMAL's VLAN configuration (`tag`, `trunks`, `vlan_mode` of the Port record); absent = trunk of every VLAN. */
  vlan?: PortVlan;
}

export type VlanMode = 'access' | 'trunk' | 'native-tagged' | 'native-untagged';

export interface PortVlan {
  mode: VlanMode;
  /** The access or native VLAN (`tag`). */
  tag?: number;
  /** VLANs a trunk carries; absent = every VLAN. */
  trunks?: number[];
}

export interface Bridge {
  name: string;
  /** This host's tunnel endpoint address (outer source of what it encapsulates). */
  localVtep?: string;
  ports: BridgePort[];
  /** Ports known only by the names a dump used (no description given): other port numbers may exist. */
  partial?: boolean;
  /**
   * `ports` is in the order the ports were added (which fixes Open vSwitch's flood order). Pasted
   * `ovs-vsctl show` output does not tell it: the order is then assumed (the bridge's own port first,
   * then by OpenFlow number, as when ports are added one at a time and numbered automatically).
   */
  addOrderAssumed?: boolean;
}

export class BridgeError extends Error {}

export function isTunnel(port: BridgePort): boolean {
  return TUNNEL_TYPES.has(port.type);
}

export function portByNumber(bridge: Bridge, ofport: number): BridgePort | undefined {
  return bridge.ports.find((p) => p.ofport === ofport);
}

export function portByName(bridge: Bridge, name: string): BridgePort | undefined {
  return bridge.ports.find((p) => p.name === name);
}

/** The tunnel port a frame from `remoteIp` arrives on (with `key` when the port's key is fixed). */
export function tunnelPortFor(bridge: Bridge, remoteIp: string, key: number, type?: PortType): BridgePort | undefined {
  const candidates = bridge.ports.filter((p) => isTunnel(p) && p.remoteIp === remoteIp && (!type || p.type === type || (type === 'gre' && p.type === 'erspan')));
  return candidates.find((p) => p.key === key) ?? candidates.find((p) => p.key === 'flow' || p.key === undefined);
}

function normaliseType(type: string | undefined): PortType {
  switch ((type ?? '').toLowerCase()) {
    case '':
    case 'vm':
    case 'system':
    case 'dummy':
    case 'tap':
    case 'afxdp':
    case 'dpdk':
    case 'dpdkvhostuser':
    case 'dpdkvhostuserclient':
      return 'vm';
    case 'internal':
    case 'dummy-internal':
      return 'internal';
    case 'patch':
      return 'patch';
    case 'gre':
    case 'ip6gre':
    case 'ipsec_gre':
      return 'gre';
    case 'vxlan':
      return 'vxlan';
    case 'geneve':
      return 'geneve';
    case 'stt':
      return 'stt';
    case 'erspan':
    case 'ip6erspan':
      return 'erspan';
    default:
      throw new BridgeError(`unknown port type '${type}'`);
  }
}

function parseKey(value: unknown, where: string): number | 'flow' | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'flow') return 'flow';
  const text = String(value);
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new BridgeError(`${where}: key '${text}' is not a number or "flow"`);
  return Number(BigInt(text));
}

/**
 * A port's VLAN configuration as Open vSwitch's bridge reads it: without vlan_mode, a tag makes an
 * access port (trunks are then ignored) and no tag a trunk; native modes always carry their native
 * VLAN and never VLAN 0 tagged.
 */
export function portVlan(tag: number | undefined, trunks: number[] | undefined, mode: string | undefined, where: string): PortVlan | undefined {
  for (const v of [tag, ...(trunks ?? [])]) if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 4095)) throw new BridgeError(`${where}: VLAN ${v} is not 0-4095`);
  if (mode !== undefined && !['access', 'trunk', 'native-tagged', 'native-untagged'].includes(mode)) throw new BridgeError(`${where}: vlan_mode '${mode}' is not access, trunk, native-tagged or native-untagged`);
  const resolved = (mode as VlanMode | undefined) ?? (tag !== undefined ? 'access' : 'trunk');
  if (resolved === 'trunk') return trunks && trunks.length > 0 ? { mode: 'trunk', trunks } : undefined;
  if (resolved === 'access') return { mode: 'access', tag: tag ?? 0 };
  const native = tag ?? 0;
  const carried = trunks && trunks.length > 0 ? [...new Set([...trunks.filter((v) => v !== 0), native])] : undefined;
  return { mode: resolved, tag: native, ...(carried ? { trunks: carried } : {}) };
}

function vlanList(value: unknown, where: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : String(value).replace(/[[\]]/g, '').split(/[\s,]+/).filter((t) => t !== '');
  return list.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new BridgeError(`${where}: trunk VLAN '${String(v)}' is not a number`);
    return n;
  });
}

function checkIp(ip: unknown, where: string): string | undefined {
  if (ip === undefined || ip === null) return undefined;
  try {
    parseIpv4(String(ip), where);
  } catch (e) {
    if (e instanceof SyntaxProblem) throw new BridgeError(`${where}: '${String(ip)}' is not an IPv4 address`);
    throw e;
  }
  return String(ip);
}

function validate(bridge: Bridge): Bridge {
  const seen = new Set<number>();
  for (const p of bridge.ports) {
    if (!Number.isInteger(p.ofport) || p.ofport < 1 || (p.ofport > 0xff00 && p.ofport !== OFPP_LOCAL)) {
      throw new BridgeError(`port '${p.name}': ofport ${p.ofport} is not a valid OpenFlow port number`);
    }
    if (seen.has(p.ofport)) throw new BridgeError(`ofport ${p.ofport} is used by two ports`);
    seen.add(p.ofport);
    if (isTunnel(p) && !p.remoteIp) throw new BridgeError(`tunnel port '${p.name}' has no remote_ip`);
  }
  return bridge;
}

/**
 * Reads the JSON form: `{"name": "br1", "localVtep": "172.16.0.1", "ports": [{"ofport": 1, "name": "vm-side", "type": "vm"}, ...]}`,
 * or several bridges: `{"localVtep": "...", "bridges": [{"name": "br-int", "ports": [...]}, ...]}`.
 */
export function parseBridgesJson(text: string): Bridge[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BridgeError(`not valid JSON: ${(e as Error).message}`);
  }
  const all = data as { bridges?: unknown; localVtep?: unknown; local_ip?: unknown };
  if (typeof data === 'object' && data !== null && Array.isArray(all.bridges)) {
    const bridges = all.bridges.map((b, i) => {
      if (typeof b !== 'object' || b === null) throw new BridgeError(`bridges[${i}] is not an object`);
      return bridgeFromJson({ localVtep: all.localVtep ?? all.local_ip, ...(b as object) });
    });
    return checkPeers(bridges);
  }
  return [bridgeFromJson(data)];
}

export function parseBridgeJson(text: string): Bridge {
  return parseBridgesJson(text)[0];
}

function bridgeFromJson(data: unknown): Bridge {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { ports?: unknown }).ports)) {
    throw new BridgeError('expected an object with a "ports" array (or a "bridges" array of them)');
  }
  const obj = data as { name?: unknown; localVtep?: unknown; local_ip?: unknown; ports: unknown[] };
  const ports = obj.ports.map((raw, i): BridgePort => {
    if (typeof raw !== 'object' || raw === null) throw new BridgeError(`ports[${i}] is not an object`);
    const p = raw as Record<string, unknown>;
    const where = `ports[${i}]`;
    const ofport = Number(p.ofport ?? p.ofport_request);
    const name = String(p.name ?? `port${ofport}`);
    const type = normaliseType(p.type === undefined ? undefined : String(p.type));
    const remoteIp = checkIp(p.remoteIp ?? p.remote_ip, `${where} remote_ip`);
    const key = parseKey(p.key, where);
    const peer = p.peer === undefined ? undefined : String(p.peer);
    if (type === 'patch' && !peer) throw new BridgeError(`${where}: patch port '${name}' has no "peer"`);
    const tag = p.tag === undefined || p.tag === null ? undefined : Number(p.tag);
    const mode = p.vlanMode ?? p.vlan_mode;
    const vlan = portVlan(tag, vlanList(p.trunks, where), mode === undefined ? undefined : String(mode), `${where} '${name}'`);
    return { ofport, name, type, ...(remoteIp ? { remoteIp } : {}), ...(key !== undefined ? { key } : {}), ...(peer ? { peer } : {}), ...(vlan ? { vlan } : {}) };
  });
  const localVtep = checkIp(obj.localVtep ?? obj.local_ip, 'localVtep');
  return validate({ name: String(obj.name ?? 'br0'), ...(localVtep ? { localVtep } : {}), ports });
}

function parseOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  const re = /([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|[^,}]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) options.set(m[1], m[2].replace(/^"|"$/g, '').trim());
  return options;
}

/**
 * Reads `ovs-vsctl show` output, optionally followed by `ovs-ofctl show BRIDGE` output. The OpenFlow
 * numbers come from the `ovs-ofctl show` lines (` 2(gre2): addr:...`) or an `ofport_request` in the
 * pasted options; without either the port cannot be used, so it is an error naming the port.
 * With several bridges, the one that has tunnel ports is taken (or `bridgeName`).
 */
export function parseVsctlShow(text: string, bridgeName?: string): Bridge {
  const bridges = parseVsctlShowAll(text);
  const bridge =
    (bridgeName ? bridges.find((b) => b.name === bridgeName) : undefined) ??
    bridges.find((b) => b.ports.some((p) => isTunnel(p))) ??
    bridges[0];
  if (bridgeName && bridge.name !== bridgeName) throw new BridgeError(`no bridge named '${bridgeName}'`);
  return requireNumbered(bridge);
}

/** Every bridge of `ovs-vsctl show` (+ `ovs-ofctl show` of each) output, with patch ports and their peers. */
export function parseVsctlShowAll(text: string): Bridge[] {
  interface RawPort { name: string; type?: string; options: Map<string, string>; tag?: number; trunks?: number[]; vlanMode?: string }
  const bridges: { name: string; ports: RawPort[] }[] = [];
  const ofports = new Map<string, number>();
  let currentPort: RawPort | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Bridge\s+"?([^"\s]+)"?/.exec(line))) {
      bridges.push({ name: m[1], ports: [] });
      currentPort = null;
    } else if ((m = /^Port\s+"?([^"\s]+)"?/.exec(line)) && bridges.length > 0) {
      currentPort = { name: m[1], options: new Map() };
      bridges[bridges.length - 1].ports.push(currentPort);
    } else if ((m = /^Interface\s+"?([^"\s]+)"?/.exec(line)) && currentPort) {
      currentPort.name = m[1];
    } else if ((m = /^tag:\s*(\d+)/.exec(line)) && currentPort) {
      currentPort.tag = Number(m[1]);
    } else if ((m = /^trunks:\s*(\[.*\]|[\d, ]+)/.exec(line)) && currentPort) {
      currentPort.trunks = vlanList(m[1], `port ${currentPort.name}`);
    } else if ((m = /^vlan_mode:\s*"?([\w-]+)"?/.exec(line)) && currentPort) {
      currentPort.vlanMode = m[1];
    } else if ((m = /^type:\s*(\S+)/.exec(line)) && currentPort) {
      currentPort.type = m[1];
    } else if ((m = /^options:\s*\{(.*)\}/.exec(line)) && currentPort) {
      for (const [k, v] of parseOptions(m[1])) currentPort.options.set(k, v);
    } else if ((m = /^(\d+|LOCAL)\(([^)]+)\):/.exec(line))) {
      ofports.set(m[2], m[1] === 'LOCAL' ? OFPP_LOCAL : Number(m[1]));
    }
  }
  if (bridges.length === 0) throw new BridgeError('no "Bridge" section found (expected `ovs-vsctl show` output)');
  const result: Bridge[] = [];
  for (const bridge of bridges) {
    let localVtep: string | undefined;
    const ports: BridgePort[] = [];
    const problems: string[] = [];
    for (const raw of bridge.ports) {
      const type = normaliseType(raw.type);
      // The bridge's own internal port is LOCAL (65534) in OpenFlow.
      const ofport = ofports.get(raw.name) ?? (raw.options.has('ofport_request') ? Number(raw.options.get('ofport_request')) : raw.name === bridge.name && type === 'internal' ? OFPP_LOCAL : undefined);
      if (ofport === undefined) {
        problems.push(raw.name);
        continue;
      }
      const remoteIp = checkIp(raw.options.get('remote_ip'), `port ${raw.name} remote_ip`);
      const key = parseKey(raw.options.get('key') ?? raw.options.get('out_key'), `port ${raw.name}`);
      const peer = type === 'patch' ? raw.options.get('peer') : undefined;
      localVtep ??= checkIp(raw.options.get('local_ip'), `port ${raw.name} local_ip`);
      const vlan = portVlan(raw.tag, raw.trunks, raw.vlanMode, `port ${raw.name}`);
      ports.push({ ofport, name: raw.name, type, ...(remoteIp ? { remoteIp } : {}), ...(key !== undefined ? { key } : {}), ...(peer ? { peer } : {}), ...(vlan ? { vlan } : {}) });
    }
    // `ovs-vsctl show` lists ports in no meaningful order: assume the add order (see Bridge.addOrderAssumed).
    ports.sort((a, b) => (a.ofport === OFPP_LOCAL ? -1 : b.ofport === OFPP_LOCAL ? 1 : a.ofport - b.ofport));
    result.push(Object.assign(validate({ name: bridge.name, ...(localVtep ? { localVtep } : {}), ports, addOrderAssumed: true }), problems.length > 0 ? { unnumbered: problems } : {}));
  }
  const vtep = result.find((b) => b.localVtep)?.localVtep;
  for (const b of result) if (vtep && !b.localVtep) b.localVtep = vtep;
  return result;
}

/** A bridge whose ports could not all be numbered: using it is an error naming them. */
export function requireNumbered(bridge: Bridge): Bridge {
  const missing = (bridge as Bridge & { unnumbered?: string[] }).unnumbered;
  if (missing && missing.length > 0) throw new BridgeError(`port '${missing[0]}' has no OpenFlow number: append the output of \`ovs-ofctl show ${bridge.name}\``);
  return bridge;
}

function checkPeers(bridges: Bridge[]): Bridge[] {
  const names = new Set(bridges.flatMap((b) => b.ports.map((p) => p.name)));
  for (const b of bridges) for (const p of b.ports) if (p.peer && !names.has(p.peer)) throw new BridgeError(`patch port '${p.name}' of ${b.name}: its peer '${p.peer}' is in no bridge described`);
  return bridges;
}

/** Every bridge described (JSON, or `ovs-vsctl show` output), told apart by the first character. */
export function parseBridges(text: string): Bridge[] {
  return text.trimStart().startsWith('{') ? parseBridgesJson(text) : parseVsctlShowAll(text);
}

/** The bridge and port at the other end of a patch port, among `bridges`. */
export function patchPeer(bridges: readonly Bridge[], port: BridgePort): { bridge: Bridge; port: BridgePort } | undefined {
  if (port.type !== 'patch' || !port.peer) return undefined;
  for (const bridge of bridges) {
    const peer = portByName(bridge, port.peer);
    if (peer) return { bridge, port: peer };
  }
  return undefined;
}

/** Reads either form, telling them apart by the first character (several bridges: the one with tunnel ports). */
export function parseBridge(text: string): Bridge {
  return text.trimStart().startsWith('{') ? parseBridgeJson(text) : parseVsctlShow(text);
}
