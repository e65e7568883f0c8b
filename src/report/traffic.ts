// Traffic accounting for the report's charts, from the engine's per-frame classification (tenant,
// outer IPv4 source and destination, lengths, time) of the frames the report covers: per-tenant
// totals, packets over time, and the VTEP-to-VTEP matrix. It never looks inside the tenant's frames:
// conversations, flooding, learning and findings are the tenants/VTEP analysis (src/overlay).
import { FrameFlags, FrameIndex } from '../capture/frame-index';
import { TenantCode, tenantRefOf } from '../dissect/tenant-id';
import { TenantRef } from './analysis-types';
import { ipv4Text, isIpv4Multicast } from './ipv4-text';
import { WordTable } from '../overlay/word-table';

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
}

/**
 * Per frame, the tenant and its (outer source, outer destination) pair are found in word tables (no
 * object, string or Map key per frame: a 1M-frame capture's summary is built while the app waits).
 */
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

  const tenantKeys = new WordTable(256, 2);
  const tenants: TenantAccumulator[] = [];
  /** [tenant entry, outer source, outer destination] -> pair entry, whose packets and bytes are pairCounts[2e], [2e + 1]. */
  const pairKeys = new WordTable(1024, 3);
  let pairCounts = new Float64Array(2048);
  let bytes = 0;
  let underlayFrames = 0;
  let underlayBytes = 0;
  let lastType = -1;
  let lastId = -1;
  let lastTenant = -1;
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
    const time = index.time(f);
    if (type !== lastType || ids[k] !== lastId) {
      tenantKeys.key[0] = type;
      tenantKeys.key[1] = ids[k];
      lastTenant = tenantKeys.intern(2);
      lastType = type;
      lastId = ids[k];
      if (tenantKeys.added) tenants.push({ type, id: ids[k], packets: 0, bytes: 0, firstFrame: f, lastFrame: f, firstTime: time, lastTime: time, bins: new Float64Array(bins) });
    }
    const t = tenants[lastTenant];
    t.packets++;
    t.bytes += length;
    t.lastFrame = f;
    if (time < t.firstTime) t.firstTime = time;
    if (time > t.lastTime) t.lastTime = time;
    t.bins[Math.min(bins - 1, Math.floor((time - startTime) / binSeconds))]++;
    const src = index.outerSrc[f];
    const dst = index.outerDst[f];
    if (src !== 0 || dst !== 0) {
      const key = pairKeys.key;
      key[0] = lastTenant;
      key[1] = src;
      key[2] = dst;
      const pair = pairKeys.intern(3);
      if (pair * 2 >= pairCounts.length) {
        const bigger = new Float64Array(pairCounts.length * 2);
        bigger.set(pairCounts);
        pairCounts = bigger;
      }
      pairCounts[pair * 2]++;
      pairCounts[pair * 2 + 1] += length;
    }
  }

  // Each tenant's pairs, in the order they were first seen.
  const pairsOf: number[][] = tenants.map(() => []);
  for (let pair = 0; pair < pairKeys.count; pair++) pairsOf[pairKeys.word(pair, 0)].push(pair);
  const out: TenantTraffic[] = [];
  tenants.forEach((t, entry) => {
    const vteps = new Set<number>();
    const matrix: VtepPairCount[] = [];
    // By source then destination, numerically (as compareAddresses orders their dotted quads).
    const pairs = pairsOf[entry].sort((a, b) => pairKeys.word(a, 1) - pairKeys.word(b, 1) || pairKeys.word(a, 2) - pairKeys.word(b, 2));
    for (const pair of pairs) {
      const src = pairKeys.word(pair, 1);
      const dst = pairKeys.word(pair, 2);
      if (src !== 0) vteps.add(src);
      if (dst !== 0 && !isIpv4Multicast(dst)) vteps.add(dst);
      matrix.push({ from: ipv4Text(src), to: ipv4Text(dst), toGroup: isIpv4Multicast(dst), packets: pairCounts[pair * 2], bytes: pairCounts[pair * 2 + 1] });
    }
    out.push({
      ...tenantRefOf(t.type, t.id),
      packets: t.packets,
      bytes: t.bytes,
      firstTime: t.firstTime,
      lastTime: t.lastTime,
      firstFrame: t.firstFrame + 1,
      lastFrame: t.lastFrame + 1,
      vteps: [...vteps].sort((a, b) => a - b).map(ipv4Text),
      packetsOverTime: Array.from(t.bins),
      matrix,
    });
  });
  out.sort((a, b) => b.packets - a.packets || a.type.localeCompare(b.type) || a.id - b.id);
  return { frames: n, bytes, underlayFrames, underlayBytes, startTime, endTime, binSeconds, bins, tenants: out };
}
