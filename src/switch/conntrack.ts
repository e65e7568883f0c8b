// Connection tracking for replay, computed the way Open vSwitch's user-space conntrack classifies
// packets (per zone). A packet of no connection is new when it could open one (a TCP segment
// without SYN+ACK or bad flags, an ICMP query, anything UDP-like) and invalid otherwise; once
// committed, packets of the other direction are established and reply, and after a reply packets of
// the first direction are established. An ICMP error quoting a packet of a tracked connection is
// related (and reply when it travels towards the connection's originator). Connections expire
// after OVS's default timeout policy, counted on the capture's clock; a translation committed with
// ct(commit,nat(...)) rewrites later packets that ask for nat, replies the other way round.
// Only committed connections are remembered (ct(commit) in the flows), as in Open vSwitch.
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_RELATED, CS_REPLY_DIR, CS_TRACKED, ETH_TYPE_IP, ETH_TYPE_IPV6, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, Slot } from './fields';
import { Flow } from './flow';
import { NatSpec } from './nat';

const TCP_FIN = 0x01n;
const TCP_SYN = 0x02n;
const TCP_RST = 0x04n;
const TCP_PSH = 0x08n;
const TCP_ACK = 0x10n;
const TCP_URG = 0x20n;

/** ICMP queries and their answers (both families): only a query opens a connection. */
const ICMP_REPLY_OF = new Map<bigint, bigint>([[8n, 0n], [13n, 14n], [15n, 16n], [128n, 129n]]);
const ICMP_QUERY_OF = new Map<bigint, bigint>([...ICMP_REPLY_OF].map(([q, r]) => [r, q]));
/** ICMP errors, which quote the packet they are about. */
const ICMP4_ERRORS = new Set([3n, 4n, 5n, 11n, 12n]);
const ICMP6_ERRORS = new Set([1n, 2n, 3n, 4n]);

/**
 * Open vSwitch's default timeout policy for user-space conntrack, in seconds: how long a connection
 * survives without packets in each protocol state.
 */
export const CT_TIMEOUTS = {
  tcpFirstPacket: 30,
  tcpOpening: 30,
  tcpEstablished: 24 * 3600,
  tcpClosing: 15 * 60,
  tcpFinWait: 45,
  tcpClosed: 30,
  otherFirst: 60,
  otherMultiple: 60,
  otherBidir: 30,
  icmpFirst: 60,
  icmpReply: 30,
} as const;

/** One side of a TCP connection, in the order OVS's ct_dpif_tcp_state compares them. */
const enum TcpState {
  Closed = 0,
  SynSent = 2,
  Established = 4,
  Closing = 7,
  FinWait2 = 9,
  TimeWait = 10,
}

/** What the packet carries beyond its flow fields, which conntrack reads from the packet itself. */
export interface PacketExtras {
  /** ICMP echo / timestamp identifier. */
  icmpId?: number;
  /** An ICMP error's quoted packet (the packet it is about), as that packet's tuple. */
  quoted?: Tuple;
  /**
   * The connection an earlier ct() of this packet found or committed: a later ct() in the same zone
   * reuses it (the datapath keeps it with the packet, even after NAT changed its addresses).
   */
  tracked?: { zone: number; conn: Connection; state: bigint; reply: boolean };
}

/** A connection tuple: addresses, protocol, and ports (ICMP: type and code, and the query id). */
export interface Tuple {
  dlType: bigint;
  proto: bigint;
  src: bigint;
  dst: bigint;
  sport: bigint;
  dport: bigint;
}

/** A translation to apply to the packet: new source and/or destination address and port. */
export interface NatRewrite {
  src?: { addr: bigint; port?: bigint };
  dst?: { addr: bigint; port?: bigint };
}

export interface Connection {
  orig: Tuple;
  /** The tuple replies carry (the reverse of the translated original). */
  reply: Tuple;
  zone: number;
  mark: bigint;
  label: bigint;
  replySeen: boolean;
  nat?: NatSpec;
  expires: number;
  /** TCP: each side's state [originator, responder]; other protocols: first / multiple / bidir. */
  tcp?: [TcpState, TcpState];
  phase: 'first' | 'multiple' | 'bidir';
}

export interface CtResult {
  state: bigint;
  mark: bigint;
  label: bigint;
  /** With nat: how the recirculated packet is rewritten. */
  rewrite?: NatRewrite;
  /** For the explanation: why, in a few words (expired connection, quoted packet, chosen address). */
  note?: string;
}

/** What a ct() action's exec(...) does to the connection's mark and label. */
export type CtExec = (mark: bigint, label: bigint) => { mark: bigint; label: bigint };

export interface CtRequest {
  zone: number;
  commit: boolean;
  exec: CtExec | null;
  /** A packet in the reply direction of a connection ends it and starts a new one (ct(force)). */
  force?: boolean;
  /** null: no nat; 'restore': apply an existing translation; a spec: also set one up when committing. */
  nat?: null | 'restore' | NatSpec;
  /** Seconds on the caller's clock (capture time during replay). */
  now?: number;
}

export interface Conntrack {
  execute(flow: Flow, request: CtRequest): CtResult;
  /** ct_clear: the packet forgets the connection it was found in (a later ct() looks it up again). */
  clear?(): void;
}

function tupleKey(zone: number, t: Tuple): string {
  return `${zone}|${t.dlType}|${t.proto}|${t.src}|${t.dst}|${t.sport}|${t.dport}`;
}

function reverse(t: Tuple): Tuple {
  const icmp = t.proto === IPPROTO_ICMP || t.proto === IPPROTO_ICMPV6;
  if (icmp) {
    const type = t.sport >> 8n;
    const back = ICMP_REPLY_OF.get(type) ?? ICMP_QUERY_OF.get(type) ?? type;
    return { ...t, src: t.dst, dst: t.src, sport: (back << 8n) | (t.sport & 0xffn) };
  }
  return { ...t, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

function isIcmp(proto: bigint): boolean {
  return proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6;
}

/** The packet's tuple, or null when conntrack cannot track it (not IP). */
export function packetTuple(flow: Flow, icmpId = 0): Tuple | null {
  const dlType = flow.get(Slot.DlType);
  if (dlType !== ETH_TYPE_IP && dlType !== ETH_TYPE_IPV6) return null;
  const v6 = dlType === ETH_TYPE_IPV6;
  const proto = flow.get(Slot.NwProto);
  const tuple: Tuple = { dlType, proto, src: flow.get(v6 ? Slot.Ipv6Src : Slot.NwSrc), dst: flow.get(v6 ? Slot.Ipv6Dst : Slot.NwDst), sport: 0n, dport: 0n };
  if (isIcmp(proto)) {
    tuple.sport = (flow.get(Slot.TpSrc) << 8n) | flow.get(Slot.TpDst);
    tuple.dport = BigInt(icmpId);
  } else {
    tuple.sport = flow.get(Slot.TpSrc);
    tuple.dport = flow.get(Slot.TpDst);
  }
  return tuple;
}

/** OVS's tcp_invalid_flags: flag combinations no TCP segment may carry. */
function tcpInvalidFlags(flags: bigint): boolean {
  if (flags & TCP_SYN) {
    if (flags & (TCP_RST | TCP_FIN)) return true;
  } else if (!(flags & (TCP_ACK | TCP_RST))) {
    return true;
  }
  return !(flags & TCP_ACK) && (flags & (TCP_FIN | TCP_PSH | TCP_URG)) !== 0n;
}

export class ConnectionTracker implements Conntrack {
  /** Every tuple of a committed connection (original and reply), with its direction. */
  private readonly tuples = new Map<string, { conn: Connection; reply: boolean }>();
  /** The packet being translated: what it carries beyond its flow, and the connection it was found in. */
  private packet: PacketExtras = {};
  /** When expired connections were last swept out (like OVS's cleanup thread, so memory follows live connections). */
  // Stryker disable next-line UnaryOperator: see sweep().
  private sweptAt = -Infinity;

  /** Starts a new packet (its ICMP id or quoted packet); ct() calls until the next one share its connection. */
  beginPacket(extras: PacketExtras = {}): void {
    this.packet = { ...extras };
  }

  clear(): void {
    this.packet.tracked = undefined;
  }

  private lookup(zone: number, t: Tuple, now: number): { conn: Connection; reply: boolean } | null {
    const found = this.tuples.get(tupleKey(zone, t));
    if (!found) return null;
    if (now >= found.conn.expires) {
      this.remove(found.conn);
      return null;
    }
    return found;
  }

  private remove(conn: Connection): void {
    this.tuples.delete(tupleKey(conn.zone, conn.orig));
    this.tuples.delete(tupleKey(conn.zone, conn.reply));
  }

  // Stryker disable all: the sweep only frees memory; lookup() treats an expired connection as gone either way.
  private sweep(now: number): void {
    if (now - this.sweptAt < CT_TIMEOUTS.tcpFirstPacket) return;
    this.sweptAt = now;
    for (const { conn } of this.tuples.values()) if (now >= conn.expires) this.remove(conn);
  }
  // Stryker restore all

  execute(flow: Flow, request: CtRequest): CtResult {
    const now = request.now ?? 0;
    this.sweep(now);
    const tuple = packetTuple(flow, this.packet.icmpId);
    if (!tuple) return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n, note: 'not an IP packet' };
    const { zone } = request;
    const cached = this.packet.tracked;
    if (cached && cached.zone === zone && !request.force && this.tuples.get(tupleKey(zone, cached.conn.orig))?.conn === cached.conn) {
      const { conn } = cached;
      if (request.commit && request.exec) Object.assign(conn, request.exec(conn.mark, conn.label));
      return { state: cached.state, mark: conn.mark, label: conn.label };
    }
    return this.classify(flow, tuple, request, now);
  }

  private remember(conn: Connection, zone: number, state: bigint, reply: boolean): void {
    this.packet.tracked = { zone, conn, state, reply };
  }

  private classify(flow: Flow, tuple: Tuple, request: CtRequest, now: number): CtResult {
    const { zone } = request;
    const type = flow.get(Slot.TpSrc);
    const icmpError = isIcmp(tuple.proto) && (tuple.proto === IPPROTO_ICMP ? ICMP4_ERRORS : ICMP6_ERRORS).has(type);
    if (icmpError) return this.related(request, now);

    if (request.force && request.commit) {
      const found = this.lookup(zone, tuple, now);
      if (found?.reply) this.remove(found.conn);
    }
    const found = this.lookup(zone, tuple, now);
    if (found) {
      const { conn, reply } = found;
      const flags = flow.get(Slot.TcpFlags);
      if (conn.tcp && tcpInvalidFlags(flags)) return { state: CS_TRACKED | CS_INVALID, mark: conn.mark, label: conn.label, note: 'TCP flags no segment may carry' };
      if (conn.tcp && !reply && (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && conn.tcp[0] >= TcpState.FinWait2 && conn.tcp[1] >= TcpState.FinWait2) {
        // A SYN on a closed connection starts it again.
        this.remove(conn);
        return this.open(flow, tuple, request, now);
      }
      this.update(conn, reply, flow, now);
      if (request.commit && request.exec) Object.assign(conn, request.exec(conn.mark, conn.label));
      const state = CS_TRACKED | (reply ? CS_ESTABLISHED | CS_REPLY_DIR : conn.replySeen ? CS_ESTABLISHED : CS_NEW);
      if (reply) conn.replySeen = true;
      this.remember(conn, zone, state, reply);
      return { state, mark: conn.mark, label: conn.label, ...(request.nat && conn.nat ? { rewrite: natRewrite(conn, reply) } : {}) };
    }
    return this.open(flow, tuple, request, now);
  }

  /** A packet of no connection: new when it may open one (committed if asked), else invalid. */
  private open(flow: Flow, tuple: Tuple, request: CtRequest, now: number): CtResult {
    const flags = flow.get(Slot.TcpFlags);
    if (tuple.proto === IPPROTO_TCP && (tcpInvalidFlags(flags) || (flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK))) {
      return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n, note: 'a TCP segment that cannot open a connection' };
    }
    if (isIcmp(tuple.proto) && !ICMP_REPLY_OF.has(flow.get(Slot.TpSrc))) {
      return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n, note: 'an ICMP message of no tracked query' };
    }
    if (!request.commit) return { state: CS_TRACKED | CS_NEW, mark: 0n, label: 0n };
    const conn: Connection = { orig: tuple, reply: reverse(tuple), zone: request.zone, mark: 0n, label: 0n, replySeen: false, expires: now, phase: 'first' };
    let note: string | undefined;
    if (request.nat && request.nat !== 'restore') note = this.setUpNat(conn, request.nat);
    if (tuple.proto === IPPROTO_TCP) conn.tcp = [TcpState.SynSent, TcpState.Closed];
    conn.expires = now + (conn.tcp ? CT_TIMEOUTS.tcpFirstPacket : isIcmp(tuple.proto) ? CT_TIMEOUTS.icmpFirst : CT_TIMEOUTS.otherFirst);
    this.tuples.set(tupleKey(conn.zone, conn.orig), { conn, reply: false });
    this.tuples.set(tupleKey(conn.zone, conn.reply), { conn, reply: true });
    if (request.exec) Object.assign(conn, request.exec(conn.mark, conn.label));
    this.remember(conn, request.zone, CS_TRACKED | CS_NEW, false);
    return { state: CS_TRACKED | CS_NEW, mark: conn.mark, label: conn.label, ...(conn.nat ? { rewrite: natRewrite(conn, false) } : {}), ...(note ? { note } : {}) };
  }

  /**
   * Chooses the translated address and port. Open vSwitch picks inside a range by a hash seeded at
   * start-up, so for a range the emulator takes the first address (and keeps the packet's port when
   * no port range is given, as OVS tries first), and says so.
   */
  private setUpNat(conn: Connection, nat: NatSpec): string | undefined {
    if (nat.v6 !== (conn.orig.dlType === ETH_TYPE_IPV6)) return undefined;
    conn.nat = nat;
    const ported = !isIcmp(conn.orig.proto) && nat.minPort !== undefined;
    const translated: Tuple = { ...conn.orig };
    if (nat.kind === 'src') {
      translated.src = nat.minAddr;
      if (ported) translated.sport = BigInt(nat.minPort!);
    } else {
      translated.dst = nat.minAddr;
      if (ported) translated.dport = BigInt(nat.minPort!);
    }
    conn.reply = reverse(translated);
    const ranged = nat.maxAddr !== nat.minAddr || (ported && nat.maxPort !== nat.minPort);
    return ranged ? 'nat range: Open vSwitch picks an address and port inside it by a hash seeded at start-up; the first of the range is shown' : undefined;
  }

  /** OVS's per-protocol update: states and the timeout they give, from this packet on. */
  private update(conn: Connection, reply: boolean, flow: Flow, now: number): void {
    if (conn.tcp) {
      const [src, dst] = reply ? [1, 0] : [0, 1];
      const sides = conn.tcp;
      const flags = flow.get(Slot.TcpFlags);
      if (flags & TCP_SYN && sides[src] < TcpState.SynSent) sides[src] = TcpState.SynSent;
      if (flags & TCP_FIN && sides[src] < TcpState.Closing) sides[src] = TcpState.Closing;
      if (flags & TCP_ACK) {
        if (sides[dst] === TcpState.SynSent) sides[dst] = TcpState.Established;
        else if (sides[dst] === TcpState.Closing) sides[dst] = TcpState.FinWait2;
      }
      if (flags & TCP_RST) sides[0] = sides[1] = TcpState.TimeWait;
      const [a, b] = sides;
      const timeout =
        a >= TcpState.FinWait2 && b >= TcpState.FinWait2 ? CT_TIMEOUTS.tcpClosed
        : a >= TcpState.Closing && b >= TcpState.Closing ? CT_TIMEOUTS.tcpFinWait
        : a < TcpState.Established || b < TcpState.Established ? CT_TIMEOUTS.tcpOpening
        : a >= TcpState.Closing || b >= TcpState.Closing ? CT_TIMEOUTS.tcpClosing
        : CT_TIMEOUTS.tcpEstablished;
      conn.expires = now + timeout;
      return;
    }
    if (reply) conn.phase = 'bidir';
    else if (conn.phase === 'first') conn.phase = 'multiple';
    conn.expires = now + (isIcmp(conn.orig.proto) ? (conn.phase === 'bidir' ? CT_TIMEOUTS.icmpReply : CT_TIMEOUTS.icmpFirst) : conn.phase === 'bidir' ? CT_TIMEOUTS.otherBidir : conn.phase === 'multiple' ? CT_TIMEOUTS.otherMultiple : CT_TIMEOUTS.otherFirst);
  }

  /**
   * An ICMP error: related to the connection its quoted packet belongs to (a reply when it travels
   * towards the originator), invalid when the quoted packet belongs to none. It never opens one.
   */
  private related(request: CtRequest, now: number): CtResult {
    const quoted = this.packet.quoted;
    if (!quoted) return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n, note: 'ICMP error without a quoted packet' };
    // The error travels the opposite way to the packet it quotes.
    const found = this.lookup(request.zone, reverse(quoted), now);
    if (!found) return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n, note: 'ICMP error about no tracked connection' };
    const { conn, reply } = found;
    if (request.commit && request.exec) Object.assign(conn, request.exec(conn.mark, conn.label));
    const state = CS_TRACKED | CS_RELATED | (reply ? CS_REPLY_DIR : 0n);
    this.remember(conn, request.zone, state, reply);
    const rewrite = request.nat && conn.nat ? addressesOnly(natRewrite(conn, reply)) : undefined;
    return { state, mark: conn.mark, label: conn.label, ...(rewrite ? { rewrite } : {}) };
  }
}

/** The rewrite a packet of `conn` gets: forward translation one way, the reverse one for replies. */
function natRewrite(conn: Connection, reply: boolean): NatRewrite {
  const nat = conn.nat!;
  const translated = reverse(conn.reply);
  const ported = !isIcmp(conn.orig.proto);
  if (!reply) {
    return nat.kind === 'src'
      ? { src: { addr: translated.src, ...(ported ? { port: translated.sport } : {}) } }
      : { dst: { addr: translated.dst, ...(ported ? { port: translated.dport } : {}) } };
  }
  return nat.kind === 'src'
    ? { dst: { addr: conn.orig.src, ...(ported ? { port: conn.orig.sport } : {}) } }
    : { src: { addr: conn.orig.dst, ...(ported ? { port: conn.orig.dport } : {}) } };
}

/** An ICMP error's own header has no ports: only its addresses are translated. */
function addressesOnly(r: NatRewrite): NatRewrite {
  return { ...(r.src ? { src: { addr: r.src.addr } } : {}), ...(r.dst ? { dst: { addr: r.dst.addr } } : {}) };
}

/** Applies a translation to a flow's addresses and ports. */
export function applyNat(flow: Flow, rewrite: NatRewrite): void {
  const v6 = flow.get(Slot.DlType) === ETH_TYPE_IPV6;
  if (rewrite.src) {
    flow.set(v6 ? Slot.Ipv6Src : Slot.NwSrc, rewrite.src.addr);
    if (rewrite.src.port !== undefined) flow.set(Slot.TpSrc, rewrite.src.port);
  }
  if (rewrite.dst) {
    flow.set(v6 ? Slot.Ipv6Dst : Slot.NwDst, rewrite.dst.addr);
    if (rewrite.dst.port !== undefined) flow.set(Slot.TpDst, rewrite.dst.port);
  }
}

/** For trace: the state of each recirculation in turn, given by the user like ofproto/trace --ct-next. */
export class ScriptedConntrack implements Conntrack {
  constructor(private readonly states: bigint[]) {}

  execute(_flow: Flow, request: CtRequest): CtResult {
    // ofproto/trace's default when no --ct-next is left: trk|new.
    const state = this.states.shift() ?? CS_TRACKED | CS_NEW;
    const { mark, label } = request.commit && request.exec ? request.exec(0n, 0n) : { mark: 0n, label: 0n };
    return { state, mark, label };
  }
}
