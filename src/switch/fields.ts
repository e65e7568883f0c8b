// The flow fields the emulator knows, laid out like Open vSwitch's `struct flow`: several OVS field
// names share one storage slot (arp_spa and nw_src are both flow->nw_src, arp_op is nw_proto), so a
// flow that matches on one and an action that loads the other see the same bits, as in OVS.

export const enum Slot {
  InPort,
  TunId,
  TunSrc,
  TunDst,
  Metadata,
  PktMark,
  DlSrc,
  DlDst,
  DlType,
  /** Outer 802.1Q tag control information; 0 = no tag (the CFI bit 0x1000 marks a present tag). */
  VlanTci,
  /** Inner tag of a double-tagged frame (OVS keeps two). */
  VlanTci1,
  NwSrc,
  NwDst,
  Ipv6Src,
  Ipv6Dst,
  NwProto,
  NwTos,
  NwTtl,
  TpSrc,
  TpDst,
  /** ARP sha / ND source link-layer address (OVS stores nd_sll here too). */
  ArpSha,
  /** ARP tha / ND target link-layer address (OVS stores nd_tll here too). */
  ArpTha,
  NdTarget,
  NwFrag,
  /** Connection tracking state bits (ct_state), zone, mark and label, as the last ct() left them. */
  CtState,
  CtZone,
  CtMark,
  CtLabel,
  ConjId,
  TunFlags,
  TunTos,
  TunTtl,
  TunIpv6Src,
  TunIpv6Dst,
  TunGbpId,
  TunGbpFlags,
  TcpFlags,
  Reg0,
}

export const REG_COUNT = 16;
export const SLOT_COUNT = Slot.Reg0 + REG_COUNT;

/** Width in bits of each storage slot. */
export const SLOT_BITS: readonly number[] = (() => {
  const bits: number[] = [];
  bits[Slot.InPort] = 32;
  bits[Slot.TunId] = 64;
  bits[Slot.TunSrc] = 32;
  bits[Slot.TunDst] = 32;
  bits[Slot.Metadata] = 64;
  bits[Slot.PktMark] = 32;
  bits[Slot.DlSrc] = 48;
  bits[Slot.DlDst] = 48;
  bits[Slot.DlType] = 16;
  bits[Slot.VlanTci] = 16;
  bits[Slot.VlanTci1] = 16;
  bits[Slot.NwSrc] = 32;
  bits[Slot.NwDst] = 32;
  bits[Slot.Ipv6Src] = 128;
  bits[Slot.Ipv6Dst] = 128;
  bits[Slot.NwProto] = 8;
  bits[Slot.NwTos] = 8;
  bits[Slot.NwTtl] = 8;
  bits[Slot.TpSrc] = 16;
  bits[Slot.TpDst] = 16;
  bits[Slot.ArpSha] = 48;
  bits[Slot.ArpTha] = 48;
  bits[Slot.NdTarget] = 128;
  bits[Slot.NwFrag] = 8;
  bits[Slot.CtState] = 32;
  bits[Slot.CtZone] = 16;
  bits[Slot.CtMark] = 32;
  bits[Slot.CtLabel] = 128;
  bits[Slot.ConjId] = 32;
  bits[Slot.TunFlags] = 16;
  bits[Slot.TunTos] = 8;
  bits[Slot.TunTtl] = 8;
  bits[Slot.TunIpv6Src] = 128;
  bits[Slot.TunIpv6Dst] = 128;
  bits[Slot.TunGbpId] = 16;
  bits[Slot.TunGbpFlags] = 8;
  bits[Slot.TcpFlags] = 16;
  for (let i = 0; i < REG_COUNT; i++) bits[Slot.Reg0 + i] = 32;
  return bits;
})();

export const ETH_TYPE_IP = 0x0800n;
export const ETH_TYPE_ARP = 0x0806n;
export const ETH_TYPE_RARP = 0x8035n;
export const ETH_TYPE_IPV6 = 0x86ddn;
export const IPPROTO_ICMP = 1n;
export const IPPROTO_IGMP = 2n;
export const IPPROTO_TCP = 6n;
export const IPPROTO_UDP = 17n;
export const IPPROTO_SCTP = 132n;
export const IPPROTO_ICMPV6 = 58n;
export const VLAN_CFI = 0x1000n;
export const VLAN_VID_MASK = 0x0fffn;
export const VLAN_PCP_MASK = 0xe000n;

/** Prerequisites (ovs-fields "Prerequisites"): what dl_type / nw_proto a field needs to be meaningful. */
export type Prereq =
  | 'none'
  | 'ip'
  | 'ipv6'
  | 'ip_any'
  | 'arp'
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'l4'
  | 'icmp'
  | 'icmpv6'
  /** icmp_type/icmp_code: ICMPv4, or ICMPv6 (ovs-ofctl reads them as icmpv6_type/code on icmp6 flows). */
  | 'icmp_any'
  /** nd_target: ICMPv6 neighbour solicitation or advertisement; nd_sll: solicitation; nd_tll: advertisement. */
  | 'nd'
  | 'nd_sol'
  | 'nd_adv'
  | 'vlan'
  /** nw_src/nw_dst/nw_proto also name the ARP fields when dl_type is ARP (ovs-ofctl(8)). */
  | 'ip_or_arp'
  | 'ip_any_or_arp';

export type ValueFormat = 'dec' | 'hex' | 'mac' | 'ipv4' | 'ipv6' | 'port' | 'ct_state' | 'frag' | 'tun_flags' | 'tcp_flags';

/** tcp_flags bits in OVS's order (FIN is bit 0). */
export const TCP_FLAG_NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ns'] as const;

/** ct_state bits in OVS's order (CS_NEW is bit 0). */
export const CT_STATE_NAMES = ['new', 'est', 'rel', 'rpl', 'inv', 'trk', 'snat', 'dnat'] as const;
export const CS_NEW = 0x01n;
export const CS_ESTABLISHED = 0x02n;
export const CS_RELATED = 0x04n;
export const CS_REPLY_DIR = 0x08n;
export const CS_INVALID = 0x10n;
export const CS_TRACKED = 0x20n;

export interface FieldSpec {
  /** The name OVS prints (dl_src, tun_id, arp_spa...). */
  name: string;
  /** NXM name used when OVS prints load/move/learn (NXM_OF_ETH_SRC). */
  nxm: string;
  slot: Slot;
  /** Bit offset and width of the field inside its slot. */
  shift: number;
  bits: number;
  format: ValueFormat;
  maskable: boolean;
  prereq: Prereq;
}

const specs: FieldSpec[] = [];
const byName = new Map<string, FieldSpec>();

function define(names: string[], nxm: string, slot: Slot, bits: number, format: ValueFormat, prereq: Prereq, opts: { shift?: number; maskable?: boolean } = {}): void {
  const spec: FieldSpec = { name: names[0], nxm, slot, shift: opts.shift ?? 0, bits, format, maskable: opts.maskable ?? true, prereq };
  specs.push(spec);
  for (const n of [...names, nxm]) if (n) byName.set(n.toLowerCase(), spec);
}

define(['in_port'], 'NXM_OF_IN_PORT', Slot.InPort, 16, 'port', 'none', { maskable: false });
define(['in_port_oxm'], 'OXM_OF_IN_PORT', Slot.InPort, 32, 'port', 'none', { maskable: false });
define(['tun_id', 'tunnel_id'], 'NXM_NX_TUN_ID', Slot.TunId, 64, 'hex', 'none');
byName.set('oxm_of_tunnel_id', byName.get('tun_id')!);
define(['tun_src'], 'NXM_NX_TUN_IPV4_SRC', Slot.TunSrc, 32, 'ipv4', 'none');
define(['tun_dst'], 'NXM_NX_TUN_IPV4_DST', Slot.TunDst, 32, 'ipv4', 'none');
define(['metadata'], 'OXM_OF_METADATA', Slot.Metadata, 64, 'hex', 'none');
define(['pkt_mark'], 'NXM_NX_PKT_MARK', Slot.PktMark, 32, 'hex', 'none');
define(['dl_src', 'eth_src'], 'NXM_OF_ETH_SRC', Slot.DlSrc, 48, 'mac', 'none');
byName.set('oxm_of_eth_src', byName.get('dl_src')!);
define(['dl_dst', 'eth_dst'], 'NXM_OF_ETH_DST', Slot.DlDst, 48, 'mac', 'none');
byName.set('oxm_of_eth_dst', byName.get('dl_dst')!);
define(['dl_type', 'eth_type'], 'NXM_OF_ETH_TYPE', Slot.DlType, 16, 'hex', 'none', { maskable: false });
byName.set('oxm_of_eth_type', byName.get('dl_type')!);
define(['vlan_tci'], 'NXM_OF_VLAN_TCI', Slot.VlanTci, 16, 'hex', 'none');
// OpenFlow 1.2 VLAN_VID: the VID plus the "present" (CFI) bit, 13 bits.
define(['vlan_vid'], 'OXM_OF_VLAN_VID', Slot.VlanTci, 13, 'dec', 'none');
define(['vlan_pcp'], 'OXM_OF_VLAN_PCP', Slot.VlanTci, 3, 'dec', 'vlan', { shift: 13, maskable: false });
define(['nw_src', 'ip_src'], 'NXM_OF_IP_SRC', Slot.NwSrc, 32, 'ipv4', 'ip_or_arp');
byName.set('oxm_of_ipv4_src', byName.get('nw_src')!);
define(['nw_dst', 'ip_dst'], 'NXM_OF_IP_DST', Slot.NwDst, 32, 'ipv4', 'ip_or_arp');
byName.set('oxm_of_ipv4_dst', byName.get('nw_dst')!);
define(['arp_spa'], 'NXM_OF_ARP_SPA', Slot.NwSrc, 32, 'ipv4', 'arp');
byName.set('oxm_of_arp_spa', byName.get('arp_spa')!);
define(['arp_tpa'], 'NXM_OF_ARP_TPA', Slot.NwDst, 32, 'ipv4', 'arp');
byName.set('oxm_of_arp_tpa', byName.get('arp_tpa')!);
define(['arp_op'], 'NXM_OF_ARP_OP', Slot.NwProto, 8, 'dec', 'arp', { maskable: false });
byName.set('oxm_of_arp_op', byName.get('arp_op')!);
define(['arp_sha'], 'NXM_NX_ARP_SHA', Slot.ArpSha, 48, 'mac', 'arp');
define(['arp_tha'], 'NXM_NX_ARP_THA', Slot.ArpTha, 48, 'mac', 'arp');
define(['ipv6_src'], 'NXM_NX_IPV6_SRC', Slot.Ipv6Src, 128, 'ipv6', 'ipv6');
define(['ipv6_dst'], 'NXM_NX_IPV6_DST', Slot.Ipv6Dst, 128, 'ipv6', 'ipv6');
define(['nw_proto', 'ip_proto'], 'NXM_OF_IP_PROTO', Slot.NwProto, 8, 'dec', 'ip_any_or_arp', { maskable: false });
byName.set('oxm_of_ip_proto', byName.get('nw_proto')!);
define(['nw_tos'], 'NXM_OF_IP_TOS', Slot.NwTos, 8, 'dec', 'ip_any', { maskable: false });
define(['ip_dscp'], 'OXM_OF_IP_DSCP', Slot.NwTos, 6, 'dec', 'ip_any', { shift: 2, maskable: false });
define(['nw_ecn', 'ip_ecn'], 'NXM_NX_IP_ECN', Slot.NwTos, 2, 'dec', 'ip_any', { maskable: false });
define(['nw_ttl'], 'NXM_NX_IP_TTL', Slot.NwTtl, 8, 'dec', 'ip_any', { maskable: false });
define(['tp_src'], '', Slot.TpSrc, 16, 'dec', 'l4');
define(['tp_dst'], '', Slot.TpDst, 16, 'dec', 'l4');
define(['tcp_src'], 'NXM_OF_TCP_SRC', Slot.TpSrc, 16, 'dec', 'tcp');
define(['tcp_dst'], 'NXM_OF_TCP_DST', Slot.TpDst, 16, 'dec', 'tcp');
define(['udp_src'], 'NXM_OF_UDP_SRC', Slot.TpSrc, 16, 'dec', 'udp');
define(['udp_dst'], 'NXM_OF_UDP_DST', Slot.TpDst, 16, 'dec', 'udp');
define(['sctp_src'], 'OXM_OF_SCTP_SRC', Slot.TpSrc, 16, 'dec', 'sctp');
define(['sctp_dst'], 'OXM_OF_SCTP_DST', Slot.TpDst, 16, 'dec', 'sctp');
define(['icmp_type'], 'NXM_OF_ICMP_TYPE', Slot.TpSrc, 8, 'dec', 'icmp_any', { maskable: false });
define(['icmp_code'], 'NXM_OF_ICMP_CODE', Slot.TpDst, 8, 'dec', 'icmp_any', { maskable: false });
define(['icmpv6_type'], 'NXM_NX_ICMPV6_TYPE', Slot.TpSrc, 8, 'dec', 'icmpv6', { maskable: false });
define(['icmpv6_code'], 'NXM_NX_ICMPV6_CODE', Slot.TpDst, 8, 'dec', 'icmpv6', { maskable: false });
define(['nd_target'], 'NXM_NX_ND_TARGET', Slot.NdTarget, 128, 'ipv6', 'nd');
define(['nd_sll'], 'NXM_NX_ND_SLL', Slot.ArpSha, 48, 'mac', 'nd_sol');
define(['nd_tll'], 'NXM_NX_ND_TLL', Slot.ArpTha, 48, 'mac', 'nd_adv');
define(['nw_frag', 'ip_frag'], 'NXM_NX_IP_FRAG', Slot.NwFrag, 2, 'frag', 'ip_any');
define(['ct_state'], 'NXM_NX_CT_STATE', Slot.CtState, 32, 'ct_state', 'none');
define(['ct_zone'], 'NXM_NX_CT_ZONE', Slot.CtZone, 16, 'dec', 'none', { maskable: false });
define(['ct_mark'], 'NXM_NX_CT_MARK', Slot.CtMark, 32, 'hex', 'none');
define(['ct_label'], 'NXM_NX_CT_LABEL', Slot.CtLabel, 128, 'hex', 'none');
define(['tcp_flags'], 'NXM_NX_TCP_FLAGS', Slot.TcpFlags, 12, 'tcp_flags', 'tcp');
define(['conj_id'], '', Slot.ConjId, 32, 'dec', 'none', { maskable: false });
define(['tun_flags'], 'NXM_NX_TUN_FLAGS', Slot.TunFlags, 16, 'tun_flags', 'none');
define(['tun_tos'], 'NXM_NX_TUN_IPV4_TOS', Slot.TunTos, 8, 'dec', 'none', { maskable: false });
define(['tun_ttl'], 'NXM_NX_TUN_IPV4_TTL', Slot.TunTtl, 8, 'dec', 'none', { maskable: false });
define(['tun_ipv6_src'], 'NXM_NX_TUN_IPV6_SRC', Slot.TunIpv6Src, 128, 'ipv6', 'none');
define(['tun_ipv6_dst'], 'NXM_NX_TUN_IPV6_DST', Slot.TunIpv6Dst, 128, 'ipv6', 'none');
define(['tun_gbp_id'], 'NXM_NX_TUN_GBP_ID', Slot.TunGbpId, 16, 'hex', 'none');
define(['tun_gbp_flags'], 'NXM_NX_TUN_GBP_FLAGS', Slot.TunGbpFlags, 8, 'hex', 'none');
for (let i = 0; i < REG_COUNT; i++) define([`reg${i}`], `NXM_NX_REG${i}`, Slot.Reg0 + i, 32, 'hex', 'none');
for (const [oxm, field] of [
  ['oxm_of_tcp_src', 'tcp_src'], ['oxm_of_tcp_dst', 'tcp_dst'], ['oxm_of_udp_src', 'udp_src'], ['oxm_of_udp_dst', 'udp_dst'],
  ['oxm_of_ipv6_src', 'ipv6_src'], ['oxm_of_ipv6_dst', 'ipv6_dst'], ['oxm_of_icmpv4_type', 'icmp_type'], ['oxm_of_icmpv4_code', 'icmp_code'],
  ['oxm_of_arp_sha', 'arp_sha'], ['oxm_of_arp_tha', 'arp_tha'], ['oxm_of_ip_dscp', 'ip_dscp'], ['oxm_of_ip_ecn', 'nw_ecn'],
]) byName.set(oxm, byName.get(field)!);

/** Looks a field up by any of its spellings (ovs-fields name, alias, NXM or OXM name); case-insensitive. */
export function fieldByName(name: string): FieldSpec | undefined {
  return byName.get(name.toLowerCase());
}

export function allFields(): readonly FieldSpec[] {
  return specs;
}

/** All-ones value of a width. */
export function ones(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/** The mask of a field's bits inside its slot. */
export function fieldSlotMask(field: FieldSpec): bigint {
  return ones(field.bits) << BigInt(field.shift);
}
