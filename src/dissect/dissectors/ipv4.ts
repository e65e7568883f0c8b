// IPv4 (RFC 791): options, fragments (marked, not reassembled), payload bounded by the total length.
import { u16, ipv4Text } from '../bytes';
import { AddressKind, Dissection } from '../dissection';
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
  if (ctx.wantColumns) ctx.setAddresses(AddressKind.Ipv4, offset + 12, offset + 16);
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
    if (ctx.detail) ctx.field('ip.fragment', offset + 6, 2, true);
    if (ctx.wantColumns) ctx.info = `Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOffset}, ID=${u16(buf, offset + 4).toString(16).padStart(4, '0')})`;
    // Without reassembly a fragment's payload is opaque (Wireshark too shows the first fragment as
    // data and the protocols only on the frame that completes the datagram).
    dissectData(ctx, offset + hdrLen, payloadEnd);
    return;
  }
  dispatchPayload(ctx, ipProtoTable, proto, offset + hdrLen, payloadEnd);
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
    fragment: ['Is a fragment', 'bool'],
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
