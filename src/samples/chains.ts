// The frame.protocols chains tshark prints for the samples' frames (the golden tests' expectations).
export const INNER_ARP = 'eth:ethertype:arp';
export const INNER_ICMP = 'eth:ethertype:ip:icmp:data';
export const INNER_TCP = 'eth:ethertype:ip:tcp';
export const INNER_TCP_DATA = 'eth:ethertype:ip:tcp:data';
export const INNER_UDP_DATA = 'eth:ethertype:ip:udp:data';

/** 802.1Q-tagged versions of the inner chains. */
export function tagged(chain: string): string {
  return chain.replace(/^eth:ethertype:/, 'eth:ethertype:vlan:ethertype:');
}

export function vxlanChain(inner: string): string {
  return `eth:ethertype:ip:udp:vxlan:${inner}`;
}

export function geneveChain(inner: string): string {
  return `eth:ethertype:ip:udp:geneve:${inner}`;
}

/** GRE around an Ethernet frame (0x6558: NVGRE, Open vSwitch). */
export function greEthernetChain(inner: string): string {
  return `eth:ethertype:ip:gre:${inner}`;
}

/** GRE around an IPv4 packet (0x0800): the inner chain starts at ip. */
export function greIpChain(innerFromIp: string): string {
  return `eth:ethertype:ip:gre:${innerFromIp}`;
}

export const IGMP = 'eth:ethertype:ip:igmp:igmp';

/** The chain of an inner Ethernet chain's IP part, for IP-in-GRE ("ip:icmp:data"). */
export function fromIp(innerChain: string): string {
  return innerChain.replace(/^eth:ethertype:/, '');
}

export function tcpChain(payload: Uint8Array | undefined): string {
  return payload !== undefined && payload.length > 0 ? INNER_TCP_DATA : INNER_TCP;
}
