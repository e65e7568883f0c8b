// Numeric ids of the protocols other modules test layers against. Importing this module registers
// every dissector first, so the ids exist whatever order modules are loaded in.
import './dissectors';
import { protocolByName } from './fields';

function idOf(name: string): number {
  const proto = protocolByName(name);
  if (proto === undefined) throw new Error(`protocol "${name}" is not registered`);
  return proto.id;
}

export const PROTO = {
  eth: idOf('eth'),
  vlan: idOf('vlan'),
  ieee8021ad: idOf('ieee8021ad'),
  arp: idOf('arp'),
  ip: idOf('ip'),
  ipv6: idOf('ipv6'),
  icmp: idOf('icmp'),
  icmpv6: idOf('icmpv6'),
  igmp: idOf('igmp'),
  tcp: idOf('tcp'),
  udp: idOf('udp'),
  gre: idOf('gre'),
  vxlan: idOf('vxlan'),
  geneve: idOf('geneve'),
  data: idOf('data'),
} as const;
