// The same encapsulated packet seen in several captures (leaving the sender's host, arriving at each
// receiver's) is one transmission. Sightings match on the outer addresses, the outer IP ID, the UDP
// source port and a hash of the tunnel's payload (the TTL and checksums change on the way, these do
// not), within a window. Matched transmissions in both directions between two captures give their
// clock offset, as NTP does: half the difference of the two median one-way differences.
import { CaptureFile } from '../capture/capture-file';
import { u16 } from '../dissect/bytes';
import { DecodeAsOverrides, Dissection } from '../dissect/dissection';
import { TenantType } from '../dissect/tenant-id';
import { CaptureIndexer } from '../dissect/indexer';
import { PROTO } from '../dissect/protocol-ids';

/** Sightings further apart than this (before clock correction) are different transmissions. */
export const MATCH_WINDOW_SECONDS = 2;

/** Per member capture: the correlation key parts of each frame (keyed 0: not a tunnel frame). */
export interface MemberKeys {
  keyed: Uint8Array;
  ipId: Uint16Array;
  srcPort: Uint16Array;
  payloadHash: Uint32Array;
}

export interface Correlation {
  /** Per member, per frame: transmission id, or -1 for a frame that is not a tunnel frame. */
  transmissionOf: Int32Array[];
  /** Per transmission: its sightings as (capture, frame) in flat arrays, from sightingStart[t] to sightingStart[t + 1]. */
  sightingStart: Uint32Array;
  sightingCapture: Uint16Array;
  sightingFrame: Uint32Array;
  /** Per transmission: the capture whose host sent it (its outer source), or -1 when no capture is the sender's. */
  senderCapture: Int32Array;
  transmissions: number;
  /** Each capture's clock minus the first one's, seconds (0 when it cannot be told). */
  clockOffsets: number[];
  /** Per capture: whether its offset was estimated from traffic both ways (the first capture: true). */
  offsetKnown: boolean[];
}

/** FNV-1a over buf[from, to). */
function hashBytes(buf: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
  return hash >>> 0;
}

/** Indexes one member capture and reads each tunnel frame's key parts. */
export function indexMember(file: CaptureFile, decodeAs: DecodeAsOverrides | null): MemberKeys {
  const indexer = new CaptureIndexer(file);
  indexer.ctx.decodeAs = decodeAs;
  let keys: MemberKeys = { keyed: new Uint8Array(1024), ipId: new Uint16Array(1024), srcPort: new Uint16Array(1024), payloadHash: new Uint32Array(1024) };
  const grow = (need: number): void => {
    if (need <= keys.keyed.length) return;
    const size = Math.max(need, keys.keyed.length * 2);
    const next: MemberKeys = { keyed: new Uint8Array(size), ipId: new Uint16Array(size), srcPort: new Uint16Array(size), payloadHash: new Uint32Array(size) };
    next.keyed.set(keys.keyed);
    next.ipId.set(keys.ipId);
    next.srcPort.set(keys.srcPort);
    next.payloadHash.set(keys.payloadHash);
    keys = next;
  };
  indexer.run((ctx: Dissection, frame: number) => {
    grow(frame + 1);
    const ip = ctx.outerIpLayer;
    const tunnel = ctx.tenantLayer;
    if (ctx.tenantType === TenantType.None || tunnel < 0 || ip < 0 || ctx.layerProto[ip] !== PROTO.ip || file.index.outerSrc[frame] === 0) return;
    const ipAt = ctx.layerStart[ip];
    keys.keyed[frame] = 1;
    keys.ipId[frame] = u16(ctx.buf, ipAt + 4);
    keys.srcPort[frame] = ip + 1 < ctx.layerCount && ctx.layerProto[ip + 1] === PROTO.udp ? u16(ctx.buf, ctx.layerStart[ip + 1]) : 0;
    keys.payloadHash[frame] = hashBytes(ctx.buf, ctx.layerEnd[tunnel], ctx.base + ctx.capLen);
  });
  return keys;
}

/**
 * The address on every unicast tunnel frame of a capture (as source or destination): its host's VTEP.
 * Floods to a group carry the host only when it sends them, so they only break a tie: when every
 * frame is between the same two VTEPs, the source of a frame sent to a group or marked outbound.
 */
export function inferHost(file: CaptureFile): number | null {
  const { index } = file;
  let a = 0;
  let b = 0;
  let any = false;
  for (let f = 0; f < index.count; f++) {
    const src = index.outerSrc[f];
    const dst = index.outerDst[f];
    if (index.tenantType[f] === 0 || src === 0 || isMulticast(dst)) continue;
    if (!any) {
      a = src;
      b = dst;
      any = true;
      continue;
    }
    if (a !== src && a !== dst) a = 0;
    if (b !== src && b !== dst) b = 0;
    if (a === 0 && b === 0) return null;
  }
  if (a !== 0 && b !== 0) {
    for (let f = 0; f < index.count; f++) {
      const src = index.outerSrc[f];
      const sent = isMulticast(index.outerDst[f]) || (index.flags[f] & 3) === 2;
      if (index.tenantType[f] !== 0 && sent && (src === a || src === b)) return src;
    }
    return null;
  }
  if (!any) {
    // Only floods: the one source they all share.
    let only = 0;
    for (let f = 0; f < index.count; f++) {
      if (index.tenantType[f] === 0 || index.outerSrc[f] === 0) continue;
      if (only === 0) only = index.outerSrc[f];
      else if (only !== index.outerSrc[f]) return null;
    }
    return only !== 0 ? only : null;
  }
  return a !== 0 ? a : b;
}

function isMulticast(ip: number): boolean {
  return ip >>> 28 === 14;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Mixes one 32-bit word into a hash (murmur3's step). */
function mix(hash: number, word: number): number {
  hash ^= Math.imul(word, 0xcc9e2d51);
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

/**
 * The members' keyed frames grouped by their whole key (outer addresses, IP ID, UDP source port,
 * payload hash): frames are numbered globally (capture after capture), and each group lists its
 * frames in that order, groups numbered by their first frame. Keys are hashed to a number; a Map from
 * that number to the first group with it and a chain per group tell equal keys from collisions.
 */
function groupByKey(files: CaptureFile[], keys: MemberKeys[], base: number[], total: number): { start: Uint32Array; members: Uint32Array; count: number } {
  const groupOf = new Int32Array(total).fill(-1);
  const firstFrame: number[] = [];
  const nextWithHash: number[] = [];
  const byHash = new Map<number, number>();
  const sameKey = (c: number, f: number, group: number): boolean => {
    const g = firstFrame[group];
    let d = base.length - 1;
    while (base[d] > g) d--;
    const e = g - base[d];
    const a = files[c].index;
    const b = files[d].index;
    const ka = keys[c];
    const kb = keys[d];
    return a.outerSrc[f] === b.outerSrc[e] && a.outerDst[f] === b.outerDst[e] && ka.ipId[f] === kb.ipId[e] && ka.srcPort[f] === kb.srcPort[e] && ka.payloadHash[f] === kb.payloadHash[e];
  };
  files.forEach((file, c) => {
    const k = keys[c];
    const { outerSrc, outerDst } = file.index;
    for (let f = 0; f < file.frameCount; f++) {
      if (k.keyed[f] === 0) continue;
      const hash = mix(mix(mix(mix(0, outerSrc[f]), outerDst[f]), k.ipId[f] | (k.srcPort[f] << 16)), k.payloadHash[f]);
      let group = byHash.get(hash) ?? -1;
      let last = -1;
      while (group >= 0 && !sameKey(c, f, group)) {
        last = group;
        group = nextWithHash[group];
      }
      if (group < 0) {
        group = firstFrame.length;
        firstFrame.push(base[c] + f);
        nextWithHash.push(-1);
        if (last < 0) byHash.set(hash, group);
        else nextWithHash[last] = group;
      }
      groupOf[base[c] + f] = group;
    }
  });
  // Each group's frames, in global order, from start[group] to start[group + 1].
  const count = firstFrame.length;
  const start = new Uint32Array(count + 1);
  for (let g = 0; g < total; g++) if (groupOf[g] >= 0) start[groupOf[g] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const members = new Uint32Array(start[count]);
  const filled = start.slice(0, count);
  for (let g = 0; g < total; g++) if (groupOf[g] >= 0) members[filled[groupOf[g]]++] = g;
  return { start, members, count };
}

/** Matches the members' tunnel frames into transmissions and estimates the clock offsets. */
export function correlate(files: CaptureFile[], keys: MemberKeys[], hosts: (number | null)[]): Correlation {
  const base: number[] = [];
  let total = 0;
  for (const file of files) {
    base.push(total);
    total += file.frameCount;
  }
  const groups = groupByKey(files, keys, base, total);
  const captureOfGlobal = (g: number): number => {
    let c = base.length - 1;
    while (base[c] > g) c--;
    return c;
  };
  const timeOf = (c: number, f: number): number => files[c].index.tsSec[f] + files[c].index.tsNsec[f] / 1e9;

  const transmissionOf = files.map((file) => new Int32Array(file.frameCount).fill(-1));
  const starts: number[] = [];
  const sCapture: number[] = [];
  const sFrame: number[] = [];
  const senders: number[] = [];
  for (let group = 0; group < groups.count; group++) {
    const list = groups.members.subarray(groups.start[group], groups.start[group + 1]);
    const sightings = Array.from(list, (g) => {
      const c = captureOfGlobal(g);
      return { c, f: g - base[c], t: timeOf(c, g - base[c]) };
    });
    sightings.sort((x, y) => x.t - y.t);
    let first = 0;
    let seen = new Set<number>();
    for (let i = 0; i <= sightings.length; i++) {
      const s = sightings[i];
      if (i < sightings.length && !seen.has(s.c) && s.t - sightings[first].t <= MATCH_WINDOW_SECONDS) {
        seen.add(s.c);
        continue;
      }
      // Close the transmission [first, i).
      const id = starts.length;
      starts.push(sCapture.length);
      let sender = -1;
      for (let j = first; j < i; j++) {
        const { c, f } = sightings[j];
        sCapture.push(c);
        sFrame.push(f);
        transmissionOf[c][f] = id;
        if (hosts[c] !== null && hosts[c] === files[c].index.outerSrc[f]) sender = c;
      }
      senders.push(sender);
      first = i;
      seen = new Set(i < sightings.length ? [s.c] : []);
    }
  }
  starts.push(sCapture.length);
  const correlation: Correlation = {
    transmissionOf,
    sightingStart: Uint32Array.from(starts),
    sightingCapture: Uint16Array.from(sCapture),
    sightingFrame: Uint32Array.from(sFrame),
    senderCapture: Int32Array.from(senders),
    transmissions: senders.length,
    clockOffsets: files.map(() => 0),
    offsetKnown: files.map((_, c) => c === 0),
  };
  estimateOffsets(correlation, files, timeOf);
  return correlation;
}

/**
 * One-way differences (receiver's clock minus sender's) per ordered pair of captures; the offset of
 * b against a is (median(a->b) - median(b->a)) / 2, and offsets chain outward from the first capture.
 */
function estimateOffsets(k: Correlation, files: CaptureFile[], timeOf: (c: number, f: number) => number): void {
  const n = files.length;
  const diffs = new Map<number, number[]>();
  for (let t = 0; t < k.transmissions; t++) {
    const sender = k.senderCapture[t];
    if (sender < 0) continue;
    let sendTime = 0;
    for (let s = k.sightingStart[t]; s < k.sightingStart[t + 1]; s++) if (k.sightingCapture[s] === sender) sendTime = timeOf(sender, k.sightingFrame[s]);
    for (let s = k.sightingStart[t]; s < k.sightingStart[t + 1]; s++) {
      const c = k.sightingCapture[s];
      if (c === sender) continue;
      const key = sender * n + c;
      let list = diffs.get(key);
      if (list === undefined) diffs.set(key, (list = []));
      list.push(timeOf(c, k.sightingFrame[s]) - sendTime);
    }
  }
  const pairOffset = (a: number, b: number): number | null => {
    const ab = diffs.get(a * n + b);
    const ba = diffs.get(b * n + a);
    if (ab === undefined || ba === undefined) return null;
    return (median(ab) - median(ba)) / 2;
  };
  const queue = [0];
  while (queue.length > 0) {
    const a = queue.shift()!;
    for (let b = 0; b < n; b++) {
      if (k.offsetKnown[b]) continue;
      const offset = pairOffset(a, b);
      if (offset === null) continue;
      k.clockOffsets[b] = k.clockOffsets[a] + offset;
      k.offsetKnown[b] = true;
      queue.push(b);
    }
  }
}
