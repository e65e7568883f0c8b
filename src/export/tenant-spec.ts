// `--tenant TYPE:ID` (or a range TYPE:LOW..HIGH): parsed once by the one tenant parser (tenant-id.ts),
// then matched against the fast dissection's tenant (no filter engine and no detail tree per frame,
// so selecting one tenant of a big capture costs little).
import { Dissection } from '../dissect/dissection';
import { parseTenant, TenantSpecError as ParseError, tenantMatches } from '../dissect/tenant-id';

export interface TenantSelector {
  /** The engine's TenantType number. */
  type: number;
  /** The first id selected (the only one unless a range was given). */
  id: number;
  matches(ctx: Dissection): boolean;
}

export class TenantSpecError extends Error {}

/** Parses "vxlan:102", "nvgre:0x1234", "gre:1", "geneve:100..200"; throws TenantSpecError saying what is wrong. */
export function parseTenantSpec(text: string): TenantSelector {
  try {
    const spec = parseTenant(text);
    return { type: spec.type, id: spec.low!, matches: (ctx) => tenantMatches(spec, ctx.tenantType, ctx.tenantId) };
  } catch (err) {
    if (err instanceof ParseError) throw new TenantSpecError(`--tenant '${text}': ${err.message}`);
    throw err;
  }
}
