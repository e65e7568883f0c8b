// Parsing and printing of field values in the notations ovs-ofctl uses (MACs, dotted quads, CIDR
// prefixes, IPv6, 0x-hex and decimal integers, named ports).
import { CT_STATE_NAMES, FieldSpec, ones, TCP_FLAG_NAMES } from './fields';

/** A problem with one piece of text; the flow parser adds the line number. */
export class SyntaxProblem extends Error {}

export const OFPP_IN_PORT = 0xfff8;
export const OFPP_TABLE = 0xfff9;
export const OFPP_NORMAL = 0xfffa;
export const OFPP_FLOOD = 0xfffb;
export const OFPP_ALL = 0xfffc;
export const OFPP_CONTROLLER = 0xfffd;
export const OFPP_LOCAL = 0xfffe;
export const OFPP_NONE = 0xffff;

const PORT_NAMES: Record<string, number> = {
  in_port: OFPP_IN_PORT,
  table: OFPP_TABLE,
  normal: OFPP_NORMAL,
  flood: OFPP_FLOOD,
  all: OFPP_ALL,
  controller: OFPP_CONTROLLER,
  local: OFPP_LOCAL,
  none: OFPP_NONE,
  any: OFPP_NONE,
};

/** Resolves a port name given by the bridge description (e.g. "gre2"), or undefined. */
export type PortNameResolver = (name: string) => number | undefined;

export function parseInteger(text: string, what: string): bigint {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t) || /^[0-9]+$/.test(t)) return BigInt(t);
  throw new SyntaxProblem(`${what}: '${text}' is not a number`);
}

export function parseSmallInt(text: string, what: string, max: number): number {
  const v = parseInteger(text, what);
  if (v > BigInt(max)) throw new SyntaxProblem(`${what}: ${text} is larger than ${max}`);
  return Number(v);
}

/** A port name as dump-flows --names prints it: `"patch-int"` (quoted when it has a - or looks like a number) or bare. */
export function unquotePortName(text: string): { name: string; quoted: boolean } {
  const t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return { name: t.slice(1, -1).replace(/\\(.)/g, '$1'), quoted: true };
  return { name: t, quoted: false };
}

export function parsePort(text: string, resolve?: PortNameResolver): number {
  const { name: t, quoted } = unquotePortName(text);
  if (quoted) {
    const byName = resolve?.(t);
    if (byName !== undefined) return byName;
    throw new SyntaxProblem(`port "${t}" is not in the bridge description: give --bridge with \`ovs-vsctl show\` and \`ovs-ofctl show BRIDGE\` output that lists it`);
  }
  const named = PORT_NAMES[t.toLowerCase()];
  if (named !== undefined) return named;
  if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) {
    const v = Number(BigInt(t));
    if (v > 0xffffffff) throw new SyntaxProblem(`port '${text}' is out of range`);
    return v;
  }
  const byName = resolve?.(t);
  if (byName !== undefined) return byName;
  throw new SyntaxProblem(`'${text}' is not a port number${resolve ? ' or a port of the bridge' : ''}`);
}

export function formatPort(port: number): string {
  switch (port) {
    case OFPP_IN_PORT: return 'IN_PORT';
    case OFPP_TABLE: return 'TABLE';
    case OFPP_NORMAL: return 'NORMAL';
    case OFPP_FLOOD: return 'FLOOD';
    case OFPP_ALL: return 'ALL';
    case OFPP_CONTROLLER: return 'CONTROLLER';
    case OFPP_LOCAL: return 'LOCAL';
    case OFPP_NONE: return 'NONE';
    default: return String(port);
  }
}

export function parseMac(text: string, what: string): bigint {
  const m = /^([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2})$/i.exec(text.trim());
  if (!m) throw new SyntaxProblem(`${what}: '${text}' is not an Ethernet address`);
  let v = 0n;
  for (let i = 1; i <= 6; i++) v = (v << 8n) | BigInt(parseInt(m[i], 16));
  return v;
}

export function formatMac(v: bigint): string {
  const parts: string[] = [];
  for (let i = 5; i >= 0; i--) parts.push(Number((v >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function parseIpv4(text: string, what: string): bigint {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new SyntaxProblem(`${what}: '${text}' is not an IPv4 address`);
  return m.slice(1).reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

export function formatIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 0xffn)).join('.');
}

export function parseIpv6(text: string, what: string): bigint {
  const t = text.trim();
  const halves = t.split('::');
  if (halves.length > 2 || !/^[0-9a-f:]+$/i.test(t)) throw new SyntaxProblem(`${what}: '${text}' is not an IPv6 address`);
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) throw new SyntaxProblem(`${what}: '${text}' is not an IPv6 address`);
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new SyntaxProblem(`${what}: '${text}' is not an IPv6 address`);
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

export function formatIpv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Number of leading one bits if `mask` is a CIDR prefix of `bits`, else -1. */
export function prefixLength(mask: bigint, bits: number): number {
  for (let len = 0; len <= bits; len++) {
    if (mask === ones(bits) - ones(bits - len)) return len;
  }
  return -1;
}

/** Parses one value (no mask) of a field. */
export function parseFieldValue(field: FieldSpec, text: string, resolve?: PortNameResolver): bigint {
  switch (field.format) {
    case 'mac': return parseMac(text, field.name);
    case 'ipv4': return parseIpv4(text, field.name);
    case 'ipv6': return parseIpv6(text, field.name);
    case 'port': return BigInt(parsePort(text, resolve));
    case 'ct_state': return parseCtState(text).value;
    default: {
      const v = parseInteger(text, field.name);
      if (v > ones(field.bits)) throw new SyntaxProblem(`${field.name}: ${text} does not fit in ${field.bits} bits`);
      return v;
    }
  }
}

/**
 * Parses `value`, `value/mask` or `addr/prefix` for a field. Returns the value already ANDed with the
 * mask, as OVS stores it.
 */
export function parseMaskedValue(field: FieldSpec, text: string, resolve?: PortNameResolver): { value: bigint; mask: bigint } {
  if (field.format === 'ct_state') return parseCtState(text);
  if (field.format === 'tcp_flags' && /[+|a-z]/i.test(text.replace(/^0x[0-9a-f]+/i, ''))) return parseFlags(text, 'tcp_flags', TCP_FLAG_NAMES, 12);
  if (field.format === 'frag') return parseFrag(text);
  if (field.format === 'tun_flags' && /^[+-]|^oam$/i.test(text.trim())) return parseTunFlags(text);
  const slash = text.indexOf('/');
  if (slash < 0) return { value: parseFieldValue(field, text, resolve), mask: ones(field.bits) };
  if (!field.maskable) throw new SyntaxProblem(`${field.name} does not take a mask`);
  const value = parseFieldValue(field, text.slice(0, slash), resolve);
  const maskText = text.slice(slash + 1);
  let mask: bigint;
  if ((field.format === 'ipv4' || field.format === 'ipv6') && /^\d+$/.test(maskText)) {
    const len = Number(maskText);
    if (len > field.bits) throw new SyntaxProblem(`${field.name}: prefix /${len} is longer than ${field.bits} bits`);
    mask = ones(field.bits) - ones(field.bits - len);
  } else {
    mask = parseFieldValue(field, maskText, resolve);
  }
  return { value: value & mask, mask };
}

/**
 * ct_state: `+trk-est` (the bits named, set or clear), `trk|new` (ofproto/trace's Flow line: exactly these
 * set), or a number with an optional mask.
 */
export function parseCtState(text: string): { value: bigint; mask: bigint } {
  return parseFlags(text, 'ct_state', CT_STATE_NAMES, 32);
}

/** Flag fields (ct_state, tcp_flags): `+a-b`, `a|b` (exactly these set), or a number with an optional mask. */
function parseFlags(text: string, what: string, names: readonly string[], bits: number): { value: bigint; mask: bigint } {
  const t = text.trim();
  if (/^(0x[0-9a-f]+|\d+)(\/(0x[0-9a-f]+|\d+))?$/i.test(t)) {
    const [v, m] = t.split('/');
    const mask = m === undefined ? ones(bits) : parseInteger(m, what);
    return { value: parseInteger(v, what) & mask, mask };
  }
  const bit = (name: string): bigint => {
    const i = names.indexOf(name.toLowerCase());
    if (i < 0) throw new SyntaxProblem(`${what}: '${name}' is not one of ${names.join(', ')}`);
    return 1n << BigInt(i);
  };
  let value = 0n;
  let mask = 0n;
  if (t.includes('|') || /^[a-z]+$/i.test(t)) {
    for (const name of t.split('|')) value |= bit(name);
    return { value, mask: ones(bits) };
  }
  const re = /([+-])([a-z]+)/gi;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const b = bit(m[2]);
    mask |= b;
    if (m[1] === '+') value |= b;
    consumed += m[0].length;
  }
  if (consumed !== t.length || mask === 0n) throw new SyntaxProblem(`${what}: '${text}' is not +flag-flag... (e.g. ${what === 'ct_state' ? '+trk+est-rel' : '+syn-ack'})`);
  return { value, mask };
}

export function formatCtState(value: bigint, mask: bigint, names: readonly string[] = CT_STATE_NAMES): string {
  let out = '';
  for (let i = 0; i < 32; i++) {
    const b = 1n << BigInt(i);
    if (!(mask & b)) continue;
    const name = names[i] ?? `0x${b.toString(16)}`;
    out += `${value & b ? '+' : '-'}${name}`;
  }
  return out;
}

/** The ofproto/trace spelling of a state: `new|trk`. */
export function formatCtStateFlags(value: bigint): string {
  const names: string[] = [];
  for (let i = 0; i < CT_STATE_NAMES.length; i++) if (value & (1n << BigInt(i))) names.push(CT_STATE_NAMES[i]);
  return names.join('|');
}

const FRAG_VALUES: Record<string, [bigint, bigint]> = { no: [0n, 3n], yes: [1n, 1n], first: [1n, 3n], later: [3n, 3n], not_later: [0n, 2n] };

function parseFrag(text: string): { value: bigint; mask: bigint } {
  const v = FRAG_VALUES[text.trim().toLowerCase()];
  if (!v) throw new SyntaxProblem(`nw_frag: '${text}' is not no, yes, first, later or not_later`);
  return { value: v[0], mask: v[1] };
}

export function formatFrag(value: bigint, mask: bigint): string {
  for (const [name, [v, m]] of Object.entries(FRAG_VALUES)) if (v === value && m === mask) return name;
  return `${formatHex(value)}/${formatHex(mask)}`;
}

function parseTunFlags(text: string): { value: bigint; mask: bigint } {
  const t = text.trim().toLowerCase();
  if (t === 'oam' || t === '+oam') return { value: 1n, mask: 1n };
  if (t === '-oam') return { value: 0n, mask: 1n };
  throw new SyntaxProblem(`tun_flags: '${text}' is not +oam or -oam`);
}

/** Prints a value the way OVS prints this field kind (used by actions such as set_field). */
export function formatFieldValue(field: FieldSpec, value: bigint): string {
  switch (field.format) {
    case 'mac': return formatMac(value);
    case 'ipv4': return formatIpv4(value);
    case 'ipv6': return formatIpv6(value);
    case 'port': return formatPort(Number(value));
    case 'dec': return value.toString();
    case 'ct_state': return formatCtStateFlags(value);
    case 'frag': return formatFrag(value, 3n);
    default: return formatHex(value);
  }
}

/** OVS's "%#x": 0 prints as "0", anything else as 0x... */
export function formatHex(v: bigint): string {
  return v === 0n ? '0' : '0x' + v.toString(16);
}
