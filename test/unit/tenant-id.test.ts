// The one spelling of a tenant (src/dissect/tenant-id.ts): parsed and printed the same way for the
// filter, export, the CLI, the reports and the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTenant, maxTenantId, parseTenant, TENANT_KINDS, tenantIdText, TenantSpecError, TenantType, tenantMatches, tenantName, tenantRefOf, tenantTypeOf } from '../../src/dissect/tenant-id';
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

test('tenant ranges include both ends; a kind alone matches any id of that kind', () => {
  const range = parseTenant('vxlan:100..200');
  for (const [id, expected] of [[99, false], [100, true], [200, true], [201, false]] as const) {
    assert.equal(tenantMatches(range, TenantType.Vxlan, id), expected, `vxlan:${id}`);
  }
  const one = parseTenant('nvgre:0x1234');
  assert.ok(tenantMatches(one, TenantType.Nvgre, 0x1234));
  assert.ok(!tenantMatches(one, TenantType.Nvgre, 0x1235));
  assert.ok(!tenantMatches(one, TenantType.Nvgre, 0x1233));
  const kind = parseTenant('geneve', { kindAlone: true });
  assert.ok(tenantMatches(kind, TenantType.Geneve, 0));
  assert.ok(tenantMatches(kind, TenantType.Geneve, 0xffffff));
  assert.ok(!tenantMatches(kind, TenantType.Vxlan, 1));
  assert.deepEqual(parseTenant('vxlan:5..5'), { type: TenantType.Vxlan, low: 5, high: 5 });
});

test('tenant ids go up to each kind\'s width: 24 bits for VNIs and VSIDs, 32 for GRE keys', () => {
  for (const kind of ['vxlan', 'nvgre', 'geneve']) {
    assert.deepEqual(parseTenant(`${kind}:16777215`).high, 16777215);
    assert.throws(() => parseTenant(`${kind}:16777216`), new RegExp(`${kind} ids go up to 16777215`));
  }
  assert.equal(parseTenant('gre:4294967295').low, 4294967295);
  assert.throws(() => parseTenant('gre:4294967296'), /gre ids go up to 4294967295/);
  assert.throws(() => parseTenant('vxlan:1..16777216'), /go up to 16777215/);
});

test('tenant text: any case, spaces around the parts, hex ids, and what each problem names', () => {
  assert.deepEqual(parseTenant(' VXLAN : 0x65 '), { type: TenantType.Vxlan, low: 101, high: 101 });
  assert.deepEqual(parseTenant('Geneve:0X10 .. 0x20'), { type: TenantType.Geneve, low: 16, high: 32 });
  assert.deepEqual(parseTenant('200', { impliedType: TenantType.Vxlan }), { type: TenantType.Vxlan, low: 200, high: 200 });
  assert.deepEqual(parseTenant('0x20', { impliedType: TenantType.Nvgre }), { type: TenantType.Nvgre, low: 32, high: 32 });
  const problem = (text: string, options = {}) => {
    try {
      parseTenant(text, options);
    } catch (err) {
      assert.ok(err instanceof TenantSpecError);
      return `${err.problem} ${err.part}: ${err.message}`;
    }
    return 'accepted';
  };
  assert.equal(problem('200'), "syntax 200: unknown tenant type '200' (types: vxlan, nvgre, gre, geneve)");
  assert.equal(problem('vx-lan:1'), "kind vx-lan: unknown tenant type 'vx-lan' (types: vxlan, nvgre, gre, geneve)");
  assert.equal(problem('vlan'), "kind vlan: unknown tenant type 'vlan' (types: vxlan, nvgre, gre, geneve)");
  assert.equal(problem('vxlan:'), "id : '' is not a valid tenant ID (write a number such as 101 or 0x65)");
  assert.equal(problem('vxlan:12a'), "id 12a: '12a' is not a valid tenant ID (write a number such as 101 or 0x65)");
  assert.equal(problem('vxlan:1.5'), "id 1.5: '1.5' is not a valid tenant ID (write a number such as 101 or 0x65)");
  assert.equal(problem('vxlan:x1'), "id x1: 'x1' is not a valid tenant ID (write a number such as 101 or 0x65)");
  assert.equal(problem('vxlan:9..3'), 'range 9..3: tenant range 9..3 goes backwards');
  assert.equal(problem('gre'), 'syntax gre: expected TYPE:ID, e.g. vxlan:102 (types: vxlan, nvgre, gre, geneve)');
  assert.equal(problem('abc', { impliedType: TenantType.Vxlan }), 'kind abc: unknown tenant type \'abc\' (types: vxlan, nvgre, gre, geneve)');
});

test('tenant names by kind and code', () => {
  assert.equal(formatTenant(TenantType.Geneve, 7), 'geneve:7');
  assert.equal(formatTenant(TenantType.Gre, 7), 'gre:7');
  assert.equal(formatTenant('nvgre', 0xabcdef), 'nvgre:0xabcdef');
  assert.equal(formatTenant('vxlan', 0), 'vxlan:0');
  assert.equal(tenantName({ type: 'vxlan', id: 101 }), 'vxlan 101');
  assert.equal(tenantName({ type: 'geneve', id: 0x10 }), 'geneve 16');
  assert.equal(tenantIdText('nvgre', 1), '0x000001');
  assert.equal(tenantIdText('gre', 0xffffffff), '4294967295');
  assert.deepEqual([1, 2, 3, 4].map((code) => tenantRefOf(code, 9).type), ['vxlan', 'nvgre', 'gre', 'geneve']);
  assert.deepEqual(['vxlan', 'NVGRE', 'Gre', 'geneve', '', 'vlan'].map(tenantTypeOf), [TenantType.Vxlan, TenantType.Nvgre, TenantType.Gre, TenantType.Geneve, TenantType.None, TenantType.None]);
  assert.equal(maxTenantId(TenantType.Gre), 0xffffffff);
  assert.equal(maxTenantId(TenantType.Vxlan), 0xffffff);
  assert.deepEqual(TENANT_KINDS, ['vxlan', 'nvgre', 'gre', 'geneve']);
});

test('tenant text: the whole text trimmed first; an empty kind, a kind with digits and an empty range start named exactly', () => {
  assert.deepEqual(parseTenant('  vxlan  ', { kindAlone: true }), { type: TenantType.Vxlan });
  assert.deepEqual(parseTenant(' 200 ', { impliedType: TenantType.Geneve }), { type: TenantType.Geneve, low: 200, high: 200 });
  const problem = (text: string) => {
    try {
      parseTenant(text);
    } catch (err) {
      assert.ok(err instanceof TenantSpecError);
      return `${err.problem} ${err.part}`;
    }
    return 'accepted';
  };
  // A colon first: the kind is empty (a kind problem), not the whole text a syntax problem.
  assert.equal(problem(':5'), 'kind ');
  // Without a colon, anything but letters is a syntax problem, wherever the other characters are.
  assert.equal(problem('1vxlan'), 'syntax 1vxlan');
  assert.equal(problem('vxlan1'), 'syntax vxlan1');
  assert.equal(problem('vxlan:1vxlan'), 'id 1vxlan');
  // A range with no start: the empty start is the bad id.
  assert.equal(problem('vxlan:..5'), 'id ');
});
