// A flood-and-learn VTEP (Linux bridge + VXLAN fdb, RFC 7348 section 4) seen from one host: frames it
// receives teach it (VNI, inner source MAC) -> outer source; frames it sends are explained as unicast
// (fdb hit) or flood (broadcast, multicast, unknown unicast), and checked against the outer destination.
import { Dissection } from '../dissect/dissection';
import { Slot } from './fields';
import { Flow } from './flow';
import { readFrameFlow, switchEthLayer, tunnelKey } from './frame-flow';
import { FrameInfo } from './replay';
import { formatMac } from './values';

/** Linux bridge default ageing time. */
export const FDB_AGEING_SECONDS = 300;

interface FdbEntry {
  remote: string;
  updatedAt: number;
}

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
  private readonly fdb = new Map<string, FdbEntry>();
  private readonly flow = new Flow();
  private firstTime: number | null = null;

  constructor(readonly localVtep: string, readonly ageing = FDB_AGEING_SECONDS) {}

  /** The remote VTEP the fdb holds for (vni, mac) at `now`, ageing out stale entries. */
  lookup(vni: number, mac: bigint, now: number): string | undefined {
    const key = `${vni}|${mac}`;
    const e = this.fdb.get(key);
    if (!e) return undefined;
    if (now - e.updatedAt > this.ageing) {
      this.fdb.delete(key);
      return undefined;
    }
    return e.remote;
  }

  learn(vni: number, mac: bigint, remote: string, now: number): NonNullable<VtepRecord['learned']> {
    const previous = this.lookup(vni, mac, now);
    this.fdb.set(`${vni}|${mac}`, { remote, updatedAt: now });
    const kind = previous === undefined ? 'learn' : previous === remote ? 'refresh' : 'move';
    return { mac: formatMac(mac), remote, kind, ...(kind === 'move' ? { previous } : {}) };
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
      const learned = this.learn(vni, src, outerSrc, now);
      rec.learned = learned;
      rec.reason = `${learned.kind} ${rec.innerSrc} behind ${outerSrc} in VNI ${vni}`;
    } else if (outerSrc === this.localVtep) {
      rec.role = 'send';
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
