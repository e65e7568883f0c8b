// The tenant of a dissected frame as the tenants analysis counts it: the engine's tenant, or keyless
// GRE (a GRE tunnel without a key is still a tunnel; Open vSwitch reads it as tunnel id 0).
// The dissectors register the protocols that protocolByName looks up at module load.
import '../dissect/engine';
import { Dissection } from '../dissect/dissection';
import { TenantCode, TenantType } from '../dissect/tenant-id';
import { protocolByName } from '../dissect/fields';

const GRE = protocolByName('gre')!.id;

/** Returns the tenant code (0 = underlay) and writes the tenant id into out[0]. */
export function frameTenantCode(ctx: Dissection, out: Uint32Array): number {
  if (ctx.tenantType !== TenantType.None) {
    out[0] = ctx.tenantId;
    return ctx.tenantType;
  }
  out[0] = 0;
  return ctx.findLayer(GRE) >= 0 ? TenantCode.GreKeyless : TenantCode.None;
}
