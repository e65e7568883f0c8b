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
}

export interface Bridge {
  name: string;
  /** This host's tunnel endpoint address (outer source of what it encapsulates). */
  localVtep?: string;
  ports: BridgePort[];
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

/** Reads the JSON form: `{"name": "br1", "localVtep": "172.16.0.1", "ports": [{"ofport": 1, "name": "vm-side", "type": "vm"}, ...]}`. */
export function parseBridgeJson(text: string): Bridge {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BridgeError(`not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { ports?: unknown }).ports)) {
    throw new BridgeError('expected an object with a "ports" array');
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
    return { ofport, name, type, ...(remoteIp ? { remoteIp } : {}), ...(key !== undefined ? { key } : {}) };
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
  interface RawPort { name: string; type?: string; options: Map<string, string> }
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
    } else if ((m = /^type:\s*(\S+)/.exec(line)) && currentPort) {
      currentPort.type = m[1];
    } else if ((m = /^options:\s*\{(.*)\}/.exec(line)) && currentPort) {
      for (const [k, v] of parseOptions(m[1])) currentPort.options.set(k, v);
    } else if ((m = /^(\d+|LOCAL)\(([^)]+)\):/.exec(line))) {
      ofports.set(m[2], m[1] === 'LOCAL' ? OFPP_LOCAL : Number(m[1]));
    }
  }
  if (bridges.length === 0) throw new BridgeError('no "Bridge" section found (expected `ovs-vsctl show` output)');
  const bridge =
    (bridgeName ? bridges.find((b) => b.name === bridgeName) : undefined) ??
    bridges.find((b) => b.ports.some((p) => p.type !== undefined && TUNNEL_TYPES.has(normaliseType(p.type)))) ??
    bridges[0];
  if (bridgeName && bridge.name !== bridgeName) throw new BridgeError(`no bridge named '${bridgeName}'`);
  let localVtep: string | undefined;
  const ports: BridgePort[] = [];
  for (const raw of bridge.ports) {
    const type = normaliseType(raw.type);
    // The bridge's own internal port is LOCAL (65534) in OpenFlow.
    const ofport = ofports.get(raw.name) ?? (raw.options.has('ofport_request') ? Number(raw.options.get('ofport_request')) : raw.name === bridge.name && type === 'internal' ? OFPP_LOCAL : undefined);
    if (ofport === undefined) {
      throw new BridgeError(`port '${raw.name}' has no OpenFlow number: append the output of \`ovs-ofctl show ${bridge.name}\``);
    }
    const remoteIp = checkIp(raw.options.get('remote_ip'), `port ${raw.name} remote_ip`);
    const key = parseKey(raw.options.get('key') ?? raw.options.get('out_key'), `port ${raw.name}`);
    localVtep ??= checkIp(raw.options.get('local_ip'), `port ${raw.name} local_ip`);
    ports.push({ ofport, name: raw.name, type, ...(remoteIp ? { remoteIp } : {}), ...(key !== undefined ? { key } : {}) });
  }
  ports.sort((a, b) => a.ofport - b.ofport);
  return validate({ name: bridge.name, ...(localVtep ? { localVtep } : {}), ports });
}

/** Reads either form, telling them apart by the first character. */
export function parseBridge(text: string): Bridge {
  return text.trimStart().startsWith('{') ? parseBridgeJson(text) : parseVsctlShow(text);
}
