// UDP and TCP segments with pseudo-header checksums, for ipv4()/ipv6() payloads.
import { internetChecksum, writeU16, writeU32 } from './bytes';
import { IP_PROTO_TCP, IP_PROTO_UDP, IpPayload, pseudoHeaderSum } from './ip';

const EMPTY = new Uint8Array(0);

export interface UdpOptions {
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array;
  /** Compute the checksum (default true); false sends 0 = "no checksum", as VXLAN over IPv4 does. */
  checksum?: boolean;
}

export function udp(options: UdpOptions): IpPayload {
  return {
    protocol: IP_PROTO_UDP,
    encode(pseudo) {
      const payload = options.payload ?? EMPTY;
      const segment = new Uint8Array(8 + payload.length);
      writeU16(segment, 0, options.srcPort);
      writeU16(segment, 2, options.dstPort);
      writeU16(segment, 4, segment.length);
      segment.set(payload, 8);
      if (options.checksum ?? true) {
        const sum = internetChecksum(segment, 0, segment.length, pseudoHeaderSum(pseudo, IP_PROTO_UDP, segment.length));
        writeU16(segment, 6, sum === 0 ? 0xffff : sum); // 0 means "none", so a computed 0 is sent as 0xffff
      }
      return segment;
    },
  };
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export interface TcpOptions {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  /** An OR of TCP_SYN, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_URG. */
  flags: number;
  window?: number;
  /** TCP option bytes, zero-padded to a multiple of 4 (e.g. tcpMssOption(1460)). */
  options?: Uint8Array;
  payload?: Uint8Array;
}

export function tcpMssOption(mss: number): Uint8Array {
  return Uint8Array.of(2, 4, mss >> 8, mss & 0xff);
}

export function tcp(options: TcpOptions): IpPayload {
  return {
    protocol: IP_PROTO_TCP,
    encode(pseudo) {
      const payload = options.payload ?? EMPTY;
      const optionBytes = options.options ?? EMPTY;
      const headerBytes = 20 + ((optionBytes.length + 3) & ~3);
      const segment = new Uint8Array(headerBytes + payload.length);
      writeU16(segment, 0, options.srcPort);
      writeU16(segment, 2, options.dstPort);
      writeU32(segment, 4, options.seq >>> 0);
      writeU32(segment, 8, (options.ack ?? 0) >>> 0);
      segment[12] = (headerBytes / 4) << 4;
      segment[13] = options.flags;
      writeU16(segment, 14, options.window ?? 64240);
      segment.set(optionBytes, 20);
      segment.set(payload, headerBytes);
      writeU16(segment, 16, internetChecksum(segment, 0, segment.length, pseudoHeaderSum(pseudo, IP_PROTO_TCP, segment.length)));
      return segment;
    },
  };
}
