// ARP (RFC 826) for Ethernet/IPv4; other hardware/protocol types show their sizes only.
import { u16, ipv4Text, macText } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, DissectorModule } from '../tables';
import { haveHeader } from './common';

/** ARP hardware types (IANA), the common ones. */
const HARDWARE_TYPES: Record<number, string> = { 1: 'Ethernet', 6: 'IEEE 802 Networks', 15: 'Frame Relay', 24: 'IEEE 1394.1995', 32: 'InfiniBand' };

const ARP = defineProtocol('arp', 'Address Resolution Protocol', 'ARP');

const OPCODES = ['', 'request', 'reply', 'RARP request', 'RARP reply'];

/** Info for Ethernet/IPv4 ARP (fixed offsets: 6-byte hardware, 4-byte protocol addresses). */
function arpInfo(buf: Uint8Array, at: number): string {
  const opcode = u16(buf, at + 6);
  const spa = ipv4Text(buf, at + 14);
  const tpa = ipv4Text(buf, at + 24);
  if (spa === tpa) return `Gratuitous ARP for ${spa} (${opcode === 2 ? 'Reply' : 'Request'})`;
  if (opcode === 1) return `Who has ${tpa}? Tell ${spa}`;
  if (opcode === 2) return `${spa} is at ${macText(buf, at + 8)}`;
  return `ARP opcode ${opcode}`;
}

function dissectArp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(ARP, offset, end);
  if (!haveHeader(ctx, 'ARP', offset, end, 8)) return;
  const buf = ctx.buf;
  const hlen = buf[offset + 4];
  const plen = buf[offset + 5];
  const opcode = u16(buf, offset + 6);
  const total = 8 + 2 * (hlen + plen);
  if (!haveHeader(ctx, 'ARP', offset, end, total)) return;
  ctx.setLayerEnd(layer, offset + total);
  const ethIp = hlen === 6 && plen === 4 && u16(buf, offset + 2) === 0x0800;
  const sha = offset + 8;
  const spa = sha + hlen;
  const tha = spa + plen;
  const tpa = tha + hlen;
  const gratuitous = ethIp && u16(buf, spa) === u16(buf, tpa) && u16(buf, spa + 2) === u16(buf, tpa + 2);
  if (ctx.detail) {
    ctx.setLayerLabel(`Address Resolution Protocol (${OPCODES[opcode] ?? opcode}${gratuitous ? '/gratuitous ARP' : ''})`);
    const hwType = u16(buf, offset);
    ctx.field('arp.hw.type', offset, 2, hwType, `${HARDWARE_TYPES[hwType] ?? 'Unknown'} (${hwType})`);
    ctx.field('arp.proto.type', offset + 2, 2, u16(buf, offset + 2));
    ctx.field('arp.hw.size', offset + 4, 1, hlen);
    ctx.field('arp.proto.size', offset + 5, 1, plen);
    ctx.field('arp.opcode', offset + 6, 2, opcode, `${OPCODES[opcode] ?? 'unknown'} (${opcode})`);
    if (ethIp) {
      ctx.field('arp.isgratuitous', offset, 0, gratuitous);
      ctx.field('arp.src.hw_mac', sha, 6, macText(buf, sha));
      ctx.field('arp.src.proto_ipv4', spa, 4, ipv4Text(buf, spa));
      ctx.field('arp.dst.hw_mac', tha, 6, macText(buf, tha));
      ctx.field('arp.dst.proto_ipv4', tpa, 4, ipv4Text(buf, tpa));
    }
  }
  if (ctx.wantColumns && ethIp) ctx.setInfo(arpInfo, offset);
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(ARP);
  defineFields('arp', {
    'hw.type': ['Hardware type', 'uint'],
    'proto.type': ['Protocol type', 'uint', 'hex'],
    'hw.size': ['Hardware size', 'uint'],
    'proto.size': ['Protocol size', 'uint'],
    opcode: ['Opcode', 'uint'],
    isgratuitous: ['Is gratuitous', 'bool'],
    'src.hw_mac': ['Sender MAC address', 'ether'],
    'src.proto_ipv4': ['Sender IP address', 'ipv4'],
    'dst.hw_mac': ['Target MAC address', 'ether'],
    'dst.proto_ipv4': ['Target IP address', 'ipv4'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  ethertypeTable.register(0x0806, dissectArp);
  greProtoTable.register(0x0806, dissectArp);
}

export const arpModule: DissectorModule = { name: 'arp', register, handoff };
