// Overlay encapsulations: GRE (RFC 2784/2890), NVGRE (RFC 7637), VXLAN (RFC 7348), Geneve (RFC 8926),
// each as a header builder and as a whole underlay frame around an inner packet:
//   vxlan({ outer: { srcMac, dstMac, srcIp: '192.168.100.1', dstIp: '239.1.1.1' }, vni: 101, inner })
import { IpInput, MacInput, concatBytes, internetChecksum, isIpv6, writeU16, writeU32 } from './bytes';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_TEB, VlanTag, ethernet } from './ethernet';
import { IP_PROTO_GRE, IpPayload, ipv4, ipv6 } from './ip';
import { udp } from './transport';

export const VXLAN_PORT = 4789;
export const VXLAN_LINUX_PORT = 8472;
export const GENEVE_PORT = 6081;

export const GRE_FLAG_CHECKSUM = 0x8000;
export const GRE_FLAG_KEY = 0x2000;
export const GRE_FLAG_SEQUENCE = 0x1000;

export interface GreOptions {
  /** 0x0800 IPv4, 0x86DD IPv6, 0x6558 Ethernet (transparent bridging)... */
  protocolType: number;
  payload: Uint8Array;
  /** Present = K flag set. */
  key?: number;
  /** Present = S flag set. */
  sequence?: number;
  /** C flag: add a checksum over the GRE header and payload. */
  checksum?: boolean;
}

/** A GRE packet (header + payload), the payload of an IP packet with protocol 47. */
export function gre(options: GreOptions): IpPayload {
  return { protocol: IP_PROTO_GRE, encode: () => greBytes(options) };
}

export function greBytes(options: GreOptions): Uint8Array {
  const hasKey = options.key !== undefined;
  const hasSequence = options.sequence !== undefined;
  const headerBytes = 4 + (options.checksum ? 4 : 0) + (hasKey ? 4 : 0) + (hasSequence ? 4 : 0);
  const packet = new Uint8Array(headerBytes + options.payload.length);
  const flags = (options.checksum ? GRE_FLAG_CHECKSUM : 0) | (hasKey ? GRE_FLAG_KEY : 0) | (hasSequence ? GRE_FLAG_SEQUENCE : 0);
  writeU16(packet, 0, flags); // version 0
  writeU16(packet, 2, options.protocolType);
  let offset = 4;
  const checksumOffset = offset;
  if (options.checksum) offset += 4;
  if (hasKey) {
    writeU32(packet, offset, options.key! >>> 0);
    offset += 4;
  }
  if (hasSequence) writeU32(packet, offset, options.sequence! >>> 0);
  packet.set(options.payload, headerBytes);
  if (options.checksum) writeU16(packet, checksumOffset, internetChecksum(packet));
  return packet;
}

/** NVGRE key: the 24-bit Virtual Subnet ID and the 8-bit FlowID. */
export function nvgreKey(vsid: number, flowId = 0): number {
  return ((vsid & 0xffffff) * 256 + (flowId & 0xff)) >>> 0;
}

export interface VxlanHeaderOptions {
  vni: number;
  /** The I flag (0x08) that says the VNI is valid; default true. false makes a malformed header. */
  iFlag?: boolean;
}

export function vxlanHeader(options: VxlanHeaderOptions): Uint8Array {
  const header = new Uint8Array(8);
  header[0] = options.iFlag === false ? 0 : 0x08;
  writeU32(header, 4, (options.vni & 0xffffff) << 8);
  return header;
}

export interface GeneveOption {
  optionClass: number;
  type: number;
  /** Length must be a multiple of 4, at most 124. */
  data: Uint8Array;
}

export interface GeneveHeaderOptions {
  vni: number;
  options?: readonly GeneveOption[];
  /** Default 0x6558 (an Ethernet frame). */
  protocolType?: number;
  oam?: boolean;
  critical?: boolean;
}

export function geneveHeader(options: GeneveHeaderOptions): Uint8Array {
  const tlvs = (options.options ?? []).map((option) => {
    if (option.data.length % 4 !== 0 || option.data.length > 124) {
      throw new Error(`Geneve option data of ${option.data.length} bytes is not a multiple of 4 up to 124`);
    }
    const tlv = new Uint8Array(4 + option.data.length);
    writeU16(tlv, 0, option.optionClass);
    tlv[2] = option.type;
    tlv[3] = option.data.length / 4;
    tlv.set(option.data, 4);
    return tlv;
  });
  const optionBytes = concatBytes(tlvs);
  const header = new Uint8Array(8 + optionBytes.length);
  header[0] = optionBytes.length / 4; // version 0, option length in 4-byte words
  header[1] = (options.oam ? 0x80 : 0) | (options.critical ? 0x40 : 0);
  writeU16(header, 2, options.protocolType ?? ETHERTYPE_TEB);
  writeU32(header, 4, (options.vni & 0xffffff) << 8);
  header.set(optionBytes, 8);
  return header;
}

/** The underlay path of an encapsulated frame: outer Ethernet and IP (v4 or v6 by the addresses). */
export interface Underlay {
  srcMac: MacInput;
  dstMac: MacInput;
  srcIp: IpInput;
  dstIp: IpInput;
  ttl?: number;
  ipId?: number;
  dontFragment?: boolean;
  vlans?: readonly VlanTag[];
}

/** An outer Ethernet + IP frame around any IP payload. */
export function underlayFrame(outer: Underlay, payload: IpPayload): Uint8Array {
  const v6 = isIpv6(outer.srcIp);
  const packet = v6
    ? ipv6({ src: outer.srcIp, dst: outer.dstIp, hopLimit: outer.ttl, payload })
    : ipv4({ src: outer.srcIp, dst: outer.dstIp, ttl: outer.ttl, id: outer.ipId, dontFragment: outer.dontFragment, payload });
  return ethernet({
    dst: outer.dstMac,
    src: outer.srcMac,
    vlans: outer.vlans,
    etherType: v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4,
    payload: packet,
  });
}

export interface GreFrameOptions extends GreOptions {
  outer: Underlay;
}

export function greFrame(options: GreFrameOptions): Uint8Array {
  return underlayFrame(options.outer, gre(options));
}

export interface NvgreFrameOptions {
  outer: Underlay;
  vsid: number;
  flowId?: number;
  /** The inner Ethernet frame. */
  inner: Uint8Array;
}

export function nvgre(options: NvgreFrameOptions): Uint8Array {
  return greFrame({
    outer: options.outer,
    protocolType: ETHERTYPE_TEB,
    key: nvgreKey(options.vsid, options.flowId),
    payload: options.inner,
  });
}

export interface UdpTunnelOptions {
  outer: Underlay;
  /** The inner Ethernet frame. */
  inner: Uint8Array;
  /** Default: a port in 49152-65535 derived from the inner frame (flow entropy, like a kernel). */
  srcPort?: number;
  dstPort?: number;
  /** Outer UDP checksum; default false (0), as Linux sends VXLAN/Geneve over IPv4. */
  udpChecksum?: boolean;
}

export interface VxlanFrameOptions extends UdpTunnelOptions, VxlanHeaderOptions {}

export function vxlan(options: VxlanFrameOptions): Uint8Array {
  return udpTunnel(options, vxlanHeader(options), VXLAN_PORT);
}

export interface GeneveFrameOptions extends UdpTunnelOptions, GeneveHeaderOptions {}

export function geneve(options: GeneveFrameOptions): Uint8Array {
  return udpTunnel(options, geneveHeader(options), GENEVE_PORT);
}

function udpTunnel(options: UdpTunnelOptions, header: Uint8Array, defaultPort: number): Uint8Array {
  return underlayFrame(
    options.outer,
    udp({
      srcPort: options.srcPort ?? entropyPort(options.inner),
      dstPort: options.dstPort ?? defaultPort,
      payload: concatBytes([header, options.inner]),
      checksum: options.udpChecksum ?? isIpv6(options.outer.srcIp), // IPv6 requires a UDP checksum
    }),
  );
}

/** A deterministic source port from the inner Ethernet addresses (FNV-1a), in the ephemeral range. */
export function entropyPort(inner: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < Math.min(12, inner.length); i++) hash = Math.imul(hash ^ inner[i], 0x01000193) >>> 0;
  return 49152 + (hash % 16384);
}
