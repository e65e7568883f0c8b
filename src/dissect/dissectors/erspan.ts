// ERSPAN (Cisco's Encapsulated Remote SPAN, draft-foschiano-erspan): a switch mirrors frames to a
// collector inside GRE. Type I has no header (GRE 0x88be without a sequence number), type II an 8-byte
// header (GRE 0x88be with one), type III a 12-byte header plus an optional 8-byte platform sub-header
// (GRE 0x22eb). The session id is the mirror's, not a tenant: the mirrored frame keeps its own.
import { u16, u32 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { PROTO } from '../protocol-ids';
import { greProtoTable, registerDissector, DissectorModule } from '../tables';
import { dissectData, haveHeader } from './common';
import { dissectEthernet } from './ethernet';

const ERSPAN = defineProtocol('erspan', 'Encapsulated Remote Switch Packet ANalysis', 'ERSPAN');

const VERSION_NAMES: Record<number, string> = { 1: 'Type II', 2: 'Type III' };
const ENCAP_NAMES = ['Originally without VLAN tag', 'Originally ISL encapsulated', 'Originally 802.1Q encapsulated', 'VLAN tag preserved in frame'];
const BSO_NAMES = ['Good or unknown integrity', 'Short frame', 'Oversized frame', 'CRC or alignment error'];
const GRANULARITY_NAMES = ['100 microseconds', '100 nanoseconds', 'IEEE 1588', 'Custom granularity'];
const FRAME_TYPE_ETHERNET = 0;
const GRE_SEQUENCE_BIT = 0x1000;

/** GRE 0x88be: type II when the carrying GRE header has a sequence number, otherwise type I. */
function dissectErspan88be(ctx: Dissection, offset: number, end: number): void {
  const gre = ctx.layerCount - 1;
  const greHasSequence = gre >= 0 && ctx.layerProto[gre] === PROTO.gre && (u16(ctx.buf, ctx.layerStart[gre]) & GRE_SEQUENCE_BIT) !== 0;
  if (greHasSequence) dissectErspanHeader(ctx, offset, end);
  else dissectErspanTypeI(ctx, offset, end);
}

function dissectErspanTypeI(ctx: Dissection, offset: number, end: number): void {
  ctx.pushLayer(ERSPAN, offset, offset);
  if (ctx.detail) ctx.setLayerLabel('Encapsulated Remote Switch Packet ANalysis Type I');
  if (ctx.wantColumns) ctx.info = 'ERSPAN:';
  ctx.startMirroredFrame(-1);
  if (offset < end) dissectEthernet(ctx, offset, end);
}

/** Types II and III (GRE 0x22eb always has a header). */
function dissectErspanHeader(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(ERSPAN, offset, end);
  if (ctx.wantColumns) ctx.info = 'ERSPAN:';
  if (!haveHeader(ctx, 'ERSPAN', offset, end, 2)) return;
  const buf = ctx.buf;
  const first = u16(buf, offset);
  const version = first >> 12;
  const vlan = first & 0x0fff;
  if (version !== 1 && version !== 2) {
    if (ctx.detail) ctx.field('erspan.version', offset, 2, version, `Unknown (${version})`);
    ctx.setMalformed(`ERSPAN version ${version} is unknown (1 is type II, 2 type III)`);
    return;
  }
  const fixed = version === 1 ? 8 : 12;
  if (!haveHeader(ctx, 'ERSPAN', offset, end, fixed)) return;
  const second = u16(buf, offset + 2);
  const spanId = second & 0x03ff;
  let pos = offset + fixed;
  let frameType = FRAME_TYPE_ETHERNET;
  if (ctx.detail) {
    ctx.setLayerLabel(`Encapsulated Remote Switch Packet ANalysis ${VERSION_NAMES[version]}, Span ID: ${spanId}`);
    ctx.field('erspan.version', offset, 2, version, `${VERSION_NAMES[version]} (${version})`);
    ctx.field('erspan.vlan', offset, 2, vlan);
    ctx.field('erspan.cos', offset + 2, 2, second >> 13);
    if (version === 1) ctx.field('erspan.encap', offset + 2, 2, (second >> 11) & 3, ENCAP_NAMES[(second >> 11) & 3]);
    else ctx.field('erspan.bso', offset + 2, 2, (second >> 11) & 3, BSO_NAMES[(second >> 11) & 3]);
    ctx.field('erspan.truncated', offset + 2, 2, (second >> 10) & 1, (second & 0x0400) !== 0 ? 'Truncated (1)' : 'Not truncated (0)');
    ctx.field('erspan.spanid', offset + 2, 2, spanId);
  }
  if (version === 1) {
    if (ctx.detail) {
      const word = u32(buf, offset + 4);
      ctx.field('erspan.reserved', offset + 4, 4, word >>> 20);
      ctx.field('erspan.index', offset + 4, 4, word & 0x000fffff);
    }
  } else {
    const flags = u16(buf, offset + 10);
    frameType = (flags >> 10) & 0x1f;
    const granularity = (flags >> 1) & 3;
    if (ctx.detail) {
      ctx.field('erspan.timestamp', offset + 4, 4, u32(buf, offset + 4), `${u32(buf, offset + 4)} (${GRANULARITY_NAMES[granularity]} units)`);
      ctx.field('erspan.sgt', offset + 8, 2, u16(buf, offset + 8));
      ctx.field('erspan.p', offset + 10, 2, flags >> 15);
      ctx.field('erspan.ft', offset + 10, 2, frameType, frameType === 0 ? 'Ethernet (0)' : frameType === 2 ? 'IP (2)' : String(frameType));
      ctx.field('erspan.hw', offset + 10, 2, (flags >> 4) & 0x3f);
      ctx.field('erspan.direction', offset + 10, 2, (flags & 0x0008) !== 0, (flags & 0x0008) !== 0 ? 'Egress' : 'Ingress');
      ctx.field('erspan.gra', offset + 10, 2, granularity, GRANULARITY_NAMES[granularity]);
      ctx.field('erspan.o', offset + 10, 2, flags & 1);
    }
    if (flags & 1) {
      if (!haveHeader(ctx, 'ERSPAN platform sub-header', pos, end, 8)) return;
      if (ctx.detail) platformSubHeader(ctx, pos);
      pos += 8;
    }
  }
  ctx.setLayerEnd(layer, pos);
  ctx.startMirroredFrame(spanId);
  if (frameType === FRAME_TYPE_ETHERNET) {
    if (pos < end) dissectEthernet(ctx, pos, end);
  } else dissectData(ctx, pos, end);
}

/** The optional 8-byte platform-specific sub-header of type III; its layout depends on the platform id. */
function platformSubHeader(ctx: Dissection, at: number): void {
  const buf = ctx.buf;
  const word = u32(buf, at);
  const second = u32(buf, at + 4);
  const platform = word >>> 26;
  ctx.field('erspan.platid', at, 4, platform);
  switch (platform) {
    case 1:
      ctx.field('erspan.pid1.vsmid', at, 4, word & 0xfff);
      ctx.field('erspan.pid1.port_index', at + 4, 4, second);
      break;
    case 3:
      ctx.field('erspan.pid3.port_index', at, 4, word & 0x3fff);
      ctx.field('erspan.pid3.timestamp', at + 4, 4, second);
      break;
    case 5:
    case 6:
      ctx.field('erspan.pid5.switchid', at, 4, (word >>> 16) & 0x3ff);
      ctx.field('erspan.pid5.port_index', at, 4, word & 0xffff);
      ctx.field('erspan.pid5.timestamp', at + 4, 4, second);
      break;
    case 0:
    case 7:
      ctx.field('erspan.pid7.source_index', at, 4, word & 0xfffff);
      ctx.field('erspan.pid7.timestamp', at + 4, 4, second);
      break;
    default:
      break;
  }
}

function register(): void {
  registerProtocols(ERSPAN);
  defineFields('erspan', {
    version: ['Version', 'uint'],
    vlan: ['Vlan', 'uint'],
    cos: ['COS', 'uint'],
    encap: ['Encap', 'uint'],
    bso: ['Bad/Short/Oversized', 'uint'],
    truncated: ['Truncated', 'uint'],
    spanid: ['SpanID', 'uint'],
    reserved: ['Reserved', 'uint'],
    index: ['Index', 'uint'],
    timestamp: ['Timestamp', 'uint'],
    sgt: ['Security Group Tag', 'uint'],
    p: ['Has Ethernet PDU', 'uint'],
    ft: ['Frame Type', 'uint'],
    hw: ['Hardware ID', 'uint'],
    direction: ['Direction', 'bool'],
    gra: ['Timestamp granularity', 'uint'],
    o: ['Optional Sub headers', 'uint'],
    platid: ['Platform ID', 'uint'],
    'pid1.vsmid': ['VSM Domain ID', 'uint'],
    'pid1.port_index': ['Port ID/Index', 'uint'],
    'pid3.port_index': ['Port ID/Index', 'uint'],
    'pid3.timestamp': ['Upper 32-bit Timestamp', 'uint'],
    'pid5.switchid': ['Switch ID', 'uint'],
    'pid5.port_index': ['Port ID/Index', 'uint'],
    'pid5.timestamp': ['Timestamp (seconds)', 'uint'],
    'pid7.source_index': ['Source Index', 'uint'],
    'pid7.timestamp': ['Upper 32-bit Timestamp', 'uint'],
  });
}

function handoff(): void {
  registerDissector('erspan', dissectErspanHeader);
  greProtoTable.register(0x88be, dissectErspan88be);
  greProtoTable.register(0x22eb, dissectErspanHeader);
}

export const erspanModule: DissectorModule = { name: 'erspan', register, handoff };
