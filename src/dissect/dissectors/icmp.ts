// ICMP (RFC 792) and ICMPv6 (RFC 4443, MLDv2 reports): errors carry the offending packet's headers.
import { u16, ipv6Text } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, ipProtoTable, DissectorModule } from '../tables';
import { dissectData, haveHeader } from './common';

const ICMP = defineProtocol('icmp', 'Internet Control Message Protocol', 'ICMP');
const ICMPV6 = defineProtocol('icmpv6', 'Internet Control Message Protocol v6', 'ICMPv6');

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem',
  13: 'Timestamp request', 14: 'Timestamp reply',
};
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

function icmpShortInfo(buf: Uint8Array, at: number): string {
  const name = ICMP_TYPES[buf[at]] ?? `Type ${buf[at]}`;
  return buf[at + 1] ? `${name} (code ${buf[at + 1]})` : name;
}

function icmpInfo(buf: Uint8Array, at: number): string {
  const type = buf[at];
  if (type !== 0 && type !== 8 && type !== 13 && type !== 14) return icmpShortInfo(buf, at);
  const id = u16(buf, at + 4);
  const seq = u16(buf, at + 6);
  const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
  return `${ICMP_TYPES[type]}  id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${seqLe}`;
}

function dissectIcmp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(ICMP, offset, end);
  if (!haveHeader(ctx, 'ICMP', offset, end, 4)) return;
  const buf = ctx.buf;
  const type = buf[offset];
  const code = buf[offset + 1];
  const echo = type === 0 || type === 8 || type === 13 || type === 14;
  const headerLen = end - offset >= 8 ? 8 : 4;
  ctx.setLayerEnd(layer, offset + headerLen);
  if (ctx.detail) {
    ctx.field('icmp.type', offset, 1, type, `${type} (${ICMP_TYPES[type] ?? 'Unknown'})`);
    ctx.field('icmp.code', offset + 1, 1, code);
    ctx.field('icmp.checksum', offset + 2, 2, u16(buf, offset + 2));
    if (echo && headerLen === 8) {
      ctx.field('icmp.ident', offset + 4, 2, u16(buf, offset + 4));
      ctx.field('icmp.seq', offset + 6, 2, u16(buf, offset + 6));
    }
  }
  if (ctx.wantColumns) ctx.setInfo(headerLen === 8 ? icmpInfo : icmpShortInfo, offset);
  if (headerLen < 8) return;
  // Error messages quote the IP header (and 8+ bytes) of the packet that caused them.
  if (ICMP_ERRORS.has(type) && end - offset > 8) {
    // The quoted packet must not take over the columns: they describe this ICMP message.
    const restoreColumns = ctx.wantColumns ? ctx.saveColumns() : null;
    ctx.quoting++;
    ethertypeTable.dispatch(ctx, 0x0800, offset + 8, end);
    ctx.quoting--;
    if (restoreColumns) restoreColumns();
    return;
  }
  dissectData(ctx, offset + 8, end);
}

const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem', 128: 'Echo (ping) request',
  129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement',
  137: 'Redirect', 143: 'Multicast Listener Report Message v2',
};

function dissectIcmpv6(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(ICMPV6, offset, end);
  if (!haveHeader(ctx, 'ICMPv6', offset, end, 4)) return;
  const buf = ctx.buf;
  const type = buf[offset];
  ctx.setLayerEnd(layer, end);
  if (ctx.detail) {
    ctx.field('icmpv6.type', offset, 1, type, `${ICMPV6_TYPES[type] ?? 'Unknown'} (${type})`);
    ctx.field('icmpv6.code', offset + 1, 1, buf[offset + 1]);
    ctx.field('icmpv6.checksum', offset + 2, 2, u16(buf, offset + 2));
  }
  let info = ICMPV6_TYPES[type] ?? `Type ${type}`;
  if ((type === 128 || type === 129) && end - offset >= 8) {
    const id = u16(buf, offset + 4);
    const seq = u16(buf, offset + 6);
    if (ctx.detail) {
      ctx.field('icmpv6.echo.identifier', offset + 4, 2, id);
      ctx.field('icmpv6.echo.sequence_number', offset + 6, 2, seq);
    }
    info += ` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}`;
  } else if ((type === 135 || type === 136) && end - offset >= 24) {
    const target = ipv6Text(buf, offset + 8);
    if (ctx.detail) ctx.field(type === 135 ? 'icmpv6.nd.ns.target_address' : 'icmpv6.nd.na.target_address', offset + 8, 16, target);
    info += type === 135 ? ` for ${target}` : ` ${target}`;
  } else if (type === 143 && end - offset >= 8) {
    info = dissectMldv2Report(ctx, offset, end, info);
  } else if (type >= 1 && type <= 4 && end - offset > 8) {
    // The quoted packet must not take over the columns: Source, Destination and Protocol describe
    // this ICMPv6 message, as for ICMP.
    const restoreColumns = ctx.wantColumns ? ctx.saveColumns() : null;
    ctx.quoting++;
    ethertypeTable.dispatch(ctx, 0x86dd, offset + 8, end);
    ctx.quoting--;
    if (restoreColumns) restoreColumns();
  }
  if (ctx.wantColumns) ctx.info = info;
  // An echo's payload is data, as after an ICMP echo.
  if ((type === 128 || type === 129) && end - offset > 8) {
    ctx.setLayerEnd(layer, offset + 8);
    dissectData(ctx, offset + 8, end);
    if (ctx.wantColumns) ctx.colProto = 'ICMPv6';
  }
}

function dissectMldv2Report(ctx: Dissection, offset: number, end: number, info: string): string {
  const buf = ctx.buf;
  const records = u16(buf, offset + 6);
  if (ctx.detail) ctx.field('icmpv6.mldr.nb_mcast_records', offset + 6, 2, records);
  let pos = offset + 8;
  for (let i = 0; i < records; i++) {
    if (end - pos < 20) {
      ctx.setMalformed(`MLDv2 report record ${i + 1} of ${records} truncated`);
      break;
    }
    const auxLen = buf[pos + 1] * 4;
    const sources = u16(buf, pos + 2);
    const group = ipv6Text(buf, pos + 4);
    if (ctx.detail) {
      ctx.field('icmpv6.mldr.mar.record_type', pos, 1, buf[pos]);
      ctx.field('icmpv6.mldr.mar.multicast_address', pos + 4, 16, group);
    }
    info += `${i === 0 ? ':' : ','} ${buf[pos] === 4 || buf[pos] === 2 ? 'Join' : 'Leave'} ${group}`;
    pos += 20 + sources * 16 + auxLen;
  }
  return info;
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(ICMP, ICMPV6);
  defineFields('icmp', {
    type: ['Type', 'uint'],
    code: ['Code', 'uint'],
    checksum: ['Checksum', 'uint', 'hex'],
    ident: ['Identifier (BE)', 'uint'],
    seq: ['Sequence Number (BE)', 'uint'],
  });
  defineFields('icmpv6', {
    type: ['Type', 'uint'],
    code: ['Code', 'uint'],
    checksum: ['Checksum', 'uint', 'hex'],
    'echo.identifier': ['Identifier', 'uint', 'hex'],
    'echo.sequence_number': ['Sequence', 'uint'],
    'mldr.nb_mcast_records': ['Number of Multicast Address Records', 'uint'],
    'mldr.mar.record_type': ['Record Type', 'uint'],
    'mldr.mar.multicast_address': ['Multicast Address', 'ipv6'],
    'nd.ns.target_address': ['Target Address', 'ipv6'],
    'nd.na.target_address': ['Target Address', 'ipv6'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  ipProtoTable.register(1, dissectIcmp);
  ipProtoTable.register(58, dissectIcmpv6);
}

export const icmpModule: DissectorModule = { name: 'icmp', register, handoff };
