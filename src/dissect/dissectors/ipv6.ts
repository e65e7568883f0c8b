// IPv6 (RFC 8200) with its extension headers, each shown as its own layer as Wireshark does.
import { u16, u32, ipv6Text } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
import { TenantType } from '../tenant-id';
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
  const buf = ctx.buf;
  if (offset < end && buf[offset] >> 4 !== 6) {
    // Not IPv6 at all: Wireshark's dissector refuses it and the bytes are data.
    ctx.setMalformed(`IPv6 version field is ${buf[offset] >> 4}, not 6`);
    dissectData(ctx, offset, end);
    return;
  }
  const layer = ctx.pushLayer(IPV6, offset, end);
  if (ctx.outerIpLayer < 0) ctx.outerIpLayer = layer;
  if (!haveHeader(ctx, 'IPv6', offset, end, 40)) return;
  const version = 6;
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
  for (let hops = 0; hops < 16; hops++) {
    const buf = ctx.buf; // a new buffer once a datagram is reassembled
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
      const more = (fragWord & 1) === 1;
      const whole = more || fragOffset !== 0 ? reassemble(ctx, offset, end, fragOffset, more) : null;
      if (whole !== null) {
        next = hdrNext;
        offset = whole.start;
        end = whole.end;
        continue;
      }
      if (fragOffset !== 0 || (more && ctx.heldFragment)) {
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

/**
 * Hands a fragment (fragment header at `fragAt`, payload to `end`) to the pass's reassembly; when it
 * completes the datagram, the dissection goes on in the reassembled one (the copied IPv6 header says
 * the whole payload length, the fragment header offset 0 and no more fragments) and the bounds of the
 * payload after the fragment header are returned; otherwise null.
 */
function reassemble(ctx: Dissection, fragAt: number, end: number, fragOffset: number, more: boolean): { start: number; end: number } | null {
  const r = ctx.reassembly;
  if (r === null) return null;
  const frame = ctx.frameIndex;
  const completedIn = r.links?.reassembledIn.get(frame);
  if (completedIn !== undefined && ctx.detail) ctx.field('ipv6.reassembled_in', fragAt + 2, 2, completedIn + 1);
  const ipLayer = ctx.findLastLayer(IPV6.id);
  if (ctx.quoting > 0 || frame < 0 || ipLayer < 0) return null;
  const buf = ctx.buf;
  const ipAt = ctx.layerStart[ipLayer];
  const payloadLen = u16(buf, ipAt + 4);
  if (payloadLen === 0 || ipAt + 40 + payloadLen > end) return null; // cut short: cannot take part
  const ids = `${ipv6Text(buf, ipAt + 8)} ${ipv6Text(buf, ipAt + 24)} ${u32(buf, fragAt + 4)}`;
  const key = `6 ${ctx.tenantType} ${ctx.tenantId} ${ids}`;
  const done = r.add(key, frame, ctx.frameTime, fragOffset, more, buf, fragAt + 8, end, ctx.origLen);
  if (done === null) {
    if (completedIn === undefined) ctx.heldFragment = true;
    return null;
  }
  const start = ctx.switchToReassembled(fragAt + 8, done.payload);
  const next = ctx.buf;
  const ip = ctx.layerStart[ipLayer];
  const newPayloadLen = start - (ip + 40) + done.payload.length;
  next[ip + 4] = newPayloadLen >> 8;
  next[ip + 5] = newPayloadLen & 0xff;
  next[start - 6] = 0; // fragment offset 0, no more fragments
  next[start - 5] = 0;
  if (ctx.tenantType === TenantType.None) {
    // The underlay fragmented this packet: it is one packet, on the wire as all its fragment frames.
    ctx.wireBytes = done.wireBytes;
    ctx.absorbedFragments = done.frames.slice(0, -1);
  }
  if (ctx.detail) {
    ctx.text(`[${done.frames.length} IPv6 Fragments (${done.payload.length} bytes): ${done.frames.map((f) => `#${f + 1}`).join(', ')}]`, start - 8, 8);
    for (const f of done.frames) ctx.field('ipv6.fragment', start - 8, 8, f + 1);
    ctx.field('ipv6.fragment.count', start - 8, 8, done.frames.length);
    ctx.field('ipv6.reassembled.length', start - 8, 8, done.payload.length);
  }
  return { start, end: start + done.payload.length };
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
    fragment: ['IPv6 Fragment', 'uint'],
    'fragment.count': ['Fragment count', 'uint'],
    reassembled_in: ['Reassembled IPv6 in frame', 'uint'],
    'reassembled.length': ['Reassembled IPv6 length', 'uint'],
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
