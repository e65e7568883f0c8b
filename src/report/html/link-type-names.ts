// Link type numbers as people know them (Wireshark's encapsulation names).
const NAMES: Record<number, string> = { 0: 'BSD loopback', 1: 'Ethernet', 101: 'raw IP', 113: 'Linux cooked (SLL)', 228: 'raw IPv4', 229: 'raw IPv6', 276: 'Linux cooked v2 (SLL2)' };

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `link type ${linkType}`;
}
