// A flood-and-learn VTEP (Linux bridge + VXLAN fdb, RFC 7348 section 4) seen from one host, learning
// with the analysis's one model (src/overlay/learning.ts): frames it receives teach it (VNI, inner
// source MAC) -> outer source, frames it sends teach it their source MAC is local, idle entries age
// out; frames it sends are explained as unicast (fdb hit) or flood (broadcast, multicast, unknown
// unicast), and checked against the outer destination.
import { Dissection } from '../dissect/dissection';
import { DEFAULT_AGEING_SECONDS } from '../overlay/defaults';
import { EventCode, Refreshed, VtepLearning } from '../overlay/learning';
import { Slot } from './fields';
import { Flow } from './flow';
import { readFrameFlow, switchEthLayer, tunnelKey } from './frame-flow';
import { FrameInfo } from './replay';
import { formatMac } from './values';

/** Linux bridge default ageing time. */
export const FDB_AGEING_SECONDS = DEFAULT_AGEING_SECONDS;

export interface VtepRecord {
  frame: number;
  time: number;
  role: 'receive' | 'send' | 'other';
  vni?: number;
  innerSrc?: string;
  innerDst?: string;
  outerSrc?: string;
  outerDst?: string;
  decision?: 'deliver' | 'unicast' | 'flood';
  reason?: string;
  learned?: { mac: string; remote: string; kind: 'learn' | 'move' | 'refresh'; previous?: string };
  agrees?: boolean | null;
  note?: string;
}

function isMulticastIp(ip: string): boolean {
  const first = Number(ip.split('.')[0]);
  return first >= 224 && first <= 239;
}

export class VtepModel {
  readonly records: VtepRecord[] = [];
  /** The fdb: this host is learner 0, VTEP addresses are numbered in `vteps`, the VNI is the tenant. */
  private readonly learning: VtepLearning;
  private readonly vteps = new Map<string, number>();
  private readonly vtepNames: string[] = [];
  private readonly flow = new Flow();
  private firstTime: number | null = null;

  constructor(
    readonly localVtep: string,
    readonly ageing = FDB_AGEING_SECONDS,
  ) {
    this.learning = new VtepLearning(256, ageing);
    this.vtep(localVtep);
  }

  /** The remote VTEP the fdb holds for (vni, mac) at `now` (this VTEP's own address for a local MAC). */
  lookup(vni: number, mac: bigint, now: number): string | undefined {
    const remote = this.learning.lookup(0, vni, macHi(mac), macLo(mac), now);
    return remote < 0 ? undefined : this.vtepNames[remote];
  }

  /** Learns (vni, mac) behind `remote` (this VTEP's own address: local) as of frame `frame`. */
  learn(vni: number, mac: bigint, remote: string, now: number, frame = 0): NonNullable<VtepRecord['learned']> {
    const previous = this.lookup(vni, mac, now);
    const slot = this.learning.slot(0, vni, macHi(mac), macLo(mac));
    const code = this.learning.learnAt(slot, frame, now, 0, vni, macHi(mac), macLo(mac), this.vtep(remote));
    const kind = code === Refreshed ? 'refresh' : code === EventCode.Move || code === EventCode.Migrate ? 'move' : 'learn';
    return { mac: formatMac(mac), remote, kind, ...(kind === 'move' ? { previous } : {}) };
  }

  private vtep(address: string): number {
    let n = this.vteps.get(address);
    if (n === undefined) {
      n = this.vtepNames.push(address) - 1;
      this.vteps.set(address, n);
    }
    return n;
  }

  onFrame(ctx: Dissection, info: FrameInfo, ipText: (n: number) => string): void {
    this.firstTime ??= info.time;
    const base: VtepRecord = { frame: info.frame, time: Math.round((info.time - this.firstTime) * 1e6) / 1e6, role: 'other' };
    if (ctx.tenantLayer < 0 || info.outerSrc === 0) {
      this.records.push({ ...base, note: 'not encapsulated' });
      return;
    }
    const flow = this.flow;
    flow.v.fill(0n);
    if (!readFrameFlow(ctx, switchEthLayer(ctx, true), flow)) {
      this.records.push({ ...base, note: 'encapsulated payload is not an Ethernet frame' });
      return;
    }
    const vni = tunnelKey(ctx);
    const src = flow.get(Slot.DlSrc);
    const dst = flow.get(Slot.DlDst);
    const outerSrc = ipText(info.outerSrc);
    const outerDst = ipText(info.outerDst);
    const now = info.time;
    const rec: VtepRecord = { ...base, vni, innerSrc: formatMac(src), innerDst: formatMac(dst), outerSrc, outerDst };
    if (outerSrc !== this.localVtep && (outerDst === this.localVtep || isMulticastIp(outerDst))) {
      rec.role = 'receive';
      rec.decision = 'deliver';
      const learned = this.learn(vni, src, outerSrc, now, info.frame);
      rec.learned = learned;
      rec.reason = `${learned.kind} ${rec.innerSrc} behind ${outerSrc} in VNI ${vni}`;
    } else if (outerSrc === this.localVtep) {
      rec.role = 'send';
      this.learn(vni, src, this.localVtep, now, info.frame);
      const groupAddressed = dst & 0x010000000000n;
      const known = groupAddressed ? undefined : this.lookup(vni, dst, now);
      if (groupAddressed) {
        rec.decision = 'flood';
        rec.reason = dst === 0xffffffffffffn ? 'broadcast: flooded to every VTEP of the VNI' : 'multicast: flooded to every VTEP of the VNI';
        rec.agrees = true;
      } else if (known === undefined) {
        rec.decision = 'flood';
        rec.reason = `unknown unicast: no fdb entry for ${rec.innerDst} in VNI ${vni}, flooded`;
        rec.agrees = true;
      } else {
        rec.decision = 'unicast';
        rec.reason = `fdb: ${rec.innerDst} is behind ${known}`;
        rec.agrees = outerDst === known;
        if (!rec.agrees) rec.note = `sent to ${outerDst}, but the fdb points at ${known}`;
      }
    } else {
      rec.note = `tunnel traffic ${outerSrc} -> ${outerDst} is not for ${this.localVtep}`;
    }
    this.records.push(rec);
  }
}

export function formatVtepText(r: VtepRecord): string {
  const head = `${String(r.frame).padStart(5)} ${r.time.toFixed(6).padStart(11)} `;
  if (r.role === 'other') return `${head}-    ${r.note ?? ''}`;
  const frame = `VNI ${r.vni} ${r.innerSrc} -> ${r.innerDst} (${r.outerSrc} -> ${r.outerDst})`;
  const verdict = r.agrees === false ? `; CAPTURE DISAGREES: ${r.note}` : '';
  return `${head}${r.role === 'receive' ? 'recv' : 'send'} ${frame}: ${r.decision}, ${r.reason}${verdict}`;
}

function macHi(mac: bigint): number {
  return Number(mac >> 32n);
}

function macLo(mac: bigint): number {
  return Number(mac & 0xffffffffn);
}
