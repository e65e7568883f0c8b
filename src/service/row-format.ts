// Text of the packet list's cells, from the index (tenant, VTEPs, time) and a columns-only dissection.
import { formatTenant } from '../dissect/tenant-id';

export function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function tenantLabel(type: number, id: number): string {
  return type === 0 ? '' : formatTenant(type, id);
}

export function vtepsLabel(tenantType: number, src: number, dst: number): string {
  if (tenantType === 0 || (src === 0 && dst === 0)) return '';
  return `${ipv4Text(src)} → ${ipv4Text(dst)}`;
}

export function isMulticastIpv4(n: number): boolean {
  return n >>> 28 === 0xe;
}

export function macText(buf: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + buf[at + i].toString(16).padStart(2, '0');
  return s;
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
