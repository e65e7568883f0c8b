// VXLAN-GPE (UDP 4790, draft-ietf-nvo3-vxlan-gpe) and NSH (RFC 8300). VXLAN-GPE is VXLAN with a
// next-protocol byte, so it can carry IP, Ethernet, NSH or MPLS; its VNI names the tenant as VXLAN's
// does. NSH carries a service path id and index (where a packet is in a service function chain) and
// context metadata, then the original packet, named by its own next-protocol byte.
import { u16, u24 } from '../bytes';
import { Dissection } from '../dissection';
import { TenantType } from '../tenant-id';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, nshNextProtoTable, registerDissector, udpPortTable, vxlanNextProtoTable, DissectorModule } from '../tables';
import { dispatchPayload, haveHeader } from './common';
import { dissectEthernet } from './ethernet';
import { dissectMpls } from './mpls';

const VXLAN = defineProtocol('vxlan', 'Virtual eXtensible Local Area Network', 'VXLAN');
const NSH = defineProtocol('nsh', 'Network Service Header', 'NSH');

const NEXT_PROTOCOL_NAMES: Record<number, string> = { 1: 'IPv4', 2: 'IPv6', 3: 'Ethernet', 4: 'Network Service Header', 5: 'MPLS' };

function nextName(next: number): string {
  return `${NEXT_PROTOCOL_NAMES[next] ?? 'Unknown'} (${next})`;
}

function dissectVxlanGpe(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(VXLAN, offset, end);
  if (!haveHeader(ctx, 'VXLAN-GPE', offset, end, 8)) return;
  const buf = ctx.buf;
  const flags = buf[offset];
  const next = buf[offset + 3];
  const vni = u24(buf, offset + 4);
  ctx.setLayerEnd(layer, offset + 8);
  if (ctx.detail) {
    ctx.setLayerLabel('Virtual eXtensible Local Area Network (Generic Protocol Extension)');
    ctx.field('vxlan.flags', offset, 2, u16(buf, offset));
    ctx.field('vxlan.flag_i', offset, 1, (flags & 0x08) !== 0);
    ctx.field('vxlan.flag_np', offset, 1, (flags & 0x04) !== 0);
    ctx.field('vxlan.flag_o', offset, 1, (flags & 0x01) !== 0);
    ctx.field('vxlan.next_proto', offset + 3, 1, next, nextName(next));
    ctx.field('vxlan.vni', offset + 4, 3, vni);
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => `VXLAN-GPE VNI ${u24(b, at + 4)}`, offset);
  ctx.setTenant(TenantType.Vxlan, vni, layer);
  // Without the P bit there is no next protocol: the payload is Ethernet, as in plain VXLAN.
  if ((flags & 0x04) === 0) {
    if (offset + 8 < end) dissectEthernet(ctx, offset + 8, end);
    return;
  }
  dispatchPayload(ctx, vxlanNextProtoTable, next, offset + 8, end);
}

function dissectNsh(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(NSH, offset, end);
  if (!haveHeader(ctx, 'NSH', offset, end, 8)) return;
  const buf = ctx.buf;
  const first = u16(buf, offset);
  const version = first >> 14;
  const length = (first & 0x3f) * 4;
  const mdType = buf[offset + 2] & 0x0f;
  const next = buf[offset + 3];
  const spi = u24(buf, offset + 4);
  const si = buf[offset + 7];
  if (ctx.detail) {
    ctx.setLayerLabel(`Network Service Header, SPI: ${spi}, SI: ${si}`);
    ctx.field('nsh.version', offset, 2, version);
    ctx.field('nsh.oam', offset, 2, (first >> 13) & 1);
    ctx.field('nsh.critical_metadata', offset, 2, (first >> 12) & 1);
    ctx.field('nsh.ttl', offset, 2, (first >> 6) & 0x3f);
    ctx.field('nsh.length', offset, 2, first & 0x3f);
    ctx.field('nsh.mdtype', offset + 2, 1, mdType);
    ctx.field('nsh.nextproto', offset + 3, 1, next, nextName(next));
    ctx.field('nsh.spi', offset + 4, 3, spi);
    ctx.field('nsh.si', offset + 7, 1, si);
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => `NSH SPI ${u24(b, at + 4)}, SI ${b[at + 7]}`, offset);
  if (version !== 0) {
    ctx.setMalformed(`NSH version ${version} is unknown`);
    return;
  }
  if (length < 8) {
    ctx.setMalformed(`NSH length ${length} bytes is shorter than its 8-byte base and service path headers`);
    return;
  }
  if (!haveHeader(ctx, 'NSH', offset, end, length)) return;
  ctx.setLayerEnd(layer, offset + length);
  if (ctx.detail && length > 8) ctx.field('nsh.contextheader', offset + 8, length - 8, `${length - 8} bytes`);
  dispatchPayload(ctx, nshNextProtoTable, next, offset + length, end);
}

const dissectNextIpv4 = (ctx: Dissection, o: number, e: number) => void ethertypeTable.dispatch(ctx, 0x0800, o, e);
const dissectNextIpv6 = (ctx: Dissection, o: number, e: number) => void ethertypeTable.dispatch(ctx, 0x86dd, o, e);

function register(): void {
  registerProtocols(VXLAN, NSH);
  defineFields('vxlan', {
    flag_np: ['Next Protocol Bit', 'bool'],
    flag_o: ['OAM bit', 'bool'],
    next_proto: ['Next Protocol', 'uint'],
  });
  defineFields('nsh', {
    version: ['Version', 'uint'],
    oam: ['O Bit', 'uint'],
    critical_metadata: ['C Bit', 'uint'],
    ttl: ['Time to live', 'uint', 'hex'],
    length: ['Length', 'uint'],
    mdtype: ['MD Type', 'uint'],
    nextproto: ['Next Protocol', 'uint'],
    spi: ['SPI', 'uint'],
    si: ['SI', 'uint'],
    contextheader: ['Context Header', 'bytes'],
  });
}

function handoff(): void {
  registerDissector('vxlan-gpe', dissectVxlanGpe);
  registerDissector('nsh', dissectNsh);
  udpPortTable.register(4790, dissectVxlanGpe);
  ethertypeTable.register(0x894f, dissectNsh);
  for (const table of [vxlanNextProtoTable, nshNextProtoTable]) {
    table.register(1, dissectNextIpv4);
    table.register(2, dissectNextIpv6);
    table.register(3, dissectEthernet);
    table.register(4, dissectNsh);
    table.register(5, dissectMpls);
  }
}

export const nshModule: DissectorModule = { name: 'nsh', register, handoff };
