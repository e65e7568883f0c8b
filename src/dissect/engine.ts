// Entry point of dissection: one frame's bytes and link type in, its layers (and on request its detail
// tree and columns) out, in a reused Dissection.
import { Dissection, LAYER_LIMIT_REACHED } from './dissection';
import { fieldDef } from './fields';
import { linkTypeTable } from './tables';
import { dissectData } from './dissectors/common';
import { u32 } from './bytes';
import { PROTO } from './protocol-ids';
import { buildDissectorRegistry, dissectorRegistryBuilt } from './registry';

/** pcap link-layer header type names (the LINKTYPE_ registry), as Wireshark names the encapsulation. */
const LINK_TYPE_NAMES: Record<number, string> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  12: 'Raw IP',
  14: 'Raw IP',
  101: 'Raw IP',
  113: 'Linux cooked-mode capture v1',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked-mode capture v2',
};

/** "Ethernet (1)". */
export function linkTypeText(linkType: number): string {
  return `${LINK_TYPE_NAMES[linkType] ?? 'Unknown'} (${linkType})`;
}

/** Seconds between two capture times from their integer parts, so 1.030000000 is not 1.029999971. */
export function timeDifferenceText(sec: number, nsec: number, fromSec: number, fromNsec: number): string {
  let total = (sec - fromSec) * 1e9 + (nsec - fromNsec);
  const sign = total < 0 ? '-' : '';
  total = Math.abs(total);
  const whole = Math.floor(total / 1e9);
  return `${sign}${whole}.${String(total - whole * 1e9).padStart(9, '0')}`;
}

const FRAME_FIELDS = ['frame.number', 'frame.len', 'frame.cap_len', 'frame.time_epoch', 'frame.time_relative', 'frame.interface_id', 'frame.link_type', 'frame.protocols', 'frame.direction', 'frame.capture', 'frame.capture_host', 'frame.capture_frame', 'tenant'];

export const IP_PROTO_ID = PROTO.ip;

export interface FrameMeta {
  /** 1-based frame number. */
  number: number;
  linkType: number;
  tsSec: number;
  tsNsec: number;
  /** Seconds since the first frame. */
  relative: number;
  /** The first frame's time (integer parts), for an exact time_relative. */
  firstTsSec: number;
  firstTsNsec: number;
  interfaceId: number;
  direction: number;
  /** Several captures merged: the name of the one this frame is from, and its host (VTEP), if known. */
  capture?: string;
  captureHost?: string;
  /** Its 1-based number inside that capture's own file. */
  captureFrame?: number;
}

/**
 * Dissects one frame held in buf[offset, offset + capLen). The fast path (ctx.wantTree and
 * ctx.wantColumns false) only fills the layer arrays, tenant and malformed reason.
 */
export function dissectFrame(ctx: Dissection, buf: Uint8Array, offset: number, capLen: number, origLen: number, linkType: number): void {
  if (!dissectorRegistryBuilt()) buildDissectorRegistry();
  ctx.reset(buf, offset, capLen, origLen);
  const end = offset + capLen;
  try {
    if (!linkTypeTable.dispatch(ctx, linkType, offset, end)) {
      dissectData(ctx, offset, end);
      if (ctx.wantColumns) ctx.info = `Link type ${linkType} is not dissected`;
    }
  } catch (err) {
    // Past the nesting limit the frame keeps the layers it has and is already marked malformed.
    if (err !== LAYER_LIMIT_REACHED) throw err;
  }
}

/** Full dissection for display and filtering: detail tree with a "frame" node first, and columns. */
export function dissectFrameTree(ctx: Dissection, buf: Uint8Array, offset: number, capLen: number, origLen: number, meta: FrameMeta): void {
  ctx.wantTree = true;
  ctx.wantColumns = true;
  dissectFrame(ctx, buf, offset, capLen, origLen, meta.linkType);
  addFrameNode(ctx, meta);
}

/** Puts Wireshark's "frame" node (number, times, lengths, protocols, tenant) first in a dissected tree. */
export function addFrameNode(ctx: Dissection, meta: FrameMeta): void {
  const { capLen, origLen } = ctx;
  ctx.frameNumber = meta.number;
  const frameNode = {
    name: 'frame',
    label: `Frame ${meta.number}: ${origLen} bytes on wire, ${capLen} bytes captured`,
    start: 0,
    length: capLen,
    occurrence: 1,
    children: [] as typeof ctx.tree,
  };
  const only = ctx.fieldFilter;
  if (only !== null && !FRAME_FIELDS.some((name) => only.has(name))) {
    ctx.tree.unshift(frameNode);
    return;
  }
  const add = (name: string, value: number | string, display?: string) => {
    if (only !== null && !only.has(name)) return;
    frameNode.children.push({ name, label: only !== null ? '' : `${name === 'tenant' ? 'Tenant' : labelOf(name)}: ${display ?? value}`, start: 0, length: 0, value, occurrence: 1 });
  };
  add('frame.interface_id', meta.interfaceId);
  add('frame.link_type', meta.linkType, linkTypeText(meta.linkType));
  add('frame.time_epoch', `${meta.tsSec}.${String(meta.tsNsec).padStart(9, '0')}`);
  const relative = timeDifferenceText(meta.tsSec, meta.tsNsec, meta.firstTsSec, meta.firstTsNsec);
  add('frame.time_relative', relative, `${relative} seconds`);
  add('frame.number', meta.number);
  add('frame.len', origLen, `${origLen} bytes`);
  add('frame.cap_len', capLen, `${capLen} bytes`);
  add('frame.protocols', ctx.protocolChain());
  if (meta.direction) add('frame.direction', meta.direction === 1 ? 'inbound' : 'outbound');
  if (meta.capture !== undefined) add('frame.capture', meta.capture);
  if (meta.captureHost !== undefined) add('frame.capture_host', meta.captureHost);
  if (meta.captureFrame !== undefined) add('frame.capture_frame', meta.captureFrame);
  const tenant = ctx.tenant();
  if (tenant) add('tenant', `${tenant.type}:${tenant.id}`);
  ctx.tree.unshift(frameNode);
}

function labelOf(name: string): string {
  return fieldDef(name)?.label ?? name;
}

/** Outer IPv4 source and destination of a frame (its VTEPs when encapsulated), as numbers; 0 if none. */
export function outerIpv4(ctx: Dissection, out: { src: number; dst: number }): void {
  const layer = ctx.outerIpLayer;
  if (layer < 0 || ctx.layerProto[layer] !== IP_PROTO_ID || ctx.layerEnd[layer] - ctx.layerStart[layer] < 20) {
    out.src = 0;
    out.dst = 0;
    return;
  }
  const at = ctx.layerStart[layer];
  out.src = u32(ctx.buf, at + 12);
  out.dst = u32(ctx.buf, at + 16);
}


