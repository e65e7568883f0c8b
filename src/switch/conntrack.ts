// Connection tracking for replay, computed the way Linux conntrack classifies packets (per zone):
// the first packet of a connection is new; once committed, packets of the other direction are
// established and reply, and after a reply packets of the first direction are established. A TCP
// packet that opens nothing (no SYN) and belongs to no connection is invalid, as are non-IP packets.
// Only committed connections are remembered (ct(commit) in the flows), as in Open vSwitch.
import { CS_ESTABLISHED, CS_INVALID, CS_NEW, CS_REPLY_DIR, CS_TRACKED, ETH_TYPE_IP, ETH_TYPE_IPV6, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, Slot } from './fields';
import { Flow } from './flow';

const TCP_FIN = 0x01n;
const TCP_SYN = 0x02n;
const TCP_RST = 0x04n;
const TCP_ACK = 0x10n;

/** ICMP queries and their answers: the reply of an echo request is an echo reply (both families). */
const ICMP_REPLY_OF = new Map<bigint, bigint>([[8n, 0n], [13n, 14n], [128n, 129n]]);

interface Connection {
  mark: bigint;
  label: bigint;
  replySeen: boolean;
}

export interface CtResult {
  state: bigint;
  mark: bigint;
  label: bigint;
}

/** What a ct() action's exec(...) does to the connection's mark and label. */
export type CtExec = (mark: bigint, label: bigint) => { mark: bigint; label: bigint };

export interface Conntrack {
  /** force: a packet in the reply direction of a connection ends it and starts a new one (ct(force)). */
  execute(flow: Flow, zone: number, commit: boolean, exec: CtExec | null, force?: boolean): CtResult;
}

function addr(flow: Flow, src: boolean): bigint {
  const v6 = flow.get(Slot.DlType) === ETH_TYPE_IPV6;
  return flow.get(v6 ? (src ? Slot.Ipv6Src : Slot.Ipv6Dst) : src ? Slot.NwSrc : Slot.NwDst);
}

export class ConnectionTracker implements Conntrack {
  private readonly connections = new Map<string, Connection>();

  /** The connection key of the packet's direction and of the opposite one, or null when it cannot be tracked. */
  private keys(flow: Flow, zone: number): { forward: string; reverse: string } | null {
    const dlType = flow.get(Slot.DlType);
    if (dlType !== ETH_TYPE_IP && dlType !== ETH_TYPE_IPV6) return null;
    const proto = flow.get(Slot.NwProto);
    const src = addr(flow, true);
    const dst = addr(flow, false);
    let sport = 0n;
    let dport = 0n;
    let rsport = 0n;
    let rdport = 0n;
    if (proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_SCTP) {
      sport = rdport = flow.get(Slot.TpSrc);
      dport = rsport = flow.get(Slot.TpDst);
    } else if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) {
      // A query keys on its own type; its answer keys on the query's type, reversed.
      const type = flow.get(Slot.TpSrc);
      const queryOf = [...ICMP_REPLY_OF].find(([, reply]) => reply === type)?.[0];
      sport = queryOf ?? type;
      rsport = queryOf ?? type;
    }
    const k = (a: bigint, b: bigint, p: bigint, q: bigint): string => `${zone}|${dlType}|${proto}|${a}|${b}|${p}|${q}`;
    return { forward: k(src, dst, sport, dport), reverse: k(dst, src, rsport, rdport) };
  }

  execute(flow: Flow, zone: number, commit: boolean, exec: CtExec | null, force = false): CtResult {
    const keys = this.keys(flow, zone);
    if (!keys) return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n };
    if (force && commit && this.connections.has(keys.reverse)) this.connections.delete(keys.reverse);
    const tcp = flow.get(Slot.NwProto) === IPPROTO_TCP;
    const flags = flow.get(Slot.TcpFlags);
    let conn = this.connections.get(keys.forward);
    let state: bigint;
    if (conn) {
      state = CS_TRACKED | (conn.replySeen ? CS_ESTABLISHED : CS_NEW);
    } else if ((conn = this.connections.get(keys.reverse))) {
      conn.replySeen = true;
      state = CS_TRACKED | CS_ESTABLISHED | CS_REPLY_DIR;
    } else if (tcp && (!(flags & TCP_SYN) || flags & (TCP_ACK | TCP_RST | TCP_FIN))) {
      return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n };
    } else {
      state = CS_TRACKED | CS_NEW;
    }
    if (tcp && flags & TCP_SYN && flags & (TCP_RST | TCP_FIN)) return { state: CS_TRACKED | CS_INVALID, mark: 0n, label: 0n };
    if (commit && !conn) {
      conn = { mark: 0n, label: 0n, replySeen: false };
      this.connections.set(keys.forward, conn);
    }
    if (commit && conn && exec) Object.assign(conn, exec(conn.mark, conn.label));
    return { state, mark: conn?.mark ?? 0n, label: conn?.label ?? 0n };
  }
}

/** For trace: the state of each recirculation in turn, given by the user like ofproto/trace --ct-next. */
export class ScriptedConntrack implements Conntrack {
  constructor(private readonly states: bigint[]) {}

  execute(_flow: Flow, _zone: number, commit: boolean, exec: CtExec | null): CtResult {
    // ofproto/trace's default when no --ct-next is left: trk|new.
    const state = this.states.shift() ?? CS_TRACKED | CS_NEW;
    const { mark, label } = commit && exec ? exec(0n, 0n) : { mark: 0n, label: 0n };
    return { state, mark, label };
  }
}
