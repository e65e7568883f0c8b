// Ethernet II / 802.3, 802.1Q and 802.1ad tags, LLC.
import { u16, macText, hex } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, linkTypeTable, registerDissector, DissectorModule } from '../tables';
import { LINKTYPE_ETHERNET } from '../../capture/link-types';
import { dispatchPayload, dissectData, haveHeader } from './common';

const ETH = defineProtocol('eth', 'Ethernet II', 'Ethernet');
const VLAN = defineProtocol('vlan', '802.1Q Virtual LAN', '802.1Q');
const QINQ = defineProtocol('ieee8021ad', 'IEEE 802.1ad', '802.1ad');
const LLC = defineProtocol('llc', 'Logical-Link Control', 'LLC');

export function dissectEthernet(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(ETH, offset, end);
  if (!haveHeader(ctx, 'Ethernet', offset, end, 14)) return;
  const buf = ctx.buf;
  const typeOrLength = u16(buf, offset + 12);
  ctx.setLayerEnd(layer, offset + 14);
  if (ctx.detail) {
    const dst = macText(buf, offset);
    const src = macText(buf, offset + 6);
    ctx.setLayerLabel(`Ethernet II, Src: ${src}, Dst: ${dst}`);
    ctx.field('eth.dst', offset, 6, dst);
    ctx.hiddenField('eth.addr', offset, 6, dst);
    ctx.field('eth.ig', offset, 1, (buf[offset] & 1) === 1);
    ctx.field('eth.src', offset + 6, 6, src);
    ctx.hiddenField('eth.addr', offset + 6, 6, src);
    if (typeOrLength >= 0x600) ctx.field('eth.type', offset + 12, 2, typeOrLength, ethertypeName(typeOrLength));
    else ctx.field('eth.len', offset + 12, 2, typeOrLength);
  }
  if (ctx.wantColumns) {
    ctx.setAddresses(AddressKind.Ether, offset + 6, offset);
    ctx.setInfo(ethernetInfo, offset);
  }
  if (typeOrLength < 0x600) {
    // 802.3 length field: the payload is LLC, and bytes past the length are padding.
    const payloadEnd = Math.min(end, offset + 14 + typeOrLength);
    dissectLlc(ctx, offset + 14, payloadEnd);
    return;
  }
  dispatchPayload(ctx, ethertypeTable, typeOrLength, offset + 14, end);
}

function ethernetInfo(buf: Uint8Array, at: number): string {
  const typeOrLength = u16(buf, at + 12);
  return typeOrLength >= 0x600 ? `Ethernet II, type ${hex(typeOrLength, 4)}` : `IEEE 802.3, length ${typeOrLength}`;
}

function dissectVlanTag(ctx: Dissection, offset: number, end: number, outer: boolean): void {
  const proto = outer ? QINQ : VLAN;
  const layer = ctx.pushLayer(proto, offset, end);
  if (!haveHeader(ctx, proto.short, offset, end, 4)) return;
  const buf = ctx.buf;
  const tci = u16(buf, offset);
  const type = u16(buf, offset + 2);
  ctx.setLayerEnd(layer, offset + 4);
  if (ctx.detail) {
    const name = proto.name;
    ctx.setLayerLabel(`${proto.label}, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${tci & 0xfff}`);
    ctx.field(`${name}.priority`, offset, 2, tci >> 13);
    ctx.field(`${name}.dei`, offset, 2, ((tci >> 12) & 1) === 1);
    ctx.field(`${name}.id`, offset, 2, tci & 0xfff);
    if (!outer) ctx.field('vlan.etype', offset + 2, 2, type, ethertypeName(type));
  }
  if (type < 0x600) {
    dissectLlc(ctx, offset + 4, Math.min(end, offset + 4 + type));
    return;
  }
  dispatchPayload(ctx, ethertypeTable, type, offset + 4, end);
}

function dissectLlc(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(LLC, offset, end);
  if (!haveHeader(ctx, 'LLC', offset, end, 3)) return;
  const buf = ctx.buf;
  // Unnumbered frames (low two control bits 11) have a 1-byte control field, others 2.
  const controlLen = (buf[offset + 2] & 3) === 3 ? 1 : 2;
  ctx.setLayerEnd(layer, offset + 2 + controlLen);
  if (ctx.detail) {
    ctx.field('llc.dsap', offset, 1, buf[offset]);
    ctx.field('llc.ssap', offset + 1, 1, buf[offset + 1]);
    ctx.field('llc.control', offset + 2, controlLen, buf[offset + 2]);
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => `DSAP ${hex(b[at], 2)} SSAP ${hex(b[at + 1], 2)}`, offset);
  dissectData(ctx, offset + 2 + controlLen, end);
}

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x86dd: 'IPv6',
  0x6558: 'Transparent Ethernet Bridging',
  0x88be: 'ERSPAN',
  0x22eb: 'ERSPAN III',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x880b: 'PPP',
  0x894f: 'Network Service Header',
};

export function ethertypeName(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  return name ? `${name} (${hex(type, 4)})` : hex(type, 4);
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(ETH, VLAN, QINQ, LLC);
  defineFields('eth', {
    dst: ['Destination', 'ether'],
    src: ['Source', 'ether'],
    addr: ['Address', 'ether'],
    type: ['Type', 'uint', 'hex'],
    len: ['Length', 'uint'],
    ig: ['IG bit', 'bool'],
    padding: ['Padding', 'bytes'],
  });
  defineFields('vlan', { priority: ['Priority', 'uint'], dei: ['DEI', 'bool'], id: ['ID', 'uint'], etype: ['Type', 'uint', 'hex'] });
  defineFields('ieee8021ad', { priority: ['Priority', 'uint'], dei: ['DEI', 'bool'], id: ['ID', 'uint'] });
  defineFields('llc', { dsap: ['DSAP', 'uint', 'hex'], ssap: ['SSAP', 'uint', 'hex'], control: ['Control field', 'uint', 'hex'] });
  defineFields('data', { len: ['Length', 'uint'] });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  registerDissector('eth', dissectEthernet);
  linkTypeTable.register(LINKTYPE_ETHERNET, dissectEthernet);
  ethertypeTable.register(0x8100, (ctx, o, e) => dissectVlanTag(ctx, o, e, false));
  ethertypeTable.register(0x88a8, (ctx, o, e) => dissectVlanTag(ctx, o, e, true));
  ethertypeTable.register(0x9100, (ctx, o, e) => dissectVlanTag(ctx, o, e, false));
  // Transparent Ethernet Bridging: an Ethernet frame carried by GRE, NVGRE or Geneve.
  ethertypeTable.register(0x6558, dissectEthernet);
  greProtoTable.register(0x6558, dissectEthernet);
}

export const ethernetModule: DissectorModule = { name: 'ethernet', register, handoff };
