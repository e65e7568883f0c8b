// Running per-tenant totals of a live capture, kept from the frame index (tenant, outer VTEPs, top
// protocol) so they cost nothing beyond the indexing pass.
import { FrameIndex } from '../capture/frame-index';
import { Dissection } from '../dissect/dissection';
import { TenantType, formatTenant } from '../dissect/tenant-id';
import { DATA } from '../dissect/dissectors/common';
import { protocolById } from '../dissect/fields';

export interface TenantTotals {
  /** "vxlan:42", or "" for frames outside any overlay. */
  tenant: string;
  packets: number;
  bytes: number;
  /** Outer IPv4 addresses seen (the VTEPs), sorted. */
  vteps: string[];
  /** Innermost protocol name -> packets, e.g. { arp: 2, icmp: 6 }. */
  protocols: Record<string, number>;
}

interface Totals {
  packets: number;
  bytes: number;
  vteps: Set<number>;
  protocols: Map<number, number>;
}

const DATA_ID = DATA.id;

/** The innermost named protocol of a frame (a ping is icmp, not its trailing data). */
function innermostProtocol(ctx: Dissection): number {
  for (let i = ctx.layerCount - 1; i >= 0; i--) if (ctx.layerProto[i] !== DATA_ID) return ctx.layerProto[i];
  return DATA_ID;
}

export function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export class TenantCounts {
  private readonly byKey = new Map<number, Totals>();
  packets = 0;

  /** Adds one frame right after its dissection (the indexer has filled its index entry). */
  addFrame(ctx: Dissection, index: FrameIndex, frame: number): void {
    const type = ctx.tenantType;
    // The type above the 32-bit id keeps one numeric key per tenant.
    const key = type === TenantType.None ? 0 : type * 2 ** 32 + ctx.tenantId;
    let totals = this.byKey.get(key);
    if (totals === undefined) {
      totals = { packets: 0, bytes: 0, vteps: new Set(), protocols: new Map() };
      this.byKey.set(key, totals);
    }
    totals.packets++;
    totals.bytes += ctx.wireBytes;
    const absorbed = ctx.absorbedFragments;
    if (absorbed !== null) {
      // The earlier fragments of this datagram were counted outside any tenant when they came.
      const underlay = this.byKey.get(0);
      if (underlay !== undefined) {
        underlay.packets -= absorbed.length;
        underlay.bytes -= ctx.wireBytes - ctx.origLen;
      }
    }
    if (type !== TenantType.None) {
      if (index.outerSrc[frame] !== 0) totals.vteps.add(index.outerSrc[frame]);
      if (index.outerDst[frame] !== 0) totals.vteps.add(index.outerDst[frame]);
    }
    const proto = innermostProtocol(ctx);
    totals.protocols.set(proto, (totals.protocols.get(proto) ?? 0) + 1);
    this.packets++;
  }

  /** Tenants by packets (most first), frames outside any overlay last. */
  totals(): TenantTotals[] {
    const list: TenantTotals[] = [];
    for (const [key, t] of this.byKey) {
      const tenant = key === 0 ? '' : formatTenant(Math.floor(key / 2 ** 32), key % 2 ** 32);
      const protocols: Record<string, number> = {};
      for (const [id, n] of [...t.protocols].sort((a, b) => b[1] - a[1])) protocols[protocolById(id)?.name ?? String(id)] = n;
      list.push({ tenant, packets: t.packets, bytes: t.bytes, vteps: [...t.vteps].sort((a, b) => a - b).map(ipv4Text), protocols });
    }
    return list.sort((a, b) => (a.tenant === '' ? 1 : 0) - (b.tenant === '' ? 1 : 0) || b.packets - a.packets || a.tenant.localeCompare(b.tenant));
  }

  /** Compact one-liner for the live display: "vxlan:42 20 · no tenant 4". */
  compact(maxTenants = 6): string {
    const all = this.totals();
    const shown = all.slice(0, maxTenants).map((t) => `${t.tenant || 'no tenant'} ${t.packets}`);
    if (all.length > maxTenants) shown.push(`+${all.length - maxTenants} more`);
    return shown.join(' · ');
  }
}
