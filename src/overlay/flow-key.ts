// Turns one dissected frame into the key of its flow: tenant, outer VTEP pair, inner MAC pair, inner
// address pair and ports, both directions folded into one key (the smaller side first). Everything is
// read at layer offsets into a scratch word array: nothing is allocated per packet.
import { Dissection } from '../dissect/dissection';
import { TenantType } from '../dissect/tenant-id';
import { protocolId } from '../dissect/protocol-ids';
import { WordTable, hashWords } from './word-table';

const proto = protocolId;
const ETH = proto('eth');
const VLAN = proto('vlan');
const QINQ = proto('ieee8021ad');
const IP = proto('ip');
const IPV6 = proto('ipv6');
const ARP = proto('arp');
const TCP = proto('tcp');
const UDP = proto('udp');
const VXLAN = proto('vxlan');
const IPV6_EXTENSIONS = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts'].map(proto));

// Header word bits.
export const enum KeyBits {
  TenantMask = 0x7,
  OuterV6 = 0x8,
  InnerShift = 4, // 2 bits: InnerKind
  L4Shift = 6, // 2 bits: 1 tcp, 2 udp
  L2 = 0x100,
  NoIFlag = 0x200,
}

export const enum InnerKind {
  None = 0,
  Ipv4 = 1,
  Ipv6 = 2,
  Arp = 3,
}

/** Where each field sits inside one side of a key, from the key's header word. */
export interface SideLayout {
  outerWords: 1 | 4;
  /** Offset of macHi16, macLo32 within a side, or -1. */
  mac: number;
  inner: InnerKind;
  /** Offset and width of the inner address, or -1. */
  innerAt: number;
  innerWords: number;
  /** 0 none, 1 tcp, 2 udp. */
  l4: number;
  portAt: number;
  sideLength: number;
}

const layouts: (SideLayout | undefined)[] = new Array(0x200).fill(undefined);

export function sideLayout(header: number): SideLayout {
  const cached = layouts[header & 0x1ff];
  if (cached !== undefined) return cached;
  const outerWords = header & KeyBits.OuterV6 ? 4 : 1;
  let at = outerWords;
  const mac = header & KeyBits.L2 ? at : -1;
  if (mac >= 0) at += 2;
  const inner = ((header >>> KeyBits.InnerShift) & 3) as InnerKind;
  const innerWords = inner === InnerKind.None ? 0 : inner === InnerKind.Ipv6 ? 4 : 1;
  const innerAt = innerWords > 0 ? at : -1;
  at += innerWords;
  const l4 = (header >>> KeyBits.L4Shift) & 3;
  const portAt = l4 !== 0 ? at : -1;
  if (l4 !== 0) at += 1;
  const layout: SideLayout = { outerWords: outerWords as 1 | 4, mac, inner, innerAt, innerWords, l4, portAt, sideLength: at };
  layouts[header & 0x1ff] = layout;
  return layout;
}

/** Key words before the two sides: header, tenant id. */
export const KEY_PREFIX = 2;

/**
 * The one input of the analyzer: a record of words per frame (Uint32Array), filled by
 * FlowKeyReader.fill from a fast-path dissection, then numbered by resolveFlow against the analyzer's
 * flow table. Records vary in length (recordLength): only tunnel frames carry a key. The in-thread
 * analysis fills one and feeds it at once; the pipeline (pipeline/reader.ts) fills them on the main thread
 * into shared memory for a worker.
 */
export const enum Rec {
  Frame = 0,
  /** RecKind in the low byte, RecFlag bits shifted by RecBits.FlagShift, the key's length from RecBits.KeyLengthShift. */
  Kind = 1,
  /** Bytes on the wire: the frame's, or every fragment frame's when it completed an IP datagram. */
  OrigLen = 2,
  /** Tunnel records: the flow's number (resolveFlow). */
  Flow = 3,
  InnerLength = 4,
  OuterIpLength = 5,
  /** hashWords() of the key, computed by the reader. */
  KeyHash = 6,
  /**
   * Membership frames handed to a worker (no key): where their bytes are, their length and link type,
   * in the words a tunnel record uses for Flow, InnerLength and OuterIpLength (a record is one or the
   * other).
   */
  /* eslint-disable @typescript-eslint/no-duplicate-enum-values -- the two kinds of record share words 3-5 */
  RawAt = 3,
  RawLength = 4,
  LinkType = 5,
  /* eslint-enable @typescript-eslint/no-duplicate-enum-values */
  /** Source MAC of the outer Ethernet header (with RecFlag.OuterEth). */
  OuterMacHi = 7,
  OuterMacLo = 8,
  /** The frame's time (seconds since the epoch) as the two 32-bit halves of a float64: what learning ages by. */
  Time = 9,
  /** Earlier fragment frames this frame's reassembled datagram took in (counted before, now part of it). */
  Absorbed = 11,
  /** Their wire bytes. */
  AbsorbedBytes = 12,
  /** Tunnel records: the flow key (KEY_PREFIX + 2 sides of at most 11 words). */
  Key = 13,
  /** The longest record: the fixed words and a key of KEY_PREFIX + 2 * 11 words. */
  MaxLength = 37,
}

export const enum RecKind {
  Underlay = 0,
  Tunnel = 1,
  /** Underlay frame that may be an IGMP/MLD report: the analyzer reads its bytes (Dissection). */
  Membership = 2,
}

/** Where the fields of the Rec.Kind word start. */
export const enum RecBits {
  FlagShift = 8,
  KeyLengthShift = 16,
}

/** RecFlag bits, shifted by RecBits.FlagShift in Rec.Kind. */
export const enum RecFlag {
  /** The frame's source is the key's second side. */
  Dir = 1,
  L2 = 2,
  OuterEth = 4,
  /** Set by resolveFlow: the frame's flow is new. */
  NewFlow = 8,
  /** The tunnel packet was fragmented by the underlay and is reassembled here. */
  Reassembled = 16,
}

const timeValue = new Float64Array(1);
const timeWords = new Uint32Array(timeValue.buffer);

/** Stores a frame's time in its record (Rec.Time). */
export function writeTime(rec: Uint32Array, at: number, time: number): void {
  timeValue[0] = time;
  rec[at + Rec.Time] = timeWords[0];
  rec[at + Rec.Time + 1] = timeWords[1];
}

/** The frame time stored in a record (Rec.Time). */
export function readTime(rec: Uint32Array, at: number): number {
  timeWords[0] = rec[at + Rec.Time];
  timeWords[1] = rec[at + Rec.Time + 1];
  return timeValue[0];
}

/** Words of the record at rec[at] (the key's length is 0 but in tunnel records). */
export function recordLength(rec: Uint32Array, at: number): number {
  return Rec.Key + (rec[at + Rec.Kind] >>> RecBits.KeyLengthShift);
}

/** Gives a filled tunnel record its flow number from `flows` (interning the key), marking a new flow NewFlow. */
export function resolveFlow(flows: WordTable, rec: Uint32Array, at: number): void {
  const word = rec[at + Rec.Kind];
  if ((word & 0xff) !== RecKind.Tunnel) return;
  rec[at + Rec.Flow] = flows.internWords(rec, at + Rec.Key, word >>> RecBits.KeyLengthShift, rec[at + Rec.KeyHash] | 0);
  if (flows.added) rec[at + Rec.Kind] = word | (RecFlag.NewFlow << RecBits.FlagShift);
}

export class FlowKeyReader {
  // Filled by read() for the frame just read.
  tenantCode = 0;
  tenantId = 0;
  /** 1 when the frame's source is the key's second side. */
  dir = 0;
  l2 = false;
  /** Bytes of the encapsulated frame (inner Ethernet frame, or inner IP packet). */
  innerLength = 0;
  /** Bytes of the outer (VTEP) IP packet: what must fit the underlay MTU. */
  outerIpLength = 0;
  srcMacHi = 0;
  srcMacLo = 0;
  dstMacHi = 0;
  dstMacLo = 0;

  /**
   * Reads an encapsulated frame's flow key into `key`; returns its length, or 0 when the frame is not
   * encapsulated (the underlay) or its outer IP header is not all there.
   */
  read(ctx: Dissection, key: Uint32Array, base = 0): number {
    const code: number = ctx.tenantType;
    const tunnelLayer = ctx.tenantLayer;
    if (code === TenantType.None) return 0;
    const buf = ctx.buf;
    const frameEnd = ctx.base + ctx.capLen;
    const layerProto = ctx.layerProto;
    const layerStart = ctx.layerStart;

    // The VTEP pair is the IP header that carries this (innermost) tunnel.
    let ipLayer = tunnelLayer - 1;
    while (ipLayer >= 0 && layerProto[ipLayer] !== IP && layerProto[ipLayer] !== IPV6) ipLayer--;
    if (ipLayer < 0) return 0;
    const ipStart = layerStart[ipLayer];
    const outerV6 = layerProto[ipLayer] === IPV6;
    let outerEnd: number;
    let header: number = code;
    const side = base + KEY_PREFIX;
    if (!outerV6) {
      if (ipStart + 20 > frameEnd) return 0;
      const total = (buf[ipStart + 2] << 8) | buf[ipStart + 3];
      outerEnd = total === 0 ? ctx.base + ctx.origLen : ipStart + total;
    } else {
      if (ipStart + 40 > frameEnd) return 0;
      const payload = (buf[ipStart + 4] << 8) | buf[ipStart + 5];
      outerEnd = payload === 0 ? ctx.base + ctx.origLen : ipStart + 40 + payload;
      header |= KeyBits.OuterV6;
    }
    this.outerIpLength = outerEnd - ipStart;
    if (code === TenantType.Vxlan && layerProto[tunnelLayer] === VXLAN && (buf[layerStart[tunnelLayer]] & 0x08) === 0) header |= KeyBits.NoIFlag;

    const innerLayer = tunnelLayer + 1;
    const innerStart = innerLayer < ctx.layerCount ? layerStart[innerLayer] : ctx.layerEnd[tunnelLayer];
    this.innerLength = outerEnd > innerStart ? outerEnd - innerStart : 0;
    this.tenantCode = code;
    this.tenantId = ctx.tenantId;

    // Inner layers: Ethernet (with tags), then IPv4/IPv6/ARP, then TCP/UDP ports.
    let layer = innerLayer;
    const count = ctx.layerCount;
    let l2 = false;
    let srcHi = 0, srcLo = 0, dstHi = 0, dstLo = 0;
    if (layer < count && layerProto[layer] === ETH && innerStart + 14 <= frameEnd) {
      l2 = true;
      dstHi = (buf[innerStart] << 8) | buf[innerStart + 1];
      dstLo = ((buf[innerStart + 2] << 24) >>> 0) + ((buf[innerStart + 3] << 16) | (buf[innerStart + 4] << 8) | buf[innerStart + 5]);
      srcHi = (buf[innerStart + 6] << 8) | buf[innerStart + 7];
      srcLo = ((buf[innerStart + 8] << 24) >>> 0) + ((buf[innerStart + 9] << 16) | (buf[innerStart + 10] << 8) | buf[innerStart + 11]);
      header |= KeyBits.L2;
      layer++;
      while (layer < count && (layerProto[layer] === VLAN || layerProto[layer] === QINQ)) layer++;
    }
    this.l2 = l2;
    this.srcMacHi = srcHi;
    this.srcMacLo = srcLo;
    this.dstMacHi = dstHi;
    this.dstMacLo = dstLo;

    let inner = InnerKind.None;
    let l4 = 0;
    let at = 0;
    let portsAt = 0;
    if (layer < count) {
      const p = layerProto[layer];
      at = layerStart[layer];
      if (p === IP && at + 20 <= frameEnd && buf[at] >> 4 === 4) {
        inner = InnerKind.Ipv4;
        l4 = this.ports(ctx, layer + 1, frameEnd);
      } else if (p === IPV6 && at + 40 <= frameEnd && buf[at] >> 4 === 6) {
        inner = InnerKind.Ipv6;
        let next = layer + 1;
        while (next < count && IPV6_EXTENSIONS.has(layerProto[next])) next++;
        l4 = this.ports(ctx, next, frameEnd);
      } else if (p === ARP && at + 28 <= frameEnd && buf[at + 4] === 6 && buf[at + 5] === 4 && buf[at + 2] === 8 && buf[at + 3] === 0) {
        inner = InnerKind.Arp;
      }
      if (l4 !== 0) portsAt = this.portsOffset;
    }
    header |= (inner << KeyBits.InnerShift) | (l4 << KeyBits.L4Shift);

    // Source side at [side, side + n), destination side right after it.
    const outerWords = outerV6 ? 4 : 1;
    const n = outerWords + (l2 ? 2 : 0) + (inner === InnerKind.None ? 0 : inner === InnerKind.Ipv6 ? 4 : 1) + (l4 !== 0 ? 1 : 0);
    const d = side + n;
    let s = side;
    if (!outerV6) {
      key[s++] = word(buf, ipStart + 12);
      key[d] = word(buf, ipStart + 16);
    } else {
      for (let i = 0; i < 4; i++) {
        key[s++] = word(buf, ipStart + 8 + i * 4);
        key[d + i] = word(buf, ipStart + 24 + i * 4);
      }
    }
    if (l2) {
      key[s] = srcHi;
      key[s + 1] = srcLo;
      key[d + s - side] = dstHi;
      key[d + s - side + 1] = dstLo;
      s += 2;
    }
    if (inner === InnerKind.Ipv4) {
      key[s] = word(buf, at + 12);
      key[d + s - side] = word(buf, at + 16);
      s++;
    } else if (inner === InnerKind.Arp) {
      key[s] = word(buf, at + 14);
      key[d + s - side] = word(buf, at + 24);
      s++;
    } else if (inner === InnerKind.Ipv6) {
      for (let i = 0; i < 4; i++) {
        key[s + i] = word(buf, at + 8 + i * 4);
        key[d + s - side + i] = word(buf, at + 24 + i * 4);
      }
      s += 4;
    }
    if (l4 !== 0) {
      key[s] = (buf[portsAt] << 8) | buf[portsAt + 1];
      key[d + s - side] = (buf[portsAt + 2] << 8) | buf[portsAt + 3];
    }

    // Fold both directions into one key: the smaller side goes first.
    let swap = false;
    for (let i = 0; i < n; i++) {
      const a = key[side + i];
      const b = key[d + i];
      if (a !== b) {
        swap = a > b;
        break;
      }
    }
    if (swap) {
      for (let i = 0; i < n; i++) {
        const t = key[side + i];
        key[side + i] = key[d + i];
        key[d + i] = t;
      }
    }
    this.dir = swap ? 1 : 0;
    key[base] = header;
    key[base + 1] = ctx.tenantId;
    return KEY_PREFIX + 2 * n;
  }

  /**
   * Fills the analyzer's record of one fast-path dissected frame at rec[at ..] (up to Rec.MaxLength words): all the
   * analysis reads of a frame, in words, so frames can be handed over without their Dissection (see Rec).
   */
  fill(ctx: Dissection, frame: number, time: number, rec: Uint32Array, at: number): void {
    rec[at + Rec.Frame] = frame;
    writeTime(rec, at, time);
    rec[at + Rec.OrigLen] = ctx.wireBytes;
    const absorbed = ctx.absorbedFragments;
    rec[at + Rec.Absorbed] = absorbed === null ? 0 : absorbed.length;
    rec[at + Rec.AbsorbedBytes] = absorbed === null ? 0 : ctx.wireBytes - ctx.origLen;
    let flags = absorbed === null ? 0 : RecFlag.Reassembled;
    const count = ctx.layerCount;
    if (count > 0 && ctx.layerProto[0] === ETH) {
      const buf = ctx.buf;
      const o = ctx.layerStart[0] + 6;
      flags |= RecFlag.OuterEth;
      rec[at + Rec.OuterMacHi] = (buf[o] << 8) | buf[o + 1];
      rec[at + Rec.OuterMacLo] = word(buf, o + 2);
    }
    const length = this.read(ctx, rec, at + Rec.Key);
    if (length === 0) {
      const top = count > 0 ? ctx.layerProto[count - 1] : -1;
      const kind = top === PROTO_IDS.igmp || top === PROTO_IDS.icmpv6 ? RecKind.Membership : RecKind.Underlay;
      rec[at + Rec.Kind] = kind | (flags << RecBits.FlagShift);
      return;
    }
    flags |= this.dir | (this.l2 ? RecFlag.L2 : 0);
    rec[at + Rec.Kind] = RecKind.Tunnel | (flags << RecBits.FlagShift) | (length << RecBits.KeyLengthShift);
    rec[at + Rec.KeyHash] = hashWords(rec, at + Rec.Key, length);
    rec[at + Rec.InnerLength] = this.innerLength;
    rec[at + Rec.OuterIpLength] = this.outerIpLength;
  }

  private portsOffset = 0;

  /** 1 tcp, 2 udp when layer `l4` is one with its ports captured; remembers where they are. */
  private ports(ctx: Dissection, l4: number, frameEnd: number): number {
    if (l4 >= ctx.layerCount) return 0;
    const p = ctx.layerProto[l4];
    if (p !== TCP && p !== UDP) return 0;
    const at = ctx.layerStart[l4];
    if (at + 4 > frameEnd) return 0;
    this.portsOffset = at;
    return p === TCP ? 1 : 2;
  }
}

function word(buf: Uint8Array, o: number): number {
  return ((buf[o] << 24) >>> 0) + ((buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]);
}

/** Upper-layer protocol ids the analysis looks for on the underlay. */
export const PROTO_IDS = { IP, IPV6, igmp: proto('igmp'), icmpv6: proto('icmpv6') };
