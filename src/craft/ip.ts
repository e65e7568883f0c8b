// IPv4 (header checksum, options, DF/MF/fragment offset) and IPv6 (with a hop-by-hop header).
// Their payload is either raw bytes with an explicit protocol, or an IpPayload from a transport
// builder (udp, tcp, icmp...), which is encoded with this packet's addresses so that pseudo-header
// checksums come out right.
import { IpInput, concatBytes, internetChecksum, ipv4Bytes, ipv6Bytes, sumWords, writeU16, writeU32 } from './bytes';

export const IP_PROTO_HOPOPTS = 0;
export const IP_PROTO_ICMP = 1;
export const IP_PROTO_IGMP = 2;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;
export const IP_PROTO_GRE = 47;
export const IP_PROTO_ICMPV6 = 58;

/** The addresses an upper layer needs for its pseudo-header checksum. */
export interface PseudoHeader {
  /** 4 bytes for IPv4, 16 for IPv6. */
  src: Uint8Array;
  dst: Uint8Array;
}

/** A layer carried by IP: its protocol number and how to encode it for given addresses. */
export interface IpPayload {
  protocol: number;
  encode(pseudo: PseudoHeader): Uint8Array;
}

/** The partial (unfolded) sum of the IPv4 or IPv6 pseudo header for an upper-layer checksum. */
export function pseudoHeaderSum(pseudo: PseudoHeader, protocol: number, length: number): number {
  let sum = sumWords(pseudo.src) + sumWords(pseudo.dst) + protocol;
  sum += pseudo.src.length === 16 ? Math.floor(length / 65536) + (length & 0xffff) : length;
  return sum;
}

/** Router Alert (RFC 2113), required on IGMP reports. */
export const IPV4_OPTION_ROUTER_ALERT = Uint8Array.of(0x94, 0x04, 0x00, 0x00);

export interface Ipv4Options {
  src: IpInput;
  dst: IpInput;
  payload: Uint8Array | IpPayload;
  /** Required when payload is raw bytes; taken from an IpPayload otherwise. */
  protocol?: number;
  ttl?: number;
  id?: number;
  tos?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** Offset of this fragment's data in bytes (a multiple of 8). */
  fragmentOffset?: number;
  /** Option bytes; zero-padded (End of Options List) to a multiple of 4. */
  options?: Uint8Array;
}

export function ipv4(options: Ipv4Options): Uint8Array {
  const src = ipv4Bytes(options.src);
  const dst = ipv4Bytes(options.dst);
  const { protocol, bytes: payload } = encodePayload(options.payload, options.protocol, { src, dst });
  const optionBytes = options.options ?? new Uint8Array(0);
  const headerBytes = 20 + ((optionBytes.length + 3) & ~3);
  if (headerBytes > 60) throw new Error('IPv4 options longer than 40 bytes');
  const fragmentOffset = options.fragmentOffset ?? 0;
  if (fragmentOffset % 8 !== 0) throw new Error(`fragment offset ${fragmentOffset} is not a multiple of 8`);
  const packet = new Uint8Array(headerBytes + payload.length);
  packet[0] = 0x40 | (headerBytes / 4);
  packet[1] = options.tos ?? 0;
  writeU16(packet, 2, packet.length);
  writeU16(packet, 4, options.id ?? 0);
  const flags = (options.dontFragment ? 0x4000 : 0) | (options.moreFragments ? 0x2000 : 0);
  writeU16(packet, 6, flags | (fragmentOffset / 8));
  packet[8] = options.ttl ?? 64;
  packet[9] = protocol;
  packet.set(src, 12);
  packet.set(dst, 16);
  packet.set(optionBytes, 20);
  writeU16(packet, 10, internetChecksum(packet, 0, headerBytes));
  packet.set(payload, headerBytes);
  return packet;
}

/** Recomputes an IPv4 header checksum in place (for templates whose addresses were patched). */
export function fixIpv4Checksum(buf: Uint8Array, headerOffset: number): void {
  const headerBytes = (buf[headerOffset] & 0x0f) * 4;
  writeU16(buf, headerOffset + 10, 0);
  writeU16(buf, headerOffset + 10, internetChecksum(buf, headerOffset, headerOffset + headerBytes));
}

/** IPv6 Router Alert option (RFC 2711) with value 0 = MLD, for the hop-by-hop header. */
export const IPV6_OPTION_ROUTER_ALERT_MLD = Uint8Array.of(0x05, 0x02, 0x00, 0x00);

export interface Ipv6Options {
  src: IpInput;
  dst: IpInput;
  payload: Uint8Array | IpPayload;
  /** Required when payload is raw bytes; taken from an IpPayload otherwise. */
  nextHeader?: number;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  /** Option TLVs of a hop-by-hop extension header (padded with Pad1/PadN to a multiple of 8). */
  hopByHopOptions?: Uint8Array;
}

export function ipv6(options: Ipv6Options): Uint8Array {
  const src = ipv6Bytes(options.src);
  const dst = ipv6Bytes(options.dst);
  const { protocol, bytes: upper } = encodePayload(options.payload, options.nextHeader, { src, dst });
  let firstNextHeader = protocol;
  let payload = upper;
  if (options.hopByHopOptions !== undefined) {
    payload = concatBytes([hopByHopHeader(protocol, options.hopByHopOptions), upper]);
    firstNextHeader = IP_PROTO_HOPOPTS;
  }
  const packet = new Uint8Array(40 + payload.length);
  const trafficClass = options.trafficClass ?? 0;
  writeU32(packet, 0, (6 << 28) | (trafficClass << 20) | (options.flowLabel ?? 0));
  writeU16(packet, 4, payload.length);
  packet[6] = firstNextHeader;
  packet[7] = options.hopLimit ?? 64;
  packet.set(src, 8);
  packet.set(dst, 24);
  packet.set(payload, 40);
  return packet;
}

function hopByHopHeader(nextHeader: number, optionTlvs: Uint8Array): Uint8Array {
  const unpadded = 2 + optionTlvs.length;
  const length = (unpadded + 7) & ~7;
  const header = new Uint8Array(length);
  header[0] = nextHeader;
  header[1] = length / 8 - 1;
  header.set(optionTlvs, 2);
  const padding = length - unpadded;
  if (padding === 1) header[unpadded] = 0; // Pad1
  else if (padding > 1) {
    header[unpadded] = 1; // PadN
    header[unpadded + 1] = padding - 2;
  }
  return header;
}

function encodePayload(
  payload: Uint8Array | IpPayload,
  protocol: number | undefined,
  pseudo: PseudoHeader,
): { protocol: number; bytes: Uint8Array } {
  if (payload instanceof Uint8Array) {
    if (protocol === undefined) throw new Error('raw IP payload needs an explicit protocol / next header');
    return { protocol, bytes: payload };
  }
  return { protocol: protocol ?? payload.protocol, bytes: payload.encode(pseudo) };
}
