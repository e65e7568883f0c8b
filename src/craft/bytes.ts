// Address parsing, byte concatenation and the Internet checksum (RFC 1071) used by every builder.

/** A MAC address as "fa:16:3e:00:65:01" (or with dashes), or its 6 bytes. */
export type MacInput = string | Uint8Array;
/** An IPv4 ("10.0.0.1") or IPv6 ("fe80::1") address, or its 4 or 16 bytes. */
export type IpInput = string | Uint8Array;

export function macBytes(mac: MacInput): Uint8Array {
  if (typeof mac !== 'string') return expectLength(mac, 6, 'MAC address');
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new Error(`bad MAC address ${mac}`);
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

export function ipv4Bytes(ip: IpInput): Uint8Array {
  if (typeof ip !== 'string') return expectLength(ip, 4, 'IPv4 address');
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`bad IPv4 address ${ip}`);
  }
  return Uint8Array.from(parts, Number);
}

export function ipv6Bytes(ip: IpInput): Uint8Array {
  if (typeof ip !== 'string') return expectLength(ip, 16, 'IPv6 address');
  const halves = ip.split('::');
  if (halves.length > 2) throw new Error(`bad IPv6 address ${ip}`);
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) throw new Error(`bad IPv6 address ${ip}`);
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  all.forEach((group, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new Error(`bad IPv6 address ${ip}`);
    const value = parseInt(group, 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  });
  return out;
}

/** Parses either family: a string with ':' is IPv6; bytes are judged by their length. */
export function ipBytes(ip: IpInput): Uint8Array {
  if (typeof ip === 'string') return ip.includes(':') ? ipv6Bytes(ip) : ipv4Bytes(ip);
  if (ip.length !== 4 && ip.length !== 16) throw new Error(`an IP address has 4 or 16 bytes, not ${ip.length}`);
  return ip;
}

export function isIpv6(ip: IpInput): boolean {
  return typeof ip === 'string' ? ip.includes(':') : ip.length === 16;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function writeU16(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 8) & 0xff;
  buf[offset + 1] = value & 0xff;
}

export function writeU32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 24) & 0xff;
  buf[offset + 1] = (value >>> 16) & 0xff;
  buf[offset + 2] = (value >>> 8) & 0xff;
  buf[offset + 3] = value & 0xff;
}

export function readU16(buf: Uint8Array, offset: number): number {
  return (buf[offset] << 8) | buf[offset + 1];
}

/** Adds bytes [start, end) as big-endian 16-bit words to a running one's-complement sum (not folded). */
export function sumWords(buf: Uint8Array, start = 0, end = buf.length, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

/** Folds a running sum into the 16-bit one's-complement checksum. */
export function foldChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** The Internet checksum of bytes [start, end), with an optional pre-computed partial sum. */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length, initialSum = 0): number {
  return foldChecksum(sumWords(buf, start, end, initialSum));
}

function expectLength(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) throw new Error(`${what} must have ${length} bytes, not ${bytes.length}`);
  return bytes;
}
