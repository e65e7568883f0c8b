// PPP (RFC 1661) as enhanced GRE (version 1, RFC 2637's PPTP) carries it, and as LINKTYPE_PPP
// captures hold it: optional HDLC-like address and control bytes (0xff 0x03), then a 1- or 2-byte
// protocol field naming the payload through the ppp.protocol table (IPv4, IPv6, MPLS).
import { u16 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, linkTypeTable, pppProtocolTable, registerDissector, DissectorModule } from '../tables';
import { LINKTYPE_PPP } from '../../capture/link-types';
import { dispatchPayload, haveHeader } from './common';
import { dissectMpls } from './mpls';

const PPP = defineProtocol('ppp', 'Point-to-Point Protocol', 'PPP');

const PROTOCOL_NAMES: Record<number, string> = { 0x0021: 'Internet Protocol version 4', 0x0057: 'Internet Protocol version 6', 0x0281: 'MPLS', 0xc021: 'Link Control Protocol' };

function dissectPpp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(PPP, offset, end);
  if (!haveHeader(ctx, 'PPP', offset, end, 1)) return;
  const buf = ctx.buf;
  let pos = offset;
  if (end - pos >= 2 && buf[pos] === 0xff && buf[pos + 1] === 0x03) {
    if (ctx.detail) {
      ctx.field('ppp.address', pos, 1, 0xff);
      ctx.field('ppp.control', pos + 1, 1, 0x03);
    }
    pos += 2;
  }
  if (!haveHeader(ctx, 'PPP', pos, end, 1)) return;
  // An odd first byte is a compressed (1-byte) protocol field (RFC 1661 section 6.5).
  const compressed = (buf[pos] & 1) === 1;
  if (!compressed && !haveHeader(ctx, 'PPP', pos, end, 2)) return;
  const protocol = compressed ? buf[pos] : u16(buf, pos);
  const protoLen = compressed ? 1 : 2;
  if (ctx.detail) {
    ctx.setLayerLabel('Point-to-Point Protocol');
    ctx.field('ppp.protocol', pos, protoLen, protocol, `${PROTOCOL_NAMES[protocol] ?? 'Unknown'} (0x${protocol.toString(16).padStart(4, '0')})`);
  }
  if (ctx.wantColumns) ctx.setInfo(() => `PPP protocol 0x${protocol.toString(16).padStart(4, '0')}`, offset);
  pos += protoLen;
  ctx.setLayerEnd(layer, pos);
  dispatchPayload(ctx, pppProtocolTable, protocol, pos, end);
}

function register(): void {
  registerProtocols(PPP);
  defineFields('ppp', {
    address: ['Address', 'uint', 'hex'],
    control: ['Control', 'uint', 'hex'],
    protocol: ['Protocol', 'uint', 'hex'],
  });
}

function handoff(): void {
  registerDissector('ppp', dissectPpp);
  greProtoTable.register(0x880b, dissectPpp);
  linkTypeTable.register(LINKTYPE_PPP, dissectPpp);
  pppProtocolTable.register(0x0021, (ctx, o, e) => void ethertypeTable.dispatch(ctx, 0x0800, o, e));
  pppProtocolTable.register(0x0057, (ctx, o, e) => void ethertypeTable.dispatch(ctx, 0x86dd, o, e));
  pppProtocolTable.register(0x0281, dissectMpls);
}

export const pppModule: DissectorModule = { name: 'ppp', register, handoff };
