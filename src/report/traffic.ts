// Traffic accounting for the report's charts, from the engine's per-frame classification (tenant,
// outer IPv4 source and destination, lengths, time) of the frames the report covers: per-tenant
// totals, packets over time, and the VTEP-to-VTEP matrix. It never looks inside the tenant's frames:
// conversations, flooding, learning and findings are the tenants/VTEP analysis (src/overlay).
import { FrameFlags, FrameIndex } from '../capture/frame-index';
import { TenantCode, tenantRefOf } from '../dissect/tenant-id';
import { TenantRef } from './analysis-types';
import { compareAddresses, ipv4Text, isIpv4Multicast } from './ipv4-text';

export interface VtepPairCount {
  /** Outer source (the encapsulating VTEP). */
  from: string;
  /** Outer destination: a VTEP, or a multicast group. */
  to: string;
  toGroup: boolean;
  packets: number;
  bytes: number;
}

export interface TenantTraffic extends TenantRef {
  packets: number;
  /** Bytes of the outer frames as on the wire (frame.len), as the tenants analysis counts them. */
  bytes: number;
  /** Seconds since the epoch, and 1-based frame numbers. */
  firstTime: number;
  lastTime: number;
  firstFrame: number;
  lastFrame: number;
  /** Outer unicast addresses that sent or received this tenant's frames (IPv4 underlay). */
  vteps: string[];
  /** Packets per time bin (see TrafficSummary.binSeconds). */
  packetsOverTime: number[];
  matrix: VtepPairCount[];
}

export interface TrafficSummary {
  /** Frames covered (all, or those that passed the report's filter). */
  frames: number;
  bytes: number;
  /** Frames that carry no tenant: the underlay itself. */
  underlayFrames: number;
  underlayBytes: number;
  startTime: number;
  endTime: number;
  binSeconds: number;
  bins: number;
  /** Ordered by packets, most first. */
  tenants: TenantTraffic[];
}


/** The frames a report covers with their tenant; the summary is computed from the index afterwards. */
export class TrafficCollector {
  private frames = new Uint32Array(1024);
  private codes = new Uint8Array(1024);
  private ids = new Uint32Array(1024);
  private count = 0;

  /** `code` is TenantCode.None for underlay frames. */
  add(frame: number, code: number, id: number): void {
    if (this.count === this.frames.length) this.grow();
    const i = this.count++;
    this.frames[i] = frame;
    this.codes[i] = code;
    this.ids[i] = id;
  }

  summarize(index: FrameIndex, targetBins = 60): TrafficSummary {
    const n = this.count;
    return summarizeTraffic(index, { frames: this.frames.subarray(0, n), codes: this.codes.subarray(0, n), ids: this.ids.subarray(0, n) }, targetBins);
  }

  private grow(): void {
    const size = this.frames.length * 2;
    const frames = new Uint32Array(size);
    const codes = new Uint8Array(size);
    const ids = new Uint32Array(size);
    frames.set(this.frames);
    codes.set(this.codes);
    ids.set(this.ids);
    this.frames = frames;
    this.codes = codes;
    this.ids = ids;
  }
}

export interface CoveredFrames {
  /** 0-based frame numbers in capture order, with each frame's tenant code and id. */
  frames: Uint32Array;
  codes: Uint8Array;
  ids: Uint32Array;
}

const NICE_STEPS = [1, 2, 5];

/** A round bin width (1, 2 or 5 times a power of ten seconds) giving at most about `target` bins. */
export function niceBinSeconds(duration: number, target: number): number {
  if (!(duration > 0)) return 1;
  const raw = duration / target;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const step of NICE_STEPS) if (step * power >= raw) return step * power;
  return 10 * power;
}

interface TenantAccumulator {
  type: number;
  id: number;
  packets: number;
  bytes: number;
  firstFrame: number;
  lastFrame: number;
  /** Earliest and latest timestamps (captures are not always in time order). */
  firstTime: number;
  lastTime: number;
  bins: Float64Array;
  /** outer source -> outer destination -> [packets, bytes] */
  pairs: Map<number, Map<number, [number, number]>>;
}

export function summarizeTraffic(index: FrameIndex, covered: CoveredFrames, targetBins = 60): TrafficSummary {
  const { frames, codes, ids } = covered;
  const n = frames.length;
  let startTime = n > 0 ? index.time(frames[0]) : 0;
  let endTime = startTime;
  for (let k = 0; k < n; k++) {
    const time = index.time(frames[k]);
    if (time < startTime) startTime = time;
    if (time > endTime) endTime = time;
  }
  const binSeconds = niceBinSeconds(endTime - startTime, targetBins);
  const bins = Math.max(1, Math.floor((endTime - startTime) / binSeconds) + 1);

  const tenants = new Map<number, TenantAccumulator>();
  let bytes = 0;
  let underlayFrames = 0;
  let underlayBytes = 0;
  for (let k = 0; k < n; k++) {
    const f = frames[k];
    const length = index.origLen[f];
    bytes += length;
    // An IP fragment whose datagram a later frame carries is counted there, once, not as underlay.
    if ((index.flags[f] & FrameFlags.Fragment) !== 0) continue;
    const type = codes[k];
    if (type === TenantCode.None) {
      underlayFrames++;
      underlayBytes += length;
      continue;
    }
    const key = type * 2 ** 32 + ids[k];
    const time = index.time(f);
    let t = tenants.get(key);
    if (t === undefined) {
      t = { type, id: ids[k], packets: 0, bytes: 0, firstFrame: f, lastFrame: f, firstTime: time, lastTime: time, bins: new Float64Array(bins), pairs: new Map() };
      tenants.set(key, t);
    }
    t.packets++;
    t.bytes += length;
    t.lastFrame = f;
    if (time < t.firstTime) t.firstTime = time;
    if (time > t.lastTime) t.lastTime = time;
    t.bins[Math.min(bins - 1, Math.floor((time - startTime) / binSeconds))]++;
    const src = index.outerSrc[f];
    const dst = index.outerDst[f];
    if (src !== 0 || dst !== 0) {
      let row = t.pairs.get(src);
      if (row === undefined) t.pairs.set(src, (row = new Map()));
      const cell = row.get(dst);
      if (cell === undefined) row.set(dst, [1, length]);
      else {
        cell[0]++;
        cell[1] += length;
      }
    }
  }

  const out: TenantTraffic[] = [];
  for (const t of tenants.values()) {
    const vteps = new Set<number>();
    const matrix: VtepPairCount[] = [];
    for (const [src, row] of t.pairs) {
      if (src !== 0) vteps.add(src);
      for (const [dst, [packets, pairBytes]] of row) {
        if (dst !== 0 && !isIpv4Multicast(dst)) vteps.add(dst);
        matrix.push({ from: ipv4Text(src), to: ipv4Text(dst), toGroup: isIpv4Multicast(dst), packets, bytes: pairBytes });
      }
    }
    matrix.sort((a, b) => compareAddresses(a.from, b.from) || compareAddresses(a.to, b.to));
    out.push({
      ...tenantRefOf(t.type, t.id),
      packets: t.packets,
      bytes: t.bytes,
      firstTime: t.firstTime,
      lastTime: t.lastTime,
      firstFrame: t.firstFrame + 1,
      lastFrame: t.lastFrame + 1,
      vteps: [...vteps].map(ipv4Text).sort(compareAddresses),
      packetsOverTime: Array.from(t.bins),
      matrix,
    });
  }
  out.sort((a, b) => b.packets - a.packets || a.type.localeCompare(b.type) || a.id - b.id);
  return { frames: n, bytes, underlayFrames, underlayBytes, startTime, endTime, binSeconds, bins, tenants: out };
}
