// Corners of the display filter that the other filter tests left open (found by the mutation run of
// src/filter, docs/filter-mutation-triage.md): aliases and operators named once, the order of byte
// fields, literals on the left, values a field cannot be read as, error details and spans, layer
// selections, tenant ranges, and the lexer's rarer escapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dissection } from '../../src/dissect/dissection';
import { TenantType } from '../../src/dissect/tenant-id';
import { compileFilter, FilterError, validateFilter } from '../../src/filter';
import { closestName } from '../../src/filter/errors';
import { tokenize } from '../../src/filter/lexer';
import { parseFilter } from '../../src/filter/parser';
import { buildFrame } from './filter-fixtures';
import { check, errorOf } from './filter-assertions';

/** [filter, the whole reason (or a pattern), the text it points at, where (default: the text's first place)] */
type ErrorCase = [filter: string, reason: string | RegExp, offending: string, position?: number];

function expectErrors(cases: ErrorCase[], compile: (filter: string) => unknown = compileFilter): void {
  for (const [filter, reason, offending, position] of cases) {
    const err = errorOf(() => compile(filter), filter);
    if (typeof reason === 'string') assert.equal(err.reason, reason, filter);
    else assert.match(err.reason, reason, filter);
    assert.equal(err.position, position ?? filter.indexOf(offending), `${filter}: position`);
    assert.equal(err.length, offending.length, `${filter}: length`);
  }
}

/** One Ethernet / IPv4 / TCP frame, 40000 -> 80, TTL 64: a single occurrence of each field. */
function tcpFrame(): Dissection {
  return buildFrame([
    ['eth', { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 }],
    ['ip', { src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, proto: 6 }],
    ['tcp', { srcport: 40000, dstport: 80, 'flags.syn': true }],
  ]);
}

/** UDP 53 -> 53 whose bytes end in 03 ff, with a DNS query for "example". */
function dnsFrame(): Dissection {
  return buildFrame([
    ['udp', { srcport: 53, dstport: 53, payload: 'ff:00' }, [0x12, 0x34, 0x81, 0x60, 0x03, 0xff]],
    ['dns', { 'qry.name': 'example' }],
  ]);
}

function tenantFrame(type: TenantType, id: number): Dissection {
  return buildFrame([['udp', { srcport: 1, dstport: 4789 }]], { tenant: { type, id } });
}

describe('filter corners: fields', () => {
  it('eth.addr and ipv6.addr read both addresses', () => {
    // The fixture frames carry no hidden eth.addr / ipv6.addr nodes: only the aliases' sources answer.
    check(tcpFrame(), { 'eth.addr == 02:00:00:00:00:01': true, 'eth.addr == 02:00:00:00:00:02': true, 'eth.addr == 02:00:00:00:00:03': false });
    const v6 = buildFrame([['ipv6', { src: 'fe80::1', dst: 'fe80::2' }]]);
    check(v6, { 'ipv6.addr == fe80::1': true, 'ipv6.addr == fe80::2': true, 'ipv6.addr == fe80::3': false, 'ipv6.addr == fe80::/64': true });
    assert.deepEqual([...compileFilter('ipv6.addr == ::1').fields].sort(), ['ipv6.addr', 'ipv6.dst', 'ipv6.src']);
  });

  it('names that are properties of every JavaScript object are unknown fields, not operators (bug fix)', () => {
    expectErrors([
      ['.constructor', '"constructor" is not a valid protocol or field', '.constructor'],
      ['constructor', '"constructor" is not a valid protocol or field', 'constructor'],
      ['__proto__', '"__proto__" is not a valid protocol or field', '__proto__'],
      ['ip.ttl constructor 5', 'unexpected "constructor": expected "&&", "||" or the end of the filter', 'constructor'],
    ]);
    assert.ok(validateFilter('.constructor') instanceof FilterError);
  });

  it('Wireshark\'s problem markers are found in the tree, not among the layers', () => {
    const d = buildFrame([['udp', { srcport: 1, dstport: 2 }]]);
    d.setMalformed('Bogus length');
    check(d, { '_ws.malformed': true, '_ws.expert': true, '_ws.expert.message == "Bogus length"': true });
    check(tcpFrame(), { '_ws.malformed': false });
  });
});

describe('filter corners: operators and types', () => {
  it('describes IPv6 and byte fields by their type in errors', () => {
    expectErrors([
      ['ipv6.src contains 1', '"contains" cannot be used with ipv6.src (IPv6 address): it needs a string, byte or protocol field', 'contains'],
      ['udp.payload == ip.src', 'udp.payload (byte sequence) cannot be compared with ip.src (IPv4 address)', 'ip.src'],
    ]);
  });

  it('byte sequences are ordered (byte by byte), booleans are not', () => {
    check(dnsFrame(), { 'udp.payload > fe:ff': true, 'udp.payload <= fe:ff': false, 'udp.payload >= ff:00': true, 'udp.payload < ff:00:00': true });
    const noOrder = /cannot be used with tcp\.flags\.syn \(boolean\): it has no order; use == or !=$/;
    expectErrors([
      ['tcp.flags.syn <= 1', '"<=" cannot be used with tcp.flags.syn (boolean): it has no order; use == or !=', '<='],
      ['tcp.flags.syn >= 1', '">=" cannot be used with tcp.flags.syn (boolean): it has no order; use == or !=', '>='],
      ['tcp.flags.syn ge 1', noOrder, 'ge'],
      // A literal on the left is the same test turned round: still no order.
      // and the message quotes the operator as written, not its mirror.
      ['1 <= tcp.flags.syn', '"<=" cannot be used with tcp.flags.syn (boolean): it has no order; use == or !=', '<='],
      ['1 >= tcp.flags.syn', '">=" cannot be used with tcp.flags.syn (boolean): it has no order; use == or !=', '>='],
      ['1 < arp', '"<" cannot be used with the protocol arp; a protocol can be tested for presence, ==, contains or matches', '<'],
    ]);
  });

  it('a literal on the left compares as if written on the right', () => {
    check(tcpFrame(), { '63 == ip.ttl': false, '64 == ip.ttl': true, '65 !== ip.ttl': true, '64 !== ip.ttl': false, '64 any_ne ip.ttl': false });
    expectErrors([['"10.0.0.1" contains ip.src', 'a test must start with a field or a protocol, not a literal', '"10.0.0.1"']]);
  });

  it('word operators and ~ mean what their symbols mean', () => {
    check(tcpFrame(), { 'ip.ttl eq 63': false, 'ip.ttl eq 64': true, 'ip.ttl any_ne 65': true, 'ip.ttl any_ne 64': false });
    check(dnsFrame(), { 'dns.qry.name ~ "x"': true, 'dns.qry.name ~ "^x"': false });
  });

  it('field against field: ordering both ways and ===', () => {
    check(tcpFrame(), {
      'tcp.srcport <= tcp.dstport': false,
      'tcp.dstport <= tcp.srcport': true,
      'tcp.dstport >= tcp.srcport': false,
      'tcp.srcport >= tcp.dstport': true,
      'tcp.srcport === tcp.dstport': false,
    });
    check(dnsFrame(), { 'udp.srcport === udp.dstport': true, 'udp.srcport <= udp.dstport': true, 'udp.srcport >= udp.dstport': true });
  });

  it('contains an empty sequence is true, a byte at the very end is found', () => {
    // As in Wireshark, whose byte "contains" is a memmem: the empty needle is found anywhere.
    check(dnsFrame(), { 'udp contains ""': true, 'udp.payload contains ""': true, 'udp contains 03:ff': true, 'udp contains 03:ff:00': false, "udp contains '\\xff'": true });
  });

  it('a character constant compares with a string field as that one character', () => {
    check(buildFrame([['dns', { 'qry.name': 'a' }]]), { "dns.qry.name == 'a'": true, "dns.qry.name == 'b'": false, "dns.qry.name < 'b'": true });
  });

  it('a set of strings holds exactly its members and ranges', () => {
    check(dnsFrame(), { 'dns.qry.name in {"zzz"}': false, 'dns.qry.name in {"zzz" "example"}': true, 'dns.qry.name in {"a".."f"}': true, 'dns.qry.name in {"f".."z"}': false });
  });

  it('a value the field cannot be read as satisfies no test', () => {
    // The dissectors never produce these; a corrupt value must still not pass a comparison.
    const d = buildFrame([
      ['eth', { src: 'not-a-mac', dst: '02:00:00:00:00:02' }],
      ['ip', { ttl: 'abc' }],
      ['udp', { payload: 'zz' }],
    ]);
    check(d, {
      'ip.ttl >= 0': false,
      'ip.ttl > 0': false,
      'eth.src contains eth.dst': false,
      'eth.dst contains eth.src': false,
      'udp.payload matches "^$"': false,
      'udp.payload matches ""': false,
    });
  });
});

describe('filter corners: error details', () => {
  it('a regular expression error keeps only V8\'s reason', () => {
    expectErrors([
      ['dns.qry.name matches "a("', 'invalid regular expression: Unterminated group', '"a("'],
      ['dns.qry.name matches "(?-i)a("', 'invalid regular expression: Unterminated group', '"(?-i)a("'],
    ]);
  });

  it('suggests a field only for a word that looks like a field name', () => {
    expectErrors([
      ['ip.ttl == x.1', '"x.1" is not a valid unsigned integer for ip.ttl', 'x.1'],
      ['ip.ttl == 1ab.cd', '"1ab.cd" is not a valid unsigned integer for ip.ttl', '1ab.cd'],
      ['ip.ttl == ab.cd/8', '"ab.cd/8" is not a valid unsigned integer for ip.ttl', 'ab.cd/8'],
      ['ip.src == .ip.dsst', /^.* for ip\.src, nor a known field; did you mean "ip\.dst"\?$/, '.ip.dsst'],
      ['tcp.srcport == tcpp', '"tcpp" is not a valid unsigned integer for tcp.srcport, nor a known field; did you mean "tcp"?', 'tcpp'],
    ]);
  });

  it('the closest name allows deleting the first letter', () => {
    assert.equal(closestName('xab', ['ab']), 'ab');
    assert.equal(closestName('abx', ['ab']), 'ab');
  });
});

describe('filter corners: parser', () => {
  it('reports the missing operand or value at the token that stands in its place', () => {
    expectErrors([
      ['arp && || vxlan', 'missing operand after "&&"', '||'],
      ['arp || ^^ vxlan', 'missing operand after "||"', '^^'],
      ['ip.ttl == not', 'missing value after "=="', 'not'],
      ['ip.ttl == == 5', 'missing value after "=="', '==', 10],
    ]);
  });

  it('layer selections: several digits, lists, and their errors', () => {
    const lhs = (filter: string): unknown => {
      const node = parseFilter(filter);
      assert.equal(node.kind, 'test');
      return node.kind === 'test' && node.lhs.kind === 'word' ? node.lhs.layer?.ranges : undefined;
    };
    assert.deepEqual(lhs('ip.src#[1-2,10-12] == 1.2.3.4'), [
      { from: 1, to: 2 },
      { from: 10, to: 12 },
    ]);
    assert.deepEqual(lhs('ip.src#[2:12]'), [{ from: 2, to: 13 }]);
    assert.deepEqual(lhs('ip.src#12'), [{ from: 12, to: 12 }]);
    expectErrors([
      ['ip.ttl#[0-2]', 'layers are counted from 1 (the outermost); use -1 for the innermost', '0-2'],
      ['ip.ttl#[1(2]', 'expected "," or "]" in the layer selection but found "("', '('],
    ]);
  });

  it('sets: the brace is required, a layer keeps a word whole', () => {
    expectErrors([
      ['ip.ttl in (1)', 'expected "{" after "in" but found "("', '('],
      ["ip.ttl in 'a'", 'expected "{" after "in" but found "\'a\'"', "'a'"],
      // "1..5#2" is one word with a layer selection, not a range: as a number it is invalid.
      ['ip.ttl in {1..5#2}', '"1..5" is not a valid unsigned integer for ip.ttl', '1..5#2'],
    ]);
  });
});

describe('filter corners: tenants', () => {
  it('a range includes both ends and only its type', () => {
    const cases: Array<[TenantType, number, boolean]> = [
      [TenantType.Vxlan, 99, false],
      [TenantType.Vxlan, 100, true],
      [TenantType.Vxlan, 200, true],
      [TenantType.Vxlan, 201, false],
      [TenantType.Nvgre, 150, false],
    ];
    for (const [type, id, expected] of cases) {
      assert.equal(compileFilter('tenant == vxlan:100..200').matches(tenantFrame(type, id)), expected, `${type}:${id}`);
      assert.equal(compileFilter('tenant in {vxlan:100..200}').matches(tenantFrame(type, id)), expected, `in ${type}:${id}`);
    }
    check(tenantFrame(TenantType.Vxlan, 5), { 'tenant == vxlan:5..5': true, 'tenant == vxlan:6..6': false });
    check(tenantFrame(TenantType.Nvgre, 100), { 'tenant == vxlan': false, 'tenant == nvgre': true });
  });

  it('errors point into the range they are about', () => {
    expectErrors([
      ['tenant == vxlan:5..vxlan', 'a tenant range needs one type and two IDs, e.g. vxlan:100..200', 'vxlan:5..vxlan'],
      ['tenant == vxlan:x..5', '"x" is not a valid tenant ID (write a number such as 101 or 0x65)', 'x', 16],
      ['tenant == vxlan:1..foo:3', '"foo:3" is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID', 'foo:3'],
      ['tenant matches "x"', '"matches" cannot be used with tenant; use ==, != or in', 'matches'],
      // (bug fix: a character constant was shown as "")
      ["tenant == 'a'", '"a" is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID', "'a'"],
    ]);
  });
});

describe('filter corners: lexer', () => {
  it('tokens: the end, a word starting with r, characters', () => {
    assert.deepEqual(tokenize(''), [{ kind: 'end', text: '', value: '', pos: 0, end: 0 }]);
    assert.deepEqual(tokenize('rtp'), [
      { kind: 'word', text: 'rtp', value: 'rtp', pos: 0, end: 3 },
      { kind: 'end', text: '', value: '', pos: 3, end: 3 },
    ]);
    assert.deepEqual(tokenize("'a'")[0], { kind: 'char', text: "'a'", value: '97', pos: 0, end: 3 });
    // U+FFFF is one UTF-16 unit, U+10000 two.
    assert.deepEqual(tokenize("'\uffff'")[0], { kind: 'char', text: "'\uffff'", value: '65535', pos: 0, end: 3 });
    assert.deepEqual(tokenize("'\u{10000}'")[0], { kind: 'char', text: "'\u{10000}'", value: '65536', pos: 0, end: 4 });
  });

  it('escapes at their limits', () => {
    assert.deepEqual([...tokenize('"\\377"')[0].bytes!], [255]);
    assert.equal(tokenize('"\\U0010FFFF"')[0].value, '\u{10FFFF}');
    expectErrors(
      [
        ['"\\400"', 'octal escape "\\400" is larger than one byte', '\\400'],
        ['"a\\!"', 'unknown escape sequence "\\!"', '\\!'],
        ['"\\u12', '"\\u" must be followed by 4 hex digits of a code point', '\\u12'],
        ['"\\U00110000"', '"\\U" must be followed by 8 hex digits of a code point', '\\U00110000'],
      ],
      tokenize,
    );
  });
});
