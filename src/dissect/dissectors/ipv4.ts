// IPv4 (RFC 791): options, fragments (reassembled when the pass reassembles), payload bounded by the total length.
import { u16, u32, ipv4Text } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
import { TenantType } from '../tenant-id';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, ipProtoTable, registerDissector, DissectorModule } from '../tables';
import { dispatchPayload, dissectData, haveHeader } from './common';
import { ipProtoName } from './ip-protocols';

const IP = defineProtocol('ip', 'Internet Protocol Version 4', 'IPv4');

export function dissectIpv4(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(IP, offset, end);
  if (ctx.outerIpLayer < 0) ctx.outerIpLayer = layer;
  if (!haveHeader(ctx, 'IPv4', offset, end, 20)) return;
  const buf = ctx.buf;
  const version = buf[offset] >> 4;
  const hdrLen = (buf[offset] & 0x0f) * 4;
  if (version !== 4) {
    ctx.setMalformed(`IPv4 version field is ${version}, not 4`);
    return;
  }
  if (hdrLen < 20) {
    ctx.setMalformed(`IPv4 header length ${hdrLen} is shorter than 20 bytes`);
    return;
  }
  // The addresses are in the fixed 20 bytes: the columns show them even when options are cut off.
  if (ctx.wantColumns) ctx.setAddresses(AddressKind.Ipv4, offset + 12, offset + 16);
  if (!haveHeader(ctx, 'IPv4', offset, end, hdrLen)) return;
  const totalLen = u16(buf, offset + 2);
  const flagsFrag = u16(buf, offset + 6);
  const proto = buf[offset + 9];
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  const moreFragments = (flagsFrag & 0x2000) !== 0;
  ctx.setLayerEnd(layer, offset + hdrLen);
  if (ctx.detail) {
    const src = ipv4Text(buf, offset + 12);
    const dst = ipv4Text(buf, offset + 16);
    ctx.setLayerLabel(`Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`);
    ctx.field('ip.version', offset, 1, version);
    ctx.field('ip.hdr_len', offset, 1, hdrLen, `${hdrLen} bytes (${hdrLen / 4})`);
    ctx.field('ip.dsfield', offset + 1, 1, buf[offset + 1]);
    ctx.field('ip.dsfield.dscp', offset + 1, 1, buf[offset + 1] >> 2);
    ctx.field('ip.dsfield.ecn', offset + 1, 1, buf[offset + 1] & 3);
    ctx.field('ip.len', offset + 2, 2, totalLen);
    ctx.field('ip.id', offset + 4, 2, u16(buf, offset + 4));
    const flagsNode = ctx.field('ip.flags', offset + 6, 1, flagsFrag >> 13);
    ctx.beginSubtree(flagsNode);
    ctx.field('ip.flags.rb', offset + 6, 1, (flagsFrag & 0x8000) !== 0);
    ctx.field('ip.flags.df', offset + 6, 1, (flagsFrag & 0x4000) !== 0);
    ctx.field('ip.flags.mf', offset + 6, 1, moreFragments);
    ctx.endSubtree();
    ctx.field('ip.frag_offset', offset + 6, 2, fragOffset);
    ctx.field('ip.ttl', offset + 8, 1, buf[offset + 8]);
    ctx.field('ip.proto', offset + 9, 1, proto, `${ipProtoName(proto)} (${proto})`);
    ctx.field('ip.checksum', offset + 10, 2, u16(buf, offset + 10));
    ctx.field('ip.src', offset + 12, 4, src);
    ctx.hiddenField('ip.addr', offset + 12, 4, src);
    ctx.field('ip.dst', offset + 16, 4, dst);
    ctx.hiddenField('ip.addr', offset + 16, 4, dst);
    for (let o = offset + 20; o < offset + hdrLen; ) {
      const type = buf[o];
      if (type === 0) break;
      const len = type === 1 ? 1 : buf[o + 1] ?? 1;
      ctx.field('ip.opt.type', o, Math.max(len, 1), type);
      o += Math.max(len, 1);
    }
  }
  // Captures taken with TCP segmentation offload show a total length of 0: the frame is the packet.
  if (totalLen === 0) {
    if (ctx.detail) ctx.text('[Total length 0: assuming a TSO/GSO capture, the payload runs to the end of the frame]', offset + 2, 2);
  } else if (totalLen < hdrLen) {
    ctx.setMalformed(`IPv4 total length ${totalLen} is less than its header length ${hdrLen}`);
    return;
  }
  // Bytes past the total length are link-layer padding, not payload.
  const payloadEnd = totalLen === 0 ? end : Math.min(end, offset + totalLen);
  if (fragOffset > 0 || moreFragments) {
    const whole = totalLen !== 0 && offset + totalLen <= end ? reassemble(ctx, offset, hdrLen, payloadEnd, fragOffset, moreFragments) : null;
    if (whole === null) {
      if (ctx.wantColumns) ctx.info = `Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOffset}, ID=${u16(buf, offset + 4).toString(16).padStart(4, '0')})`;
      // A fragment's payload is opaque until its datagram is complete (Wireshark too shows the
      // protocols only on the frame that completes the datagram).
      dissectData(ctx, offset + hdrLen, payloadEnd);
      return;
    }
    dispatchPayload(ctx, ipProtoTable, proto, whole.start, whole.end);
    return;
  }
  dispatchPayload(ctx, ipProtoTable, proto, offset + hdrLen, payloadEnd);
}

/**
 * Hands a fragment to the pass's reassembly. When it completes the datagram, the dissection goes on in
 * the reassembled datagram (whose copied header now says its whole length and no fragmentation) and
 * the payload's new bounds are returned; otherwise null, and the frame is marked as a held fragment.
 */
function reassemble(ctx: Dissection, offset: number, hdrLen: number, payloadEnd: number, fragOffset: number, more: boolean): { start: number; end: number } | null {
  const r = ctx.reassembly;
  if (r === null) return null;
  const frame = ctx.frameIndex;
  const completedIn = r.links?.reassembledIn.get(frame);
  if (completedIn !== undefined && ctx.detail) ctx.field('ip.reassembled_in', offset + 6, 2, completedIn + 1);
  if (ctx.quoting > 0 || frame < 0) return null;
  const buf = ctx.buf;
  const key = `4 ${ctx.tenantType} ${ctx.tenantId} ${u32(buf, offset + 12)} ${u32(buf, offset + 16)} ${u16(buf, offset + 4)} ${buf[offset + 9]}`;
  const done = r.add(key, frame, ctx.frameTime, fragOffset, more, buf, offset + hdrLen, payloadEnd, ctx.origLen);
  if (done === null) {
    if (completedIn === undefined) ctx.heldFragment = true;
    return null;
  }
  const start = ctx.switchToReassembled(offset + hdrLen, done.payload);
  const ip = start - hdrLen;
  const next = ctx.buf;
  const total = hdrLen + done.payload.length;
  next[ip + 2] = total >> 8;
  next[ip + 3] = total & 0xff;
  next[ip + 6] &= 0x40; // keep Don't Fragment; no More Fragments, offset 0
  next[ip + 7] = 0;
  if (ctx.tenantType === TenantType.None) {
    // The underlay fragmented this packet: it is one packet, on the wire as all its fragment frames.
    ctx.wireBytes = done.wireBytes;
    ctx.absorbedFragments = done.frames.slice(0, -1);
  }
  if (ctx.detail) {
    ctx.text(`[${done.frames.length} IPv4 Fragments (${done.payload.length} bytes): ${done.frames.map((f) => `#${f + 1}`).join(', ')}]`, ip, hdrLen);
    for (const f of done.frames) ctx.field('ip.fragment', ip + 6, 2, f + 1);
    ctx.field('ip.fragment.count', ip + 6, 2, done.frames.length);
    ctx.field('ip.reassembled.length', ip + 2, 2, done.payload.length);
  }
  return { start, end: start + done.payload.length };
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(IP);
  defineFields('ip', {
    version: ['Version', 'uint'],
    hdr_len: ['Header Length', 'uint'],
    dsfield: ['Differentiated Services Field', 'uint', 'hex'],
    'dsfield.dscp': ['Differentiated Services Codepoint', 'uint'],
    'dsfield.ecn': ['Explicit Congestion Notification', 'uint'],
    len: ['Total Length', 'uint'],
    id: ['Identification', 'uint', 'hex'],
    flags: ['Flags', 'uint', 'hex'],
    'flags.rb': ['Reserved bit', 'bool'],
    'flags.df': ["Don't fragment", 'bool'],
    'flags.mf': ['More fragments', 'bool'],
    frag_offset: ['Fragment Offset', 'uint'],
    ttl: ['Time to Live', 'uint'],
    proto: ['Protocol', 'uint'],
    checksum: ['Header Checksum', 'uint', 'hex'],
    src: ['Source Address', 'ipv4'],
    dst: ['Destination Address', 'ipv4'],
    addr: ['Source or Destination Address', 'ipv4'],
    'opt.type': ['Option Type', 'uint'],
    fragment: ['IPv4 Fragment', 'uint'],
    'fragment.count': ['Fragment count', 'uint'],
    reassembled_in: ['Reassembled IPv4 in frame', 'uint'],
    'reassembled.length': ['Reassembled IPv4 length', 'uint'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  registerDissector('ip', dissectIpv4);
  ethertypeTable.register(0x0800, dissectIpv4);
  greProtoTable.register(0x0800, dissectIpv4);
  ipProtoTable.register(4, dissectIpv4); // IP-in-IP
}

export const ipv4Module: DissectorModule = { name: 'ipv4', register, handoff };
