// Names of IP protocol numbers, for labels and Info columns.
const NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 43: 'IPv6 Routing',
  44: 'IPv6 Fragment', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'IPv6 Destination Options',
  89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};

export function ipProtoName(proto: number): string {
  return NAMES[proto] ?? `Unknown`;
}
