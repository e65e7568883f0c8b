// The overlay encapsulations: GRE (RFC 2784/2890) with NVGRE (RFC 7637), VXLAN (RFC 7348) and
// Geneve (RFC 8926). Each names the tenant of the frame it carries.
import { u16, u24, u32, hex } from '../bytes';
import { Dissection } from '../dissection';
import { TenantType } from '../tenant-id';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, greProtoTable, ipProtoTable, registerDissector, udpPortTable, DissectorModule } from '../tables';
import { dispatchPayload, dispatchTunnelPayload, haveHeader } from './common';
import { ethertypeName } from './ethernet';

const GRE = defineProtocol('gre', 'Generic Routing Encapsulation', 'GRE');
const VXLAN = defineProtocol('vxlan', 'Virtual eXtensible Local Area Network', 'VXLAN');
const GENEVE = defineProtocol('geneve', 'Generic Network Virtualization Encapsulation', 'Geneve');

/** NVGRE VSIDs 0x000000-0x000FFF are reserved: such a 0x6558 key is a plain 32-bit tunnel key. */
export const NVGRE_MAX_RESERVED_VSID = 0xfff;
const TEB = 0x6558;

function dissectGre(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(GRE, offset, end);
  if (!haveHeader(ctx, 'GRE', offset, end, 4)) return;
  const buf = ctx.buf;
  const flags = u16(buf, offset);
  const proto = u16(buf, offset + 2);
  const version = flags & 7;
  const hasChecksum = (flags & 0x8000) !== 0;
  const hasRouting = (flags & 0x4000) !== 0;
  const hasKey = (flags & 0x2000) !== 0;
  const hasSeq = (flags & 0x1000) !== 0;
  const hasAck = version === 1 && (flags & 0x0080) !== 0;
  if (ctx.detail) {
    ctx.setLayerLabel(`Generic Routing Encapsulation (${ethertypeName(proto)})`);
    const node = ctx.field('gre.flags_and_version', offset, 2, flags);
    ctx.beginSubtree(node);
    ctx.field('gre.flags.checksum', offset, 2, hasChecksum);
    ctx.field('gre.flags.routing', offset, 2, hasRouting);
    ctx.field('gre.flags.key', offset, 2, hasKey);
    ctx.field('gre.flags.sequence_number', offset, 2, hasSeq);
    ctx.field('gre.flags.version', offset, 2, version);
    ctx.endSubtree();
    ctx.field('gre.proto', offset + 2, 2, proto, ethertypeName(proto));
  }
  if (ctx.wantColumns) ctx.setInfo(greInfo, offset);
  if (version > 1) {
    ctx.setMalformed(`GRE version ${version} is unknown (RFC 2784 requires 0)`);
    return;
  }
  if (version === 1 && !hasKey) {
    ctx.setMalformed('enhanced GRE (version 1) without its mandatory key field');
    return;
  }
  let pos = offset + 4;
  const headerLen = 4 + (hasChecksum || hasRouting ? 4 : 0) + (hasKey ? 4 : 0) + (hasSeq ? 4 : 0) + (hasAck ? 4 : 0);
  if (!haveHeader(ctx, 'GRE', offset, end, headerLen)) return;
  if (hasChecksum || hasRouting) {
    if (ctx.detail) ctx.field('gre.checksum', pos, 2, u16(buf, pos));
    pos += 4;
  }
  if (hasKey) {
    const key = u32(buf, pos);
    if (version === 1) {
      if (ctx.detail) {
        ctx.field('gre.key.payload_length', pos, 2, u16(buf, pos));
        ctx.field('gre.key.call_id', pos + 2, 2, u16(buf, pos + 2));
      }
    } else {
      const vsid = key >>> 8;
      const nvgre = proto === TEB && vsid > NVGRE_MAX_RESERVED_VSID;
      if (ctx.detail) {
        const keyNode = ctx.field('gre.key', pos, 4, key);
        if (nvgre) {
          ctx.beginSubtree(keyNode);
          ctx.field('gre.key.nvgre_vsid', pos, 3, vsid);
          ctx.field('gre.key.nvgre_flowid', pos + 3, 1, key & 0xff);
          ctx.endSubtree();
        }
      }
      if (nvgre) ctx.setTenant(TenantType.Nvgre, vsid, layer);
      else ctx.setTenant(TenantType.Gre, key, layer);
    }
    pos += 4;
  }
  if (hasSeq) {
    if (ctx.detail) ctx.field('gre.sequence_number', pos, 4, u32(buf, pos));
    pos += 4;
  }
  if (hasAck) {
    if (ctx.detail) ctx.field('gre.ack_number', pos, 4, u32(buf, pos));
    pos += 4;
  }
  ctx.setLayerEnd(layer, pos);
  if (hasRouting) {
    // Source routing entries (RFC 1701) end with the NULL SRE: address family 0 and length 0.
    for (let i = 0; i < 64; i++) {
      if (!haveHeader(ctx, 'GRE routing', pos, end, 4)) return;
      const last = u16(buf, pos) === 0 && buf[pos + 3] === 0;
      pos += 4 + buf[pos + 3];
      if (last) break;
    }
  }
  dispatchPayload(ctx, greProtoTable, proto, pos, end);
}

function greInfo(buf: Uint8Array, at: number): string {
  const flags = u16(buf, at);
  const proto = u16(buf, at + 2);
  let info = `Encapsulated ${ethertypeName(proto)}`;
  if (flags & 0x2000 && (flags & 7) === 0) {
    const key = u32(buf, at + 4 + (flags & 0xc000 ? 4 : 0));
    const nvgre = proto === TEB && key >>> 8 > NVGRE_MAX_RESERVED_VSID;
    info += nvgre ? `, VSID ${hex(key >>> 8, 6)}` : `, key ${hex(key, 8)}`;
  }
  return info;
}

function dissectVxlan(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(VXLAN, offset, end);
  if (!haveHeader(ctx, 'VXLAN', offset, end, 8)) return;
  const buf = ctx.buf;
  const flags = u16(buf, offset);
  const iFlag = (buf[offset] & 0x08) !== 0;
  const vni = u24(buf, offset + 4);
  ctx.setLayerEnd(layer, offset + 8);
  if (ctx.detail) {
    const node = ctx.field('vxlan.flags', offset, 2, flags);
    ctx.beginSubtree(node);
    ctx.field('vxlan.flag_i', offset, 1, iFlag);
    ctx.endSubtree();
    ctx.field('vxlan.vni', offset + 4, 3, vni);
    if (!iFlag) ctx.text('[The I flag is not set: RFC 7348 says the VNI is not valid]', offset, 1);
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => `VXLAN VNI ${u24(b, at + 4)}`, offset);
  // Without the I flag the VNI is not valid, but receivers still decapsulate: keep it as the tenant.
  ctx.setTenant(TenantType.Vxlan, vni, layer);
  dispatchTunnelPayload(ctx, ethertypeTable, TEB, offset + 8, end);
}

function dissectGeneve(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(GENEVE, offset, end);
  if (!haveHeader(ctx, 'Geneve', offset, end, 8)) return;
  const buf = ctx.buf;
  const version = buf[offset] >> 6;
  const optionsLen = (buf[offset] & 0x3f) * 4;
  const proto = u16(buf, offset + 2);
  const vni = u24(buf, offset + 4);
  if (version !== 0) {
    ctx.setMalformed(`Geneve version ${version} is unknown`);
    return;
  }
  if (!haveHeader(ctx, 'Geneve', offset, end, 8 + optionsLen)) return;
  ctx.setLayerEnd(layer, offset + 8 + optionsLen);
  if (ctx.detail) {
    ctx.setLayerLabel(`Generic Network Virtualization Encapsulation, VNI: ${hex(vni, 6)}`);
    ctx.field('geneve.version', offset, 1, version);
    ctx.field('geneve.flags.oam', offset + 1, 1, (buf[offset + 1] & 0x80) !== 0);
    ctx.field('geneve.flags.critical', offset + 1, 1, (buf[offset + 1] & 0x40) !== 0);
    ctx.field('geneve.proto_type', offset + 2, 2, proto, ethertypeName(proto));
    ctx.field('geneve.vni', offset + 4, 3, vni);
    if (optionsLen > 0) {
      const optionsNode = ctx.field('geneve.options', offset + 8, optionsLen, `${optionsLen} bytes`);
      ctx.beginSubtree(optionsNode);
      for (let pos = offset + 8; pos + 4 <= offset + 8 + optionsLen; ) {
        const len = 4 + (buf[pos + 3] & 0x1f) * 4;
        const optNode = ctx.field('geneve.option', pos, len, `Class ${hex(u16(buf, pos), 4)}, type ${hex(buf[pos + 2], 2)}`);
        ctx.beginSubtree(optNode);
        ctx.field('geneve.option.class', pos, 2, u16(buf, pos));
        ctx.field('geneve.option.type', pos + 2, 1, buf[pos + 2]);
        ctx.field('geneve.option.length', pos + 3, 1, len);
        ctx.endSubtree();
        pos += len;
      }
      ctx.endSubtree();
    }
  }
  if (ctx.wantColumns) ctx.setInfo((b, at) => `Geneve VNI ${u24(b, at + 4)}`, offset);
  ctx.setTenant(TenantType.Geneve, vni, layer);
  dispatchTunnelPayload(ctx, ethertypeTable, proto, offset + 8 + optionsLen, end);
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(GRE, VXLAN, GENEVE);
  defineFields('gre', {
    flags_and_version: ['Flags and Version', 'uint', 'hex'],
    'flags.checksum': ['Checksum Bit', 'bool'],
    'flags.routing': ['Routing Bit', 'bool'],
    'flags.key': ['Key Bit', 'bool'],
    'flags.sequence_number': ['Sequence Number Bit', 'bool'],
    'flags.version': ['Version', 'uint'],
    proto: ['Protocol Type', 'uint', 'hex'],
    checksum: ['Checksum', 'uint', 'hex'],
    key: ['Key', 'uint', 'hex'],
    'key.nvgre_vsid': ['NVGRE Virtual Subnet ID (VSID)', 'uint', 'hex'],
    'key.nvgre_flowid': ['NVGRE FlowID', 'uint', 'hex'],
    'key.payload_length': ['Payload Length', 'uint'],
    'key.call_id': ['Call ID', 'uint'],
    sequence_number: ['Sequence Number', 'uint'],
    ack_number: ['Acknowledgment Number', 'uint'],
  });
  defineFields('vxlan', {
    flags: ['Flags', 'uint', 'hex'],
    flag_i: ['VXLAN Network ID (VNI)', 'bool'],
    vni: ['VXLAN Network Identifier (VNI)', 'uint'],
  });
  defineFields('geneve', {
    version: ['Version', 'uint'],
    'flags.oam': ['Operations, Administration and Management Frame', 'bool'],
    'flags.critical': ['Critical Options Present', 'bool'],
    proto_type: ['Protocol Type', 'uint', 'hex'],
    vni: ['Virtual Network Identifier (VNI)', 'uint', 'hex'],
    options: ['Geneve Options', 'bytes'],
    option: ['Option', 'bytes'],
    'option.class': ['Class', 'uint', 'hex'],
    'option.type': ['Type', 'uint', 'hex'],
    'option.length': ['Length', 'uint'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  registerDissector('gre', dissectGre);
  registerDissector('vxlan', dissectVxlan);
  registerDissector('geneve', dissectGeneve);
  ipProtoTable.register(47, dissectGre);
  udpPortTable.register(4789, dissectVxlan);
  udpPortTable.register(8472, dissectVxlan); // Linux kernel's legacy default and flannel
  udpPortTable.register(6081, dissectGeneve);
  udpPortTable.register(4754, dissectGre); // GRE-in-UDP (RFC 8086)
}

export const tunnelsModule: DissectorModule = { name: 'tunnels', register, handoff };
