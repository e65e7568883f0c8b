// Prints a match the way Open vSwitch's match_format() does, so the emulator's flows and trace steps
// read exactly like `ovs-ofctl dump-flows` and `ofproto/trace`.
import {
  ETH_TYPE_ARP,
  ETH_TYPE_IP,
  ETH_TYPE_IPV6,
  ETH_TYPE_RARP,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IGMP,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  ones,
  REG_COUNT,
  Slot,
  SLOT_BITS,
  TCP_FLAG_NAMES,
  VLAN_CFI,
} from './fields';
import { Flow, Match, SlotMatch } from './flow';
import { formatCtState, formatFrag, formatHex, formatIpv4, formatIpv6, formatMac, formatPort, prefixLength } from './values';

export const OFP_DEFAULT_PRIORITY = 32768;

function full(slot: Slot): bigint {
  return ones(SLOT_BITS[slot]);
}

function ipMasked(name: string, p: SlotMatch | undefined): string | null {
  if (!p) return null;
  if (p.mask === 0xffffffffn) return `${name}=${formatIpv4(p.value)}`;
  const len = prefixLength(p.mask, 32);
  return `${name}=${formatIpv4(p.value)}/${len >= 0 ? len : formatIpv4(p.mask)}`;
}

function ipv6Masked(name: string, p: SlotMatch | undefined): string | null {
  if (!p) return null;
  if (p.mask === ones(128)) return `${name}=${formatIpv6(p.value)}`;
  const len = prefixLength(p.mask, 128);
  return `${name}=${formatIpv6(p.value)}/${len >= 0 ? len : formatIpv6(p.mask)}`;
}

function ethMasked(name: string, p: SlotMatch | undefined): string | null {
  if (!p) return null;
  return p.mask === ones(48) ? `${name}=${formatMac(p.value)}` : `${name}=${formatMac(p.value)}/${formatMac(p.mask)}`;
}

/** format_be16_masked: decimal when exact, else 0x../0x.. */
function be16Masked(name: string, p: SlotMatch | undefined, full = 0xffffn): string | null {
  if (!p) return null;
  return p.mask === full || p.mask === 0xffffn ? `${name}=${p.value}` : `${name}=0x${p.value.toString(16)}/0x${p.mask.toString(16)}`;
}

function hexMasked(name: string, p: SlotMatch | undefined, slot: Slot): string | null {
  if (!p) return null;
  return p.mask === full(slot) ? `${name}=${formatHex(p.value)}` : `${name}=${formatHex(p.value)}/${formatHex(p.mask)}`;
}

function hex4(v: bigint): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

/** match_format(): fields in OVS's order, shorthands for dl_type/nw_proto, ARP names for ARP flows. */
export function formatMatch(match: Match, priority: number = OFP_DEFAULT_PRIORITY): string {
  const parts: string[] = [];
  const get = (slot: Slot): SlotMatch | undefined => match.parts.get(slot);
  const add = (s: string | null): void => {
    if (s !== null) parts.push(s);
  };
  if (priority !== OFP_DEFAULT_PRIORITY) parts.push(`priority=${priority}`);
  const pktMark = get(Slot.PktMark);
  if (pktMark) add(hexMasked('pkt_mark', pktMark, Slot.PktMark));
  const conj = get(Slot.ConjId);
  if (conj) parts.push(`conj_id=${conj.value}`);
  const ctState = get(Slot.CtState);
  if (ctState) parts.push(`ct_state=${formatCtState(ctState.value, ctState.mask)}`);
  const ctZone = get(Slot.CtZone);
  if (ctZone) parts.push(`ct_zone=${ctZone.value}`);
  add(hexMasked('ct_mark', get(Slot.CtMark), Slot.CtMark));
  add(hexMasked('ct_label', get(Slot.CtLabel), Slot.CtLabel));

  const dlTypeP = get(Slot.DlType);
  const dlType = dlTypeP?.value;
  const nwProtoP = get(Slot.NwProto);
  let skipType = false;
  let skipProto = false;
  if (dlTypeP) {
    skipType = true;
    if (dlType === ETH_TYPE_IP) {
      skipProto = !!nwProtoP;
      const names = new Map<bigint, string>([[IPPROTO_ICMP, 'icmp'], [IPPROTO_IGMP, 'igmp'], [IPPROTO_TCP, 'tcp'], [IPPROTO_UDP, 'udp'], [IPPROTO_SCTP, 'sctp']]);
      const name = nwProtoP ? names.get(nwProtoP.value) : undefined;
      if (!name) skipProto = false;
      parts.push(name ?? 'ip');
    } else if (dlType === ETH_TYPE_IPV6) {
      skipProto = !!nwProtoP;
      const names = new Map<bigint, string>([[IPPROTO_ICMPV6, 'icmp6'], [IPPROTO_TCP, 'tcp6'], [IPPROTO_UDP, 'udp6'], [IPPROTO_SCTP, 'sctp6']]);
      const name = nwProtoP ? names.get(nwProtoP.value) : undefined;
      if (!name) skipProto = false;
      parts.push(name ?? 'ipv6');
    } else if (dlType === ETH_TYPE_ARP) parts.push('arp');
    else if (dlType === ETH_TYPE_RARP) parts.push('rarp');
    else skipType = false;
  }
  for (let i = 0; i < REG_COUNT; i++) add(hexMasked(`reg${i}`, get(Slot.Reg0 + i), Slot.Reg0 + i));
  add(hexMasked('tun_id', get(Slot.TunId), Slot.TunId));
  add(ipMasked('tun_src', get(Slot.TunSrc)));
  add(ipMasked('tun_dst', get(Slot.TunDst)));
  add(ipv6Masked('tun_ipv6_src', get(Slot.TunIpv6Src)));
  add(ipv6Masked('tun_ipv6_dst', get(Slot.TunIpv6Dst)));
  add(hexMasked('tun_gbp_id', get(Slot.TunGbpId), Slot.TunGbpId));
  add(hexMasked('tun_gbp_flags', get(Slot.TunGbpFlags), Slot.TunGbpFlags));
  const tunTos = get(Slot.TunTos);
  if (tunTos) parts.push(`tun_tos=${tunTos.value}`);
  const tunTtl = get(Slot.TunTtl);
  if (tunTtl) parts.push(`tun_ttl=${tunTtl.value}`);
  const tunFlags = get(Slot.TunFlags);
  if (tunFlags) parts.push(`tun_flags=${tunFlags.mask === 1n ? (tunFlags.value ? '+oam' : '-oam') : formatHex(tunFlags.value)}`);
  add(hexMasked('metadata', get(Slot.Metadata), Slot.Metadata));
  const inPort = get(Slot.InPort);
  if (inPort) parts.push(`in_port=${formatPort(Number(inPort.value))}`);

  const vlan = get(Slot.VlanTci);
  if (vlan) {
    const vidMask = vlan.mask & 0x0fffn;
    const pcpMask = vlan.mask & 0xe000n;
    const cfi = vlan.mask & VLAN_CFI;
    if (cfi && vlan.value & VLAN_CFI && (!vidMask || vidMask === 0x0fffn) && (!pcpMask || pcpMask === 0xe000n) && (vidMask || pcpMask)) {
      if (vidMask) parts.push(`dl_vlan=${vlan.value & 0x0fffn}`);
      if (pcpMask) parts.push(`dl_vlan_pcp=${(vlan.value >> 13n) & 7n}`);
    } else if (vlan.mask === 0xffffn) {
      parts.push(`vlan_tci=${hex4(vlan.value)}`);
    } else {
      parts.push(`vlan_tci=${hex4(vlan.value)}/${hex4(vlan.mask)}`);
    }
  }
  add(ethMasked('dl_src', get(Slot.DlSrc)));
  add(ethMasked('dl_dst', get(Slot.DlDst)));
  if (!skipType && dlTypeP) parts.push(`dl_type=${hex4(dlTypeP.value)}`);
  const isArp = dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
  if (dlType === ETH_TYPE_IPV6) {
    add(ipv6Masked('ipv6_src', get(Slot.Ipv6Src)));
    add(ipv6Masked('ipv6_dst', get(Slot.Ipv6Dst)));
  } else if (isArp) {
    add(ipMasked('arp_spa', get(Slot.NwSrc)));
    add(ipMasked('arp_tpa', get(Slot.NwDst)));
  } else {
    add(ipMasked('nw_src', get(Slot.NwSrc)));
    add(ipMasked('nw_dst', get(Slot.NwDst)));
  }
  if (!skipProto && nwProtoP) parts.push(`${isArp ? 'arp_op' : 'nw_proto'}=${nwProtoP.value}`);
  if (isArp) {
    add(ethMasked('arp_sha', get(Slot.ArpSha)));
    add(ethMasked('arp_tha', get(Slot.ArpTha)));
  }
  const tos = get(Slot.NwTos);
  if (tos && tos.mask & 0xfcn) parts.push(`nw_tos=${tos.value & 0xfcn}`);
  if (tos && tos.mask & 0x03n) parts.push(`nw_ecn=${tos.value & 0x03n}`);
  const ttl = get(Slot.NwTtl);
  if (ttl) parts.push(`nw_ttl=${ttl.value}`);
  const frag = get(Slot.NwFrag);
  if (frag) parts.push(`nw_frag=${formatFrag(frag.value, frag.mask)}`);
  const nwProto = nwProtoP?.value;
  if (dlType === ETH_TYPE_IP && nwProto === IPPROTO_ICMP) {
    add(be16Masked('icmp_type', get(Slot.TpSrc), 0xffn));
    add(be16Masked('icmp_code', get(Slot.TpDst), 0xffn));
  } else if (dlType === ETH_TYPE_IP && nwProto === IPPROTO_IGMP) {
    add(be16Masked('igmp_type', get(Slot.TpSrc), 0xffn));
    add(be16Masked('igmp_code', get(Slot.TpDst), 0xffn));
  } else if (dlType === ETH_TYPE_IPV6 && nwProto === IPPROTO_ICMPV6) {
    add(be16Masked('icmp_type', get(Slot.TpSrc), 0xffn));
    add(be16Masked('icmp_code', get(Slot.TpDst), 0xffn));
    add(ipv6Masked('nd_target', get(Slot.NdTarget)));
    add(ethMasked('nd_sll', get(Slot.ArpSha)));
    add(ethMasked('nd_tll', get(Slot.ArpTha)));
  } else {
    add(be16Masked('tp_src', get(Slot.TpSrc)));
    add(be16Masked('tp_dst', get(Slot.TpDst)));
  }
  const tcpFlags = get(Slot.TcpFlags);
  if (tcpFlags) parts.push(`tcp_flags=${tcpFlags.mask === 0xfffn ? '0x' + tcpFlags.value.toString(16).padStart(3, '0') : formatCtState(tcpFlags.value, tcpFlags.mask, TCP_FLAG_NAMES)}`);
  return parts.join(',');
}

/** A packet printed as a fully specified match, like the "Flow:" line of ofproto/trace. */
export function formatFlow(flow: Flow): string {
  const m = new Match();
  const dlType = flow.get(Slot.DlType);
  const nwProto = flow.get(Slot.NwProto);
  const exact = (slot: Slot): void => m.constrain(slot, flow.get(slot), full(slot));
  if (flow.get(Slot.TunId) !== 0n) exact(Slot.TunId);
  if (flow.get(Slot.TunSrc) !== 0n) exact(Slot.TunSrc);
  if (flow.get(Slot.TunDst) !== 0n) exact(Slot.TunDst);
  if (flow.get(Slot.Metadata) !== 0n) exact(Slot.Metadata);
  for (const slot of [Slot.CtState, Slot.CtZone, Slot.CtMark, Slot.CtLabel, Slot.PktMark]) if (flow.get(slot) !== 0n) exact(slot);
  for (let i = 0; i < REG_COUNT; i++) if (flow.get(Slot.Reg0 + i) !== 0n) exact(Slot.Reg0 + i);
  exact(Slot.InPort);
  exact(Slot.VlanTci);
  exact(Slot.DlSrc);
  exact(Slot.DlDst);
  exact(Slot.DlType);
  const ip = dlType === ETH_TYPE_IP;
  const ipv6 = dlType === ETH_TYPE_IPV6;
  const arp = dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
  if (ip || arp) {
    exact(Slot.NwSrc);
    exact(Slot.NwDst);
  }
  if (ipv6) {
    exact(Slot.Ipv6Src);
    exact(Slot.Ipv6Dst);
  }
  if (ip || ipv6 || arp) exact(Slot.NwProto);
  if (arp) {
    exact(Slot.ArpSha);
    exact(Slot.ArpTha);
  }
  if (ip || ipv6) {
    exact(Slot.NwTos);
    exact(Slot.NwTtl);
    if ([IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP].includes(nwProto)) {
      exact(Slot.TpSrc);
      exact(Slot.TpDst);
    }
    if (ipv6 && nwProto === IPPROTO_ICMPV6 && (flow.get(Slot.TpSrc) === 135n || flow.get(Slot.TpSrc) === 136n)) {
      exact(Slot.NdTarget);
      exact(flow.get(Slot.TpSrc) === 135n ? Slot.ArpSha : Slot.ArpTha);
    }
  }
  let text = formatMatch(m);
  const inner = flow.get(Slot.VlanTci1);
  if (inner !== 0n) text = text.replace(/(dl_vlan_pcp=\d+|vlan_tci=0x[0-9a-f]+)/, `$1,vlan_tci1=${hex4(inner)}`);
  return text;
}
