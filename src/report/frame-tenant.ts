// The tenant of a dissected frame as the tenants analysis counts it: the engine's tenant (a GRE tunnel
// without a key names none: it is underlay, see README "What a tenant is").
import { Dissection } from '../dissect/dissection';
import { TenantCode, TenantType } from '../dissect/tenant-id';

/** Returns the tenant code (0 = underlay) and writes the tenant id into out[0]. */
export function frameTenantCode(ctx: Dissection, out: Uint32Array): number {
  if (ctx.tenantType !== TenantType.None) {
    out[0] = ctx.tenantId;
    return ctx.tenantType;
  }
  out[0] = 0;
  return TenantCode.None;
}
