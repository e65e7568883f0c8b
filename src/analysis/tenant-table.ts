// Tenants interned into small integers. Internal codes follow the engine's TenantType.
import { TenantRef, TenantTypeName } from './types';
import { WordTable } from './word-table';

export const enum TenantCode {
  Vxlan = 1,
  Nvgre = 2,
  Gre = 3,
  Geneve = 4,
}

const TYPE_NAMES: TenantTypeName[] = ['vxlan', 'vxlan', 'nvgre', 'gre', 'geneve'];

export class TenantTable {
  private readonly table = new WordTable();
  /** VTEPs (endpoint numbers, groups excluded) seen with each tenant, in order of first sight. */
  readonly vteps: number[][] = [];
  private readonly vtepSets: Set<number>[] = [];
  private readonly refs: TenantRef[] = [];

  get count(): number {
    return this.table.count;
  }

  intern(code: number, id: number): number {
    const key = this.table.key;
    key[0] = code;
    key[1] = id;
    const tenant = this.table.intern(2);
    if (this.table.added) {
      this.vteps.push([]);
      this.vtepSets.push(new Set());
      this.refs.push({ type: TYPE_NAMES[code], id });
    }
    return tenant;
  }

  code(tenant: number): number {
    return this.table.word(tenant, 0);
  }

  id(tenant: number): number {
    return this.table.word(tenant, 1);
  }

  /** A fresh copy for JSON output. */
  ref(tenant: number): TenantRef {
    return { ...this.refs[tenant] };
  }

  name(tenant: number): string {
    return tenantName(this.refs[tenant]);
  }

  /** Records that a VTEP carried this tenant; returns true the first time. */
  addVtep(tenant: number, vtep: number): boolean {
    const set = this.vtepSets[tenant];
    if (set.has(vtep)) return false;
    set.add(vtep);
    this.vteps[tenant].push(vtep);
    return true;
  }

  /** Report order: by type, then id. */
  compare(a: number, b: number): number {
    return this.code(a) - this.code(b) || this.id(a) - this.id(b);
  }
}

export function tenantName(ref: TenantRef): string {
  if (ref.type === 'nvgre') return `nvgre 0x${ref.id.toString(16).padStart(6, '0')}`;
  if (ref.type === 'gre') return `gre key ${ref.id}`;
  return `${ref.type} ${ref.id}`;
}
