// IPv6 (RFC 8200) with its extension headers, each shown as its own layer as Wireshark does.
import { u16, u32, ipv6Text } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
import { ProtocolDef, defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, ipProtoTable, registerDissector, DissectorModule } from '../tables';
import { dispatchPayload, dissectData, haveHeader } from './common';
import { ipProtoName } from './ip-protocols';

const IPV6 = defineProtocol('ipv6', 'Internet Protocol Version 6', 'IPv6');
const HOPOPTS = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', 'IPv6');
const ROUTING = defineProtocol('ipv6.routing', 'Routing Header for IPv6', 'IPv6');
const FRAGHDR = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6', 'IPv6');
const DSTOPTS = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6', 'IPv6');

function dissectIpv6(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(IPV6, offset, end);
  if (ctx.outerIpLayer < 0) ctx.outerIpLayer = layer;
  if (!haveHeader(ctx, 'IPv6', offset, end, 40)) return;
  const buf = ctx.buf;
  const version = buf[offset] >> 4;
  if (version !== 6) {
    ctx.setMalformed(`IPv6 version field is ${version}, not 6`);
    return;
  }
  const payloadLen = u16(buf, offset + 4);
  const next = buf[offset + 6];
  ctx.setLayerEnd(layer, offset + 40);
  if (ctx.detail) {
    const src = ipv6Text(buf, offset + 8);
    const dst = ipv6Text(buf, offset + 24);
    const first = u32(buf, offset);
    ctx.setLayerLabel(`Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`);
    ctx.field('ipv6.version', offset, 1, version);
    ctx.field('ipv6.tclass', offset, 2, (first >>> 20) & 0xff);
    ctx.field('ipv6.flow', offset + 1, 3, first & 0xfffff);
    ctx.field('ipv6.plen', offset + 4, 2, payloadLen);
    ctx.field('ipv6.nxt', offset + 6, 1, next, `${ipProtoName(next)} (${next})`);
    ctx.field('ipv6.hlim', offset + 7, 1, buf[offset + 7]);
    ctx.field('ipv6.src', offset + 8, 16, src);
    ctx.hiddenField('ipv6.addr', offset + 8, 16, src);
    ctx.field('ipv6.dst', offset + 24, 16, dst);
    ctx.hiddenField('ipv6.addr', offset + 24, 16, dst);
  }
  if (ctx.wantColumns) ctx.setAddresses(AddressKind.Ipv6, offset + 8, offset + 24);
  // Jumbograms (payload length 0 with a hop-by-hop jumbo option) run to the end of the capture.
  const payloadEnd = payloadLen === 0 ? end : Math.min(end, offset + 40 + payloadLen);
  dissectNextHeader(ctx, next, offset + 40, payloadEnd);
}

/** Walks extension headers until an upper-layer protocol; each one is a layer of its own. */
function dissectNextHeader(ctx: Dissection, next: number, offset: number, end: number): void {
  const buf = ctx.buf;
  for (let hops = 0; hops < 16; hops++) {
    const proto = extensionProtocol(next);
    if (proto === null) break;
    const layer = ctx.pushLayer(proto, offset, end);
    if (!haveHeader(ctx, proto.label, offset, end, 8)) return;
    const hdrNext = buf[offset];
    const len = next === 44 ? 8 : (buf[offset + 1] + 1) * 8;
    if (!haveHeader(ctx, proto.label, offset, end, len)) return;
    ctx.setLayerEnd(layer, offset + len);
    if (next === 44) {
      const fragWord = u16(buf, offset + 2);
      const fragOffset = fragWord & 0xfff8;
      if (ctx.detail) {
        ctx.field('ipv6.fraghdr.offset', offset + 2, 2, fragOffset);
        ctx.field('ipv6.fraghdr.more', offset + 3, 1, (fragWord & 1) === 1);
        ctx.field('ipv6.fraghdr.ident', offset + 4, 4, u32(buf, offset + 4));
      }
      if (fragOffset !== 0) {
        dissectData(ctx, offset + 8, end);
        return;
      }
    }
    next = hdrNext;
    offset += len;
  }
  if (next === 59) {
    // No Next Header: anything left is not a protocol.
    dissectData(ctx, offset, end);
    return;
  }
  dispatchPayload(ctx, ipProtoTable, next, offset, end);
}

function extensionProtocol(next: number): ProtocolDef | null {
  switch (next) {
    case 0:
      return HOPOPTS;
    case 43:
      return ROUTING;
    case 44:
      return FRAGHDR;
    case 60:
      return DSTOPTS;
    default:
      return null;
  }
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(IPV6, HOPOPTS, ROUTING, FRAGHDR, DSTOPTS);
  defineFields('ipv6', {
    version: ['Version', 'uint'],
    tclass: ['Traffic Class', 'uint', 'hex'],
    flow: ['Flow Label', 'uint', 'hex'],
    plen: ['Payload Length', 'uint'],
    nxt: ['Next Header', 'uint'],
    hlim: ['Hop Limit', 'uint'],
    src: ['Source Address', 'ipv6'],
    dst: ['Destination Address', 'ipv6'],
    addr: ['Source or Destination Address', 'ipv6'],
    'fraghdr.offset': ['Offset', 'uint'],
    'fraghdr.more': ['More Fragments', 'bool'],
    'fraghdr.ident': ['Identification', 'uint', 'hex'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  registerDissector('ipv6', dissectIpv6);
  ethertypeTable.register(0x86dd, dissectIpv6);
  greProtoTable.register(0x86dd, dissectIpv6);
  ipProtoTable.register(41, dissectIpv6);
}

export const ipv6Module: DissectorModule = { name: 'ipv6', register, handoff };
