// GTP version 1 (3GPP TS 29.281 GTP-U on UDP 2152, TS 29.060 GTP-C on 2123): an 8-byte header with a
// tunnel endpoint id, optional sequence/N-PDU/extension fields and a chain of extension headers. A
// G-PDU (message 255) carries the user's IPv4 or IPv6 packet. The TEID names a transport tunnel, not
// a tenant. GTPv2-C (version 2) is left to others.
import { u16, u32 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, registerDissector, udpPortTable, DissectorModule } from '../tables';
import { dissectData, haveHeader } from './common';

const GTP = defineProtocol('gtp', 'GPRS Tunneling Protocol', 'GTP');
const G_PDU = 255;
const MAX_EXTENSIONS = 16;

function dissectGtp(ctx: Dissection, offset: number, end: number): void {
  if (end - offset < 8 || ctx.buf[offset] >> 5 !== 1) {
    // Not GTPv1 (GTPv2-C, GTP', or something else on the port).
    dissectData(ctx, offset, end);
    return;
  }
  const layer = ctx.pushLayer(GTP, offset, end);
  const buf = ctx.buf;
  const flags = buf[offset];
  const message = buf[offset + 1];
  const length = u16(buf, offset + 2);
  const teid = u32(buf, offset + 4);
  if (ctx.detail) {
    ctx.setLayerLabel(`GPRS Tunneling Protocol, TEID: 0x${teid.toString(16).padStart(8, '0')}`);
    ctx.field('gtp.flags', offset, 1, flags);
    ctx.field('gtp.flags.version', offset, 1, flags >> 5);
    ctx.field('gtp.flags.payload', offset, 1, (flags >> 4) & 1);
    ctx.field('gtp.flags.e', offset, 1, (flags & 4) !== 0);
    ctx.field('gtp.flags.s', offset, 1, (flags & 2) !== 0);
    ctx.field('gtp.flags.pn', offset, 1, (flags & 1) !== 0);
    ctx.field('gtp.message', offset + 1, 1, message);
    ctx.field('gtp.length', offset + 2, 2, length);
    ctx.field('gtp.teid', offset + 4, 4, teid);
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => (b[at + 1] === G_PDU ? 'T-PDU' : `GTP message ${b[at + 1]}`), offset);
  const packetEnd = Math.min(end, offset + 8 + length);
  let pos = offset + 8;
  if (flags & 7) {
    if (!haveHeader(ctx, 'GTP', offset, end, 12)) return;
    if (ctx.detail) {
      ctx.field('gtp.seq_number', pos, 2, u16(buf, pos));
      ctx.field('gtp.npdu_number', pos + 2, 1, buf[pos + 2]);
      ctx.field('gtp.next', pos + 3, 1, buf[pos + 3]);
    }
    let next = flags & 4 ? buf[pos + 3] : 0;
    pos += 4;
    for (let i = 0; next !== 0; i++) {
      if (i >= MAX_EXTENSIONS) {
        ctx.setMalformed(`GTP extension header chain longer than ${MAX_EXTENSIONS}`);
        return;
      }
      if (!haveHeader(ctx, 'GTP extension', pos, end, 4)) return;
      const extLen = buf[pos] * 4;
      if (extLen === 0) {
        ctx.setMalformed('GTP extension header with length 0');
        return;
      }
      if (!haveHeader(ctx, 'GTP extension', pos, end, extLen)) return;
      if (ctx.detail) {
        ctx.field('gtp.ext_hdr_type', pos, 1, next);
        ctx.field('gtp.ext_hdr.length', pos, 1, buf[pos]);
        ctx.field('gtp.ext_hdr.next', pos + extLen - 1, 1, buf[pos + extLen - 1]);
      }
      next = buf[pos + extLen - 1];
      pos += extLen;
    }
  }
  ctx.setLayerEnd(layer, pos);
  // Only a G-PDU carries a user packet; signalling messages end here (their IEs are not dissected).
  if (message !== G_PDU || pos >= packetEnd) return;
  const version = buf[pos] >> 4;
  if (version === 4) ethertypeTable.dispatch(ctx, 0x0800, pos, packetEnd);
  else if (version === 6) ethertypeTable.dispatch(ctx, 0x86dd, pos, packetEnd);
  else dissectData(ctx, pos, packetEnd);
}

function register(): void {
  registerProtocols(GTP);
  defineFields('gtp', {
    flags: ['Flags', 'uint', 'hex'],
    'flags.version': ['Version', 'uint'],
    'flags.payload': ['Protocol type', 'uint'],
    'flags.e': ['Is Next Extension Header present?', 'bool'],
    'flags.s': ['Is Sequence Number present?', 'bool'],
    'flags.pn': ['Is N-PDU number present?', 'bool'],
    message: ['Message Type', 'uint', 'hex'],
    length: ['Length', 'uint'],
    teid: ['TEID', 'uint', 'hex'],
    seq_number: ['Sequence number', 'uint', 'hex'],
    npdu_number: ['N-PDU Number', 'uint', 'hex'],
    next: ['Next extension header type', 'uint', 'hex'],
    ext_hdr_type: ['Extension header type', 'uint', 'hex'],
    'ext_hdr.length': ['Extension Header Length', 'uint'],
    'ext_hdr.next': ['Next extension header', 'uint', 'hex'],
  });
}

function handoff(): void {
  registerDissector('gtp', dissectGtp);
  udpPortTable.register(2152, dissectGtp);
  udpPortTable.register(2123, dissectGtp);
}

export const gtpModule: DissectorModule = { name: 'gtp', register, handoff };
