// Text into HTML, and the number formats the report's tables use.
import { tenantIdText as idText, tenantName } from '../../dissect/tenant-id';
import { TenantRef } from '../analysis-types';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** 1234567 -> "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1536 -> "1.5 KiB"; small values stay exact ("742 B"). */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 0.25 -> "25%", 0.0012 -> "0.1%"; "–" when the share is unknown. */
export function percent(part: number | undefined, whole: number): string {
  if (part === undefined || whole <= 0) return '–';
  const p = (100 * part) / whole;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

/** "vxlan 101", "nvgre 0x001234", "gre key 1": the names the tenants command prints. */
export function tenantLabel(tenant: TenantRef): string {
  return tenantName(tenant);
}

/** How people write each tenant id: VNIs and keys in decimal, NVGRE VSIDs in hex as RFC 7637 does. */
export function tenantIdText(tenant: TenantRef): string {
  return idText(tenant.type, tenant.id);
}
