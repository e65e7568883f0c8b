// Tenant identity: which encapsulation names the tenant (VXLAN or Geneve VNI, NVGRE VSID, GRE key),
// how each kind is named, and the one spelling of a tenant as text, `vxlan:101` (with ranges
// `vxlan:100..200`), parsed and printed here for the filter, export, CLI, reports and the app.
// Tenants are known as soon as a tunnel header is dissected, so this lives with the dissector core.

/** The engine's tenant kinds, as Dissection.tenantType and the frame index store them (0: none). */
export const enum TenantType {
  None = 0,
  Vxlan = 1,
  Nvgre = 2,
  Gre = 3,
  Geneve = 4,
}

/**
 * The analysis's tenant codes: the engine's kinds. A GRE tunnel without a key names no tenant (it is
 * an underlay tunnel), so there is no code for it.
 */
export const enum TenantCode {
  None = 0,
  Vxlan = 1,
  Nvgre = 2,
  Gre = 3,
  Geneve = 4,
}

/** Kind names by TenantType; '' for none. */
export const TENANT_TYPE_NAMES = ['', 'vxlan', 'nvgre', 'gre', 'geneve'] as const;

export type TenantTypeName = 'vxlan' | 'nvgre' | 'gre' | 'geneve';

/** The kinds in TenantType order, for messages and option help. */
export const TENANT_KINDS: readonly TenantTypeName[] = ['vxlan', 'nvgre', 'gre', 'geneve'];

/** Kind names by TenantCode. */
const CODE_NAMES: readonly TenantTypeName[] = ['vxlan', 'vxlan', 'nvgre', 'gre', 'geneve'];

/** A tenant in reports and JSON output. */
export interface TenantRef {
  type: TenantTypeName;
  /** VNI, VSID or GRE key (a GRE tunnel without a key names no tenant: it is underlay). */
  id: number;
}

/** The largest id of each kind: VNIs and VSIDs are 24 bits (RFC 7348, 8926, 7637), GRE keys 32 (RFC 2890). */
export function maxTenantId(type: TenantType): number {
  return type === TenantType.Gre ? 0xffffffff : 0xffffff;
}

/** The TenantType of a kind name (any case), or None. */
export function tenantTypeOf(name: string): TenantType {
  const type = (TENANT_TYPE_NAMES as readonly string[]).indexOf(name.toLowerCase());
  return type > 0 ? (type as TenantType) : TenantType.None;
}

/** The TenantRef of an analysis tenant code and id. */
export function tenantRefOf(code: TenantCode, id: number): TenantRef {
  return { type: CODE_NAMES[code], id };
}

/** A tenant's id as people write it: VNIs and keys in decimal, NVGRE VSIDs in hex as RFC 7637 does. */
export function tenantIdText(type: TenantTypeName, id: number): string {
  return type === 'nvgre' ? `0x${id.toString(16).padStart(6, '0')}` : String(id);
}

/** `vxlan:101`, `nvgre:0x001234`: the packet list's Tenant column, the dissect line and the `tenant ==` value. */
export function formatTenant(type: TenantType | TenantTypeName, id: number): string {
  const name = typeof type === 'string' ? type : TENANT_TYPE_NAMES[type];
  return `${name}:${tenantIdText(name as TenantTypeName, id)}`;
}

/** "vxlan 101", "nvgre 0x001234", "gre key 1": the names the tenants and vteps commands print. */
export function tenantName(ref: TenantRef): string {
  if (ref.type === 'gre') return `gre key ${ref.id}`;
  return `${ref.type} ${tenantIdText(ref.type, ref.id)}`;
}

/** A parsed `vxlan`, `vxlan:101` or `vxlan:100..200`: the kind, and the ids (none for the kind alone). */
export interface TenantSpec {
  type: TenantType;
  /** First and last id, inclusive; both undefined for a kind alone. */
  low?: number;
  high?: number;
}

export type TenantSpecProblem = 'syntax' | 'kind' | 'id' | 'range';

/** Why a tenant's text was rejected; `part` is the offending piece (a kind or an id). */
export class TenantSpecError extends Error {
  constructor(
    readonly problem: TenantSpecProblem,
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseTenantOptions {
  /** Accept a kind alone (`vxlan`: any VXLAN tenant). */
  kindAlone?: boolean;
  /** A bare id is of this kind (the upper bound of a range the filter splits, `vxlan:100..200`). */
  impliedType?: TenantType;
}

const ID = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)$/;

/**
 * The one parser of a tenant's text: `KIND:ID` or `KIND:LOW..HIGH`, ids in decimal or 0x-hex within
 * the kind's range. Throws TenantSpecError saying what is wrong.
 */
export function parseTenant(text: string, options: ParseTenantOptions = {}): TenantSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  let kindText = colon < 0 ? trimmed : trimmed.slice(0, colon).trim();
  let idsText = colon < 0 ? undefined : trimmed.slice(colon + 1).trim();
  if (colon < 0 && options.impliedType !== undefined && ID.test(trimmed)) {
    kindText = TENANT_TYPE_NAMES[options.impliedType];
    idsText = trimmed;
  }
  const type = /^[A-Za-z]+$/.test(kindText) ? tenantTypeOf(kindText) : TenantType.None;
  if (type === TenantType.None) {
    const problem = colon < 0 && !/^[A-Za-z]+$/.test(kindText) ? 'syntax' : 'kind';
    throw new TenantSpecError(problem, kindText, `unknown tenant type '${kindText}' (types: ${TENANT_KINDS.join(', ')})`);
  }
  if (idsText === undefined) {
    if (options.kindAlone) return { type };
    throw new TenantSpecError('syntax', text, `expected TYPE:ID, e.g. vxlan:102 (types: ${TENANT_KINDS.join(', ')})`);
  }
  const dots = idsText.indexOf('..');
  const low = parseId(type, dots < 0 ? idsText : idsText.slice(0, dots).trim());
  const high = dots < 0 ? low : parseId(type, idsText.slice(dots + 2).trim());
  if (high < low) throw new TenantSpecError('range', idsText, `tenant range ${idsText} goes backwards`);
  return { type, low, high };
}

function parseId(type: TenantType, text: string): number {
  if (!ID.test(text)) throw new TenantSpecError('id', text, `'${text}' is not a valid tenant ID (write a number such as 101 or 0x65)`);
  const id = Number(text);
  const max = maxTenantId(type);
  if (id > max) throw new TenantSpecError('id', text, `${TENANT_TYPE_NAMES[type]} ids go up to ${max}`);
  return id;
}

/** Whether a frame's tenant (Dissection.tenantType and tenantId) is one the spec names. */
export function tenantMatches(spec: TenantSpec, type: number, id: number): boolean {
  if (type !== spec.type) return false;
  return spec.low === undefined || (id >= spec.low && id <= spec.high!);
}
