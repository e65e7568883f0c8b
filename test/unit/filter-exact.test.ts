// Exact answers of the display filter where the other filter tests only look at part of them: every
// error message in full with its span, the nesting limits at their boundaries, and the evaluator's
// rules for several occurrences, layer selections and protocol bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dissection } from '../../src/dissect/dissection';
import { compileFilter } from '../../src/filter';
import { MAX_FILTER_CHAIN, MAX_FILTER_DEPTH, parseFilter } from '../../src/filter/parser';
import { protocolByName } from '../../src/dissect/fields';
import { buildFrame, vxlanArpFrame, vxlanTcpFrame } from './filter-fixtures';
import { check, errorOf } from './filter-assertions';

/** [filter, the whole reason, the text it points at, where (default: the text's first place)] */
type ErrorCase = [filter: string, reason: string, offending: string, position?: number];

function expectErrors(cases: ErrorCase[]): void {
  for (const [filter, reason, offending, position] of cases) {
    const err = errorOf(() => compileFilter(filter), filter);
    assert.equal(err.reason, reason, filter);
    assert.equal(err.position, position ?? filter.indexOf(offending), `${filter}: position`);
    assert.equal(err.length, offending.length, `${filter}: length`);
  }
}

describe('filter errors: parser messages in full', () => {
  it('parentheses, operands and operators', () => {
    expectErrors([
      ['((arp', 'unclosed "(": missing ")"', '(', 1],
      ['(arp vxlan', 'unexpected "vxlan": expected "&&", "||" or ")"', 'vxlan'],
      ['arp ==', 'missing value after "=="', '', 6],
      ['vxlan.vni == 1 ^^', 'missing operand after "^^"', '', 17],
      ['arp || ) ', 'missing operand after "||"', ')'],
      ['arp && && vxlan', 'missing operand after "&&"', '&&', 7],
      ['arp || not', 'missing operand after "not"', '', 10],
      ['arp xor in', 'missing operand after "xor"', 'in'],
      ['= 1', '"=" is not a comparison; use "=="', '='],
      ['== 1', 'missing operand before "=="', '=='],
      ['and', 'missing operand before "and"', 'and'],
      ['|| arp', 'missing operand before "||"', '||'],
      ['^^ arp', 'missing operand before "^^"', '^^'],
      ['~ arp', 'missing operand before "~"', '~'],
      ['contains arp', 'missing operand before "contains"', 'contains'],
      [') arp', 'unexpected ")": expected a field, a protocol or "("', ')'],
      ['arp )', 'unbalanced ")": no matching "("', ')'],
      ['arp (', 'unexpected "(": expected "&&", "||" or the end of the filter', '('],
      ['vxlan.vni == )', 'missing value after "=="', ')'],
      ['vxlan.vni == and', 'missing value after "=="', 'and'],
      ['vxlan.vni not in', 'expected "{" after "not" but found the end of the filter', '', 16],
      ['vxlan.vni in', 'expected "{" after "in" but found the end of the filter', '', 12],
      ['vxlan.vni in vxlan.vni', 'expected "{" after "in" but found "vxlan.vni"', 'vxlan.vni', 13],
      ['or arp', 'missing operand before "or"', 'or'],
      ['xor arp', 'missing operand before "xor"', 'xor'],
      ['in {1}', 'missing operand before "in"', 'in'],
      ['vxlan.vni not vxlan', 'unexpected "not": expected "&&", "||" or the end of the filter', 'not'],
      ['vxlan.vni contains', 'missing value after "contains"', '', 18],
      ['ip.src === ', 'missing value after "==="', '', 11],
      ['vxlan.vni == {1}', 'missing value after "=="', '{'],
      ['ip.src [0:2] == 1', 'unexpected "[": expected "&&", "||" or the end of the filter', '['],
      ['len (ip.src)', 'unexpected "(": expected "&&", "||" or the end of the filter', '('],
      ['all "x"', 'unexpected ""x"": expected "&&", "||" or the end of the filter', '"x"'],
      ['arp && "x"', 'a test must start with a field or a protocol, not a literal', '"x"'],
    ]);
  });

  it('the "not in" operator is one span; keywords are case-insensitive', () => {
    expectErrors([
      ['arp not in {1}', '"not in" cannot be used with the protocol arp; a protocol can be tested for presence, ==, contains or matches', 'not in'],
      ['ip.note NOT IN {1}', 'ip.note has no value: it can only be tested for presence', 'NOT IN'],
    ]);
    check(vxlanTcpFrame(), {
      'vxlan.vni EQ 101': true,
      'vxlan.vni Any_Eq 101': true,
      'vxlan.vni NOT IN {101}': false,
      'vxlan.vni not in {102}': true,
      'tcp AND NOT arp': true,
      'tcp and not arp': true,
      'arp OR tcp': true,
      'tcp XOR vxlan': false,
      'any ip.ttl == 63': true,
      'ALL ip.ttl == 63': false,
      'vxlan.vni all_ne 102': true,
    });
  });

  it('layer selections', () => {
    expectErrors([
      ['ip.src#[1', 'expected "," or "]" in the layer selection but found the end of the filter', '', 9],
      ['ip.src#[1 2]', 'expected "," or "]" in the layer selection but found "2"', '2'],
      ['ip.src#[1,]', 'expected a layer number in "[...]" but found "]"', ']'],
      ['ip.src#[x]', '"x" is not a layer number or range', 'x'],
      ['ip.src#', 'expected a layer number after "#" but found the end of the filter', '', 7],
      ['ip.src#(', 'expected a layer number after "#" but found "("', '('],
      ['ip.src#2:0', 'a layer count after ":" must be at least 1', '2:0'],
      ['ip.src#[2:0]', 'a layer count after ":" must be at least 1', '2:0'],
      ['ip.src#1-0', 'layers are counted from 1 (the outermost); use -1 for the innermost', '1-0'],
      ['ip.src#x.y == 1', '"x.y" is not a layer number or range', 'x.y'],
      ['ip.src#1x', '"1x" is not a layer number or range', '1x'],
      ['ip.src#x1', '"x1" is not a layer number or range', 'x1'],
      ['ip.src#1:2:3', '"1:2:3" is not a layer number or range', '1:2:3'],
    ]);
    check(vxlanTcpFrame(), { 'ip.src#1:2 == 172.16.0.1': true, 'ip.src#2:1 == 10.0.0.1': false, 'ip.src#1:1 == 172.16.0.1': false, 'ip.src#[2] == 172.16.0.1': true });
  });

  it('sets and ranges', () => {
    expectErrors([
      ['vxlan.vni in {,1}', 'missing set element before ","', ','],
      ['vxlan.vni in {1,,2}', 'missing set element before ","', ',', 16],
      ['vxlan.vni in {1 == 2}', 'unexpected "==" in a set', '=='],
      ['vxlan.vni in {1 (}', 'unexpected "(" in a set', '('],
      ['vxlan.vni in {..5}', 'missing lower bound of the range', '..5'],
      ['vxlan.vni in {1 ..}', 'missing upper bound of the range', '}'],
      ['vxlan.vni in {1.. }', 'missing upper bound of the range', '}'],
      ['vxlan.vni in {1 ..', 'missing upper bound of the range', '', 18],
      ['vxlan.vni in {1 .. ==', 'missing upper bound of the range', '=='],
      ['vxlan.vni in {1..foo}', '"foo" is not a valid unsigned integer for vxlan.vni', 'foo'],
      ['vxlan.vni in {1 ..foo}', '"foo" is not a valid unsigned integer for vxlan.vni', 'foo'],
      ['vxlan.vni in {5..1}', 'empty range: the lower bound is greater than the upper bound', '5..1'],
      ['vxlan.vni in {}', 'empty set "{}"', '{}'],
      ['vxlan.vni in {1', 'unclosed "{": missing "}"', '{'],
    ]);
    check(vxlanTcpFrame(), {
      'vxlan.vni in {100.. 110}': true,
      'vxlan.vni in {100 ..110}': true,
      'vxlan.vni in {100 .. 110}': true,
      'vxlan.vni in {101..101}': true,
      'vxlan.vni in {0..101}': true,
      'vxlan.vni in {0..100}': false,
      'vxlan.vni in {102..200}': false,
      'vxlan.vni in {1, 101}': true,
      'vxlan.vni in {1 2 3}': false,
      'all ip.ttl in {63 64}': true,
      'all ip.ttl in {63}': false,
      'ip.ttl in {63}': true,
      'ip.ttl not in {63}': false,
      'ip.src in {10.0.0.0/8}': true,
      'ip.src#2 in {10.0.0.0/8, 1.2.3.4}': false,
      'ip.src#2 in {10.0.0.0/8, 172.16.0.1}': true,
    });
  });

  it('the empty filter is refused by the parser itself (compileFilter accepts it as "everything")', () => {
    const err = errorOf(() => parseFilter('  '), '  ');
    assert.equal(err.reason, 'the filter is empty');
    assert.equal(err.position, 2);
  });
});

describe('filter errors: checker messages in full', () => {
  it('literals on the wrong side or of the wrong kind', () => {
    expectErrors([
      ['"abc" == "def"', 'a test must start with a field or a protocol, not a literal', '"abc"'],
      ["'a'", 'a test must start with a field or a protocol, not a literal', "'a'"],
      ['10.0.0.1 == 10.0.0.2', '"10.0.0.1" is not a valid field', '10.0.0.1'],
      ['1 == foo.bar', '"1" is not a valid protocol or field', '1'],
      ['vxlan.vni == foo#2', '"foo" is not a valid protocol or field', 'foo'],
      ['.ip.srx', '"ip.srx" is not a valid field; did you mean "ip.src"?', '.ip.srx'.slice(0, 7)],
      ["ip.src == 'a'", "'a' is not a valid IPv4 address for ip.src", "'a'"],
      ["ipv6.src == 'a'", "'a' is not a valid IPv6 address for ipv6.src", "'a'"],
      ["eth.src == 'a'", "'a' is not a valid Ethernet address for eth.src (write aa:bb:cc:dd:ee:ff)", "'a'"],
      ['eth.src == "ab"', '"ab" is not a valid Ethernet address for eth.src (write aa:bb:cc:dd:ee:ff)', '"ab"'],
      ["tcp.flags.syn == 'a'", "'a' is not a valid boolean for tcp.flags.syn; use True, False, 1 or 0", "'a'"],
      ['tcp.flags.syn == ip.sr', '"ip.sr" is not a valid boolean for tcp.flags.syn; use True, False, 1 or 0, nor a known field; did you mean "ip.src"?', 'ip.sr'],
      ['ipv6.src == 1::/129', '"/129" is not a valid IPv6 prefix length (0-128) for ipv6.src', '1::/129'],
      ['ip.src == 1.2.3.4/8x', '"/8x" is not a valid IPv4 prefix length (0-32) for ip.src', '1.2.3.4/8x'],
      ['ip.src == .foo', '".foo" is not a valid IPv4 address for ip.src, nor a known field', '.foo'],
      ['ip.src == foo', '"foo" is not a valid IPv4 address for ip.src', 'foo'],
      ['ip.src == a-b', '"a-b" is not a valid IPv4 address for ip.src', 'a-b'],
      ['udp.payload contains zz', '"zz" is not a valid byte sequence for udp.payload contains (write aa:bb:cc or "text")', 'zz'],
      ['udp.payload contains ip.sr', '"ip.sr" is not a valid byte sequence for udp.payload contains (write aa:bb:cc or "text"), nor a known field; did you mean "ip.src"?', 'ip.sr'],
      ["udp.payload contains 'ā'", 'a character used as a byte must be below 256', "'ā'"],
      ['udp contains 1:2:3:4:5:zz', '"1:2:3:4:5:zz" is not a valid byte sequence for udp (write aa:bb:cc or "text")', '1:2:3:4:5:zz'],
      ['udp.payload == 0x', '"0x" is not a valid byte sequence for udp.payload (write aa:bb:cc or "text")', '0x'],
      ['vxlan.vni == ip.sr', '"ip.sr" is not a valid unsigned integer for vxlan.vni, nor a known field; did you mean "ip.src"?', 'ip.sr'],
      ['vxlan.vni == ip.src#2', 'vxlan.vni (unsigned integer) cannot be compared with ip.src (IPv4 address)', 'ip.src#2'],
      ['vxlan.vni == foo#2', '"foo" is not a valid protocol or field', 'foo', 13],
      ['vxlan.vni == 12#2', '"12" is not a valid protocol or field', '12', 13],
      [':arp', '":arp" is not a valid protocol or field; did you mean "arp"?', ':arp'],
      ['any and arp', '"any" is not a valid protocol or field', 'any'],
      ['ip.adr == 1.2.3.4', '"ip.adr" is not a valid field; did you mean "ip.addr"?', 'ip.adr'],
    ]);
  });

  it('a leading "." marks a field and a leading ":" a literal, except in "::"', () => {
    check(vxlanTcpFrame(), {
      '.ip.src#1 == 10.0.0.1': true,
      'ip.src == .ip.src': true,
      'ip.src#1 == .ip.dst#1': false,
      'ip.src == :10.0.0.1': true,
      'ip.src#2 == :10.0.0.1': false,
      'udp.payload contains :08:00': true,
    });
    check(buildFrame([['ipv6', { src: '::1' }]]), { 'ipv6.src == ::1': true, 'ipv6.src == ::2': false, 'ipv6.src == ::/127': true });
  });

  it('networks with each equality operator', () => {
    check(vxlanTcpFrame(), {
      'ip.src == 10.0.0.0/8': true,
      'ip.src != 10.0.0.0/8': false, // the outer source is in it
      'ip.src ~= 10.0.0.0/8': true, // the inner one is not
      'ip.src === 10.0.0.0/8': false,
      'ip.src#1 === 10.0.0.0/8': true,
      'ip.src#2 != 10.0.0.0/8': true,
      'ip.src#2 == 172.16.0.0/31': true,
      'ip.src#2 == 172.16.0.2/31': false,
    });
    check(buildFrame([['ipv6', { src: '2001:db8::1' }]]), { 'ipv6.src != 2001:db8::/32': false, 'ipv6.src ~= 2001:db9::/32': true, 'ipv6.src in {2001:db9::/32 2001:db8::/64}': true, 'ipv6.src in {2001:db9::/32}': false });
  });

  it('operators and fields that do not fit', () => {
    expectErrors([
      ['ip.src == 1.2.3.4/8 && ip.src > 1.2.3.0/24', 'a network prefix can only be compared with == or !=, not ">"', '1.2.3.0/24'],
      ['udp == 1 && udp < 1', '"<" cannot be used with the protocol udp; a protocol can be tested for presence, ==, contains or matches', '<'],
      ['udp in {1}', '"in" cannot be used with the protocol udp; a protocol can be tested for presence, ==, contains or matches', 'in'],
      ['udp == ip.src', 'the protocol udp cannot be compared with a field', 'ip.src'],
      ['udp matches "("', 'invalid regular expression: Unterminated group', '"("'],
      ["udp matches 'a'", '"matches" needs a regular expression in double quotes', "'a'"],
      ['vxlan.vni == ip.src', 'vxlan.vni (unsigned integer) cannot be compared with ip.src (IPv4 address)', 'ip.src'],
      ['vxlan.vni == udp', 'vxlan.vni (unsigned integer) cannot be compared with udp (protocol)', 'udp', 13],
      ['vxlan.vni matches ip.src', '"matches" cannot be used with vxlan.vni (unsigned integer): it needs a string, byte or protocol field', 'matches'],
      ['eth.src matches "a"', '"matches" cannot be used with eth.src (Ethernet address): it needs a string, byte or protocol field', 'matches'],
      ['vxlan.vni contains 1', '"contains" cannot be used with vxlan.vni (unsigned integer): it needs a string, byte or protocol field', 'contains'],
      ['ip.src == ip.note', 'ip.src (IPv4 address) cannot be compared with ip.note (label)', 'ip.note'],
      ['ip.note', '', ''],
      ['tcp.flags.syn < 1', '"<" cannot be used with tcp.flags.syn (boolean): it has no order; use == or !=', '<'],
      ['tcp.flags.syn in {0..1}', 'a range cannot be used with tcp.flags.syn (boolean): it has no order', '0..1'],
      ['ip.src in {10.0.0.0/8..10.1.0.0}', 'a range bound must be a single value, not a network', '10.0.0.0/8'],
      ['ip.src in {10.0.0.1..10.0.0.0/8}', 'a range bound must be a single value, not a network', '10.0.0.0/8'],
      ['eth.src in {aa:bb:cc:dd:ee:ff..aa:bb:cc:dd:ee:fe}', 'empty range: the lower bound is greater than the upper bound', 'aa:bb:cc:dd:ee:ff..aa:bb:cc:dd:ee:fe'],
      ['dns.qry.name matches dns.qry.name', '"matches" needs a regular expression in double quotes, not a field', 'dns.qry.name', 21],
      ['vxlan.vni in vxlan.vni', 'expected "{" after "in" but found "vxlan.vni"', 'vxlan.vni', 13],
      ['dns.qry.name == ip.src', 'dns.qry.name (character string) cannot be compared with ip.src (IPv4 address)', 'ip.src'],
      ['tcp.flags.syn == vxlan.vni && vxlan.vni != ip.ttl && ip.ttl == ip.note', 'ip.ttl (unsigned integer) cannot be compared with ip.note (label)', 'ip.note'],
    ].filter(([filter]) => filter !== 'ip.note') as ErrorCase[]);
    assert.equal(compileFilter('ip.note').matches(vxlanTcpFrame()), false);
  });

  it('tenants', () => {
    expectErrors([
      ['tenant == vxlan:1..nvgre:2', 'a tenant range needs one type and two IDs, e.g. vxlan:100..200', 'vxlan:1..nvgre:2'],
      ['tenant == vxlan..vxlan:5', 'a tenant range needs one type and two IDs, e.g. vxlan:100..200', 'vxlan..vxlan:5'],
      ['tenant in {vxlan:1..nvgre}', 'a tenant range needs one type and two IDs, e.g. vxlan:100..200', 'vxlan:1..nvgre'],
      ['tenant == vxlan:99999999', '"99999999" is not a valid tenant ID (vxlan ids go up to 16777215)', '99999999'],
      ['tenant == gre:0x1ffffffff', '"0x1ffffffff" is not a valid tenant ID (gre ids go up to 4294967295)', '0x1ffffffff'],
      ['tenant == "vxlan:x"', '"x" is not a valid tenant ID (write a number such as 101 or 0x65)', '"vxlan:x"'],
      ['tenant in {vxlan:1..2..3}', '"2..3" is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID', '2..3'],
      ['tenant#1 == vxlan:1', '"tenant" has no layers: it is the innermost encapsulation\'s tenant', '#1'],
      ['tenant contains 1', '"contains" cannot be used with tenant; use ==, != or in', 'contains'],
      ['tenant < vxlan:1', '"<" cannot be used with tenant; use ==, != or in', '<'],
      ['tenant == ""', '"" is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID', '""'],
      ['tenant in {1}', '"1" is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID', '1'],
      ['tenant in {vxlan:5..3}', 'empty range: the lower bound is greater than the upper bound', 'vxlan:5..3'],
      ['tenant == vxlan:5..3', 'empty range: the lower bound is greater than the upper bound', 'vxlan:5..3'],
    ]);
  });
});

describe('filter nesting limits at their boundaries', () => {
  it(`${MAX_FILTER_DEPTH} levels of "(" and "!" are accepted, one more is refused at the extra one`, () => {
    const ok = '('.repeat(MAX_FILTER_DEPTH) + 'arp' + ')'.repeat(MAX_FILTER_DEPTH);
    assert.equal(compileFilter(ok).matches(vxlanArpFrame()), true);
    const tooDeep = '('.repeat(MAX_FILTER_DEPTH + 1) + 'arp' + ')'.repeat(MAX_FILTER_DEPTH + 1);
    const err = errorOf(() => compileFilter(tooDeep), 'too deep');
    assert.equal(err.reason, `too deeply nested: more than ${MAX_FILTER_DEPTH} levels of "(" and "!"`);
    assert.equal(err.position, MAX_FILTER_DEPTH);
    assert.equal(compileFilter('!'.repeat(MAX_FILTER_DEPTH) + 'arp').matches(vxlanArpFrame()), true); // an even count
    assert.equal(errorOf(() => compileFilter('!'.repeat(MAX_FILTER_DEPTH + 1) + 'arp'), '!').position, MAX_FILTER_DEPTH);
    // "(" and "!" both count, and leaving a level gives it back
    assert.equal(compileFilter(`${'(!'.repeat(MAX_FILTER_DEPTH / 2)}arp${')'.repeat(MAX_FILTER_DEPTH / 2)}`).matches(vxlanArpFrame()), true);
    const siblings = Array.from({ length: 3 }, () => '('.repeat(MAX_FILTER_DEPTH) + 'arp' + ')'.repeat(MAX_FILTER_DEPTH)).join(' && ');
    assert.equal(compileFilter(siblings).matches(vxlanArpFrame()), true);
    const negated = Array.from({ length: 3 }, () => '!'.repeat(MAX_FILTER_DEPTH) + 'arp').join(' && ');
    assert.equal(compileFilter(negated).matches(vxlanArpFrame()), true);
  });

  it(`a chain of ${MAX_FILTER_CHAIN} "&&"/"||"/"^^" is accepted, one more is refused at the extra operator`, () => {
    const chain = (n: number): string => Array.from({ length: n + 1 }, (_, i) => (i % 2 === 0 ? 'arp' : 'vxlan')).join(' && ');
    assert.equal(compileFilter(chain(MAX_FILTER_CHAIN)).matches(vxlanArpFrame()), true);
    const err = errorOf(() => compileFilter(chain(MAX_FILTER_CHAIN + 1)), 'chain');
    assert.equal(err.reason, `too deeply nested: more than ${MAX_FILTER_CHAIN} "&&", "||" and "^^"`);
    assert.equal(err.position, chain(MAX_FILTER_CHAIN).length + 1);
    assert.equal(err.length, 2);
  });
});

describe('filter evaluation: occurrences, layers and protocol bytes', () => {
  const tcp = vxlanTcpFrame(); // ip.ttl 64 (outer) and 63 (inner)

  it('a literal on the left mirrors each ordering', () => {
    check(tcp, {
      '64 >= ip.ttl#1': true,
      '64 > ip.ttl#1': false,
      '63 <= ip.ttl#2': true,
      '63 < ip.ttl#2': false,
      '64 > ip.ttl': true,
      '62 < ip.ttl#2': true,
      '10.0.0.1 != ip.src#1': false,
      '10.0.0.1 === ip.src': false,
      '10.0.0.1 !== ip.src': true,
    });
  });

  it('the last layer is counted per frame, not remembered from the previous one', () => {
    const f = compileFilter('ip.src#-1 == 172.16.0.1');
    const single = buildFrame([['eth'], ['ip', { src: '172.16.0.1' }]]);
    assert.deepEqual([tcp, single, tcp, single].map((d) => f.matches(d)), [true, true, true, true]);
    const g = compileFilter('ip.src#-2 == 10.0.0.1');
    assert.deepEqual([tcp, single, tcp].map((d) => g.matches(d)), [true, false, true]);
  });

  it('negative bounds in ranges, with and without the tree', () => {
    for (const d of [tcp, vxlanTcpFrame({ wantTree: false })]) {
      check(d, { 'ip#[-2--1]': true, 'ip#[-1--1]': true, 'ip#[3-4]': false, 'ip#-3': false, 'ip#[-3--1]': true, 'ip#[-5--3]': false, 'ip#[2-5]': true, 'ip#[1:5]': true });
    }
    check(tcp, {
      'ip.src#[-2--1] == 10.0.0.1': true,
      'ip.src#[-1--1] == 10.0.0.1': false,
      'ip.src#[1--2] == 172.16.0.1': false,
      'ip.src#[1--1] == 172.16.0.1': true,
      'ip.src#-3 == 10.0.0.1': false,
      'ip.src#2': true,
      'ip.src#3': false,
      'ip.src#[3,1]': true,
      'ip.src#[3,4]': false,
    });
  });

  it('"all" with a layer needs an occurrence in that layer; a field absent there fails == and != alike', () => {
    check(tcp, {
      'all ip.ttl#2 == 63': true,
      'all ip.ttl#2 == 64': false,
      'all ip.ttl#3 == 1': false,
      'ip.src#3 != 1.2.3.4': false,
      'ip.src#3 == 1.2.3.4': false,
      'all ip.ttl#[1-2] > 62': true,
      'all ip.ttl#[1-2] > 63': false,
      'any ip.ttl#[1-2] > 63': true,
    });
  });

  it('field against field: any pair, all pairs, and layers on either side', () => {
    check(tcp, {
      'ip.ttl#1 > ip.ttl#2': true,
      'ip.ttl > ip.ttl#2': true,
      'all ip.ttl > ip.ttl#2': false,
      'all ip.ttl >= ip.ttl#2': true,
      'ip.ttl#2 >= ip.ttl': true,
      'ip.ttl#2 > ip.ttl': false,
      'ip.ttl#3 == ip.ttl': false,
      'ip.ttl#3 != ip.ttl': false,
      'ip.ttl != ip.ttl#3': false,
      'ip.ttl == ip.ttl#3': false,
      'ip.ttl == ip.ttl': true,
      'ip.ttl != ip.ttl': false, // each value equals itself in one pair
      'ip.ttl ~= ip.ttl': true, // and differs from the other in another
      'ip.ttl < ip.ttl': true,
      'ip.ttl#1 < ip.ttl#1': false,
      'ip.ttl#1 <= ip.ttl#1': true,
      'all ip.ttl == ip.ttl': false,
      'arp.opcode == arp.opcode': false,
      'arp.opcode != arp.opcode': false,
      'vxlan.vni > ip.ttl': true,
      'vxlan.vni < ip.ttl': false,
      'tcp.flags.syn == tcp.flags.ack': false,
      'tcp.flags.syn != tcp.flags.ack': true,
      'tcp.flags.syn == 1 && tcp.flags.syn == tcp.flags.syn': true,
      'eth.src contains eth.src': true,
    });
    const eth = buildFrame([['eth', { src: 'aa:bb:cc:dd:ee:ff', dst: 'bb:cc:dd:ee:ff:00' }]]);
    check(eth, { 'eth.src contains eth.dst': false, 'eth.src == eth.dst': false, 'eth.src < eth.dst': true, 'eth.src > eth.dst': false, 'eth.src != eth.dst': true });
    const payloads = buildFrame([['udp', { payload: ['ab:bc:cd', 'bc:cd'] }]]);
    check(payloads, { 'udp.payload contains udp.payload': true, 'all udp.payload contains udp.payload': false });
    // "b:bc" sits inside "ab:bc:cd" but not on a byte boundary
    const shifted = buildFrame([['udp', { payload: 'ab:bc:cd' }], ['udp', { payload: '0b:bc' }], ['udp', { payload: 'bc:cd' }]]);
    check(shifted, { 'udp.payload#1 contains udp.payload#2': false, 'udp.payload#1 contains udp.payload#3': true, 'udp.payload#1 contains "\\xbc\\xcd"': true, 'udp.payload#1 contains cd': true, 'udp.payload#1 contains c:cd': false });
    const names = buildFrame([['dns', { 'qry.name': 'www.example.com' }], ['dns', { 'qry.name': 'example' }]]);
    check(names, { 'dns.qry.name contains dns.qry.name': true, 'dns.qry.name#2 contains dns.qry.name#1': false, 'dns.qry.name#1 contains dns.qry.name#2': true });
  });

  it('protocol bytes: any layer for == and contains, every layer for !=', () => {
    const two = buildFrame([['eth'], ['udp', {}, [1, 2, 3]], ['ip'], ['udp', {}, [4, 5, 6]]]);
    check(two, {
      'udp == 01:02:03': true,
      'udp == 04:05:06': true,
      'udp != 01:02:03': false,
      'udp != 07:08:09': true,
      'udp ~= 01:02:03': true,
      'udp === 01:02:03': false,
      'udp#2 == 04:05:06': true,
      'udp#1 == 04:05:06': false,
      'udp#3 == 04:05:06': false,
      'udp#3 != 04:05:06': false,
      'all udp contains 02': false,
      'udp contains 05:06': true, // the needle ends at the layer's last byte
      'udp contains 06:07': false,
      'udp contains 03:00': false, // the next layer's bytes are not the protocol's
      'udp contains 01': true,
      'udp contains 01:02:03:04': false,
      'udp matches "^\\x04\\x05"': true,
      'udp matches "\\x03$"': true,
      'all udp matches "\\x05"': false,
      'udp == 01:02': false,
      'udp == 01:02:03:04': false,
    });
  });

  it('"frame" is the whole captured frame, whatever bytes its own node covers', () => {
    const d = buildFrame([['frame', { number: 1 }, [0xaa]], ['eth', {}, [0xbb, 0xcc]]]);
    check(d, { 'frame contains bb:cc': true, 'frame == aa:bb:cc': true, 'frame contains aa:bb': true, 'eth contains aa': false });
  });

  it('matches reads a protocol longer than one conversion chunk to its end', () => {
    const bytes = new Array<number>(10000).fill(0x2e);
    bytes.push(0x5a, 0x59);
    const d = buildFrame([['udp', {}, bytes]]);
    check(d, { 'udp matches "ZY$"': true, 'udp matches "^\\\\.{10000}ZY"': true, 'udp matches "YZ"': false });
  });

  it('regular expression flags: case-insensitive unless (?-i), and a leading (?i) is accepted', () => {
    const dns = buildFrame([['dns', { 'qry.name': 'www.Example.com' }]]);
    check(dns, {
      'dns.qry.name matches "(?i)EXAMPLE"': true,
      'dns.qry.name matches "(?-i)Example"': true,
      'dns.qry.name matches "(?-i)EXAMPLE"': false,
      'dns.qry.name matches EXAMPLE': true,
      'all dns.qry.name matches "www"': true,
    });
    const payload = buildFrame([['udp', { payload: '41:42' }]]);
    check(payload, { 'udp.payload matches "ab"': true, 'udp.payload matches "(?-i)ab"': false, 'udp.payload matches "^AB$"': true });
  });
});

describe('filter compiled form: names read and the need for a tree', () => {
  it('field-to-field comparisons list both sides with their sources', () => {
    assert.deepEqual([...compileFilter('udp.port > tcp.port').fields].sort(), ['tcp.dstport', 'tcp.port', 'tcp.srcport', 'udp.dstport', 'udp.port', 'udp.srcport']);
    assert.deepEqual([...compileFilter('!(ip.src == ip.dst#2) ^^ arp').fields].sort(), ['arp', 'ip.dst', 'ip.src']);
  });

  it('the tree is needed as soon as one side of a logical operator reads a field', () => {
    const cases: Record<string, boolean> = {
      'arp || ip.src': true,
      'ip.src || arp': true,
      'arp ^^ ip.src': true,
      'ip.src && arp': true,
      'not ip.src': true,
      'not arp': false,
      'arp ^^ vxlan': false,
      'arp && vxlan#2': false,
      'tenant || arp': false,
      frame: true,
      'ip.src': true,
      'udp == 01:02': true,
      'vxlan.vni == 1': true,
    };
    for (const [filter, needsTree] of Object.entries(cases)) assert.equal(compileFilter(filter).needsTree, needsTree, filter);
  });
});

describe('filter evaluation: values that do not read as their field type', () => {
  // A dissector that stored the wrong kind of value: no comparison, range or network may accept it.
  const odd = buildFrame([
    ['eth', { src: 5 as unknown as string }],
    ['ip', { src: 'x', ttl: 5 }],
    ['ipv6', { src: 5 as unknown as string }],
    ['udp', { payload: 5 as unknown as string }],
    ['vxlan', { vni: '?', flags: '?' }],
  ]);

  it('fail every ordering, set, network and containment test', () => {
    check(odd, {
      'vxlan.vni == 5': false,
      'vxlan.vni < 5': false,
      'vxlan.vni <= 5': false,
      'vxlan.vni > 5': false,
      'vxlan.vni >= 5': false,
      'vxlan.vni in {0..200}': false,
      'vxlan.vni in {0 5}': false,
      'vxlan.vni > ip.ttl': false,
      'vxlan.vni >= ip.ttl': false,
      'vxlan.vni < ip.ttl': false,
      'vxlan.vni <= ip.ttl': false,
      'ip.ttl > vxlan.vni': false,
      'ip.ttl < vxlan.vni': false,
      'vxlan.vni == vxlan.flags': false,
      'ip.src == 0.0.0.0/0': false,
      'ipv6.src == ::/0': false,
      'udp.payload contains 00': false,
      'eth.src contains 00': false,
      'udp.payload contains udp.payload': false,
      'eth.src contains eth.src': false,
    });
  });
});

describe('filter literals: characters and full-length prefixes', () => {
  it('a character is a byte, a string of one letter, or an integer', () => {
    check(vxlanTcpFrame(), { "udp.payload contains 'e'": true, "udp.payload contains 'f'": false, "udp.payload contains '\\x08'": true, "udp.payload contains '\\x06'": false });
    check(buildFrame([['dns', { 'qry.name': 'www.Example.com' }]]), { "dns.qry.name contains 'E'": true, "dns.qry.name contains 'e'": true, "dns.qry.name contains 'z'": false, "dns.qry.name == 'w'": false });
  });

  it('a /32 or /128 prefix is the address itself', () => {
    check(buildFrame([['ipv6', { src: '2001:db8::1' }]]), { 'ipv6.src == 2001:db8::1/128': true, 'ipv6.src == 2001:db8::2/128': false, 'ipv6.src != 2001:db8::1/128': false });
    check(vxlanTcpFrame(), { 'ip.src#1 == 10.0.0.1/32': true, 'ip.src#1 == 10.0.0.2/32': false, 'ip.src < 10.0.0.2/32': true });
  });
});

describe('filter compiled form: blank filters and the fast path', () => {
  it('a blank filter reads nothing, needs no tree and keeps its text', () => {
    const blank = compileFilter(' \t');
    assert.deepEqual([blank.text, [...blank.fields], blank.needsTree, blank.matches(vxlanArpFrame({ wantTree: false }))], [' \t', [], false, true]);
  });

  it('a filter that reads fields refuses a dissection without a tree, naming itself', () => {
    assert.throws(() => compileFilter('ip.src == 1.2.3.4').matches(vxlanArpFrame({ wantTree: false })), {
      message: 'display filter "ip.src == 1.2.3.4" reads fields: dissect with wantTree = true',
    });
    assert.equal(compileFilter('ip.src == 192.168.1.10').matches(vxlanArpFrame({ wantTree: true })), true);
  });
});

describe('filter evaluation: shared fields and cut frames', () => {
  it('an alias and one of its sources in the same filter each read their own fields', () => {
    check(vxlanTcpFrame(), {
      'ip.addr == 10.0.0.1 && ip.src == 10.0.0.1': true,
      'ip.src == 10.0.0.1 && ip.addr == 10.0.0.2': true,
      'ip.dst == 10.0.0.2 && ip.addr == 172.16.0.1 && ip.src == 172.16.0.1': true,
      'ip.src == 10.0.0.2 || ip.addr == 10.0.0.3': false,
    });
  });

  it('protocol bytes stop at the captured length', () => {
    const d = new Dissection();
    d.wantTree = true;
    d.reset(Uint8Array.from([0xee, 1, 2, 3, 4, 5, 6]), 1, 3, 6); // 6 bytes on the wire, 3 captured
    d.pushLayer(protocolByName('udp')!, 1, 7);
    check(d, { 'udp == 01:02:03': true, 'udp contains 03': true, 'udp contains 04': false, 'udp contains 03:04': false, 'udp matches "\\x04"': false });
  });
});

describe('filter lexer: exact errors and what strings hold', () => {
  it('each string and character error with its span', () => {
    expectErrors([
      ['dns.qry.name == "a\\x"', '"\\x" must be followed by one or two hex digits', '\\x'],
      ['dns.qry.name == "a\\xg1"', '"\\x" must be followed by one or two hex digits', '\\x'],
      ['dns.qry.name == "\\777"', 'octal escape "\\777" is larger than one byte', '\\777'],
      ['dns.qry.name == "\\400"', 'octal escape "\\400" is larger than one byte', '\\400'],
      ['dns.qry.name == "\\u12"', '"\\u" must be followed by 4 hex digits of a code point', '\\u12"'],
      ['dns.qry.name == "\\U0011ffff"', '"\\U" must be followed by 8 hex digits of a code point', '\\U0011ffff'],
      ['dns.qry.name == "\\U0000zz41"', '"\\U" must be followed by 8 hex digits of a code point', '\\U0000zz41'],
      ['dns.qry.name == "abc\\', 'unterminated string: missing closing \'"\'', '\\'],
      ['dns.qry.name == "abc', 'unterminated string: missing closing \'"\'', '"abc'],
      ['dns.qry.name == r"a\\"b', 'unterminated string: missing closing \'"\'', 'r"a\\"b'],
      ['dns.qry.name == "a\\q"', 'unknown escape sequence "\\q"', '\\q'],
      ["vxlan.vni == ''", 'empty character literal', "''"],
      ["vxlan.vni == '", 'empty character literal', "'"],
      ["vxlan.vni == 'ab'", 'unterminated character literal: missing closing "\'"', "'a"],
      ["vxlan.vni == 'a", 'unterminated character literal: missing closing "\'"', "'a"],
      ["vxlan.vni == '😀", 'unterminated character literal: missing closing "\'"', "'😀"],
      ["vxlan.vni == '\\x41", 'unterminated character literal: missing closing "\'"', "'\\x41"],
      ['arp | vxlan', '"|" is not an operator; use "||"', '|'],
      ['arp & vxlan', '"&" is not an operator; use "&&"', '&'],
      ['arp $ vxlan', 'unexpected character "$"', '$'],
    ]);
  });

  it('raw strings: a backslash stays, \\" and \\\\ do not end or shorten the string', () => {
    const d = buildFrame([['dns', { 'qry.name': 'a\\"b\\\\c\\d' }]]);
    check(d, {
      'dns.qry.name == r"a\\"b\\\\c\\d"': true,
      'dns.qry.name == "a\\\\\\"b\\\\\\\\c\\\\d"': true,
      'dns.qry.name contains R"\\d"': true,
      'dns.qry.name contains r"\\\\c"': true,
      'dns.qry.name contains r"b\\c"': false,
    });
  });

  it('characters beyond 16 bits, Unicode escapes as UTF-8, byte escapes as single bytes', () => {
    check(buildFrame([['vxlan', { vni: 0x1f600 }]]), { "vxlan.vni == '😀'": true, "vxlan.vni == '\\U0001F600'": true, "vxlan.vni == '\\u00e9'": false });
    const payload = buildFrame([['udp', { payload: 'c3:a9:e9:00' }]]);
    check(payload, {
      'udp.payload contains "é"': true,
      'udp.payload contains "\\u00e9"': true,
      'udp.payload contains "\\xe9\\x00"': true,
      'udp.payload contains "\\351"': true,
      'udp.payload contains "\\0"': true,
      'udp.payload contains "\\xc3\\xa9\\xe9"': true,
      'udp.payload contains "\\xe9\\xe9"': false,
    });
    check(buildFrame([['dns', { 'qry.name': 'x😀y' }]]), { 'dns.qry.name == "x😀y"': true, 'dns.qry.name == "x\\U0001f600y"': true });
  });
});

describe('filter evaluation: layer ranges counted from the end, and the first layer', () => {
  it('a range with one bound from the end and one from the start', () => {
    const tcp = vxlanTcpFrame(); // two IPv4 layers
    for (const d of [tcp, vxlanTcpFrame({ wantTree: false })]) {
      check(d, { 'ip#[-1-1]': false, 'ip#[2-1]': false, 'ip#[-1-2]': true, 'ip#[-2-1]': true, eth: true, 'eth#1': true, 'tcp || vxlan': true });
    }
    check(tcp, {
      'ip.src#[-1-2] == 10.0.0.1': false,
      'ip.src#[-1-2] == 172.16.0.1': true,
      'ip.src#[-2-1] == 172.16.0.1': false,
      'ip.src#[-2-1] == 10.0.0.1': true,
      'ip.src#[-1-1] == 172.16.0.1': false,
      'ip.src#[2-1] == 172.16.0.1': false,
    });
  });

  it('a field without a value (a flag only present) reads as true', () => {
    const d = buildFrame([['tcp', { 'flags.syn': undefined as unknown as boolean }], ['ip'], ['tcp', { 'flags.syn': false }]]);
    check(d, { 'tcp.flags.syn == 1': true, 'tcp.flags.syn#1 == 1': true, 'tcp.flags.syn#1 == tcp.flags.syn#1': true, 'tcp.flags.syn#1 != tcp.flags.syn#2': true, 'tcp.flags.syn#2 == tcp.flags.syn#1': false });
  });
});
