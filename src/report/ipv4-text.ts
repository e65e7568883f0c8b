// IPv4 numbers (as the frame index stores outer addresses) to dotted quads and back.
export function ipv4Text(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** 224.0.0.0/4: a multicast group, not a tunnel endpoint. */
export function isIpv4Multicast(address: number): boolean {
  return address >>> 28 === 0xe;
}

/** Sorts dotted quads numerically (192.168.100.2 before 192.168.100.10). */
export function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && pa.every(Number.isFinite) && pb.every(Number.isFinite)) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
