// Numeric ids of every protocol, declared once here. The frame index stores them (top protocol) and
// other modules test layers against them, so they must not depend on which module loads first.
// A new protocol is appended; an id is never reused.
const PROTOCOL_NAMES = [
  'frame', 'eth', 'vlan', 'ieee8021ad', 'llc', 'sll', 'null', 'raw', 'arp', 'ip', 'ipv6', 'ipv6.hopopts',
  'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp', 'gre', 'vxlan',
  'geneve', 'data', 'erspan', 'mpls', 'pwethcw', 'gtp', 'nsh', 'ppp', 'teredo', '_ws.malformed', '_ws.expert',
] as const;

export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

const IDS = new Map<string, number>(PROTOCOL_NAMES.map((name, id) => [name, id]));

export function protocolId(name: string): number {
  const id = IDS.get(name);
  if (id === undefined) throw new Error(`protocol "${name}" has no id in protocol-ids.ts`);
  return id;
}

export const PROTO = Object.fromEntries(PROTOCOL_NAMES.map((name, id) => [name, id])) as { readonly [name in ProtocolName]: number };
