// Where the encapsulated frame of a dissected packet starts, and which link type it needs once the
// tunnel headers are gone: the inner Ethernet frame (VXLAN, NVGRE, GRE 0x6558, Geneve), or the
// inner IP packet as raw IP (IP-in-GRE, Geneve carrying IP).
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../capture/link-types';
import { Dissection } from '../dissect/dissection';
import { PROTO } from '../dissect/protocol-ids';

const ETH = PROTO.eth;
const IPV4 = PROTO.ip;
const IPV6 = PROTO.ipv6;
const TUNNELS = new Set([PROTO.gre, PROTO.vxlan, PROTO.geneve]);

export interface InnerFrame {
  /** Absolute offset of the inner frame's first byte in ctx.buf. */
  start: number;
  linkType: number;
}

/** Why a frame has no inner frame to write (the export counts skipped frames by these reasons). */
export type NoInnerFrame = 'not encapsulated' | 'inner frame not captured' | 'inner payload is neither Ethernet nor IP';

/**
 * The inner frame of the tunnel that names the tenant (or, for a tunnel without one such as keyless GRE,
 * the innermost tunnel).
 * Returns a reason instead when there is nothing to decapsulate.
 */
export function innerFrame(ctx: Dissection): InnerFrame | NoInnerFrame {
  let tunnel = ctx.tenantLayer;
  if (tunnel < 0) {
    for (let i = ctx.layerCount - 1; i >= 0 && tunnel < 0; i--) if (TUNNELS.has(ctx.layerProto[i])) tunnel = i;
  }
  if (tunnel < 0) return 'not encapsulated';
  const inner = tunnel + 1;
  if (inner >= ctx.layerCount || ctx.layerStart[inner] >= ctx.end) return 'inner frame not captured';
  const proto = ctx.layerProto[inner];
  const start = ctx.layerStart[inner];
  if (proto === ETH) return { start, linkType: LINKTYPE_ETHERNET };
  if (proto === IPV4 || proto === IPV6) return { start, linkType: LINKTYPE_RAW };
  return 'inner payload is neither Ethernet nor IP';
}
