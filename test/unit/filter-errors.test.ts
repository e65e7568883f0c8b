import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFilterErrorCaret, formatFilterErrorLine, validateFilter } from '../../src/filter';
import './filter-fixtures';
import { compileErrorOf } from './filter-assertions';

/** Compiles a bad filter and returns its error, failing if it compiles. */
const errorOf = compileErrorOf;

/** Asserts the error's reason (a substring) and that it points at `offending`, found at its `nth` place. */
function expectError(filter: string, reason: string | RegExp, offending: string, position?: number): void {
  const err = errorOf(filter);
  if (typeof reason === 'string') assert.ok(err.reason.includes(reason), `${filter}: "${err.reason}" should include "${reason}"`);
  else assert.match(err.reason, reason);
  const at = position ?? filter.indexOf(offending);
  assert.equal(err.position, at, `${filter}: position of "${offending}" (${err.message})`);
  assert.equal(err.length, offending.length, `${filter}: length of "${offending}" (${err.message})`);
}

describe('display filter errors point at the offending text', () => {
  it('unknown fields, with the closest known name', () => {
    expectError('ip.sorce == 10.0.0.1', '"ip.sorce" is not a valid field; did you mean "ip.src"?', 'ip.sorce');
    expectError('udp && vxlan.vnii == 1', 'did you mean "vxlan.vni"?', 'vxlan.vnii');
    expectError('IP.SRC == 1.2.3.4', 'did you mean "ip.src"?', 'IP.SRC');
    expectError('foo', '"foo" is not a valid protocol or field', 'foo');
    expectError('tennant == vxlan:1', 'did you mean "tenant"?', 'tennant');
    assert.ok(!errorOf('quux.frobnicate').reason.includes('did you mean'));
  });

  it('literals that do not fit the field type', () => {
    expectError('ip.src == 10.0.0.256', '"10.0.0.256" is not a valid IPv4 address for ip.src', '10.0.0.256');
    expectError('ip.src == 10.0.0.0/33', 'prefix length', '10.0.0.0/33');
    expectError('ip.src == ip.dts', 'nor a known field; did you mean "ip.dst"?', 'ip.dts');
    expectError('vxlan.vni == abc', 'not a valid unsigned integer for vxlan.vni', 'abc');
    expectError('vxlan.vni == -1', 'negative', '-1');
    expectError('vxlan.vni == 08', 'not a valid unsigned integer', '08'); // octal has no 8
    expectError('eth.src == aa:bb:cc', 'not a valid Ethernet address', 'aa:bb:cc');
    expectError('ipv6.src == 1::2::3', 'not a valid IPv6 address', '1::2::3');
    expectError('tcp.flags.syn == 2', 'not a valid boolean', '2');
    expectError('vxlan.vni == "101"', 'a string cannot be compared', '"101"');
    expectError('tenant == foo:1', 'not a valid tenant', 'foo:1');
    expectError('tenant == vxlan:abc', 'not a valid tenant ID', 'abc');
    expectError('dns.qry.name matches "("', 'invalid regular expression', '"("');
  });

  it('operators that do not fit the field type', () => {
    expectError('arp < 1', '"<" cannot be used with the protocol arp', '<');
    expectError('ip.src contains 1', '"contains" cannot be used with ip.src', 'contains');
    expectError('tcp.flags.syn > 0', 'has no order', '>');
    expectError('ip.note == 1', 'can only be tested for presence', '==');
    expectError('tenant > vxlan:1', 'cannot be used with tenant', '>');
    expectError('udp.port == udp', 'cannot be compared with udp (protocol)', 'udp', 12);
    expectError('ip.src >= 10.0.0.0/8', 'network prefix can only be compared with == or !=', '10.0.0.0/8');
  });

  it('missing operands and values', () => {
    expectError('vxlan.vni ==', 'missing value after "=="', '', 12);
    expectError('ip.src == 1.2.3.4 &&', 'missing operand after "&&"', '', 20);
    expectError('&& arp', 'missing operand before "&&"', '&&');
    expectError('arp and or vxlan', 'missing operand after "and"', 'or');
    expectError('!', 'missing operand after "!"', '', 1);
    expectError('tcp.port in 80', 'expected "{" after "in"', '80');
    expectError('vxlan.vni in {1..}', 'missing upper bound', '}');
    expectError('vxlan.vni in {}', 'empty set', '{}');
  });

  it('unbalanced parentheses and braces', () => {
    expectError('(arp || vxlan', 'unclosed "(": missing ")"', '(');
    expectError('vxlan && ((arp) || tcp', 'unclosed "("', '(', 9);
    expectError('arp)', 'unbalanced ")"', ')');
    expectError('()', 'empty parentheses', '()');
    expectError('vxlan.vni in {1 2', 'unclosed "{"', '{');
  });

  it('trailing garbage and stray characters', () => {
    expectError('arp vxlan', 'unexpected "vxlan": expected "&&", "||" or the end of the filter', 'vxlan');
    expectError('ip.src == 1.2.3.4 ip.dst == 1.2.3.4', 'unexpected "ip.dst"', 'ip.dst');
    expectError('arp @ 1', 'unexpected character "@"', '@');
    expectError('arp & vxlan', 'use "&&"', '&');
    expectError('tcp.port = 80', '"=" is not a comparison; use "=="', '=');
    expectError('ip.src[0:2] == 1', 'slices', '[');
    expectError('len(ip.src) == 1', 'functions', 'len(');
  });

  it('unterminated strings and bad escapes', () => {
    expectError('dns.qry.name == "abc', 'unterminated string', '"abc');
    expectError('dns.qry.name == "a\\q"', 'unknown escape sequence "\\q"', '\\q');
    expectError("vxlan.vni == 'a", 'unterminated character literal', "'a");
  });

  it('bad layer selections', () => {
    expectError('ip.src#0 == 1.2.3.4', 'layers are counted from 1', '0');
    expectError('ip.src#x == 1.2.3.4', 'not a layer number', 'x');
    expectError('tenant#2', '"tenant" has no layers', '#2');
  });
});

describe('display filter error formatting', () => {
  it('one line for the UI, with a 1-based column', () => {
    const err = errorOf('ip.sorce == 10.0.0.1');
    assert.equal(formatFilterErrorLine(err), '"ip.sorce" is not a valid field; did you mean "ip.src"? (at column 1)');
    assert.equal(err.message, formatFilterErrorLine(err));
    assert.equal(err.filter, 'ip.sorce == 10.0.0.1');
  });

  it('two lines for the CLI: the filter and carets under the offending text', () => {
    assert.equal(formatFilterErrorCaret(errorOf('udp && vxlan.vni == abc')), 'udp && vxlan.vni == abc\n                    ^^^');
    // something missing at the end: one caret just past the text
    assert.equal(formatFilterErrorCaret(errorOf('arp &&')), 'arp &&\n      ^');
    // tabs are kept so the carets line up in a terminal
    assert.equal(formatFilterErrorCaret(errorOf('arp &&\tfoo')), 'arp &&\tfoo\n      \t^^^');
  });

  it('validateFilter returns the error instead of throwing', () => {
    assert.equal(validateFilter('vxlan.vni == 5'), null);
    assert.equal(validateFilter('vxlan.vni == ')?.position, 13);
  });
});
