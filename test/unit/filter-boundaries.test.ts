// Display filter behaviour at the edges that the main filter tests do not reach: each case here was written
// for a mutant that survived `npm run mutation -- filter` (a changed operator or constant that no test saw).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter, FilterError, formatFilterErrorCaret } from '../../src/filter';
import { closestName } from '../../src/filter/errors';
import { ipv6DnsFrame, vxlanTcpFrame } from './filter-fixtures';
import {
  boolKey, bytesKey, bytesToColonHex, colonHexToBytes, etherKey, ipv4Key, ipv6Key, ipv6PrefixMatches, parseBytes, parseEther,
  parseInteger, parseIPv4, parseIPv4Network, parseIPv6, parseIPv6Network, parseNumber, stringKey, uintKey,
} from '../../src/filter/literals';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { compileErrorOf } from './filter-assertions';

const errorOf = compileErrorOf;

describe('filter errors: names and carets', () => {
  it('the error is named FilterError', () => {
    assert.equal(errorOf('foo').name, 'FilterError');
  });

  it('a line break in the filter is shown as a space so the carets stay under the text', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'arp\n&& foo', 7, 3)), 'arp && foo\n       ^^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'a\r\nfoo', 3, 3)), 'a  foo\n   ^^^');
  });

  it('a position past the end pads with spaces beyond the text', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'ab', 4, 0)), 'ab\n    ^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'ab', 2, 0)), 'ab\n  ^');
  });

  it('the carets cover the offending text but never run past the end', () => {
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 1, 2)), 'abcdef\n ^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 4, 9)), 'abcdef\n    ^^');
    assert.equal(formatFilterErrorCaret(new FilterError('x', 'abcdef', 0, 0)), 'abcdef\n^');
  });
});

describe('filter errors: the closest known name (Damerau-Levenshtein, optimal string alignment)', () => {
  it('an exact match ignoring case', () => {
    assert.equal(closestName('IP.SRC', ['ip.dst', 'ip.src']), 'ip.src');
  });

  it('an adjacent swap counts as one edit', () => {
    // Levenshtein distance 2 would be over the limit of 1 for a three-letter name.
    assert.equal(closestName('tpc', ['tcp', 'arp']), 'tcp');
    assert.equal(closestName('upd', ['udp']), 'udp');
    assert.equal(closestName('ab', ['ba']), 'ba');
    assert.equal(closestName('xtpc', ['xtcp']), 'xtcp');
    assert.equal(closestName('tpcx', ['tcpx']), 'tcpx');
  });

  it('insertions, deletions and substitutions each count as one edit', () => {
    assert.equal(closestName('vxln', ['vxlan']), 'vxlan');
    assert.equal(closestName('vxlaan', ['vxlan']), 'vxlan');
    assert.equal(closestName('vxlen', ['vxlan']), 'vxlan');
    assert.equal(closestName('abcdef', ['abxdey']), 'abxdey');
    assert.equal(closestName('abcdefghi', ['abcXeYghZ']), 'abcXeYghZ');
    assert.equal(closestName('abcdefghi', ['aXcXeXgXi']), undefined); // 4 edits, limit 3
  });

  it('the distance counts every edit, not just the first or last row', () => {
    assert.equal(closestName('abcdef', ['zzzdef', 'abcdez']), 'abcdez');
    assert.equal(closestName('abcdef', ['abcdez', 'zzzdef']), 'abcdez');
    assert.equal(closestName('abcdef', ['abcfed']), 'abcfed');
    assert.equal(closestName('abcdef', ['bacdfe']), 'bacdfe');
    assert.equal(closestName('abcdef', ['badcfe']), undefined); // three swaps, limit 2
    assert.equal(closestName('abcdefgh', ['abcdefhg', 'abcdefgh1']), 'abcdefgh1');
  });

  it('a swap needs the two letters swapped, not merely present', () => {
    assert.equal(closestName('ax', ['ya']), undefined);
    assert.equal(closestName('xa', ['ay']), undefined);
    assert.equal(closestName('xabc', ['abc']), 'abc'); // delete the first letter
    assert.equal(closestName('abcx', ['abc']), 'abc');
    assert.equal(closestName('abc', ['acd']), undefined); // two substitutions
    assert.equal(closestName('abcd', ['acbx']), undefined);
    assert.equal(closestName('abcd', ['bcda']), undefined);
    assert.equal(closestName('aab', ['aba']), 'aba');
    assert.equal(closestName('abcdef', ['acbdfe']), 'acbdfe');
  });

  it('of two equally close names the alphabetically first, whatever the order given', () => {
    assert.equal(closestName('ip.sr', ['ip.srb', 'ip.src', 'ip.sra']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.sra', 'ip.src', 'ip.srb']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.src', 'ip.sra']), 'ip.sra');
    assert.equal(closestName('ip.sr', ['ip.sra', 'ip.src']), 'ip.sra');
  });

  it('a closer name wins over an earlier one', () => {
    assert.equal(closestName('abcdef', ['abcxyf', 'abcdxf']), 'abcdxf');
    assert.equal(closestName('abcdef', ['abcdxf', 'abcxyf']), 'abcdxf');
  });

  it('nothing when no name is within a third of the length (at least one edit)', () => {
    assert.equal(closestName('ab', ['xy']), undefined);
    assert.equal(closestName('a', ['b']), 'b');
    assert.equal(closestName('abc', ['abcde']), undefined); // length differs by more than the limit
    assert.equal(closestName('abcdef', ['abcdefgh']), 'abcdefgh');
    assert.equal(closestName('abcdef', ['abcdefghi']), undefined);
    assert.equal(closestName('abc', []), undefined);
  });
});

describe('filter literals: integers as strtoul base 0 reads them', () => {
  it('each base, its prefix and its digits', () => {
    const cases: [string, number | null][] = [
      ['0', 0], ['7', 7], ['10', 10], ['-10', -10], ['0x1f', 31], ['0X1F', 31], ['0x', null], ['0xg', null],
      ['0b101', 5], ['0B11', 3], ['0b', null], ['0b2', null], ['017', 15], ['-017', -15], ['08', null], ['00', 0],
      ['012345670', 0o12345670], ['1a', null], ['', null], ['-', null], [' 1', null], ['1 ', null], ['0x 1', null],
      ['9007199254740991', 9007199254740991], ['9007199254740992', null], ['0x20000000000000', null],
    ];
    for (const [text, expected] of cases) assert.equal(parseInteger(text), expected, JSON.stringify(text));
  });

  it('fractions and exponents for numeric fields', () => {
    const cases: [string, number | null][] = [
      ['1.5', 1.5], ['-1.5', -1.5], ['.5', 0.5], ['1.', 1], ['1e3', 1000], ['1E-3', 0.001], ['1.5e+2', 150], ['-2e2', -200],
      ['1.2.3', null], ['e3', null], ['1e', null], ['abc', null], ['0x10', 16], ['1.5x', null], ['x1.5', null], ['1e3x', null], ['x1e3', null],
    ];
    for (const [text, expected] of cases) assert.equal(parseNumber(text), expected, JSON.stringify(text));
  });
});

describe('filter literals: IPv4 and IPv6 against Node\'s own address parser', () => {
  const v4 = ['0.0.0.0', '255.255.255.255', '10.0.0.1', '1.2.3.4', '256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.-4', '01.2.3.4', '1.2.3.1234', '1..3.4', 'a.b.c.d', '1.2.3.4 '];
  it('IPv4 addresses: valid exactly when Node accepts them, as a 32-bit number', () => {
    for (const text of v4) {
      const ours = parseIPv4(text);
      // Wireshark (inet_pton) accepts leading zeros as decimal; Node does not.
      const valid = isIPv4(text) || text === '01.2.3.4';
      assert.equal(ours !== null, valid, text);
      if (ours !== null) assert.equal(ours, text.split('.').reduce((n, o) => n * 256 + Number(o), 0), text);
    }
  });

  it('IPv4 networks match exactly the addresses Node\'s BlockList puts in the subnet', () => {
    const addresses = ['10.0.0.0', '10.0.0.1', '10.255.255.255', '11.0.0.0', '9.255.255.255', '10.1.2.3', '192.168.1.128', '192.168.1.127', '0.0.0.0', '255.255.255.255'];
    for (const [base, bits] of [['10.0.0.0', 8], ['10.1.2.3', 32], ['192.168.1.128', 25], ['192.168.1.0', 24], ['0.0.0.0', 0], ['10.0.0.0', 31], ['10.1.2.3', 16]] as const) {
      const network = parseIPv4Network(`${base}/${bits}`);
      assert.ok(typeof network !== 'string', `${base}/${bits}`);
      assert.equal(network.bits, bits);
      assert.equal(network.address, parseIPv4(base));
      const list = new BlockList();
      list.addSubnet(base, bits, 'ipv4');
      for (const address of addresses) {
        const inside: boolean = ((parseIPv4(address)! & network.mask) >>> 0) === network.network;
        assert.equal(inside, list.check(address, 'ipv4'), `${address} in ${base}/${bits}`);
      }
    }
    assert.deepEqual(parseIPv4Network('1.2.3.4'), { address: 0x01020304, bits: 32, network: 0x01020304, mask: 0xffffffff });
    assert.equal(parseIPv4Network('1.2.3.4/33'), '"/33" is not a valid IPv4 prefix length (0-32)');
    assert.equal(parseIPv4Network('1.2.3.4/123'), '"/123" is not a valid IPv4 prefix length (0-32)');
    assert.equal(parseIPv4Network('1.2.3.4/x'), '"/x" is not a valid IPv4 prefix length (0-32)');
    assert.equal(parseIPv4Network('1.2.3.4/'), '"/" is not a valid IPv4 prefix length (0-32)');
    assert.equal(parseIPv4Network('1.2.3/8'), '"1.2.3" is not a valid IPv4 address');
  });

  const v6 = [
    '::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', 'fe80::1:2', 'FE80::ABCD',
    '::ffff:1.2.3.4', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', ':1', '1:', ':',
    '12345::', 'g::', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3', '::256.1.1.1', '1.2.3.4', '::1.2.3.4:5', '1:::2', '0:0:0:0:0:0:0:0',
    '2001:db8:0:0:0:0:0:53', '2001:0db8:0000:0000:0000:0000:0000:0053', 'a'.repeat(46),
  ];
  it('IPv6 addresses: valid exactly when Node accepts them, expanded to 32 hex digits', () => {
    for (const text of v6) {
      const ours = parseIPv6(text);
      assert.equal(ours !== null, isIPv6(text), text);
      if (ours === null) continue;
      // Node's URL parser prints the address compressed; both expansions must agree.
      const node = new URL(`http://[${text}]/`).hostname.slice(1, -1);
      assert.equal(parseIPv6(node), ours, `${text} (Node: ${node})`);
      assert.match(ours, /^[0-9a-f]{32}$/);
    }
    assert.equal(parseIPv6('2001:db8::53'), '20010db8000000000000000000000053');
    assert.equal(parseIPv6('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
    assert.equal(parseIPv6('1::'), '00010000000000000000000000000000');
  });

  it('IPv6 prefixes match exactly the addresses Node\'s BlockList puts in the subnet', () => {
    const addresses = ['2001:db8::', '2001:db8::1', '2001:db9::', '2001:db8:8000::', '2001:db8:7fff::', '2001:db8:c000::', 'fe80::1', '::', 'ffff::'];
    for (const [base, bits] of [['2001:db8::', 32], ['2001:db8::', 33], ['2001:db8::', 34], ['2001:db8::', 35], ['2001:db8::', 31], ['2001:db8::', 30], ['2001:db8::', 29], ['2001:db8:8000::', 33], ['2001:db8:c000::', 34], ['::', 0], ['2001:db8::1', 128], ['fe80::', 10], ['2001:db8::', 36]] as const) {
      const network = parseIPv6Network(`${base}/${bits}`);
      assert.ok(typeof network !== 'string', `${base}/${bits}`);
      assert.equal(network.bits, bits);
      const list = new BlockList();
      list.addSubnet(base, bits, 'ipv6');
      for (const address of addresses) {
        assert.equal(ipv6PrefixMatches(parseIPv6(address)!, network.address, bits), list.check(address, 'ipv6'), `${address} in ${base}/${bits}`);
      }
    }
    assert.deepEqual(parseIPv6Network('::1'), { address: '00000000000000000000000000000001', bits: 128 });
    assert.equal(parseIPv6Network('::1/129'), '"/129" is not a valid IPv6 prefix length (0-128)');
    assert.equal(parseIPv6Network('::1/1234'), '"/1234" is not a valid IPv6 prefix length (0-128)');
    assert.equal(parseIPv6Network('::1/'), '"/" is not a valid IPv6 prefix length (0-128)');
    assert.equal(parseIPv6Network('::g/8'), '"::g" is not a valid IPv6 address');
  });
});

describe('filter literals: byte strings and Ethernet addresses in Wireshark\'s spellings', () => {
  it('colons, dashes, dotted groups and plain hex', () => {
    const cases: [string, string | null][] = [
      ['aa:bb:cc', 'aa:bb:cc'], ['AA-BB-CC', 'aa:bb:cc'], ['a:b:c', '0a:0b:0c'], ['aabb.ccdd', 'aa:bb:cc:dd'], ['aabbcc', 'aa:bb:cc'],
      ['aa', 'aa'], ['a', '0a'], ['aa:bb-cc', null], ['aab', null], ['aa::bb', null], ['aa:', null], ['zz', null], ['aa.b', null], ['', null],
      ['aabb.cc', 'aa:bb:cc'], ['.aa', null], ['aa.', null],
    ];
    for (const [text, expected] of cases) assert.equal(parseBytes(text), expected, JSON.stringify(text));
  });

  it('an Ethernet address is exactly six bytes', () => {
    assert.equal(parseEther('02:00:00:00:00:0A'), '02:00:00:00:00:0a');
    assert.equal(parseEther('0200.0000.000a'), '02:00:00:00:00:0a');
    assert.equal(parseEther('02-00-00-00-00-0a'), '02:00:00:00:00:0a');
    assert.equal(parseEther('02000000000a'), '02:00:00:00:00:0a');
    assert.equal(parseEther('02:00:00:00:00'), null);
    assert.equal(parseEther('02:00:00:00:00:00:01'), null);
  });

  it('bytes to and from colon hex', () => {
    assert.equal(bytesToColonHex(Uint8Array.from([0, 0xab, 0x0c])), '00:ab:0c');
    assert.equal(bytesToColonHex(new Uint8Array(0)), '');
    assert.deepEqual([...colonHexToBytes('00:ab:0c')], [0, 0xab, 0x0c]);
    assert.deepEqual([...colonHexToBytes('')], []);
  });
});

describe('filter literals: dissected values as comparison keys', () => {
  it('integers and booleans', () => {
    assert.equal(uintKey(5), 5);
    assert.equal(uintKey(true), 1);
    assert.equal(uintKey(false), 0);
    assert.equal(uintKey('0x10'), 16);
    assert.equal(uintKey('1.25'), 1.25);
    assert.equal(uintKey('x'), null);
    assert.deepEqual([true, false, 2, 0, 'True', 'FALSE', '1', '0', 'yes'].map(boolKey), [1, 0, 1, 0, 1, 0, 1, 0, null]);
  });

  it('addresses in any spelling, canonical or not', () => {
    assert.equal(ipv4Key('10.0.0.1'), 0x0a000001);
    assert.equal(ipv4Key(0xffffffff | 0), 0xffffffff);
    assert.equal(ipv4Key(true), null);
    assert.equal(ipv4Key('10.0.0'), null);
    assert.equal(ipv6Key('2001:DB8::1'), '20010db8000000000000000000000001');
    assert.equal(ipv6Key('2001:DB8::1'), '20010db8000000000000000000000001'); // remembered
    assert.equal(ipv6Key('nope'), null);
    assert.equal(ipv6Key(5), null);
    assert.equal(etherKey('02:00:00:00:00:0a'), '02:00:00:00:00:0a');
    assert.equal(etherKey('02:00:00:00:00:0A'), '02:00:00:00:00:0a');
    assert.equal(etherKey('0200.0000.000a'), '02:00:00:00:00:0a');
    assert.equal(etherKey(1), null);
    assert.equal(bytesKey('aa:bb'), 'aa:bb');
    assert.equal(bytesKey('AABB'), 'aa:bb');
    assert.equal(bytesKey(''), '');
    assert.equal(bytesKey(false), null);
    assert.equal(bytesKey(5), null);
    assert.equal(stringKey('x'), 'x');
    assert.equal(stringKey(12), '12');
    assert.equal(stringKey(true), 'true');
  });

  it('many distinct IPv6 values: the memo forgets and still answers right', () => {
    for (let i = 0; i < 5000; i++) assert.equal(ipv6Key(`2001:db8::${i.toString(16)}`), `20010db8${'0'.repeat(20)}${i.toString(16).padStart(4, '0')}`);
    assert.equal(ipv6Key('2001:db8::1'), '20010db8000000000000000000000001');
  });
});

describe('filter literals: what each pattern leaves out', () => {
  it('integers: nothing before the prefix, nothing after the digits', () => {
    for (const text of ['100x1f', '0x1fg', '0b0b11', '0b12', '019', '1e3']) assert.equal(parseInteger(text), null, text);
  });

  it('fractions: several digits on each side and in the exponent, signs optional', () => {
    const cases: [string, number][] = [['12.5', 12.5], ['.55', 0.55], ['1.5e2', 150], ['1.5e10', 1.5e10], ['12e2', 1200], ['1e10', 1e10], ['-12.25', -12.25]];
    for (const [text, expected] of cases) assert.equal(parseNumber(text), expected, text);
  });

  it('prefix lengths: digits only, and an address before the slash', () => {
    for (const text of ['1.2.3.4/1x', '1.2.3.4/x1', '1.2.3.4/+8']) assert.match(String(parseIPv4Network(text)), /is not a valid IPv4 prefix length/, text);
    for (const text of ['::1/1x', '::1/x1', '::1/+8']) assert.match(String(parseIPv6Network(text)), /is not a valid IPv6 prefix length/, text);
    assert.equal(parseIPv4Network('/8'), '"" is not a valid IPv4 address');
    assert.equal(parseIPv6Network('/8'), '"" is not a valid IPv6 address');
  });

  it('IPv6: "::" stands for at least one group', () => {
    for (const text of ['1:2:3:4::5:6:7:8', '1:2:3:4:5:6:7::8', '1::2:3:4:5:6:7:8']) {
      assert.equal(parseIPv6(text), null, text);
      assert.equal(isIPv6(text), false, text);
    }
  });

  it('an Ethernet address that is not hex at all', () => {
    assert.equal(parseEther('zz'), null);
    assert.equal(parseEther('02:00:00:00:00:zz'), null);
  });
});

describe('filter lexer: spaces, strings, escapes and characters', () => {
  const dns = ipv6DnsFrame();
  const tcp = vxlanTcpFrame();
  const matches = (filter: string, d = dns) => compileFilter(filter).matches(d);

  it('tabs, line breaks and carriage returns separate tokens like spaces', () => {
    assert.equal(matches('udp.dstport\t==\n53\r', dns), true);
    assert.equal(matches('udp\r\n&&\tipv6', dns), true);
  });

  it('escapes in strings: simple, hex, octal and Unicode', () => {
    for (const text of ['"www.Example.com"', '"www\\x2eExample.com"', '"www\\x2EExample\\x2ecom"', '"www\\056Example.com"', '"www\\u002eExample.com"', '"www\\U0000002eExample.com"', '"\\x77ww.Example.com"', '"\\167ww.Example.com"']) {
      assert.equal(matches(`dns.qry.name == ${text}`), true, text);
    }
    assert.equal(matches('dns.qry.name == "www\\x2"'), false);
    assert.equal(matches('dns.qry.name contains "\\x2e"'), true);
    assert.equal(matches('dns.qry.name contains "\\x2eE"'), true);
    assert.equal(matches('dns.qry.name contains "\\56E"'), true);
    assert.equal(matches('dns.qry.name contains "\\t"'), false);
    assert.equal(matches('dns.qry.name matches "\\\\.com$"'), true);
  });

  it('raw strings keep backslashes, with either r or R', () => {
    assert.equal(matches('dns.qry.name matches r"\\.com$"'), true);
    assert.equal(matches('dns.qry.name matches R"\\.com$"'), true);
    assert.equal(matches('dns.qry.name matches r"\\.org$"'), false);
  });

  it('character literals are their code', () => {
    assert.equal(matches("vxlan.vni == 'e'", tcp), true); // 101
    assert.equal(matches("vxlan.vni == 'f'", tcp), false);
    assert.equal(matches("vxlan.vni == '\\x65'", tcp), true);
    assert.equal(matches("vxlan.vni == '\\145'", tcp), true);
    assert.equal(matches("vxlan.vni == '\\u0065'", tcp), true);
    assert.equal(matches("vxlan.vni < '\\n'", tcp), false);
    assert.equal(matches("tcp.dstport == 'P'", tcp), true); // 80
  });

  it('errors in strings and characters name what is wrong', () => {
    assert.match(errorOf('dns.qry.name == "a\\x"').reason, /"\\x" must be followed by one or two hex digits/);
    assert.match(errorOf('dns.qry.name == "a\\xg1"').reason, /"\\x" must be followed/);
    assert.match(errorOf('dns.qry.name == "\\777"').reason, /octal escape "\\777" is larger than one byte/);
    assert.match(errorOf('dns.qry.name == "\\u12"').reason, /"\\u" must be followed by 4 hex digits/);
    assert.match(errorOf('dns.qry.name == "\\U0011ffff"').reason, /"\\U" must be followed by 8 hex digits/);
    assert.match(errorOf('dns.qry.name == "abc\\').reason, /unterminated string/);
    assert.match(errorOf("vxlan.vni == ''").reason, /empty character literal/);
    assert.match(errorOf("vxlan.vni == 'ab'").reason, /unterminated character literal/);
    assert.match(errorOf("vxlan.vni == '").reason, /empty character literal/);
    assert.match(errorOf('arp | vxlan').reason, /"\|" is not an operator; use "\|\|"/);
  });
});
