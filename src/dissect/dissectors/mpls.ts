// MPLS (RFC 3032): a stack of 4-byte label entries, then a payload the labels do not name. As
// Wireshark does, the payload is told by its first nibble: 4 IPv4, 6 IPv6, 0 a pseudowire control
// word (RFC 4385) before an Ethernet frame (RFC 4448); the explicit-null labels name it outright.
// Found by ethertype 0x8847/0x8848, in GRE, over UDP 6635 (RFC 7510) and in PPP (0x0281).
import { u32 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, registerDissector, udpPortTable, DissectorModule } from '../tables';
import { dissectData, haveHeader } from './common';
import { dissectEthernet } from './ethernet';

const MPLS = defineProtocol('mpls', 'MultiProtocol Label Switching Header', 'MPLS');
const PWETHCW = defineProtocol('pwethcw', 'PW Ethernet Control Word', 'PW Eth CW');

const IPV4_EXPLICIT_NULL = 0;
const IPV6_EXPLICIT_NULL = 2;
/** A label stack deeper than this is not a real one. */
const MAX_LABELS = 32;

export function dissectMpls(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(MPLS, offset, end);
  let pos = offset;
  let label: number;
  for (let depth = 0; ; depth++) {
    if (!haveHeader(ctx, 'MPLS', pos, end, 4)) return;
    const entry = u32(ctx.buf, pos);
    label = entry >>> 12;
    const bottom = (entry & 0x100) !== 0;
    if (ctx.detail) {
      ctx.field('mpls.label', pos, 4, label);
      ctx.field('mpls.exp', pos, 4, (entry >>> 9) & 7);
      ctx.field('mpls.bottom', pos, 4, bottom ? 1 : 0);
      ctx.field('mpls.ttl', pos, 4, entry & 0xff);
    }
    pos += 4;
    if (bottom) break;
    if (depth + 1 >= MAX_LABELS) {
      ctx.setMalformed(`MPLS label stack deeper than ${MAX_LABELS} entries without a bottom of stack`);
      return;
    }
  }
  ctx.setLayerEnd(layer, pos);
  if (ctx.detail) ctx.setLayerLabel(`MultiProtocol Label Switching Header, Label: ${label}`);
  if (ctx.wantColumns) ctx.setInfo((b, at) => `MPLS Label ${u32(b, at) >>> 12}`, offset);
  if (pos >= end) return;
  if (label === IPV4_EXPLICIT_NULL) ethertypeTable.dispatch(ctx, 0x0800, pos, end);
  else if (label === IPV6_EXPLICIT_NULL) ethertypeTable.dispatch(ctx, 0x86dd, pos, end);
  else dissectMplsPayload(ctx, pos, end);
}

function dissectMplsPayload(ctx: Dissection, offset: number, end: number): void {
  const nibble = ctx.buf[offset] >> 4;
  if (nibble === 4) ethertypeTable.dispatch(ctx, 0x0800, offset, end);
  else if (nibble === 6) ethertypeTable.dispatch(ctx, 0x86dd, offset, end);
  else if (nibble === 0 && end - offset >= 4 + 14) dissectPwEthControlWord(ctx, offset, end);
  else dissectData(ctx, offset, end);
}

/** RFC 4385 control word (first nibble 0, flags, sequence number) before an RFC 4448 Ethernet frame. */
function dissectPwEthControlWord(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(PWETHCW, offset, offset + 4);
  ctx.setLayerEnd(layer, offset + 4);
  if (ctx.detail) ctx.field('pwethcw.sequence_number', offset + 2, 2, (ctx.buf[offset + 2] << 8) | ctx.buf[offset + 3]);
  dissectEthernet(ctx, offset + 4, end);
}

function register(): void {
  registerProtocols(MPLS, PWETHCW);
  defineFields('mpls', {
    label: ['MPLS Label', 'uint'],
    exp: ['MPLS Experimental Bits', 'uint'],
    bottom: ['MPLS Bottom Of Label Stack', 'uint'],
    ttl: ['MPLS TTL', 'uint'],
  });
  defineFields('pwethcw', { sequence_number: ['Sequence Number', 'uint'] });
}

function handoff(): void {
  registerDissector('mpls', dissectMpls);
  ethertypeTable.register(0x8847, dissectMpls);
  ethertypeTable.register(0x8848, dissectMpls);
  greProtoTable.register(0x8847, dissectMpls);
  udpPortTable.register(6635, dissectMpls);
}

export const mplsModule: DissectorModule = { name: 'mpls', register, handoff };
