// Link layers other than Ethernet: Linux cooked capture v1/v2 (tcpdump -i any), BSD loopback, raw IP.
import { u16, u32, macText } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, linkTypeTable, DissectorModule } from '../tables';
import { DLT_RAW_BSD, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from '../../capture/link-types';
import { dispatchPayload, dissectData, haveHeader } from './common';

const SLL = defineProtocol('sll', 'Linux cooked capture', 'SLL');
const NULL = defineProtocol('null', 'Null/Loopback', 'NULL');
const RAW = defineProtocol('raw', 'Raw packet data', 'Raw');

const SLL_PACKET_TYPES = ['Unicast to us', 'Broadcast', 'Multicast', 'Unicast to another host', 'Sent by us'];

function sllPayload(ctx: Dissection, protocol: number, offset: number, end: number): void {
  // Protocol values below 0x600 are Linux ARPHRD-specific (802.2 LLC, Novell 802.3...): not dissected.
  if (protocol >= 0x600) dispatchPayload(ctx, ethertypeTable, protocol, offset, end);
  else dissectData(ctx, offset, end);
}

function sllAddress(ctx: Dissection, at: number, halen: number): void {
  if (ctx.detail && halen === 6) ctx.field('sll.src.eth', at, 6, macText(ctx.buf, at));
  if (ctx.wantColumns && halen === 6) ctx.setAddresses(AddressKind.Ether, at, -1);
}

function dissectSll(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(SLL, offset, end);
  if (!haveHeader(ctx, 'Linux cooked capture', offset, end, 16)) return;
  const buf = ctx.buf;
  ctx.setLayerEnd(layer, offset + 16);
  const pkttype = u16(buf, offset);
  const halen = u16(buf, offset + 4);
  if (ctx.detail) {
    ctx.field('sll.pkttype', offset, 2, pkttype, SLL_PACKET_TYPES[pkttype] ?? String(pkttype));
    ctx.field('sll.hatype', offset + 2, 2, u16(buf, offset + 2));
    ctx.field('sll.halen', offset + 4, 2, halen);
    ctx.field('sll.etype', offset + 14, 2, u16(buf, offset + 14));
  }
  sllAddress(ctx, offset + 6, halen);
  sllPayload(ctx, u16(buf, offset + 14), offset + 16, end);
}

function dissectSll2(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(SLL, offset, end);
  if (!haveHeader(ctx, 'Linux cooked capture v2', offset, end, 20)) return;
  const buf = ctx.buf;
  ctx.setLayerEnd(layer, offset + 20);
  const protocol = u16(buf, offset);
  const pkttype = buf[offset + 10];
  const halen = buf[offset + 11];
  if (ctx.detail) {
    ctx.setLayerLabel('Linux cooked capture v2');
    ctx.field('sll.etype', offset, 2, protocol);
    ctx.field('sll.ifindex', offset + 4, 4, u32(buf, offset + 4));
    ctx.field('sll.hatype', offset + 8, 2, u16(buf, offset + 8));
    ctx.field('sll.pkttype', offset + 10, 1, pkttype, SLL_PACKET_TYPES[pkttype] ?? String(pkttype));
    ctx.field('sll.halen', offset + 11, 1, halen);
  }
  sllAddress(ctx, offset + 12, halen);
  sllPayload(ctx, protocol, offset + 20, end);
}

function dissectNull(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(NULL, offset, end);
  if (!haveHeader(ctx, 'Null/Loopback', offset, end, 4)) return;
  const buf = ctx.buf;
  ctx.setLayerEnd(layer, offset + 4);
  // The address family is in the capturing host's byte order: small values tell which order.
  let family = buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24);
  if ((family & 0xffff) === 0) family = u32(buf, offset);
  if (ctx.detail) ctx.field('null.family', offset, 4, family);
  if (family === 2) dispatchPayload(ctx, ethertypeTable, 0x0800, offset + 4, end);
  else if (family === 24 || family === 28 || family === 30 || family === 10) dispatchPayload(ctx, ethertypeTable, 0x86dd, offset + 4, end);
  else dissectData(ctx, offset + 4, end);
}

/** Raw IP: the version nibble says IPv4 or IPv6; Wireshark shows a "raw" layer first. */
function dissectRaw(ctx: Dissection, offset: number, end: number): void {
  ctx.pushLayer(RAW, offset, offset);
  dissectBareIp(ctx, offset, end);
}

function dissectBareIp(ctx: Dissection, offset: number, end: number): void {
  if (offset >= end) return;
  const version = ctx.buf[offset] >> 4;
  if (version === 4) dispatchPayload(ctx, ethertypeTable, 0x0800, offset, end);
  else if (version === 6) dispatchPayload(ctx, ethertypeTable, 0x86dd, offset, end);
  else dissectData(ctx, offset, end);
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(SLL, NULL, RAW);
  defineFields('sll', {
    pkttype: ['Packet type', 'uint'],
    hatype: ['Link-layer address type', 'uint'],
    halen: ['Link-layer address length', 'uint'],
    'src.eth': ['Source', 'ether'],
    etype: ['Protocol', 'uint', 'hex'],
    ifindex: ['Interface index', 'uint'],
  });
  defineFields('null', { family: ['Family', 'uint'] });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  linkTypeTable.register(LINKTYPE_LINUX_SLL, dissectSll);
  linkTypeTable.register(LINKTYPE_LINUX_SLL2, dissectSll2);
  linkTypeTable.register(LINKTYPE_NULL, dissectNull);
  linkTypeTable.register(LINKTYPE_RAW, dissectRaw);
  for (const dlt of DLT_RAW_BSD) linkTypeTable.register(dlt, dissectRaw);
  // LINKTYPE_IPV4/IPV6 name the IP version themselves: Wireshark shows no "raw" layer for them.
  linkTypeTable.register(LINKTYPE_IPV4, dissectBareIp);
  linkTypeTable.register(LINKTYPE_IPV6, dissectBareIp);
}

export const linkOtherModule: DissectorModule = { name: 'link-other', register, handoff };
