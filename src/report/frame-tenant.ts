// The tenant of a dissected frame as the tenants analysis counts it: the engine's tenant, or keyless
// GRE (a GRE tunnel without a key is still a tunnel; Open vSwitch reads it as tunnel id 0).
import { Dissection, TenantType } from '../dissect/dissection';
import { PROTO } from '../dissect/protocol-ids';
import { TENANT_CODE_GRE_KEYLESS, TENANT_CODE_NONE } from './traffic';

const GRE = PROTO.gre;

/** Returns the tenant code (0 = underlay) and writes the tenant id into out[0]. */
export function frameTenantCode(ctx: Dissection, out: Uint32Array): number {
  if (ctx.tenantType !== TenantType.None) {
    out[0] = ctx.tenantId;
    return ctx.tenantType;
  }
  out[0] = 0;
  return ctx.findLayer(GRE) >= 0 ? TENANT_CODE_GRE_KEYLESS : TENANT_CODE_NONE;
}
