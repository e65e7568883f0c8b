// Tenants interned into small integers, keyed by their TenantCode (tenant-id.ts) and id.
import { TenantCode, TenantRef, tenantName, tenantRefOf } from '../dissect/tenant-id';
import { WordTable } from './word-table';

export class TenantTable {
  private readonly table = new WordTable();
  /** VTEPs (endpoint numbers, groups excluded) seen with each tenant, in order of first sight. */
  readonly vteps: number[][] = [];
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
      this.refs.push(tenantRefOf(code as TenantCode, id));
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

  /** Records that a VTEP carried this tenant, the first time it did (the caller knows: a set per tenant here would cost more). */
  addVtep(tenant: number, vtep: number): void {
    this.vteps[tenant].push(vtep);
  }

  /** Report order: by type, then id. */
  compare(a: number, b: number): number {
    return this.code(a) - this.code(b) || this.id(a) - this.id(b);
  }
}
