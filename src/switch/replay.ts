// Replays a capture through the switch: each frame that enters the bridge (from a VM, or from a remote
// VTEP through the tunnel port whose remote_ip is its outer source) runs through translate() with side
// effects in capture order; each frame that leaves the bridge is checked against what the pipeline
// predicted for the frame that caused it.
import { ipv4FromNumber } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { TenantType } from '../dissect/tenant-id';
import { Bridge, BridgePort, isTunnel, portByName, PortType, tunnelPortFor } from './bridge';
import { Slot } from './fields';
import { Flow } from './flow';
import { readFrameFlow, switchEthLayer, tunnelKey } from './frame-flow';
import { FlowTables, formatRule } from './flow-tables';
import { formatFlow } from './match-format';
import { MacTable, TraceOutput, TraceStep, translate } from './xlate';

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
  remaining: TraceOutput[];
  mismatched: boolean;
}

const TUNNEL_TYPE: Partial<Record<TenantType, PortType>> = {
  [TenantType.Gre]: 'gre',
  [TenantType.Nvgre]: 'gre',
  [TenantType.Vxlan]: 'vxlan',
  [TenantType.Geneve]: 'geneve',
};

export class SwitchReplay {
  readonly records: ReplayRecord[] = [];
  private readonly pending: Prediction[] = [];
  private readonly macTable: MacTable = new Map();
  private readonly flow = new Flow();
  private sawTunnelFrames = false;
  private readonly observedPorts = new Set<number>();
  private firstTime: number | null = null;

  constructor(private readonly tables: FlowTables, private readonly bridge: Bridge) {}

  /** The VM-side port a local frame belongs to: the port named like the capture interface, else the first VM port. */
  private localPort(interfaceName: string): BridgePort | undefined {
    const named = portByName(this.bridge, interfaceName);
    if (named && !isTunnel(named)) return named;
    return this.bridge.ports.find((p) => p.type === 'vm') ?? this.bridge.ports.find((p) => !isTunnel(p));
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
      if (!readFrameFlow(ctx, switchEthLayer(ctx, true), flow)) return this.push({ ...base, note: 'encapsulated payload is not an Ethernet frame' });
      const local = this.bridge.localVtep;
      const outbound = info.direction === 2 || (info.direction === 0 && local !== undefined && src === local);
      if (outbound) {
        const port = this.bridge.ports.find((p) => isTunnel(p) && p.remoteIp === dst && (!type || p.type === type));
        if (!port) return this.push({ ...base, note: `leaves for ${dst}, which no tunnel port of ${this.bridge.name} reaches` });
        return this.egress(base, port, null, key);
      }
      if (local !== undefined && dst !== local && info.direction === 0) return this.push({ ...base, note: `tunnel traffic ${src} -> ${dst} is not for this VTEP (${local})` });
      const port = tunnelPortFor(this.bridge, src, key, type);
      if (!port) return this.push({ ...base, note: `arrives from ${src}, which is the remote_ip of no ${type ?? ''} tunnel port` });
      flow.set(Slot.TunId, BigInt(key));
      flow.set(Slot.TunSrc, BigInt(info.outerSrc));
      flow.set(Slot.TunDst, BigInt(info.outerDst));
      return this.ingress(base, port, info.time);
    }
    if (!readFrameFlow(ctx, switchEthLayer(ctx, false), flow)) return this.push({ ...base, note: 'not an Ethernet frame' });
    const port = this.localPort(info.interfaceName);
    if (!port) return this.push({ ...base, note: `the bridge has no VM port for interface ${info.interfaceName}` });
    this.observedPorts.add(port.ofport);
    const isEgress = info.direction === 2 || (info.direction === 0 && this.findPrediction(port, flow.vlan, Number(flow.get(Slot.TunId))) !== null);
    if (isEgress) return this.egress(base, port, flow.vlan, null);
    return this.ingress(base, port, info.time);
  }

  private push(record: ReplayRecord): void {
    this.records.push(record);
  }

  private ingress(base: ReplayRecord, port: BridgePort, now: number): void {
    const flow = this.flow;
    flow.set(Slot.InPort, BigInt(port.ofport));
    const expired = this.tables.expire(now).map((e) => `${formatRule(e.rule, true)} (${e.reason})`);
    const packet = flow.clone();
    const result = translate({ tables: this.tables, bridge: this.bridge, now, sideEffects: true, macTable: this.macTable }, packet);
    const record: ReplayRecord = {
      ...base,
      role: 'ingress',
      inPort: port.ofport,
      portName: port.name,
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
    this.pending.push({ record, src: packet.get(Slot.DlSrc), dst: packet.get(Slot.DlDst), remaining: [...result.outputs], mismatched: false });
  }

  /** The oldest prediction for this inner frame that expects an output like this one. */
  private findPrediction(port: BridgePort, vlan: number | null, tunId: number | null): { p: Prediction; index: number } | null {
    const src = this.flow.get(Slot.DlSrc);
    const dst = this.flow.get(Slot.DlDst);
    for (const p of this.pending) {
      if (p.src !== src || p.dst !== dst) continue;
      const index = p.remaining.findIndex((o) => o.port === port.ofport && (isTunnel(port) ? o.tunId === tunId : o.vlan === vlan));
      if (index >= 0) return { p, index };
    }
    return null;
  }

  private egress(base: ReplayRecord, port: BridgePort, vlan: number | null, tunId: number | null): void {
    const found = this.findPrediction(port, vlan, tunId);
    const check: EgressCheck = { port: port.ofport, portName: port.name, vlan, tunId: tunId ?? 0, predictedBy: null, agrees: null };
    if (found) {
      found.p.remaining.splice(found.index, 1);
      found.p.record.seenIn!.push(base.frame);
      check.predictedBy = found.p.record.frame;
      check.agrees = true;
    } else {
      const src = this.flow.get(Slot.DlSrc);
      const dst = this.flow.get(Slot.DlDst);
      const cause = [...this.pending].reverse().find((p) => p.src === src && p.dst === dst);
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
      const unseen = p.remaining.filter((o) => this.observable(o));
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
    return this.observedPorts.has(o.port);
  }
}

function describeBrief(o: TraceOutput): string {
  const name = o.portName ? ` (${o.portName})` : '';
  if (o.tunnel) return `port ${o.port}${name} key 0x${Number(o.tunId).toString(16)}`;
  return `port ${o.port}${name} ${o.vlan === null ? 'untagged' : `VLAN ${o.vlan}`}`;
}

export { describeBrief };
