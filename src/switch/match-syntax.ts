// Reads the match part of a flow (`priority=1,arp,dl_vlan=1,nw_src=10.0.0.0/8`) and the microflows of
// `ofproto/trace` (`in_port=2,tun_id=0x1,dl_src=...,arp,arp_op=1`).
import {
  ETH_TYPE_ARP,
  ETH_TYPE_IP,
  ETH_TYPE_IPV6,
  ETH_TYPE_RARP,
  FieldSpec,
  fieldByName,
  Prereq,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IGMP,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  ones,
  Slot,
  VLAN_CFI,
} from './fields';
import { Flow, Match, prereqHolds } from './flow';
import { parseMaskedValue, parseSmallInt, PortNameResolver, SyntaxProblem } from './values';

const SHORTHANDS: Record<string, [bigint, bigint | null]> = {
  ip: [ETH_TYPE_IP, null],
  ipv4: [ETH_TYPE_IP, null],
  ipv6: [ETH_TYPE_IPV6, null],
  arp: [ETH_TYPE_ARP, null],
  rarp: [ETH_TYPE_RARP, null],
  icmp: [ETH_TYPE_IP, IPPROTO_ICMP],
  igmp: [ETH_TYPE_IP, IPPROTO_IGMP],
  tcp: [ETH_TYPE_IP, IPPROTO_TCP],
  udp: [ETH_TYPE_IP, IPPROTO_UDP],
  sctp: [ETH_TYPE_IP, IPPROTO_SCTP],
  icmp6: [ETH_TYPE_IPV6, IPPROTO_ICMPV6],
  tcp6: [ETH_TYPE_IPV6, IPPROTO_TCP],
  udp6: [ETH_TYPE_IPV6, IPPROTO_UDP],
  sctp6: [ETH_TYPE_IPV6, IPPROTO_SCTP],
};

export function isShorthand(word: string): boolean {
  return Object.prototype.hasOwnProperty.call(SHORTHANDS, word.toLowerCase());
}

/** Splits on top-level commas (not inside parentheses), trimming each piece and dropping empty ones. */
export function splitTopLevel(text: string, separators = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && separators.includes(c)) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new SyntaxProblem(`unbalanced parentheses in '${text}'`);
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** One constraint before prerequisites are checked. */
interface PendingConstraint {
  field: FieldSpec | null;
  name: string;
  slot: Slot;
  value: bigint;
  mask: bigint;
}

/** What each prerequisite asks of a match, for the error that names the missing part. */
const PREREQ_TEXT: Record<Prereq, string> = {
  none: '',
  ip: 'ip (dl_type=0x0800)',
  ipv6: 'ipv6 (dl_type=0x86dd)',
  ip_any: 'ip or ipv6',
  arp: 'arp',
  tcp: 'tcp or tcp6',
  udp: 'udp or udp6',
  sctp: 'sctp or sctp6',
  l4: 'tcp, udp or sctp (or their IPv6 forms)',
  icmp: 'icmp',
  icmpv6: 'icmp6',
  icmp_any: 'icmp or icmp6',
  nd: 'icmp6 with icmp_type=135 or 136',
  nd_sol: 'icmp6,icmp_type=135',
  nd_adv: 'icmp6,icmp_type=136',
  vlan: 'a VLAN tag',
  ip_or_arp: 'ip or arp',
  ip_any_or_arp: 'ip, ipv6 or arp',
};

/**
 * Collects match tokens. A constraint whose prerequisites the match does not establish is an error:
 * Open vSwitch would quietly ignore it, so the flow would not mean what the line says.
 */
export class MatchBuilder {
  private readonly pending: PendingConstraint[] = [];

  constructor(private readonly resolvePort?: PortNameResolver) {}

  /** Adds `name` (a shorthand) or `name=value`. Returns false if `name` is not a match field. */
  add(name: string, value: string | undefined): boolean {
    const lower = name.toLowerCase();
    if (value === undefined) {
      const sh = SHORTHANDS[lower];
      if (!sh) return false;
      this.push(null, 'dl_type', Slot.DlType, sh[0], 0xffffn);
      if (sh[1] !== null) this.push(null, 'nw_proto', Slot.NwProto, sh[1], 0xffn);
      return true;
    }
    if (lower === 'dl_vlan') {
      const vid = parseSmallInt(value, 'dl_vlan', 0xffff);
      // 0xffff is OpenFlow 1.0's "no VLAN tag".
      if (vid === 0xffff) this.push(null, 'dl_vlan', Slot.VlanTci, 0n, 0xffffn);
      else if (vid > 4095) throw new SyntaxProblem(`dl_vlan: ${value} is not a VLAN ID (0..4095, or 0xffff for none)`);
      else this.push(null, 'dl_vlan', Slot.VlanTci, VLAN_CFI | BigInt(vid), 0x1fffn);
      return true;
    }
    if (lower === 'dl_vlan_pcp') {
      const pcp = parseSmallInt(value, 'dl_vlan_pcp', 7);
      this.push(null, 'dl_vlan_pcp', Slot.VlanTci, VLAN_CFI | (BigInt(pcp) << 13n), 0xf000n);
      return true;
    }
    const field = fieldByName(lower);
    if (!field) return false;
    const { value: v, mask } = parseMaskedValue(field, value, this.resolvePort);
    const shift = BigInt(field.shift);
    this.push(field, name, field.slot, v << shift, mask << shift);
    return true;
  }

  private push(field: FieldSpec | null, name: string, slot: Slot, value: bigint, mask: bigint): void {
    this.pending.push({ field, name, slot, value: value & mask, mask });
  }

  build(): Match {
    const match = new Match();
    for (const p of this.pending) if (!p.field) match.constrain(p.slot, p.value, p.mask);
    const dlType = match.exact(Slot.DlType);
    for (const p of this.pending) {
      if (!p.field) continue;
      if (p.field.slot === Slot.NwProto) match.constrain(p.slot, p.value, p.mask);
    }
    const nwProto = match.exact(Slot.NwProto);
    const isNd = (p: PendingConstraint): boolean => p.field!.prereq.startsWith('nd');
    const check = (p: PendingConstraint, icmpType?: bigint): void => {
      if (prereqHolds(p.field!.prereq, dlType, nwProto, undefined, icmpType)) match.constrain(p.slot, p.value, p.mask);
      else throw new SyntaxProblem(`${p.name} needs ${PREREQ_TEXT[p.field!.prereq]} in the same match (Open vSwitch would ignore it): add it, or remove ${p.name}`);
    };
    for (const p of this.pending) if (p.field && !isNd(p)) check(p);
    const icmpType = match.exact(Slot.TpSrc) === undefined ? undefined : match.parts.get(Slot.TpSrc)!.value;
    const tp = match.parts.get(Slot.TpSrc);
    for (const p of this.pending) if (p.field && isNd(p)) check(p, tp && (tp.mask & 0xffn) === 0xffn ? tp.value & 0xffn : icmpType);
    return match;
  }

  /** The exact values as a packet: every field not given is zero. */
  buildFlow(): Flow {
    const flow = new Flow();
    for (const p of this.pending) {
      if (p.field && p.mask !== ones(p.field.bits) << BigInt(p.field.shift) && p.name !== 'dl_vlan') {
        throw new SyntaxProblem(`${p.name}: a microflow gives exact values, not masks`);
      }
      flow.set(p.slot, (flow.get(p.slot) & ~p.mask) | p.value);
    }
    return flow;
  }
}

/** Parses a microflow in ofproto/trace syntax. */
export function parseMicroflow(text: string, resolvePort?: PortNameResolver): Flow {
  const builder = new MatchBuilder(resolvePort);
  for (const token of splitTopLevel(text, ', \t')) {
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? undefined : token.slice(eq + 1);
    if (!builder.add(name, value)) throw new SyntaxProblem(`unknown field '${name}' in microflow`);
  }
  return builder.buildFlow();
}
