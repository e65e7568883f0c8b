// Captures an attacker could hand the analyzer: tunnels nested hundreds deep, timestamps and offsets
// at the ends of their 64-bit range, interface ids above 65535, terminal escapes in strings. Written
// byte by byte (not with the project's writer) so every field can hold what the format allows.
import * as fs from 'node:fs';
import { ETHERTYPE_IPV4, ethernet, gre, ipv4, udp, vxlanHeader, concatBytes } from '../../src/craft';

const ETHERNET_OUTER = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };

/** An Ethernet frame with `levels` VXLAN headers nested one in the other (eth/ip/udp/vxlan per level). */
export function nestedVxlanFrame(levels: number): Uint8Array {
  let inner: Uint8Array = ethernet({ ...ETHERNET_OUTER, etherType: 0x88b5, payload: new Uint8Array(8) });
  for (let i = 0; i < levels; i++) {
    const packet = ipv4({ src: '192.168.0.1', dst: '192.168.0.2', payload: udp({ srcPort: 50000, dstPort: 4789, payload: concatBytes([vxlanHeader({ vni: 100 + (i % 1000) }), inner]) }) });
    inner = ethernet({ ...ETHERNET_OUTER, etherType: ETHERTYPE_IPV4, payload: packet });
  }
  return inner;
}

/** An Ethernet frame carrying IPv4 in GRE in IPv4, `levels` GRE headers deep. */
export function nestedGreFrame(levels: number): Uint8Array {
  let packet: Uint8Array = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 253, payload: new Uint8Array(8) });
  for (let i = 0; i < levels; i++) {
    packet = ipv4({ src: '192.168.0.1', dst: '192.168.0.2', payload: gre({ protocolType: ETHERTYPE_IPV4, payload: packet }) });
  }
  return ethernet({ ...ETHERNET_OUTER, etherType: ETHERTYPE_IPV4, payload: packet });
}

/** A plain Ethernet frame (local experimental ethertype) numbered n. */
export function plainFrame(n: number): Uint8Array {
  const b = new Uint8Array(60);
  b.fill(0xff, 0, 6);
  new DataView(b.buffer).setUint32(6, n);
  b[12] = 0x88;
  b[13] = 0xb5;
  return b;
}

export interface PcapngInterface {
  linkType?: number;
  name?: string;
  /** Raw if_tsresol byte. */
  tsresol?: number;
  /** if_tsoffset, seconds (a 64-bit signed integer). */
  tsoffset?: bigint;
  comment?: string;
}

export interface PcapngPacket {
  iface: number;
  /** Timestamp in the interface's units, as the 64-bit field holds it. */
  ts: bigint;
  bytes: Uint8Array;
  comment?: string;
}

export interface PcapngSection {
  hardware?: string;
  os?: string;
  userappl?: string;
  comment?: string;
  interfaces: PcapngInterface[];
  packets: PcapngPacket[];
}

function option(code: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(code, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

function textOption(code: number, text: string | undefined): Buffer[] {
  return text === undefined ? [] : [option(code, Buffer.from(text, 'utf8'))];
}

function block(type: number, body: Buffer, options: Buffer[]): Buffer {
  const opts = options.length ? Buffer.concat([...options, Buffer.alloc(4)]) : Buffer.alloc(0);
  const total = 12 + body.length + opts.length;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(total, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(total, 0);
  return Buffer.concat([head, body, opts, tail]);
}

/** A little-endian pcapng section with exactly the given fields. */
export function pcapngBytes(section: PcapngSection): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeInt32LE(-1, 8);
  shb.writeInt32LE(-1, 12);
  const blocks = [block(0x0a0d0d0a, shb, [...textOption(1, section.comment), ...textOption(2, section.hardware), ...textOption(3, section.os), ...textOption(4, section.userappl)])];
  for (const iface of section.interfaces) {
    const body = Buffer.alloc(8);
    body.writeUInt16LE(iface.linkType ?? 1, 0);
    body.writeUInt32LE(0, 4);
    const options = [...textOption(1, iface.comment), ...textOption(2, iface.name)];
    if (iface.tsresol !== undefined) options.push(option(9, Buffer.from([iface.tsresol])));
    if (iface.tsoffset !== undefined) {
      const v = Buffer.alloc(8);
      v.writeBigInt64LE(iface.tsoffset, 0);
      options.push(option(14, v));
    }
    blocks.push(block(1, body, options));
  }
  for (const p of section.packets) {
    const body = Buffer.alloc(20 + ((p.bytes.length + 3) & ~3));
    body.writeUInt32LE(p.iface, 0);
    body.writeUInt32LE(Number(p.ts >> 32n), 4);
    body.writeUInt32LE(Number(p.ts & 0xffffffffn), 8);
    body.writeUInt32LE(p.bytes.length, 12);
    body.writeUInt32LE(p.bytes.length, 16);
    body.set(p.bytes, 20);
    blocks.push(block(6, body, textOption(1, p.comment)));
  }
  return Buffer.concat(blocks);
}

export function writePcapng(path: string, section: PcapngSection): string {
  fs.writeFileSync(path, pcapngBytes(section));
  return path;
}

/** A capture of plain frames around one hostile frame: the neighbours show that only it is affected. */
export function captureAround(hostile: Uint8Array): PcapngSection {
  const t0 = 1_700_000_000_000_000n;
  return {
    interfaces: [{ name: 'eth0' }],
    packets: [plainFrame(1), hostile, plainFrame(3)].map((bytes, i) => ({ iface: 0, ts: t0 + BigInt(i) * 1000n, bytes })),
  };
}
