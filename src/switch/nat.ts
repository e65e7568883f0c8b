// The arguments of ct(nat(...)) as ovs-actions(7) writes them: `src=ADDR[-ADDR][:PORT[-PORT]]` or
// `dst=...` (IPv6 addresses in brackets), optionally followed by persistent, hash or random.
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, SyntaxProblem } from './values';

export interface NatSpec {
  kind: 'src' | 'dst';
  v6: boolean;
  minAddr: bigint;
  maxAddr: bigint;
  /** Port range; absent = keep the packet's port. */
  minPort?: number;
  maxPort?: number;
  /** persistent / hash / random, kept for printing (they only steer the choice inside a range). */
  flags: string[];
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new SyntaxProblem(`nat: port '${text}' is not 0-65535`);
  return Number(text);
}

export function parseNat(text: string): NatSpec {
  const parts = text.split(',').map((p) => p.trim());
  const m = /^(src|dst)=(.*)$/.exec(parts[0] ?? '');
  if (!m) throw new SyntaxProblem(`nat(${text}): expected src=ADDRESS[-ADDRESS][:PORT[-PORT]] or dst=...`);
  const flags = parts.slice(1);
  for (const f of flags) if (!['persistent', 'hash', 'random'].includes(f)) throw new SyntaxProblem(`nat(${text}): '${f}' is not persistent, hash or random`);
  const spec = m[2];
  const v6 = spec.startsWith('[');
  let addrs: string;
  let ports: string | undefined;
  if (v6) {
    const r = /^\[([^\]]+)\](?:-\[([^\]]+)\])?(?::(.+))?$/.exec(spec);
    if (!r) throw new SyntaxProblem(`nat(${text}): cannot read the IPv6 range '${spec}'`);
    addrs = r[2] ? `${r[1]}-${r[2]}` : r[1];
    ports = r[3];
  } else {
    [addrs, ports] = spec.split(':');
  }
  const [lo, hi] = addrs.split('-');
  const parse = (a: string) => (v6 ? parseIpv6(a, 'nat address') : parseIpv4(a, 'nat address'));
  const minAddr = parse(lo);
  const maxAddr = hi === undefined ? minAddr : parse(hi);
  if (maxAddr < minAddr) throw new SyntaxProblem(`nat(${text}): the address range ends before it starts`);
  const nat: NatSpec = { kind: m[1] as 'src' | 'dst', v6, minAddr, maxAddr, flags };
  if (ports !== undefined) {
    const [plo, phi] = ports.split('-');
    nat.minPort = parsePort(plo);
    nat.maxPort = phi === undefined ? nat.minPort : parsePort(phi);
    if (nat.maxPort < nat.minPort) throw new SyntaxProblem(`nat(${text}): the port range ends before it starts`);
  }
  return nat;
}

export function formatNat(nat: NatSpec): string {
  const addr = (a: bigint) => (nat.v6 ? `[${formatIpv6(a)}]` : formatIpv4(a));
  let text = `${nat.kind}=${addr(nat.minAddr)}${nat.maxAddr !== nat.minAddr ? `-${addr(nat.maxAddr)}` : ''}`;
  if (nat.minPort !== undefined) text += `:${nat.minPort}${nat.maxPort !== nat.minPort ? `-${nat.maxPort}` : ''}`;
  return [text, ...nat.flags].join(',');
}
