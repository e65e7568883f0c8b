// Tenant-side frames (what a VM sends) shared by the samples: ARP, ping, TCP and UDP between VMs.
import {
  ARP_REPLY,
  ARP_REQUEST,
  BROADCAST_MAC,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  IpPayload,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  VlanTag,
  arp,
  ethernet,
  icmpEcho,
  ipv4,
  tcp,
  udp,
} from '../craft';

export interface Host {
  mac: string;
  ip: string;
}

/** The 56 bytes Linux ping sends after the ICMP header (a fixed stand-in for its timestamp + 0x10..). */
export const PING_PAYLOAD = Uint8Array.from({ length: 56 }, (_, i) => (i < 8 ? 0x65 + i : i + 8));

/** Extra fields of a tenant frame: 802.1Q tags (as seen on an OVS trunk port) and the IP id. */
export interface FrameExtras {
  vlans?: readonly VlanTag[];
  ipId?: number;
}

export function arpRequest(from: Host, targetIp: string, extras: FrameExtras = {}): Uint8Array {
  return ethernet({
    src: from.mac,
    dst: BROADCAST_MAC,
    vlans: extras.vlans,
    etherType: ETHERTYPE_ARP,
    payload: arp({ op: ARP_REQUEST, senderMac: from.mac, senderIp: from.ip, targetIp }),
  });
}

/** A gratuitous ARP: a broadcast request for the sender's own address (announces a moved VM). */
export function gratuitousArp(from: Host, extras: FrameExtras = {}): Uint8Array {
  return arpRequest(from, from.ip, extras);
}

export function arpReply(from: Host, to: Host, extras: FrameExtras = {}): Uint8Array {
  return ethernet({
    src: from.mac,
    dst: to.mac,
    vlans: extras.vlans,
    etherType: ETHERTYPE_ARP,
    payload: arp({ op: ARP_REPLY, senderMac: from.mac, senderIp: from.ip, targetMac: to.mac, targetIp: to.ip }),
  });
}

export function ipFrame(from: Host, to: Host, payload: IpPayload, extras: FrameExtras = {}, ttl = 64): Uint8Array {
  return ethernet({
    src: from.mac,
    dst: to.mac,
    vlans: extras.vlans,
    etherType: ETHERTYPE_IPV4,
    payload: ipv4({ src: from.ip, dst: to.ip, id: extras.ipId ?? 0, dontFragment: true, ttl, payload }),
  });
}

export function ping(from: Host, to: Host, kind: 'request' | 'reply', id: number, seq: number, extras: FrameExtras = {}): Uint8Array {
  return ipFrame(from, to, icmpEcho({ kind, id, seq, payload: PING_PAYLOAD }), extras);
}

export interface TcpSegment {
  from: Host;
  to: Host;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload?: Uint8Array;
}

export function tcpFrame(segment: TcpSegment, extras: FrameExtras = {}): Uint8Array {
  const { from, to, ...fields } = segment;
  return ipFrame(from, to, tcp(fields), extras);
}

export function udpFrame(from: Host, to: Host, srcPort: number, dstPort: number, payload: Uint8Array, extras: FrameExtras = {}): Uint8Array {
  return ipFrame(from, to, udp({ srcPort, dstPort, payload }), extras);
}

export function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

/** A complete short TCP conversation: handshake, one request and its ACK, and a FIN teardown. */
export function tcpConversation(
  client: Host,
  server: Host,
  clientPort: number,
  serverPort: number,
  request: Uint8Array,
  clientIsn = 1000,
  serverIsn = 5000,
): { label: string; segment: TcpSegment }[] {
  const c = { from: client, to: server, srcPort: clientPort, dstPort: serverPort };
  const s = { from: server, to: client, srcPort: serverPort, dstPort: clientPort };
  const c1 = clientIsn + 1;
  const s1 = serverIsn + 1;
  const afterRequest = c1 + request.length;
  return [
    { label: 'SYN', segment: { ...c, seq: clientIsn, ack: 0, flags: TCP_SYN } },
    { label: 'SYN/ACK', segment: { ...s, seq: serverIsn, ack: c1, flags: TCP_SYN | TCP_ACK } },
    { label: 'ACK', segment: { ...c, seq: c1, ack: s1, flags: TCP_ACK } },
    { label: 'data', segment: { ...c, seq: c1, ack: s1, flags: TCP_PSH | TCP_ACK, payload: request } },
    { label: 'ACK of data', segment: { ...s, seq: s1, ack: afterRequest, flags: TCP_ACK } },
    { label: 'FIN', segment: { ...c, seq: afterRequest, ack: s1, flags: TCP_FIN | TCP_ACK } },
    { label: 'FIN', segment: { ...s, seq: s1, ack: afterRequest + 1, flags: TCP_FIN | TCP_ACK } },
    { label: 'ACK of FIN', segment: { ...c, seq: afterRequest + 1, ack: s1 + 1, flags: TCP_ACK } },
  ];
}
