// Ethernet II frames with optional 802.1Q / 802.1ad (QinQ) tags, and ARP.
import { IpInput, MacInput, concatBytes, ipv4Bytes, ipv6Bytes, macBytes, writeU16 } from './bytes';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_TEB = 0x6558;

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
const MIN_FRAME_BYTES = 60; // without the FCS

export interface VlanTag {
  vid: number;
  pcp?: number;
  dei?: boolean;
  /** 0x8100 (802.1Q, the default) or 0x88a8 (802.1ad service tag, the outer tag of QinQ). */
  tpid?: number;
}

export interface EthernetOptions {
  dst: MacInput;
  src: MacInput;
  /** Tags from the outermost inwards, e.g. [{ tpid: 0x88a8, vid: 100 }, { vid: 10 }] for QinQ. */
  vlans?: readonly VlanTag[];
  etherType: number;
  payload: Uint8Array;
  /** Pads with zeros to the 60-byte minimum, as a NIC does on the wire. Default false. */
  padToMinimum?: boolean;
}

export function ethernet(options: EthernetOptions): Uint8Array {
  const tags = options.vlans ?? [];
  const headerBytes = 14 + 4 * tags.length;
  let length = headerBytes + options.payload.length;
  if (options.padToMinimum && length < MIN_FRAME_BYTES) length = MIN_FRAME_BYTES;
  const frame = new Uint8Array(length);
  frame.set(macBytes(options.dst), 0);
  frame.set(macBytes(options.src), 6);
  let offset = 12;
  for (const tag of tags) {
    if (tag.vid < 0 || tag.vid > 4095) throw new Error(`VLAN id ${tag.vid} is outside 0-4095`);
    writeU16(frame, offset, tag.tpid ?? ETHERTYPE_VLAN);
    writeU16(frame, offset + 2, ((tag.pcp ?? 0) << 13) | (tag.dei ? 0x1000 : 0) | tag.vid);
    offset += 4;
  }
  writeU16(frame, offset, options.etherType);
  frame.set(options.payload, headerBytes);
  return frame;
}

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpOptions {
  /** ARP_REQUEST (1) or ARP_REPLY (2). */
  op: number;
  senderMac: MacInput;
  senderIp: IpInput;
  /** Default 00:00:00:00:00:00 (unknown, as in a request). */
  targetMac?: MacInput;
  targetIp: IpInput;
}

/** An Ethernet/IPv4 ARP packet (28 bytes), the payload of an ETHERTYPE_ARP frame. */
export function arp(options: ArpOptions): Uint8Array {
  const header = new Uint8Array(8);
  writeU16(header, 0, 1); // hardware type Ethernet
  writeU16(header, 2, ETHERTYPE_IPV4);
  header[4] = 6;
  header[5] = 4;
  writeU16(header, 6, options.op);
  return concatBytes([
    header,
    macBytes(options.senderMac),
    ipv4Bytes(options.senderIp),
    macBytes(options.targetMac ?? '00:00:00:00:00:00'),
    ipv4Bytes(options.targetIp),
  ]);
}

/** The Ethernet multicast MAC of an IPv4 group (01:00:5e + low 23 bits). */
export function ipv4MulticastMac(group: IpInput): Uint8Array {
  const ip = ipv4Bytes(group);
  return Uint8Array.of(0x01, 0x00, 0x5e, ip[1] & 0x7f, ip[2], ip[3]);
}

/** The Ethernet multicast MAC of an IPv6 group (33:33 + low 32 bits). */
export function ipv6MulticastMac(groupAddress: IpInput): Uint8Array {
  const group = ipv6Bytes(groupAddress);
  return Uint8Array.of(0x33, 0x33, group[12], group[13], group[14], group[15]);
}
