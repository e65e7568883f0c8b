// Reads a microflow straight from a dissected frame's bytes, at the layer offsets the dissector
// recorded: the outer frame for local traffic, the inner frame (after the tunnel header) for
// encapsulated traffic, plus the tunnel key.
import { u16, u32 } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { TenantType } from '../dissect/tenant-id';
import { protocolId } from '../dissect/protocol-ids';
import { PacketExtras, Tuple } from './conntrack';
import { ETH_TYPE_IP, ETH_TYPE_IPV6, IPPROTO_ICMP, IPPROTO_ICMPV6, Slot } from './fields';
import { Flow } from './flow';

function protoId(name: string): number {
  return protocolId(name);
}

const P = {
  eth: protoId('eth'),
  vlan: protoId('vlan'),
  qinq: protoId('ieee8021ad'),
  arp: protoId('arp'),
  ip: protoId('ip'),
  ipv6: protoId('ipv6'),
  tcp: protoId('tcp'),
  udp: protoId('udp'),
  icmp: protoId('icmp'),
  icmpv6: protoId('icmpv6'),
  gre: protoId('gre'),
};

function mac(buf: Uint8Array, at: number): bigint {
  return (BigInt(u16(buf, at)) << 32n) | BigInt(u32(buf, at + 2));
}

function bytesToBigInt(buf: Uint8Array, at: number, len: number): bigint {
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(buf[at + i]);
  return v;
}

/** Index of the Ethernet layer the switch sees: the first one after the tunnel layer, or the first one. */
export function switchEthLayer(ctx: Dissection, inner: boolean): number {
  const from = inner && ctx.tenantLayer >= 0 ? ctx.tenantLayer + 1 : 0;
  for (let i = from; i < ctx.layerCount; i++) if (ctx.layerProto[i] === P.eth) return i;
  return -1;
}

/**
 * The full tunnel key of an encapsulated frame: GRE's 32-bit key (NVGRE's VSID and FlowID together,
 * which is what OVS puts in tun_id), or the VXLAN/Geneve VNI.
 */
export function tunnelKey(ctx: Dissection): number {
  const layer = ctx.tenantLayer;
  if (layer < 0) return 0;
  if ((ctx.tenantType === TenantType.Gre || ctx.tenantType === TenantType.Nvgre) && ctx.layerProto[layer] === P.gre) {
    const at = ctx.layerStart[layer];
    const flags = u16(ctx.buf, at);
    const keyAt = at + 4 + (flags & 0x8000 ? 4 : 0);
    if (flags & 0x2000 && keyAt + 4 <= ctx.end) return u32(ctx.buf, keyAt);
  }
  return ctx.tenantId;
}

/** ICMPv6 neighbour solicitation/advertisement: the target address and the link-layer address option. */
function readNeighbourDiscovery(buf: Uint8Array, at: number, end: number, flow: Flow): void {
  const type = buf[at];
  if ((type !== 135 && type !== 136) || at + 24 > end) return;
  flow.set(Slot.NdTarget, bytesToBigInt(buf, at + 8, 16));
  // Option 1 (source link-layer address) on a solicitation, option 2 (target) on an advertisement.
  const wanted = type === 135 ? 1 : 2;
  for (let o = at + 24; o + 8 <= end; ) {
    const len = buf[o + 1] * 8;
    if (len === 0) return;
    if (buf[o] === wanted && len === 8) flow.set(type === 135 ? Slot.ArpSha : Slot.ArpTha, mac(buf, o + 2));
    o += len;
  }
}

/**
 * Fills `flow` (which the caller resets) from the Ethernet layer `ethLayer` onwards, stopping at the
 * next tunnel or Ethernet layer. Returns false when there is no Ethernet header to read.
 */
export function readFrameFlow(ctx: Dissection, ethLayer: number, flow: Flow): boolean {
  if (ethLayer < 0) return false;
  const buf = ctx.buf;
  const ethAt = ctx.layerStart[ethLayer];
  if (ethAt + 14 > ctx.end) return false;
  flow.set(Slot.DlDst, mac(buf, ethAt));
  flow.set(Slot.DlSrc, mac(buf, ethAt + 6));
  let dlType = u16(buf, ethAt + 12);
  let tagSlot = 0;
  for (let i = ethLayer + 1; i < ctx.layerCount; i++) {
    const proto = ctx.layerProto[i];
    const at = ctx.layerStart[i];
    const have = ctx.layerEnd[i] - at;
    if (proto === P.vlan || proto === P.qinq) {
      if (have < 4) break;
      // OVS keeps two tags; CFI marks a present tag in its vlan_tci.
      if (tagSlot < 2) flow.set(tagSlot === 0 ? Slot.VlanTci : Slot.VlanTci1, BigInt(u16(buf, at) | 0x1000));
      tagSlot++;
      dlType = u16(buf, at + 2);
    } else if (proto === P.arp) {
      if (have >= 28) {
        flow.set(Slot.NwProto, BigInt(u16(buf, at + 6) & 0xff));
        flow.set(Slot.ArpSha, mac(buf, at + 8));
        flow.set(Slot.NwSrc, BigInt(u32(buf, at + 14)));
        flow.set(Slot.ArpTha, mac(buf, at + 18));
        flow.set(Slot.NwDst, BigInt(u32(buf, at + 24)));
      }
      break;
    } else if (proto === P.ip) {
      if (have < 20) break;
      flow.set(Slot.NwTos, BigInt(buf[at + 1]));
      flow.set(Slot.NwTtl, BigInt(buf[at + 8]));
      flow.set(Slot.NwProto, BigInt(buf[at + 9]));
      flow.set(Slot.NwSrc, BigInt(u32(buf, at + 12)));
      flow.set(Slot.NwDst, BigInt(u32(buf, at + 16)));
      // OVS's nw_frag: bit 0 any fragment (MF set or an offset), bit 1 a later fragment (an offset).
      const fragField = u16(buf, at + 6);
      if (fragField & 0x3fff) flow.set(Slot.NwFrag, fragField & 0x1fff ? 3n : 1n);
    } else if (proto === P.ipv6) {
      if (have < 40) break;
      flow.set(Slot.NwTos, BigInt(((buf[at] & 0x0f) << 4) | (buf[at + 1] >> 4)));
      flow.set(Slot.NwTtl, BigInt(buf[at + 7]));
      flow.set(Slot.NwProto, BigInt(buf[at + 6]));
      flow.set(Slot.Ipv6Src, bytesToBigInt(buf, at + 8, 16));
      flow.set(Slot.Ipv6Dst, bytesToBigInt(buf, at + 24, 16));
    } else if (proto === P.tcp || proto === P.udp) {
      if (have >= 4) {
        flow.set(Slot.TpSrc, BigInt(u16(buf, at)));
        flow.set(Slot.TpDst, BigInt(u16(buf, at + 2)));
      }
      if (proto === P.tcp && have >= 14) flow.set(Slot.TcpFlags, BigInt(u16(buf, at + 12) & 0x0fff));
      break;
    } else if (proto === P.icmp || proto === P.icmpv6) {
      if (have >= 2) {
        flow.set(Slot.TpSrc, BigInt(buf[at]));
        flow.set(Slot.TpDst, BigInt(buf[at + 1]));
      }
      if (proto === P.icmpv6) readNeighbourDiscovery(buf, at, ctx.layerEnd[i], flow);
      break;
    } else if (proto === P.eth || i === ctx.tenantLayer) {
      break;
    }
  }
  flow.set(Slot.DlType, BigInt(dlType));
  return true;
}

/** The tuple of the packet an ICMP error quotes (IPv4 or IPv6 header, then ports or ICMP type/id). */
function quotedTuple(buf: Uint8Array, at: number, end: number, v6: boolean): Tuple | undefined {
  let l4: number;
  let proto: number;
  let src: bigint;
  let dst: bigint;
  if (v6) {
    if (at + 40 > end) return undefined;
    proto = buf[at + 6];
    src = bytesToBigInt(buf, at + 8, 16);
    dst = bytesToBigInt(buf, at + 24, 16);
    l4 = at + 40;
  } else {
    if (at + 20 > end || buf[at] >> 4 !== 4) return undefined;
    proto = buf[at + 9];
    src = BigInt(u32(buf, at + 12));
    dst = BigInt(u32(buf, at + 16));
    l4 = at + (buf[at] & 0x0f) * 4;
  }
  // Open vSwitch reads 8 bytes of an ICMP error's quoted transport header, but a whole TCP header
  // behind IPv6 (an ICMPv6 error quoting less is invalid to it).
  if (l4 + (v6 && proto === 6 ? 20 : 8) > end) return undefined;
  const icmp = proto === Number(IPPROTO_ICMP) || proto === Number(IPPROTO_ICMPV6);
  return {
    dlType: v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP,
    proto: BigInt(proto),
    src,
    dst,
    sport: icmp ? (BigInt(buf[l4]) << 8n) | BigInt(buf[l4 + 1]) : BigInt(u16(buf, l4)),
    dport: icmp ? BigInt(u16(buf, l4 + 4)) : BigInt(u16(buf, l4 + 2)),
  };
}

/**
 * What conntrack reads from the packet beyond its flow: an ICMP query's identifier, or the packet an
 * ICMP error quotes. `flow` is the frame's flow as readFrameFlow filled it.
 */
export function readPacketExtras(ctx: Dissection, ethLayer: number, flow: Flow): PacketExtras {
  if (ethLayer < 0) return {};
  for (let i = ethLayer + 1; i < ctx.layerCount; i++) {
    const proto = ctx.layerProto[i];
    if (proto === P.eth || i === ctx.tenantLayer) break;
    if (proto !== P.icmp && proto !== P.icmpv6) continue;
    const at = ctx.layerStart[i];
    if (at + 8 > ctx.end) return {};
    const type = ctx.buf[at];
    const v6 = flow.get(Slot.DlType) === ETH_TYPE_IPV6;
    const error = v6 ? type >= 1 && type <= 4 : type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
    if (error) {
      const quoted = quotedTuple(ctx.buf, at + 8, ctx.end, v6);
      return quoted ? { quoted } : {};
    }
    return { icmpId: u16(ctx.buf, at + 4) };
  }
  return {};
}
