// Replays a capture through the switch: each frame that enters the bridge (from a VM, or from a remote
// VTEP through the tunnel port whose remote_ip is its outer source) runs through translate() with side
// effects in capture order; each frame that leaves the bridge is checked against what the pipeline
// predicted for the frame that caused it.
import { ipv4FromNumber } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { TenantType } from '../dissect/tenant-id';
import { Bridge, BridgePort, isTunnel, portByName, PortType, tunnelPortFor } from './bridge';
import { ConnectionTracker } from './conntrack';
import { Slot } from './fields';
import { Flow } from './flow';
import { readFrameFlow, readPacketExtras, switchEthLayer, tunnelKey } from './frame-flow';
import { FlowTables, formatRule } from './flow-tables';
import { formatFlow } from './match-format';
import { SwitchBridge, TraceOutput, TraceStep, translate } from './xlate';

export type Decision = 'drop' | 'unicast' | 'flood';

export interface EgressCheck {
  port: number;
  portName: string;
  vlan: number | null;
  tunId: number;
  /** Frame number (1-based) of the ingress frame whose prediction this frame fulfils, or null. */
  predictedBy: number | null;
  agrees: boolean | null;
  note?: string;
}

export interface ReplayRecord {
  frame: number;
  /** Seconds since the first frame. */
  time: number;
  role: 'ingress' | 'egress' | 'other';
  interface: string;
  direction: 'in' | 'out' | null;
  inPort?: number;
  portName?: string;
  tunId?: number;
  microflow?: string;
  decision?: Decision;
  path?: TraceStep[];
  outputs?: TraceOutput[];
  learned?: string[];
  expired?: string[];
  error?: string;
  /** Ingress: did the capture show every predicted output that it could show? */
  agrees?: boolean | null;
  seenIn?: number[];
  missing?: string[];
  egress?: EgressCheck;
  note?: string;
}

/** What the frame bytes say about one frame, before the switch looks at it. */
export interface FrameInfo {
  frame: number;
  time: number;
  interfaceName: string;
  /** pcapng epb_flags direction: 1 inbound, 2 outbound, 0 unknown. */
  direction: number;
  outerSrc: number;
  outerDst: number;
}

interface Prediction {
  record: ReplayRecord;
  src: bigint;
  dst: bigint;
  /** Predicted outputs not yet seen, with the Ethernet addresses each leaves with. */
  remaining: { out: TraceOutput; src: bigint; dst: bigint }[];
  mismatched: boolean;
}

const TUNNEL_TYPE: Partial<Record<TenantType, PortType>> = {
  [TenantType.Gre]: 'gre',
  [TenantType.Nvgre]: 'gre',
  [TenantType.Vxlan]: 'vxlan',
  [TenantType.Geneve]: 'geneve',
};

/** A port and the bridge it belongs to (a host may have several bridges joined by patch ports). */
interface HostPort {
  at: SwitchBridge & { bridge: Bridge };
  port: BridgePort;
}

export class SwitchReplay {
  readonly records: ReplayRecord[] = [];
  /** Every prediction, in capture order (settled by finish()). */
  private readonly pending: Prediction[] = [];
  /**
   * Predictions with outputs not yet seen, by the Ethernet addresses those outputs leave with, oldest
   * first: an egress frame looks only at its own addresses, so replay stays linear in the capture.
   */
  private readonly open = new Map<string, Prediction[]>();
  /** The latest prediction for each pair of addresses it received or sent (to name the cause of a surprise). */
  private readonly latest = new Map<string, Prediction>();
  private readonly flow = new Flow();
  private sawTunnelFrames = false;
  private readonly observedPorts = new Set<string>();
  private firstTime: number | null = null;
  private readonly bridges: (SwitchBridge & { bridge: Bridge })[];
  /** Connection tracking state shared by every bridge (one datapath), built from the frames replayed so far. */
  private readonly conntrack = new ConnectionTracker();
  private readonly multiBridge: boolean;
  private readonly localVtep: string | undefined;

  /** One bridge (its tables and description), or every bridge of the host. */
  constructor(tables: FlowTables | readonly SwitchBridge[], bridge?: Bridge) {
    const all = tables instanceof FlowTables ? [{ bridge: bridge!, tables, macTable: new Map() }] : tables;
    this.bridges = all.filter((b): b is SwitchBridge & { bridge: Bridge } => b.bridge !== undefined);
    this.multiBridge = this.bridges.length > 1;
    this.localVtep = this.bridges.find((b) => b.bridge.localVtep)?.bridge.localVtep;
  }

  private get hostName(): string {
    return this.bridges.map((b) => b.bridge.name).join('+');
  }

  /** The VM-side port a local frame belongs to: the port named like the capture interface, else the first VM port. */
  private localPort(interfaceName: string): HostPort | undefined {
    for (const at of this.bridges) {
      const named = portByName(at.bridge, interfaceName);
      if (named && !isTunnel(named) && named.type !== 'patch') return { at, port: named };
    }
    const at = this.bridges[0];
    if (!at) return undefined;
    const port = at.bridge.ports.find((p) => p.type === 'vm') ?? at.bridge.ports.find((p) => !isTunnel(p) && p.type !== 'patch');
    return port && { at, port };
  }

  private portKey(hp: HostPort): string {
    return `${hp.at.bridge.name}|${hp.port.ofport}`;
  }

  /** Handles one dissected frame (its bytes are in ctx.buf), in capture order. */
  onFrame(ctx: Dissection, info: FrameInfo): void {
    this.firstTime ??= info.time;
    const base: ReplayRecord = {
      frame: info.frame,
      time: Math.round((info.time - this.firstTime) * 1e6) / 1e6,
      role: 'other',
      interface: info.interfaceName,
      direction: info.direction === 1 ? 'in' : info.direction === 2 ? 'out' : null,
    };
    const flow = this.flow;
    flow.v.fill(0n);
    const encapsulated = ctx.tenantLayer >= 0 && info.outerSrc !== 0;
    if (encapsulated) {
      this.sawTunnelFrames = true;
      const src = ipv4FromNumber(info.outerSrc);
      const dst = ipv4FromNumber(info.outerDst);
      const key = tunnelKey(ctx);
      const type = TUNNEL_TYPE[ctx.tenantType];
      const innerEth = switchEthLayer(ctx, true);
      if (!readFrameFlow(ctx, innerEth, flow)) return this.push({ ...base, note: 'encapsulated payload is not an Ethernet frame' });
      this.conntrack.beginPacket(readPacketExtras(ctx, innerEth, flow));
      const local = this.localVtep;
      const outbound = info.direction === 2 || (info.direction === 0 && local !== undefined && src === local);
      if (outbound) {
        const hp = this.findPort((b) => b.ports.find((p) => isTunnel(p) && p.remoteIp === dst && (!type || p.type === type)));
        if (!hp) return this.push({ ...base, note: `leaves for ${dst}, which no tunnel port of ${this.hostName} reaches` });
        return this.egress(base, hp, null, key);
      }
      if (local !== undefined && dst !== local && info.direction === 0) return this.push({ ...base, note: `tunnel traffic ${src} -> ${dst} is not for this VTEP (${local})` });
      const port = this.findPort((b) => tunnelPortFor(b, src, key, type));
      if (!port) return this.push({ ...base, note: `arrives from ${src}, which is the remote_ip of no ${type ?? ''} tunnel port` });
      flow.set(Slot.TunId, BigInt(key));
      flow.set(Slot.TunSrc, BigInt(info.outerSrc));
      flow.set(Slot.TunDst, BigInt(info.outerDst));
      return this.ingress(base, port, info.time);
    }
    const eth = switchEthLayer(ctx, false);
    if (!readFrameFlow(ctx, eth, flow)) return this.push({ ...base, note: 'not an Ethernet frame' });
    this.conntrack.beginPacket(readPacketExtras(ctx, eth, flow));
    const port = this.localPort(info.interfaceName);
    if (!port) return this.push({ ...base, note: `the bridge has no VM port for interface ${info.interfaceName}` });
    this.observedPorts.add(this.portKey(port));
    const isEgress = info.direction === 2 || (info.direction === 0 && this.findPrediction(port, flow.vlan, Number(flow.get(Slot.TunId)), base.time) !== null);
    if (isEgress) return this.egress(base, port, flow.vlan, null);
    return this.ingress(base, port, info.time);
  }

  private findPort(find: (bridge: Bridge) => BridgePort | undefined): HostPort | undefined {
    for (const at of this.bridges) {
      const port = find(at.bridge);
      if (port) return { at, port };
    }
    return undefined;
  }

  private push(record: ReplayRecord): void {
    this.records.push(record);
  }

  private ingress(base: ReplayRecord, hp: HostPort, now: number): void {
    const flow = this.flow;
    const { port, at } = hp;
    flow.set(Slot.InPort, BigInt(port.ofport));
    const expired = this.bridges.flatMap((b) => b.tables.expire(now).map((e) => `${this.multiBridge ? `${b.bridge.name}: ` : ''}${formatRule(e.rule, true)} (${e.reason})`));
    const packet = flow.clone();
    const result = translate(
      { tables: at.tables, bridge: at.bridge, now, sideEffects: true, explain: false, macTable: at.macTable, bridges: this.bridges, conntrack: this.conntrack },
      packet,
    );
    const record: ReplayRecord = {
      ...base,
      role: 'ingress',
      inPort: port.ofport,
      portName: this.multiBridge ? `${at.bridge.name}:${port.name}` : port.name,
      ...(isTunnel(port) ? { tunId: Number(packet.get(Slot.TunId)) } : {}),
      microflow: formatFlow(packet),
      decision: result.outputs.length === 0 ? 'drop' : result.outputs.length === 1 ? 'unicast' : 'flood',
      path: result.steps,
      outputs: result.outputs,
      learned: result.learned.map((l) => l.text),
      ...(expired.length > 0 ? { expired } : {}),
      ...(result.error ? { error: result.error } : {}),
      seenIn: [],
    };
    this.push(record);
    const prediction: Prediction = { record, src: packet.get(Slot.DlSrc), dst: packet.get(Slot.DlDst), remaining: result.outputs.map((out, i) => ({ out, ...result.outputMacs[i] })), mismatched: false };
    this.pending.push(prediction);
    const keys = new Set([macPair(prediction.src, prediction.dst), ...prediction.remaining.map((r) => macPair(r.src, r.dst))]);
    for (const key of keys) this.latest.set(key, prediction);
    for (const key of new Set(prediction.remaining.map((r) => macPair(r.src, r.dst)))) {
      const list = this.open.get(key);
      if (list) list.push(prediction);
      else this.open.set(key, [prediction]);
    }
  }

  /** The oldest prediction for this inner frame that expects an output like this one. */
  private findPrediction(hp: HostPort, vlan: number | null, tunId: number | null, now: number): { p: Prediction; index: number } | null {
    const src = this.flow.get(Slot.DlSrc);
    const dst = this.flow.get(Slot.DlDst);
    const { port } = hp;
    const key = macPair(src, dst);
    const list = this.open.get(key);
    if (!list) return null;
    let found: { p: Prediction; index: number } | null = null;
    let write = 0;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      // Drop predictions with nothing left to see at these addresses, or too old to be this frame's cause.
      if (p.record.time < now - PREDICTION_WINDOW_SECONDS || !p.remaining.some((r) => r.src === src && r.dst === dst)) continue;
      list[write++] = p;
      if (found) continue;
      const index = p.remaining.findIndex(({ out: o, src: s, dst: d }) => s === src && d === dst && o.port === port.ofport && (o.bridge === undefined || o.bridge === hp.at.bridge.name) && (isTunnel(port) ? o.tunId === tunId : o.vlan === vlan));
      if (index >= 0) found = { p, index };
    }
    list.length = write;
    if (write === 0) this.open.delete(key);
    return found;
  }

  private egress(base: ReplayRecord, hp: HostPort, vlan: number | null, tunId: number | null): void {
    const found = this.findPrediction(hp, vlan, tunId, base.time);
    const { port } = hp;
    const check: EgressCheck = { port: port.ofport, portName: this.multiBridge ? `${hp.at.bridge.name}:${port.name}` : port.name, vlan, tunId: tunId ?? 0, predictedBy: null, agrees: null };
    if (found) {
      found.p.remaining.splice(found.index, 1);
      found.p.record.seenIn!.push(base.frame);
      check.predictedBy = found.p.record.frame;
      check.agrees = true;
    } else {
      const src = this.flow.get(Slot.DlSrc);
      const dst = this.flow.get(Slot.DlDst);
      const cause = this.latest.get(macPair(src, dst));
      if (cause) {
        cause.mismatched = true;
        check.predictedBy = cause.record.frame;
        check.agrees = false;
        const expected = cause.record.outputs!.map((o) => describeBrief(o)).join(', ') || 'a drop';
        check.note = `the pipeline predicted ${expected} for frame ${cause.record.frame}`;
      } else {
        check.note = 'no earlier ingress frame in the capture explains it';
      }
    }
    this.push({ ...base, role: 'egress', egress: check });
  }

  /** Settles every prediction; call after the last frame. */
  finish(): ReplayRecord[] {
    for (const p of this.pending) {
      const unseen = p.remaining.map((r) => r.out).filter((o) => this.observable(o));
      p.record.missing = unseen.map(describeBrief);
      p.record.agrees = !p.mismatched && unseen.length === 0 ? true : false;
      if (p.remaining.length > 0 && unseen.length === 0 && p.record.seenIn!.length === 0 && p.record.outputs!.length > 0) p.record.agrees = null;
    }
    return this.records;
  }

  /** Whether the capture could have shown this output at all. */
  private observable(o: TraceOutput): boolean {
    if (typeof o.port !== 'number') return false;
    if (o.tunnel) return this.sawTunnelFrames;
    return this.observedPorts.has(`${o.bridge ?? this.bridges[0]?.bridge.name}|${o.port}`);
  }
}

/**
 * A switch forwards within microseconds: a frame leaving this long after an ingress frame is not that
 * frame's output (its unseen outputs stay unseen, and replay stays linear on long captures).
 */
const PREDICTION_WINDOW_SECONDS = 10;

function macPair(src: bigint, dst: bigint): string {
  return `${src}|${dst}`;
}

function describeBrief(o: TraceOutput): string {
  const name = o.portName ? ` (${o.bridge ? `${o.bridge}:` : ''}${o.portName})` : '';
  if (o.tunnel) return `port ${o.port}${name} key 0x${Number(o.tunId).toString(16)}`;
  return `port ${o.port}${name} ${o.vlan === null ? 'untagged' : `VLAN ${o.vlan}`}`;
}

export { describeBrief };
