// A packet's header fields and metadata as the pipeline sees them (OVS's `struct flow`), a match
// (value/mask per slot) and subfields (`NXM_OF_VLAN_TCI[0..11]`).
import {
  ETH_TYPE_ARP,
  ETH_TYPE_IP,
  ETH_TYPE_IPV6,
  ETH_TYPE_RARP,
  FieldSpec,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  ones,
  Prereq,
  Slot,
  SLOT_BITS,
  SLOT_COUNT,
  VLAN_CFI,
  fieldByName,
} from './fields';
import { SyntaxProblem } from './values';

export const ND_SOLICIT = 135n;
export const ND_ADVERT = 136n;

export class Flow {
  readonly v: bigint[];

  constructor(values?: bigint[]) {
    this.v = values ? values.slice() : new Array<bigint>(SLOT_COUNT).fill(0n);
  }

  clone(): Flow {
    return new Flow(this.v);
  }

  get(slot: Slot): bigint {
    return this.v[slot];
  }

  set(slot: Slot, value: bigint): void {
    this.v[slot] = value;
  }

  get inPort(): number {
    return Number(this.v[Slot.InPort]);
  }

  /** Outer VLAN ID, or null when the frame carries no tag. */
  get vlan(): number | null {
    const tci = this.v[Slot.VlanTci];
    return tci & VLAN_CFI ? Number(tci & 0xfffn) : null;
  }

  readField(field: FieldSpec): bigint {
    return (this.v[field.slot] >> BigInt(field.shift)) & ones(field.bits);
  }

  /** Writes `value` into the bits of `mask` (both relative to the field). */
  writeField(field: FieldSpec, value: bigint, mask: bigint = ones(field.bits)): void {
    const shift = BigInt(field.shift);
    const slotMask = mask << shift;
    this.v[field.slot] = (this.v[field.slot] & ~slotMask) | ((value << shift) & slotMask);
  }

  satisfies(prereq: Prereq): boolean {
    return prereqHolds(prereq, this.v[Slot.DlType], this.v[Slot.NwProto], this.v[Slot.VlanTci], this.v[Slot.TpSrc]);
  }
}

export function prereqHolds(prereq: Prereq, dlType: bigint | undefined, nwProto: bigint | undefined, vlanTci?: bigint, icmpType?: bigint): boolean {
  const ip = dlType === ETH_TYPE_IP;
  const ipv6 = dlType === ETH_TYPE_IPV6;
  switch (prereq) {
    case 'none': return true;
    case 'ip': return ip;
    case 'ipv6': return ipv6;
    case 'ip_any': return ip || ipv6;
    case 'arp': return dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
    case 'tcp': return (ip || ipv6) && nwProto === IPPROTO_TCP;
    case 'udp': return (ip || ipv6) && nwProto === IPPROTO_UDP;
    case 'sctp': return (ip || ipv6) && nwProto === IPPROTO_SCTP;
    case 'l4': return (ip || ipv6) && (nwProto === IPPROTO_TCP || nwProto === IPPROTO_UDP || nwProto === IPPROTO_SCTP);
    case 'ip_or_arp': return ip || dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
    case 'ip_any_or_arp': return ip || ipv6 || dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
    case 'icmp': return ip && nwProto === IPPROTO_ICMP;
    case 'icmpv6': return ipv6 && nwProto === IPPROTO_ICMPV6;
    case 'icmp_any': return (ip && nwProto === IPPROTO_ICMP) || (ipv6 && nwProto === IPPROTO_ICMPV6);
    case 'nd': return ipv6 && nwProto === IPPROTO_ICMPV6 && (icmpType === ND_SOLICIT || icmpType === ND_ADVERT);
    case 'nd_sol': return ipv6 && nwProto === IPPROTO_ICMPV6 && icmpType === ND_SOLICIT;
    case 'nd_adv': return ipv6 && nwProto === IPPROTO_ICMPV6 && icmpType === ND_ADVERT;
    case 'vlan': return vlanTci === undefined ? true : (vlanTci & VLAN_CFI) !== 0n;
  }
}

/** One slot's part of a match. `value` is already ANDed with `mask`. */
export interface SlotMatch {
  slot: Slot;
  value: bigint;
  mask: bigint;
}

/** A set of slot constraints; at most one entry per slot. */
export class Match {
  readonly parts = new Map<Slot, SlotMatch>();

  /** Adds constraints on some bits of a slot, merging with what is there. */
  constrain(slot: Slot, value: bigint, mask: bigint): void {
    const prev = this.parts.get(slot);
    if (!prev) {
      if (mask !== 0n) this.parts.set(slot, { slot, value: value & mask, mask });
      return;
    }
    const merged = prev.mask | mask;
    this.parts.set(slot, { slot, value: (prev.value & ~mask) | (value & mask), mask: merged });
  }

  remove(slot: Slot, mask: bigint): void {
    const prev = this.parts.get(slot);
    if (!prev) return;
    const left = prev.mask & ~mask;
    if (left === 0n) this.parts.delete(slot);
    else this.parts.set(slot, { slot, value: prev.value & left, mask: left });
  }

  exact(slot: Slot): bigint | undefined {
    const p = this.parts.get(slot);
    return p && p.mask === ones(slotBits(slot)) ? p.value : undefined;
  }

  matches(flow: Flow): boolean {
    for (const p of this.parts.values()) if ((flow.v[p.slot] & p.mask) !== p.value) return false;
    return true;
  }

  /** Identity of the match (OVS: rules with equal match and priority replace each other). */
  key(): string {
    return [...this.parts.values()]
      .sort((a, b) => a.slot - b.slot)
      .map((p) => `${p.slot}:${p.value.toString(16)}/${p.mask.toString(16)}`)
      .join(',');
  }

  /** Identity of the mask shape alone (OVS's classifier subtable). */
  maskKey(): string {
    return [...this.parts.values()]
      .sort((a, b) => a.slot - b.slot)
      .map((p) => `${p.slot}/${p.mask.toString(16)}`)
      .join(',');
  }
}

function slotBits(slot: Slot): number {
  return SLOT_BITS[slot];
}

/** A range of bits of a field: `NXM_NX_REG0[0..15]`, `NXM_OF_ETH_DST[]`, `reg1[3]`. */
export interface Subfield {
  field: FieldSpec;
  ofs: number;
  bits: number;
}

export function parseSubfield(text: string): Subfield {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/.exec(text.trim());
  if (!m) throw new SyntaxProblem(`'${text}' is not a field or subfield (NAME[] or NAME[a..b])`);
  const field = fieldByName(m[1]);
  if (!field) throw new SyntaxProblem(`unknown field '${m[1]}'`);
  if (m[2] === undefined) return { field, ofs: 0, bits: field.bits };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (end < start || end >= field.bits) throw new SyntaxProblem(`${text}: bits ${start}..${end} are outside ${field.name}'s ${field.bits} bits`);
  return { field, ofs: start, bits: end - start + 1 };
}

export function formatSubfield(sf: Subfield): string {
  const name = sf.field.nxm || sf.field.name;
  if (sf.ofs === 0 && sf.bits === sf.field.bits) return `${name}[]`;
  if (sf.bits === 1) return `${name}[${sf.ofs}]`;
  return `${name}[${sf.ofs}..${sf.ofs + sf.bits - 1}]`;
}

export function readSubfield(flow: Flow, sf: Subfield): bigint {
  return (flow.readField(sf.field) >> BigInt(sf.ofs)) & ones(sf.bits);
}

export function writeSubfield(flow: Flow, sf: Subfield, value: bigint): void {
  flow.writeField(sf.field, (value & ones(sf.bits)) << BigInt(sf.ofs), ones(sf.bits) << BigInt(sf.ofs));
}

/** Adds "this subfield equals value" to a match (learn builds its matches this way). */
export function constrainSubfield(match: Match, sf: Subfield, value: bigint): void {
  const shift = BigInt(sf.field.shift + sf.ofs);
  match.constrain(sf.field.slot, (value & ones(sf.bits)) << shift, ones(sf.bits) << shift);
}

export { ETH_TYPE_IP, ETH_TYPE_IPV6, ETH_TYPE_ARP, VLAN_CFI };
