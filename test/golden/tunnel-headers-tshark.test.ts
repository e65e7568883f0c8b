// The tunnel headers' fields against tshark, frame by frame: GRE with every optional word (checksum,
// routing, key, sequence, enhanced GRE's acknowledgment), NVGRE around the reserved-VSID boundary, VXLAN
// with and without the I flag, Geneve with flags and options, and headers cut short. The frames are
// crafted here, written to a classic pcap and read by both tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dissection } from '../../src/dissect/dissection';
import { dissectFrameTree } from '../../src/dissect/engine';
import { arp, ethernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_TEB, BROADCAST_MAC } from '../../src/craft/ethernet';
import { ipv4 } from '../../src/craft/ip';
import { udp } from '../../src/craft/transport';
import { icmpEcho } from '../../src/craft/control';
import { geneve, underlayFrame, vxlan, Underlay } from '../../src/craft/tunnels';
import { TSHARK_SKIP_REASON } from './tshark-fields';
import { tsharkOutputCached } from '../helpers/tshark';

const outer: Underlay = { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:02', srcIp: '192.0.2.1', dstIp: '192.0.2.2' };
const innerArp = ethernet({ dst: BROADCAST_MAC, src: 'fa:16:3e:00:00:01', etherType: ETHERTYPE_ARP, payload: arp({ op: 1, senderMac: 'fa:16:3e:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' }) });
const innerIp = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: icmpEcho({ kind: 'request', id: 1, seq: 1, payload: new Uint8Array(8) }) });

/** A GRE packet in IPv4 from its words: flags-and-version, protocol, then the optional 32-bit words as given. */
function greRaw(flags: number, proto: number, words: number[], payload: Uint8Array): Uint8Array {
  const bytes = greBytesRaw(flags, proto, words, payload);
  return underlayFrame(outer, { protocol: 47, encode: () => bytes });
}

/** A GRE header from its words, followed by the payload. */
function greBytesRaw(flags: number, proto: number, words: number[], payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * words.length);
  const view = new DataView(header.buffer);
  view.setUint16(0, flags);
  view.setUint16(2, proto);
  words.forEach((w, i) => view.setUint32(4 + 4 * i, w >>> 0));
  const bytes = new Uint8Array(header.length + payload.length);
  bytes.set(header);
  bytes.set(payload, header.length);
  return bytes;
}

const pppIp = Uint8Array.from([0xff, 0x03, 0x00, 0x21, ...innerIp]); // PPTP's PPP frame carrying IPv4

interface Case {
  name: string;
  frame: Uint8Array;
  /** The tenant the frame names (RFC 7637's rule for NVGRE), by hand; '' for none. */
  tenant: string;
  /**
   * Where we deliberately stop where tshark goes on: our malformed reason. Such a frame's fields are not
   * compared (we show none of a header we reject or that is cut short).
   */
  malformed?: RegExp;
}

const CASES: Case[] = [
  { name: 'GRE, no options, IPv4 inside', frame: greRaw(0x0000, ETHERTYPE_IPV4, [], innerIp), tenant: '' },
  { name: 'GRE with a key', frame: greRaw(0x2000, ETHERTYPE_IPV4, [0x01020304], innerIp), tenant: 'gre:16909060' },
  { name: 'GRE with checksum, key and sequence', frame: greRaw(0xb000, ETHERTYPE_IPV4, [0xabcd0000, 77, 0x10000001], innerIp), tenant: 'gre:77' },
  { name: 'GRE with sequence only', frame: greRaw(0x1000, ETHERTYPE_IPV4, [42], innerIp), tenant: '' },
  { name: 'GRE with routing present (checksum word, then the last, empty SRE)', frame: greRaw(0x4000, ETHERTYPE_IPV4, [0, 0], innerIp), tenant: '' },
  // An SRE (RFC 1701): address family 0x0800, offset 0, length 4, one address; then the empty SRE that ends the list.
  { name: 'GRE with routing and one non-empty SRE before the last', frame: greRaw(0x4000, ETHERTYPE_IPV4, [0, 0x08000004, 0xc0000201, 0x00000000], innerIp), tenant: '' },
  { name: 'GRE with routing and two non-empty SREs', frame: greRaw(0x4000, ETHERTYPE_IPV4, [0, 0x08000004, 0xc0000201, 0x08000008, 0xc0000202, 0xc0000203, 0x00000000], innerIp), tenant: '' },
  { name: 'GRE with routing: an empty SRE of family 0x0800 is not the NULL SRE that ends the list', frame: greRaw(0x4000, ETHERTYPE_IPV4, [0, 0x08000000, 0x00000000], innerIp), tenant: '' },
  { name: 'GRE with checksum, routing, key and sequence', frame: greRaw(0xf000, ETHERTYPE_IPV4, [0x12340000, 5, 6, 0], innerIp), tenant: 'gre:5' },
  { name: 'enhanced GRE (version 1) with key, sequence and acknowledgment', frame: greRaw(0x3081, 0x880b, [0x00180005, 9, 8], pppIp), tenant: '' },
  { name: 'enhanced GRE with key and acknowledgment only', frame: greRaw(0x2081, 0x880b, [0x00180006, 3], pppIp), tenant: '' },
  { name: 'enhanced GRE with key only', frame: greRaw(0x2001, 0x880b, [0x00180007], pppIp), tenant: '' },
  { name: 'GRE version 0 ignores the acknowledgment bit', frame: greRaw(0x2080, ETHERTYPE_IPV4, [11], innerIp), tenant: 'gre:11' },
  { name: 'NVGRE VSID 0x1000 (the first that is not reserved)', frame: greRaw(0x2000, ETHERTYPE_TEB, [0x00100001], innerArp), tenant: 'nvgre:0x001000' },
  { name: 'NVGRE-looking key with the reserved VSID 0xFFF', frame: greRaw(0x2000, ETHERTYPE_TEB, [0x000fff02], innerArp), tenant: 'gre:1048322' },
  { name: 'NVGRE VSID 0xFFFFFF with FlowID 0xFF', frame: greRaw(0x2000, ETHERTYPE_TEB, [0xffffffff], innerArp), tenant: 'nvgre:0xffffff' },
  { name: 'GRE key 0xAA with Ethernet inside (VSID 0)', frame: greRaw(0x2000, ETHERTYPE_TEB, [0x000000aa], innerArp), tenant: 'gre:170' },
  { name: 'key 0x00123400 with IPv4 inside is a GRE key, not a VSID', frame: greRaw(0x2000, ETHERTYPE_IPV4, [0x00123400], innerIp), tenant: 'gre:1192960' },
  { name: 'GRE version 2', frame: greRaw(0x0002, ETHERTYPE_IPV4, [], innerIp), tenant: '', malformed: /^GRE version 2 is unknown/ },
  { name: 'GRE version 1 without its key', frame: greRaw(0x0001, 0x880b, [], pppIp), tenant: '', malformed: /^enhanced GRE \(version 1\) without its mandatory key/ },
  { name: 'GRE cut inside its key', frame: greRaw(0x2000, ETHERTYPE_IPV4, [], new Uint8Array(2)), tenant: '', malformed: /GRE/ },
  { name: 'GRE in UDP (RFC 8086, port 4754) with a key', frame: underlayFrame(outer, udp({ srcPort: 40000, dstPort: 4754, payload: greBytesRaw(0x2000, ETHERTYPE_IPV4, [0x0000abcd], innerIp) })), tenant: 'gre:43981' },
  { name: 'VXLAN VNI 101', frame: vxlan({ outer, vni: 101, inner: innerArp }), tenant: 'vxlan:101' },
  { name: 'VXLAN VNI 0xFFFFFF', frame: vxlan({ outer, vni: 0xffffff, inner: innerArp }), tenant: 'vxlan:16777215' },
  { name: 'VXLAN without the I flag', frame: vxlan({ outer, vni: 7, iFlag: false, inner: innerArp }), tenant: 'vxlan:7' },
  { name: 'VXLAN on port 8472', frame: vxlan({ outer, vni: 300, dstPort: 8472, inner: innerArp }), tenant: 'vxlan:300' },
  { name: 'VXLAN cut short', frame: underlayFrame(outer, udp({ srcPort: 40000, dstPort: 4789, payload: new Uint8Array([8, 0, 0, 0, 0, 1]) })), tenant: '', malformed: /VXLAN/ },
  { name: 'Geneve VNI 0x123456', frame: geneve({ outer, vni: 0x123456, inner: innerArp }), tenant: 'geneve:1193046' },
  { name: 'Geneve with OAM and critical flags and two options', frame: geneve({ outer, vni: 5, oam: true, critical: true, inner: innerArp, options: [{ optionClass: 0x0102, type: 0x80, data: new Uint8Array(4) }, { optionClass: 0xffff, type: 0x07, data: new Uint8Array(8) }] }), tenant: 'geneve:5' },
  { name: 'Geneve with the OAM flag only', frame: geneve({ outer, vni: 6, oam: true, inner: innerArp }), tenant: 'geneve:6' },
  { name: 'Geneve with the critical flag only and one option', frame: geneve({ outer, vni: 6, critical: true, inner: innerArp, options: [{ optionClass: 0x0103, type: 0x01, data: new Uint8Array(0) }] }), tenant: 'geneve:6' },
  { name: 'Geneve carrying IPv4', frame: geneve({ outer, vni: 9, protocolType: ETHERTYPE_IPV4, inner: innerIp }), tenant: 'geneve:9' },
  { name: 'Geneve version 1', frame: underlayFrame(outer, udp({ srcPort: 40000, dstPort: 6081, payload: new Uint8Array([0x40, 0, 0x65, 0x58, 0, 0, 1, 0]) })), tenant: '', malformed: /^Geneve version 1 is unknown/ },
  { name: 'Geneve options longer than the packet', frame: underlayFrame(outer, udp({ srcPort: 40000, dstPort: 6081, payload: new Uint8Array([0x04, 0, 0x65, 0x58, 0, 0, 1, 0, 0, 1, 2, 0]) })), tenant: '', malformed: /Geneve/ },
];

/** The tshark fields compared, with the hex width tshark prints them at (0: decimal). */
const FIELDS: [field: string, hexWidth: number][] = [
  ['gre.flags_and_version', 4], ['gre.flags.checksum', 0], ['gre.flags.routing', 0], ['gre.flags.key', 0], ['gre.flags.sequence_number', 0],
  ['gre.flags.version', 0], ['gre.proto', 4], ['gre.checksum', 4], ['gre.key', 8], ['gre.key.payload_length', 0], ['gre.key.call_id', 0],
  ['gre.sequence_number', 0], ['gre.ack_number', 0],
  ['vxlan.flags', 4], ['vxlan.flag_i', 0], ['vxlan.vni', 0],
  ['geneve.version', 0], ['geneve.flags.oam', 0], ['geneve.flags.critical', 0], ['geneve.proto_type', 4], ['geneve.vni', 6],
  ['geneve.option.class', 4], ['geneve.option.type', 2], ['geneve.option.length', 0],
];

function writePcap(file: string, frames: Uint8Array[]): void {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  parts.push(header);
  frames.forEach((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(i + 1, 0);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, Buffer.from(frame));
  });
  writeFileSync(file, Buffer.concat(parts));
}

/** Our values of a field as tshark -T fields prints them: hex fields 0x-padded to their width, booleans 1/0. */
function ourText(ctx: Dissection, field: string, hexWidth: number): string {
  return ctx
    .fieldValues(field)
    .map((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : hexWidth > 0 ? `0x${Number(v).toString(16).padStart(hexWidth, '0')}` : String(v)))
    .join(',');
}

function dissect(frame: Uint8Array, n: number): Dissection {
  const ctx = new Dissection();
  ctx.wantColumns = true;
  dissectFrameTree(ctx, frame, 0, frame.length, frame.length, { number: n, linkType: 1, tsSec: n, tsNsec: 0, relative: 0, firstTsSec: 1, firstTsNsec: 0, interfaceId: 0, direction: 0 });
  return ctx;
}

test('tunnel header fields, info and tenants equal tshark frame by frame', { skip: TSHARK_SKIP_REASON }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunnel-headers-'));
  try {
    const file = join(dir, 'tunnels.pcap');
    writePcap(file, CASES.map((c) => c.frame));
    const args = ['-n', '-r', file, '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', '_ws.col.Info', '-e', '_ws.malformed', ...FIELDS.flatMap(([f]) => ['-e', f])];
    const rows = tsharkOutputCached(args, file).split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
    assert.equal(rows.length, CASES.length);
    const differences: string[] = [];
    CASES.forEach((c, i) => {
      const ctx = dissect(c.frame, i + 1);
      const tenant = ctx.tenant();
      const ourTenant = tenant ? `${tenant.type}:${tenant.type === 'nvgre' ? `0x${tenant.id.toString(16).padStart(6, '0')}` : tenant.id}` : '';
      if (ourTenant !== c.tenant) differences.push(`${c.name}: tenant ${ourTenant || '-'}, expected ${c.tenant || '-'}`);
      if (c.malformed !== undefined) {
        if (!c.malformed.test(ctx.malformed ?? '')) differences.push(`${c.name}: malformed "${ctx.malformed}", expected ${c.malformed}`);
        return;
      }
      const [tsharkInfo, malformed, ...values] = rows[i];
      if (malformed !== '' || ctx.malformed !== null) differences.push(`${c.name}: malformed ours ${ctx.malformed}, tshark ${malformed || 'no'}`);
      // tshark adds the TTL to an ICMP echo's Info; the ICMP dissector leaves it out.
      const info = tsharkInfo.replace(/, ttl=\d+$/, '');
      if (ctx.info !== info) differences.push(`${c.name}: info "${ctx.info}", tshark "${info}"`);
      FIELDS.forEach(([field, hexWidth], f) => {
        let theirs = values[f];
        // tshark names the header's total option length geneve.option.length too: its first value.
        if (field === 'geneve.option.length') theirs = theirs.split(',').slice(1).join(',');
        const ours = ourText(ctx, field, hexWidth);
        if (ours !== theirs) differences.push(`${c.name}: ${field} ${ours || '-'}, tshark ${theirs || '-'}`);
      });
    });
    assert.deepEqual(differences, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
