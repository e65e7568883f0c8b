// IPv4 numbers (as the frame index stores outer addresses) to dotted quads and back.
export function ipv4Text(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** 224.0.0.0/4: a multicast group, not a tunnel endpoint. */
export function isIpv4Multicast(address: number): boolean {
  return address >>> 28 === 0xe;
}

/** Sorts dotted quads numerically (192.168.100.2 before 192.168.100.10); other text as strings, after them. */
export function compareAddresses(a: string, b: string): number {
  const na = dottedQuad(a);
  const nb = dottedQuad(b);
  if (na >= 0 && nb >= 0) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The number of a dotted quad ("10.0.0.1"), or -1 (read in place: sorts compare many). */
function dottedQuad(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? value * 256 + part : -1;
}
