// Literal syntax of each field type, and the normalisation of dissected values into the same
// comparable keys: numbers for uint/bool/ipv4, fixed-width lower-case hex text for ipv6/ether/bytes
// (so that string order is numeric order), plain text for strings.
import type { FieldValue } from '../dissect/fields';

/** Integer as Wireshark reads it (strtoul base 0): decimal, 0x hex, 0b binary, leading-0 octal. */
export function parseInteger(text: string): number | null {
  let negative = false;
  let body = text;
  if (body.startsWith('-')) {
    negative = true;
    body = body.slice(1);
  }
  let value: number;
  // Stryker disable next-line MethodExpression: parseInt in base 16 skips a 0x prefix itself
  if (/^0[xX][0-9A-Fa-f]+$/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[bB][01]+$/.test(body)) value = parseInt(body.slice(2), 2);
  // Stryker disable next-line MethodExpression: a leading 0 does not change an octal number
  else if (/^0[0-7]+$/.test(body)) value = parseInt(body.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(body)) value = parseInt(body, 10);
  else return null;
  if (!Number.isSafeInteger(value)) return null;
  return negative ? -value : value;
}

/** Integer or decimal fraction, for numeric fields such as frame.time_relative. */
export function parseNumber(text: string): number | null {
  const integer = parseInteger(text);
  if (integer !== null) return integer;
  if (/^-?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || /^-?\d+[eE][-+]?\d+$/.test(text)) return Number(text);
  return null;
}

/** Dotted quad to an unsigned 32-bit number. */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export interface IPv4Network {
  address: number;
  bits: number;
  /** The network address (address with host bits cleared) and mask, as unsigned numbers. */
  network: number;
  mask: number;
}

/** `10.0.0.0/8`; a plain address is a /32. Returns a string describing the problem when invalid. */
export function parseIPv4Network(text: string): IPv4Network | string {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseIPv4(addressText);
  if (address === null) return `"${addressText}" is not a valid IPv4 address`;
  let bits = 32;
  // Stryker disable next-line EqualityOperator: with the slash first the address is empty and already rejected
  if (slash >= 0) {
    const bitsText = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(bitsText) || Number(bitsText) > 32) return `"/${bitsText}" is not a valid IPv4 prefix length (0-32)`;
    bits = Number(bitsText);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { address, bits, network: (address & mask) >>> 0, mask };
}

/** IPv6 text (any compression, optional embedded IPv4) to 32 lower-case hex digits. */
export function parseIPv6(text: string): string | null {
  // Stryker disable next-line all: a quick rejection; the group parsing below rejects the same texts
  if (text.length < 2 || text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  const doubleColon = text.indexOf('::');
  // Stryker disable next-line all: a quick rejection; a second "::" leaves an empty group, which the parsing rejects
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === null) return null;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(piece)) return null;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  let groups: number[];
  if (doubleColon >= 0) {
    const head = parseGroups(text.slice(0, doubleColon));
    const tail = parseGroups(text.slice(doubleColon + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text);
    if (all === null || all.length !== 8) return null;
    groups = all;
  }
  return groups.map((g) => g.toString(16).padStart(4, '0')).join('');
}

export interface IPv6Network {
  /** 32 hex digits. */
  address: string;
  bits: number;
}

export function parseIPv6Network(text: string): IPv6Network | string {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseIPv6(addressText);
  if (address === null) return `"${addressText}" is not a valid IPv6 address`;
  let bits = 128;
  // Stryker disable next-line EqualityOperator: with the slash first the address is empty and already rejected
  if (slash >= 0) {
    const bitsText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > 128) return `"/${bitsText}" is not a valid IPv6 prefix length (0-128)`;
    bits = Number(bitsText);
  }
  return { address, bits };
}

/** True when two 32-hex-digit IPv6 keys share the first `bits` bits. */
export function ipv6PrefixMatches(key: string, network: string, bits: number): boolean {
  const nibbles = bits >> 2;
  if (key.slice(0, nibbles) !== network.slice(0, nibbles)) return false;
  const rest = bits & 3;
  // Stryker disable next-line ConditionalExpression: a shortcut; with no bits left the mask is 0 and both sides are equal
  if (rest === 0) return true;
  const mask = (0xf << (4 - rest)) & 0xf;
  return (parseInt(key[nibbles], 16) & mask) === (parseInt(network[nibbles], 16) & mask);
}

/**
 * Byte string in any of Wireshark's spellings: aa:bb:cc, aa-bb-cc, aabb.ccdd (groups of bytes
 * separated by dots), or aabbcc. Returns lower-case colon hex ("aa:bb:cc").
 */
export function parseBytes(text: string): string | null {
  let hex: string;
  if (/^[0-9A-Fa-f]{1,2}([:-][0-9A-Fa-f]{1,2})*$/.test(text)) {
    const sep = text.includes(':') ? ':' : '-';
    if (text.includes(':') && text.includes('-')) return null;
    hex = text
      .split(sep)
      .map((b) => b.padStart(2, '0'))
      .join('');
  } else if (/^([0-9A-Fa-f]{2})+(\.([0-9A-Fa-f]{2})+)*$/.test(text)) {
    hex = text.replace(/\./g, '');
  } else {
    return null;
  }
  return hex.toLowerCase().replace(/(..)(?!$)/g, '$1:');
}

/** MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff, aabbccddeeff) as lower-case colon hex. */
export function parseEther(text: string): string | null {
  const bytes = parseBytes(text);
  return bytes !== null && bytes.length === 17 ? bytes : null;
}

export function bytesToColonHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i === 0 ? '' : ':') + bytes[i].toString(16).padStart(2, '0');
  return out;
}

export function colonHexToBytes(hex: string): Uint8Array {
  if (hex === '') return new Uint8Array(0);
  return Uint8Array.from(hex.split(':'), (b) => parseInt(b, 16));
}

// ---- dissected values to keys (null: the value cannot be read as that type, so nothing matches) ----

export function uintKey(value: FieldValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = parseNumber(value);
  return n;
}

export function boolKey(value: FieldValue): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value !== 0 ? 1 : 0;
  const lower = value.toLowerCase();
  return lower === 'true' || lower === '1' ? 1 : lower === 'false' || lower === '0' ? 0 : null;
}

export function ipv4Key(value: FieldValue): number | null {
  if (typeof value === 'number') return value >>> 0;
  return typeof value === 'string' ? parseIPv4(value) : null;
}

// Capture addresses repeat a lot; remembering recent parses keeps ipv6 comparisons cheap.
const ipv6Memo = new Map<string, string | null>();

export function ipv6Key(value: FieldValue): string | null {
  if (typeof value !== 'string') return null;
  let key = ipv6Memo.get(value);
  // Stryker disable next-line ConditionalExpression: a memo; parsing again gives the same key
  if (key === undefined) {
    key = parseIPv6(value);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the memo's size bound changes memory, not answers
    if (ipv6Memo.size >= 4096) ipv6Memo.clear();
    ipv6Memo.set(value, key);
  }
  return key;
}

// Stryker disable next-line Regex: a fast path; parseEther gives canonical text back unchanged
const CANONICAL_ETHER = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function etherKey(value: FieldValue): string | null {
  if (typeof value !== 'string') return null;
  // Stryker disable next-line ConditionalExpression: a fast path; parseEther gives canonical text back unchanged
  if (CANONICAL_ETHER.test(value)) return value;
  return parseEther(value);
}

// Stryker disable next-line Regex: a fast path; parseBytes gives canonical text back unchanged
const CANONICAL_BYTES = /^[0-9a-f]{2}(:[0-9a-f]{2})*$/;

export function bytesKey(value: FieldValue): string | null {
  if (typeof value !== 'string') return null;
  if (value === '' || CANONICAL_BYTES.test(value)) return value;
  return parseBytes(value);
}

export function stringKey(value: FieldValue): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: String() of a string is the string
  return typeof value === 'string' ? value : String(value);
}
