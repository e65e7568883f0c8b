import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter } from '../../src/filter';
import { buildFrame, greFrame, ipv6DnsFrame, vxlanArpFrame, vxlanTcpFrame } from './filter-fixtures';
import { check } from './filter-assertions';

describe('display filter: comparison operators', () => {
  const tcp = vxlanTcpFrame();

  it('symbolic and C-like comparisons on integers', () => {
    check(tcp, {
      'vxlan.vni == 101': true,
      'vxlan.vni eq 101': true,
      'vxlan.vni any_eq 101': true,
      'vxlan.vni == 102': false,
      'vxlan.vni != 102': true,
      'vxlan.vni ne 101': false,
      'vxlan.vni < 102': true,
      'vxlan.vni lt 101': false,
      'vxlan.vni <= 101': true,
      'vxlan.vni le 100': false,
      'vxlan.vni > 100': true,
      'vxlan.vni gt 101': false,
      'vxlan.vni >= 101': true,
      'vxlan.vni ge 102': false,
      'udp.dstport==4789': true,
    });
  });

  it('integer literals in decimal, hex, octal and binary', () => {
    check(tcp, {
      'vxlan.vni == 0x65': true,
      'vxlan.vni == 0X65': true,
      'vxlan.vni == 0145': true, // octal, as Wireshark's strtoul base 0
      'vxlan.vni == 0b1100101': true,
      'vxlan.flags == 8': true,
      "vxlan.vni == 'e'": true, // character constant 101
    });
  });

  it('IPv4 ordering compares numerically, not as text', () => {
    check(tcp, {
      'ip.dst#1 > 10.0.0.1': true,
      'ip.dst#1 < 9.255.255.255': false,
      'ip.src#2 > 100.0.0.0': true, // "172..." > "100..." numerically and textually
      'ip.src#1 < 9.0.0.0': false, // "10.0.0.1" < "9.0.0.0" as text, but not as numbers
      'ip.src#1 >= 10.0.0.1 && ip.src#1 <= 10.0.0.1': true,
    });
  });

  it('=== (all equal) and !== / ~= (any not equal)', () => {
    check(tcp, {
      'ip.ttl === 64': false, // the inner header has 63
      'ip.ttl !== 64': true,
      'ip.ttl ~= 64': true,
      'ip.ttl all_eq 64': false,
      'ip.ttl any_ne 63': true,
      'ip.ttl#1 === 64': true,
      'vxlan.vni === 101': true,
      'vxlan.vni !== 101': false,
    });
  });

  it('booleans: True/False/1/0, and presence means the field exists (as in Wireshark)', () => {
    check(tcp, {
      'tcp.flags.syn == 1': true,
      'tcp.flags.syn == True': true,
      'tcp.flags.syn == true': true,
      'tcp.flags.ack == 0': true,
      'tcp.flags.ack == False': true,
      'tcp.flags.ack == 1': false,
      'tcp.flags.ack': true,
      'tcp.flags.syn && !tcp.flags.ack': false, // the ack field is present (with value 0)
      'tcp.flags.syn == 1 && tcp.flags.ack == 0': true,
    });
  });

  it('field compared with field', () => {
    check(tcp, {
      'udp.srcport > udp.dstport': true,
      'tcp.srcport == tcp.dstport': false,
      'ip.src#1 == ip.dst#1': false,
      'ip.src#1 != ip.dst#1': true,
      'ip.ttl#2 < ip.ttl#1': true,
    });
    const loop = buildFrame([['ip', { src: '127.0.0.1', dst: '127.0.0.1' }]]);
    check(loop, { 'ip.src == ip.dst': true, 'ip.src <= ip.dst': true });
  });

  it('a literal on the left reads as the mirrored comparison', () => {
    check(tcp, { '101 == vxlan.vni': true, '100 < vxlan.vni': true, '200 < vxlan.vni': false });
  });
});

describe('display filter: logic and precedence', () => {
  const tcp = vxlanTcpFrame();
  const arp = vxlanArpFrame();

  it('!, &&, ||, ^^ and their word forms', () => {
    check(tcp, {
      'tcp && vxlan': true,
      'tcp and arp': false,
      'arp || tcp': true,
      'arp or gre': false,
      '!arp': true,
      'not tcp': false,
      'tcp ^^ arp': true,
      'tcp xor vxlan': false,
      'NOT arp AND tcp': true,
    });
  });

  it('! binds tighter than && which binds tighter than ||', () => {
    // `!arp && udp || gre` is `((!arp) && udp) || gre`
    check(tcp, { '!arp && udp || gre': true, '!tcp && udp || gre': false, '!(tcp && udp) || gre': false });
    // `tcp || arp && gre` is `tcp || (arp && gre)`: true on the TCP frame, false on the ARP frame
    check(tcp, { 'tcp || arp && gre': true, '(tcp || arp) && gre': false });
    check(arp, { 'tcp || arp && gre': false, 'gre || tcp || arp && !gre': true });
    // `!!x` and nested parentheses
    check(arp, { '!!arp': true, '((arp))': true, '!(!(arp && (vxlan.vni == 102)))': true });
  });
});

describe('display filter: several occurrences and layers', () => {
  const tcp = vxlanTcpFrame(); // ip.src 10.0.0.1 (outer) and 172.16.0.1 (inner)

  it('== is true if any occurrence equals; != only if all differ', () => {
    check(tcp, {
      'ip.src == 172.16.0.1': true,
      'ip.src == 10.0.0.1': true,
      'ip.src != 10.0.0.1': false, // the outer one equals
      'ip.src != 1.2.3.4': true,
      '!(ip.src == 10.0.0.1)': false,
      'any ip.src != 10.0.0.1': true,
      'all ip.src == 10.0.0.1': false,
      'all ip.ttl > 60': true,
      'all ip.ttl > 63': false,
    });
  });

  it('a comparison with an absent field is false, for == and != alike', () => {
    check(tcp, {
      'arp.opcode == 1': false,
      'arp.opcode != 1': false,
      '!(arp.opcode == 1)': true,
      'arp.opcode in {1 2}': false,
      'arp.opcode not in {1 2}': true, // "not in" is the negation of "in"
      'ipv6.src == ::1': false,
      'ipv6.src != ::1': false,
    });
  });

  it('layer selection: #n, #-1, #[a-b], #[a:count] and protocols', () => {
    check(tcp, {
      'ip.src#1 == 10.0.0.1': true,
      'ip.src#1 == 172.16.0.1': false,
      'ip.src#2 == 172.16.0.1': true,
      'ip.src#2 == 10.0.0.1': false,
      'ip.src#3 == 10.0.0.1': false,
      'ip.src#-1 == 172.16.0.1': true,
      'ip.src#[1-2] == 172.16.0.1': true,
      'ip.src#[2:1] == 10.0.0.1': false,
      'ip.src#[1,2] == 10.0.0.1': true,
      'ip.src#2 != 10.0.0.1': true,
      'eth.src#2 == aa:bb:cc:00:00:01': true,
      'eth.src#1 == aa:bb:cc:00:00:01': false,
      'ip#2': true,
      'ip#3': false,
      'eth#-1 && tcp#1': true,
      'udp#2': false,
      'ip.addr#1 == 10.0.0.2': true,
      'ip.addr#2 == 10.0.0.2': false,
      'ip.addr#2 == 172.16.0.2': true,
    });
  });

  it('ip.addr, eth.addr, tcp.port and udp.port cover source and destination', () => {
    check(tcp, {
      'ip.addr == 172.16.0.2': true,
      'ip.addr == 10.0.0.1 && ip.addr == 172.16.0.2': true,
      'ip.addr != 10.0.0.1': false,
      'eth.addr == 02:00:00:00:00:02': true,
      'tcp.port == 80': true,
      'tcp.port == 40000': true,
      'udp.port == 4789': true,
      'udp.port == 53': false,
    });
  });
});

describe('display filter: addresses and literal kinds', () => {
  it('IPv4 networks in CIDR notation', () => {
    const tcp = vxlanTcpFrame();
    check(tcp, {
      'ip.src == 10.0.0.0/8': true,
      'ip.src#2 == 10.0.0.0/8': false,
      'ip.dst#2 == 172.16.0.0/12': true,
      'ip.dst#2 == 172.32.0.0/12': false,
      'ip.src == 0.0.0.0/0': true,
      'ip.src#1 != 10.0.0.0/8': false,
      'ip.src#1 == 10.0.0.1/32': true,
    });
  });

  it('IPv6: compression and case are normalised, prefixes work', () => {
    const dns = ipv6DnsFrame();
    check(dns, {
      'ipv6.src == 2001:db8::1': true,
      'ipv6.src == 2001:0db8:0000:0000:0000:0000:0000:0001': true,
      'ipv6.src == 2001:DB8::1': true,
      'ipv6.dst == 2001:db8::53': true,
      'ipv6.dst == 2001:db8::/32': true,
      'ipv6.dst == 2001:db9::/32': false,
      'ipv6.dst == 2001:db8::/33': true,
      'ipv6.src < ipv6.dst': true,
      'ipv6.src > 2001:db8::': true,
      'ipv6.src in {2001:db8::..2001:db8::ff}': true,
      'ipv6.src == ::ffff:10.0.0.1': false,
    });
  });

  it('MAC addresses in all of Wireshark\'s spellings, case-insensitive', () => {
    const tcp = vxlanTcpFrame(); // inner eth.src is stored in upper case
    check(tcp, {
      'eth.src == aa:bb:cc:00:00:01': true,
      'eth.src == AA:BB:CC:00:00:01': true,
      'eth.src == aa-bb-cc-00-00-01': true,
      'eth.src == aabb.cc00.0001': true,
      'eth.src == aabbcc000001': true,
      'eth.dst == aa:bb:cc:00:00:02': true,
      'eth.src contains bb:cc': true,
      'eth.src contains cc:0': true, // "0" is the byte 00
      'eth.src contains cc:01': false,
    });
  });

  it('frame pseudo-fields, including a fractional time', () => {
    const dns = ipv6DnsFrame();
    check(dns, {
      'frame.number == 7': true,
      'frame.len > 64': true,
      'frame.time_relative > 1.2': true,
      'frame.time_relative < 1.25': false,
      'frame': true,
    });
  });
});

describe('display filter: sets and ranges', () => {
  const tcp = vxlanTcpFrame();
  const arp = vxlanArpFrame();

  it('integer sets, with or without commas, and ranges', () => {
    check(tcp, {
      'udp.dstport in {4789 8472}': true,
      'udp.dstport in {4789, 8472}': true,
      'udp.dstport in {53,80}': false,
      'vxlan.vni in {100..110}': true,
      'vxlan.vni in {1 .. 100}': false,
      'vxlan.vni in {1..100, 101}': true,
      'vxlan.vni in {0x60..0x70}': true,
      'vxlan.vni not in {100..110}': false,
      'tcp.port in {22 80 443}': true,
    });
    check(arp, { 'udp.dstport in {4789 8472}': true, 'udp.dstport in {4789}': false });
  });

  it('address sets, networks and ranges', () => {
    check(tcp, {
      'ip.src in {10.0.0.0/8 192.168.0.0/16}': true,
      'ip.src#2 in {10.0.0.0/8 192.168.0.0/16}': false,
      'ip.dst in {172.16.0.1..172.16.0.9}': true,
      'ip.dst in {172.16.0.3..172.16.0.9}': false,
      'eth.dst in {ff:ff:ff:ff:ff:ff 02:00:00:00:00:02}': true,
    });
  });

  it('string sets', () => {
    check(ipv6DnsFrame(), { 'dns.qry.name in {"a.org" "www.Example.com"}': true, 'dns.qry.name in {"www.example.com"}': false });
  });
});

describe('display filter: strings, bytes and protocols', () => {
  const dns = ipv6DnsFrame();
  const tcp = vxlanTcpFrame();

  it('contains and matches on strings', () => {
    check(dns, {
      'dns.qry.name contains "Example"': true,
      'dns.qry.name contains "example"': false, // contains is case-sensitive
      'dns.qry.name contains Example': true,
      'dns.qry.name matches "example\\\\.com$"': true, // matches is case-insensitive, as in Wireshark
      'dns.qry.name matches "(?-i)example"': false,
      'dns.qry.name ~ "^www"': true,
      'dns.qry.name == "www.Example.com"': true,
      'dns.qry.name != "www.Example.com"': false,
      'dns.qry.name > "www.A"': true,
      'dns.qry.name == "www.\\x45xample.com"': true,
      'dns.qry.name == r"www.Example.com"': true,
    });
  });

  it('contains on byte fields is byte-aligned', () => {
    check(tcp, {
      'udp.payload contains 00:65': true,
      'udp.payload contains 08:00': true,
      'udp.payload contains 0:6': false, // 00:06 is not there
      'udp.payload contains 08-00-00': true,
      'udp.payload == 08:00:00:00:00:00:65:00': true,
      'udp.payload == 08:00:00:00:00:00:65': false,
      'udp.payload contains "e"': true, // the string's bytes: 0x65
      'udp.payload contains 65:00:00': false,
    });
  });

  it('protocols compare as their raw bytes', () => {
    check(tcp, {
      'udp contains 81:60:03': true,
      'udp contains 60:03:00': true,
      'udp contains 03:00:00': false, // past the UDP layer's bytes
      'udp == 12:34:81:60:03:00': true,
      'udp matches "\\x81\\x60"': true,
      'vxlan contains 81': false,
    });
  });
});

describe('display filter: tenant', () => {
  it('tenant == type:id, type alone, sets, ranges and presence', () => {
    const tcp = vxlanTcpFrame();
    check(tcp, {
      tenant: true,
      'tenant == vxlan:101': true,
      'tenant == vxlan:0x65': true,
      'tenant == VXLAN:101': true,
      'tenant == "vxlan:101"': true,
      'tenant == vxlan:102': false,
      'tenant == nvgre:101': false,
      'tenant == vxlan': true,
      'tenant != vxlan:101': false,
      'tenant != vxlan:102': true,
      'tenant in {vxlan:100 vxlan:101}': true,
      'tenant in {vxlan:100..200}': true,
      'tenant in {nvgre:100..200}': false,
      'tenant == vxlan:100..200': true,
      'tenant == vxlan:102..200': false,
      'tenant != vxlan:100..200': false,
      'tenant not in {vxlan:101}': false,
      'tenant == vxlan:101 && ip.src#2 == 172.16.0.1': true,
    });
    check(greFrame(), { 'tenant == nvgre:0x1234': true, 'tenant == gre:0x1234': false, 'tenant == nvgre:4660': true });
    const plain = ipv6DnsFrame();
    check(plain, { tenant: false, '!tenant': true, 'tenant == vxlan:101': false, 'tenant != vxlan:101': false, 'tenant not in {vxlan:1}': true });
  });
});

describe('display filter: compiled form', () => {
  it('lists the names it reads and whether it needs the tree', () => {
    const f = compileFilter('ip.addr == 10.0.0.1 && tenant == vxlan:5 || vxlan');
    assert.deepEqual([...f.fields].sort(), ['ip.addr', 'ip.dst', 'ip.src', 'tenant', 'vxlan']);
    assert.equal(f.needsTree, true);
    assert.equal(f.text, 'ip.addr == 10.0.0.1 && tenant == vxlan:5 || vxlan');
    const cheap = compileFilter('vxlan#2 || (arp && tenant == nvgre:7)');
    assert.equal(cheap.needsTree, false);
    assert.deepEqual([...cheap.fields].sort(), ['arp', 'tenant', 'vxlan']);
  });

  it('protocol presence and tenant work without a tree', () => {
    const arp = vxlanArpFrame({ wantTree: false });
    check(arp, { 'arp && vxlan': true, 'eth#2': true, 'eth#3': false, 'eth#-1 && !tcp': true, 'tenant == vxlan:102': true });
    assert.throws(() => compileFilter('ip.src == 1.2.3.4').matches(arp), /wantTree/);
  });

  it('one compiled filter gives the right answer frame after frame', () => {
    const f = compileFilter('ip.src#2 == 172.16.0.1 || arp.src.proto_ipv4 == 172.16.0.3');
    const frames = [vxlanTcpFrame(), vxlanArpFrame(), ipv6DnsFrame(), vxlanTcpFrame(), greFrame()];
    assert.deepEqual(frames.map((d) => f.matches(d)), [true, true, false, true, false]);
  });

  it('an empty filter matches everything', () => {
    assert.equal(compileFilter('').matches(vxlanTcpFrame()), true);
    assert.equal(compileFilter('   ').matches(ipv6DnsFrame()), true);
  });

  it('agrees with Dissection.fieldValues on layer selection', () => {
    const d = vxlanTcpFrame();
    assert.deepEqual(d.fieldValues('ip.src', 2), ['172.16.0.1']);
    assert.equal(compileFilter('ip.src#2 == 172.16.0.1').matches(d), true);
    assert.deepEqual(d.fieldValues('ip.src', -1), ['172.16.0.1']);
    assert.equal(compileFilter('ip.src#-1 == 172.16.0.1').matches(d), true);
  });
});
