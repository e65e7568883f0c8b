// `--tenant TYPE:ID`: parsed once, then matched against the fast dissection's tenant (no filter
// engine and no detail tree per frame, so selecting one tenant of a big capture costs little).
import { Dissection, TENANT_TYPE_NAMES } from '../dissect/dissection';

export const TENANT_TYPES = ['vxlan', 'nvgre', 'gre', 'geneve'] as const;

export interface TenantSelector {
  /** The engine's TenantType number. */
  type: number;
  id: number;
  matches(ctx: Dissection): boolean;
}

export class TenantSpecError extends Error {}

/** Parses "vxlan:102", "nvgre:0x1234", "gre:1", "geneve:5001"; throws TenantSpecError saying what is wrong. */
export function parseTenantSpec(spec: string): TenantSelector {
  const match = /^\s*([a-z]+)\s*:\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(spec);
  if (match === null) throw new TenantSpecError(`--tenant '${spec}': expected TYPE:ID, e.g. vxlan:102 (types: ${TENANT_TYPES.join(', ')})`);
  const type = match[1].toLowerCase();
  if (!(TENANT_TYPES as readonly string[]).includes(type)) {
    throw new TenantSpecError(`--tenant '${spec}': unknown tenant type '${match[1]}' (types: ${TENANT_TYPES.join(', ')})`);
  }
  const id = Number(match[2]);
  const max = type === 'gre' ? 0xffffffff : 0xffffff;
  if (id > max) throw new TenantSpecError(`--tenant '${spec}': ${type} ids go up to ${max}`);
  const code = (TENANT_TYPE_NAMES as readonly string[]).indexOf(type);
  return { type: code, id, matches: (ctx) => ctx.tenantType === code && ctx.tenantId === id };
}
