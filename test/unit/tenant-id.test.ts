// The one spelling of a tenant (src/dissect/tenant-id.ts): parsed and printed the same way for the
// filter, export, the CLI, the reports and the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTenant, parseTenant, TenantSpecError, TenantType, tenantMatches, tenantName } from '../../src/dissect/tenant-id';
import { compileFilter } from '../../src/filter';
import { parseTenantSpec } from '../../src/export/tenant-spec';

test('tenant text: one printer, NVGRE VSIDs in hex everywhere', () => {
  assert.equal(formatTenant(TenantType.Vxlan, 101), 'vxlan:101');
  assert.equal(formatTenant(TenantType.Nvgre, 0x1234), 'nvgre:0x001234');
  assert.equal(formatTenant('gre', 1), 'gre:1');
  assert.equal(tenantName({ type: 'nvgre', id: 0x1234 }), 'nvgre 0x001234');
  assert.equal(tenantName({ type: 'gre', id: 1 }), 'gre key 1');
  // What is printed parses back to the same tenant.
  for (const [type, id] of [[TenantType.Vxlan, 101], [TenantType.Nvgre, 0x1234], [TenantType.Gre, 0xffffffff], [TenantType.Geneve, 5]] as const) {
    const spec = parseTenant(formatTenant(type, id));
    assert.deepEqual(spec, { type, low: id, high: id });
  }
});

test('tenant text: one parser with one validation, ranges included', () => {
  assert.deepEqual(parseTenant('vxlan:100..200'), { type: TenantType.Vxlan, low: 100, high: 200 });
  assert.ok(tenantMatches(parseTenant('vxlan:100..200'), TenantType.Vxlan, 150));
  assert.ok(!tenantMatches(parseTenant('vxlan:100..200'), TenantType.Nvgre, 150));
  assert.deepEqual(parseTenant('vxlan', { kindAlone: true }), { type: TenantType.Vxlan });
  assert.throws(() => parseTenant('vxlan'), /expected TYPE:ID/);
  assert.throws(() => parseTenant('vlan:3'), (e: unknown) => e instanceof TenantSpecError && e.problem === 'kind');
  assert.throws(() => parseTenant('vxlan:16777216'), /go up to 16777215/);
  assert.throws(() => parseTenant('vxlan:200..100'), /backwards/);
  // The filter and --tenant reject the same out-of-range id.
  assert.throws(() => compileFilter('tenant == vxlan:16777216'), /go up to 16777215/);
  assert.throws(() => parseTenantSpec('vxlan:16777216'), /go up to 16777215/);
  assert.equal(parseTenantSpec('geneve:5..9').id, 5);
});
