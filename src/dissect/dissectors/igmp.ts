// IGMP v1/v2/v3 (RFC 2236, RFC 3376): the membership reports tell which VTEPs joined which groups.
import { u16, ipv4Text } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ipProtoTable, DissectorModule } from '../tables';
import { haveHeader } from './common';

const IGMP = defineProtocol('igmp', 'Internet Group Management Protocol', 'IGMPv2');

const RECORD_TYPES = ['', 'Mode Is Include', 'Mode Is Exclude', 'Change To Include Mode', 'Change To Exclude Mode', 'Allow New Sources', 'Block Old Sources'];

function dissectIgmp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(IGMP, offset, end);
  if (!haveHeader(ctx, 'IGMP', offset, end, 8)) return;
  const buf = ctx.buf;
  const type = buf[offset];
  const version = type === 0x22 || (type === 0x11 && end - offset >= 12) ? 3 : type === 0x12 ? 1 : 2;
  ctx.setLayerEnd(layer, end);
  if (ctx.wantColumns) ctx.colProto = `IGMPv${version}`;
  if (ctx.detail) {
    ctx.setLayerLabel(`Internet Group Management Protocol`);
    ctx.field('igmp.version', offset, 0, version);
    ctx.field('igmp.type', offset, 1, type);
    if (type !== 0x22) ctx.field('igmp.max_resp', offset + 1, 1, buf[offset + 1]);
    ctx.field('igmp.checksum', offset + 2, 2, u16(buf, offset + 2));
  }
  if (type === 0x22) {
    dissectV3Report(ctx, offset, end);
    return;
  }
  const group = ipv4Text(buf, offset + 4);
  if (ctx.detail) ctx.field('igmp.maddr', offset + 4, 4, group);
  if (ctx.wantColumns) {
    if (type === 0x11) ctx.info = group === '0.0.0.0' ? 'Membership Query, general' : `Membership Query, specific for group ${group}`;
    else if (type === 0x16 || type === 0x12) ctx.info = `Membership Report group ${group}`;
    else if (type === 0x17) ctx.info = `Leave Group ${group}`;
    else ctx.info = `Type 0x${type.toString(16)}`;
  }
}

function dissectV3Report(ctx: Dissection, offset: number, end: number): void {
  const buf = ctx.buf;
  const records = u16(buf, offset + 6);
  if (ctx.detail) ctx.field('igmp.num_grp_recs', offset + 6, 2, records);
  let info = 'Membership Report';
  let pos = offset + 8;
  for (let i = 0; i < records; i++) {
    if (end - pos < 8) {
      ctx.setMalformed(`IGMPv3 report group record ${i + 1} of ${records} truncated`);
      break;
    }
    const recordType = buf[pos];
    const sources = u16(buf, pos + 2);
    const group = ipv4Text(buf, pos + 4);
    if (ctx.detail) {
      ctx.field('igmp.record_type', pos, 1, recordType, RECORD_TYPES[recordType] ?? String(recordType));
      ctx.field('igmp.num_src', pos + 2, 2, sources);
      ctx.field('igmp.maddr', pos + 4, 4, group);
    }
    const joins = recordType === 2 || recordType === 4 || (recordType === 5 && sources > 0) || (recordType === 1 && sources > 0);
    info += ` / ${joins ? 'Join' : 'Leave'} group ${group}${sources === 0 ? (joins ? ' for any sources' : '') : ` for ${sources} source(s)`}`;
    pos += 8 + sources * 4 + buf[pos + 1] * 4;
  }
  if (ctx.wantColumns) ctx.info = info;
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(IGMP);
  defineFields('igmp', {
    version: ['IGMP Version', 'uint'],
    type: ['Type', 'uint', 'hex'],
    max_resp: ['Max Resp Time', 'uint'],
    checksum: ['Checksum', 'uint', 'hex'],
    maddr: ['Multicast Address', 'ipv4'],
    num_grp_recs: ['Num Group Records', 'uint'],
    record_type: ['Record Type', 'uint'],
    num_src: ['Num Src', 'uint'],
    saddr: ['Source Address', 'ipv4'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  ipProtoTable.register(2, dissectIgmp);
}

export const igmpModule: DissectorModule = { name: 'igmp', register, handoff };
