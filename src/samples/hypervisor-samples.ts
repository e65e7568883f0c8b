// Three hypervisors' captures of one VXLAN overlay, with the ground truth they were made from
// (three-hypervisors/truth.json): what `tunnelscope paths` must find.
//
// One story in true time is played once; every transmission is written into the sender's capture
// when it leaves and into each receiver's capture when (and if) it arrives, each at its own host's
// clock. Host 2's clock runs 0.312417 s ahead of host 1's, host 3's 0.158203 s behind. One-way
// latencies are symmetric per VTEP pair (180, 260, 220 µs) plus a deterministic jitter of ±20 µs,
// so the NTP-style offset estimate is exact to within the jitter. Host 3's capture starts 1.5 s late:
// what VTEP1 and VTEP2 send before then is not counted as sent to VTEP3. Four transmissions are lost
// in the underlay (three unicast, one copy of a multicast flood). The receiver's copy has its TTL
// decremented (a routed underlay), the rest of the bytes are the same.
import { vxlan, ipv4MulticastMac } from '../craft';
import { IGMP, INNER_ARP, INNER_ICMP, vxlanChain } from './chains';
import { Host, arpReply, arpRequest, gratuitousArp, ping } from './inner-frames';
import { SAMPLE_EPOCH, SampleCapture } from './sample-capture';
import { TENANTS, VTEPS, Vtep, igmpv3Join } from './vxlan-samples';
import { seededRandom } from '../craft/random';

const DIRECTORY = 'three-hypervisors';
/** Each host's clock minus true time, in nanoseconds. */
const CLOCK_OFFSET_NS = [0, 312_417_000, -158_203_000];
/** Base one-way latency (µs) between hosts i and j (symmetric). */
const BASE_LATENCY_US: Record<string, number> = { '0-1': 180, '0-2': 260, '1-2': 220 };
const JITTER_US = 20;
/** True time (ns) at which each host's capture starts (its first frame is at or after it). */
const CAPTURE_START_NS = [0, 0, 1_500_000_000];
/** A fixed seed: the samples are byte-identical on every run. */
const SEED = 0x15;

export interface PairTruth {
  from: string;
  to: string;
  sent: number;
  received: number;
  lost: number;
  /** Frame numbers (1-based) in the sender's capture of what was sent and never arrived. */
  lostFrames: number[];
  /** Frame numbers in the sender's capture of everything counted as sent. */
  sentFrames: number[];
  /** True one-way latencies of the received transmissions, seconds. */
  latency: { min: number; median: number; p99: number; max: number };
}

export interface HypervisorTruth {
  captures: { file: string; vtep: string; clockOffset: number; firstFrameTrueTime: number }[];
  pairs: PairTruth[];
  /** Distinct transmissions per tenant ("vxlan:101"), each counted once however many captures hold it. */
  tenantPackets: Record<string, number>;
  /** Frames in all captures together, and distinct transmissions (tunnel frames) among them. */
  frames: number;
  transmissions: number;
}

export interface HypervisorSamples {
  captures: SampleCapture[];
  truth: HypervisorTruth;
  truthFile: string;
}

interface Transmission {
  from: number;
  /** Receiving hosts (a flood goes to every member of its group). */
  to: number[];
  sendNs: number;
  vni: number;
  inner: Uint8Array;
  chain: string;
  group?: string;
  lostTo: number[];
  note?: string;
}

const random = seededRandom;

function pairKey(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

function summarise(values: number[]): PairTruth['latency'] {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  if (n === 0) return { min: 0, median: 0, p99: 0, max: 0 };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, p99: sorted[Math.ceil(0.99 * n) - 1], max: sorted[n - 1] };
}

/** The story in true time: who sends what to whom, when, and what the underlay drops. */
function story(): Transmission[] {
  const list: Transmission[] = [];
  const [t101, t102] = TENANTS;
  const ms = 1_000_000;
  const flood = (from: number, members: number[], sendNs: number, vni: number, group: string, inner: Uint8Array, note: string, lostTo: number[] = []): void => {
    list.push({ from, to: members.filter((m) => m !== from), sendNs, vni, inner, chain: vxlanChain(INNER_ARP), group, lostTo, note });
  };
  const unicast = (from: number, to: number, sendNs: number, vni: number, inner: Uint8Array, chain: string, lost = false, note?: string): void => {
    list.push({ from, to: [to], sendNs, vni, inner, chain, lostTo: lost ? [to] : [], note });
  };
  // Before host 3 captures (and before VTEP3 joins): VTEP1 and VTEP2 only.
  flood(0, [0, 1], 500 * ms, 101, t101.group, arpRequest(t101.vms[0], t101.vms[1].ip), 'VNI 101: VM1 asks for VM2, flooded by VTEP1 (VTEP3 has not joined yet)');
  unicast(1, 0, 501 * ms, 101, arpReply(t101.vms[1], t101.vms[0]), vxlanChain(INNER_ARP));
  for (let seq = 1; seq <= 8; seq++) {
    const at = (600 + seq * 100) * ms;
    unicast(0, 1, at, 101, ping(t101.vms[0], t101.vms[1], 'request', 0x101, seq), vxlanChain(INNER_ICMP));
    unicast(1, 0, at + 2 * ms, 101, ping(t101.vms[1], t101.vms[0], 'reply', 0x101, seq), vxlanChain(INNER_ICMP));
  }
  // Host 3 is capturing from 1.5 s; VTEP3 joins both groups at 1.6 s.
  flood(2, [0, 1, 2], 1_700 * ms, 101, t101.group, arpRequest(t101.vms[2], t101.vms[0].ip), 'VNI 101: VM3 asks for VM1, flooded by VTEP3');
  unicast(0, 2, 1_701 * ms, 101, arpReply(t101.vms[0], t101.vms[2]), vxlanChain(INNER_ARP));
  flood(0, [0, 1, 2], 1_800 * ms, 102, t102.group, arpRequest(t102.vms[0], t102.vms[1].ip), 'VNI 102: VM1 asks for VM2, flooded by VTEP1');
  unicast(1, 0, 1_801 * ms, 102, arpReply(t102.vms[1], t102.vms[0]), vxlanChain(INNER_ARP));
  flood(2, [0, 1, 2], 1_900 * ms, 102, t102.group, arpRequest(t102.vms[2], t102.vms[1].ip), 'VNI 102: VM3 asks for VM2, flooded by VTEP3');
  unicast(1, 2, 1_901 * ms, 102, arpReply(t102.vms[1], t102.vms[2]), vxlanChain(INNER_ARP));

  // Pings between every pair of hosts in both tenants, every 50 ms for 6 s.
  const conversations: [number, number, number][] = [
    [0, 1, 101], [2, 0, 101], [1, 2, 102], [0, 1, 102], [2, 1, 101], [0, 2, 102], [1, 0, 101], [2, 0, 102],
  ];
  const lostRequests = new Set([17, 63]);
  const lostReplies = new Set([42]);
  for (let round = 0; round < 120; round++) {
    const [a, b, vni] = conversations[round % conversations.length];
    const tenant = vni === 101 ? t101 : t102;
    const at = (2_000 + round * 50) * ms;
    const seq = Math.floor(round / conversations.length) + 1;
    const id = 0x1000 + a * 16 + b;
    const requestLost = lostRequests.has(round);
    unicast(a, b, at, vni, ping(tenant.vms[a], tenant.vms[b], 'request', id, seq), vxlanChain(INNER_ICMP), requestLost, requestLost ? 'lost in the underlay' : undefined);
    if (!requestLost) {
      unicast(b, a, at + 1 * ms, vni, ping(tenant.vms[b], tenant.vms[a], 'reply', id, seq), vxlanChain(INNER_ICMP), lostReplies.has(round), lostReplies.has(round) ? 'lost in the underlay' : undefined);
    }
  }
  // VM2 announces itself again; the copy to VTEP3 is lost.
  flood(1, [0, 1, 2], 5_025 * ms, 101, t101.group, gratuitousArp(t101.vms[1]), 'VNI 101: VM2 announces itself, flooded by VTEP2; the copy to VTEP3 is lost', [2]);
  return list.sort((x, y) => x.sendNs - y.sendNs);
}

function frameBytes(t: Transmission, ids: number, ttl: number, to?: Vtep): Uint8Array {
  const from = VTEPS[t.from];
  const dstIp = t.group ?? to!.ip;
  const dstMac = t.group !== undefined ? ipv4MulticastMac(t.group) : to!.mac;
  return vxlan({ outer: { srcMac: from.mac, dstMac, srcIp: from.ip, dstIp, ttl, ipId: ids }, vni: t.vni, inner: t.inner });
}

/** Builds the three captures and their truth. */
export function hypervisorSamples(): HypervisorSamples {
  const jitter = random(SEED);
  const hosts = VTEPS.map((v, i) => ({ vtep: v, index: i, nextId: 0x2000 + i * 0x1000 }));
  type Pending = { ns: number; bytes: Uint8Array; chain: string; note?: string; sendKey?: number; flags: number };
  const pending: Pending[][] = [[], [], []];
  const groups = TENANTS.map((t) => t.group);
  const joinNs = [10_000_000, 20_000_000, 1_600_000_000];
  for (const h of hosts) pending[h.index].push({ ns: joinNs[h.index], bytes: igmpv3Join(h.vtep, groups), chain: IGMP, note: `${h.vtep.name} joins ${groups.join(' and ')}`, flags: 2 });
  const running = (host: number, ns: number): boolean => ns >= CAPTURE_START_NS[host];

  const records: { t: Transmission; sendIndex: number; arrivals: Map<number, number> }[] = [];
  for (const t of story()) {
    const ipId = hosts[t.from].nextId++ & 0xffff;
    const sendIndex = pending[t.from].length;
    pending[t.from].push({ ns: t.sendNs, bytes: frameBytes(t, ipId, 64, t.group === undefined ? VTEPS[t.to[0]] : undefined), chain: t.chain, note: t.note, flags: 2 });
    const arrivals = new Map<number, number>();
    for (const to of t.to) {
      const latencyNs = Math.round((BASE_LATENCY_US[pairKey(t.from, to)] + (jitter() * 2 - 1) * JITTER_US) * 1000);
      if (t.lostTo.includes(to)) continue;
      const arrive = t.sendNs + latencyNs;
      arrivals.set(to, arrive);
      if (running(to, arrive)) pending[to].push({ ns: arrive, bytes: frameBytes(t, ipId, 63, t.group === undefined ? VTEPS[to] : undefined), chain: t.chain, flags: 1 });
    }
    records.push({ t, sendIndex, arrivals });
  }

  const captures: SampleCapture[] = [];
  const frameNumberOf: Map<Pending, number>[] = [];
  for (const h of hosts) {
    const s = new SampleCapture(`${DIRECTORY}/host${h.index + 1}.pcapng`, 'pcapng', true);
    s.addInterface('eth0');
    const ordered = pending[h.index].filter((p) => running(h.index, p.ns)).sort((x, y) => x.ns - y.ns);
    const numbers = new Map<Pending, number>();
    for (const p of ordered) {
      const local = p.ns + CLOCK_OFFSET_NS[h.index];
      const seconds = Math.floor(local / 1e9);
      s.frames.push({ iface: 0, tsSec: SAMPLE_EPOCH + seconds, tsNsec: local - seconds * 1e9, bytes: p.bytes, chain: p.chain, flags: p.flags, note: p.note });
      numbers.set(p, s.frames.length);
    }
    frameNumberOf.push(numbers);
    captures.push(s);
  }

  const firstNs = hosts.map((h) => Math.min(...pending[h.index].filter((p) => running(h.index, p.ns)).map((p) => p.ns)));
  const lastNs = hosts.map((h) => Math.max(...pending[h.index].map((p) => p.ns)));
  const pairs: PairTruth[] = [];
  for (const from of hosts) {
    for (const to of hosts) {
      if (from === to) continue;
      const sentFrames: number[] = [];
      const lostFrames: number[] = [];
      const latencies: number[] = [];
      for (const r of records) {
        if (r.t.from !== from.index || !r.t.to.includes(to.index)) continue;
        // Sent only counts while the receiver's capture was running: it arrived there, or left
        // between the capture's first and last frame.
        const arrive = r.arrivals.get(to.index);
        const arrivedInCapture = arrive !== undefined && running(to.index, arrive);
        if (!arrivedInCapture && (r.t.sendNs < firstNs[to.index] || r.t.sendNs > lastNs[to.index])) continue;
        const number = frameNumberOf[from.index].get(pending[from.index][r.sendIndex])!;
        sentFrames.push(number);
        if (arrive === undefined) lostFrames.push(number);
        else latencies.push((arrive - r.t.sendNs) / 1e9);
      }
      pairs.push({
        from: from.vtep.ip,
        to: to.vtep.ip,
        sent: sentFrames.length,
        received: latencies.length,
        lost: lostFrames.length,
        lostFrames,
        sentFrames,
        latency: summarise(latencies),
      });
    }
  }
  const tenantPackets: Record<string, number> = {};
  for (const r of records) tenantPackets[`vxlan:${r.t.vni}`] = (tenantPackets[`vxlan:${r.t.vni}`] ?? 0) + 1;
  const truth: HypervisorTruth = {
    captures: captures.map((s, i) => ({
      file: s.file.slice(DIRECTORY.length + 1),
      vtep: VTEPS[i].ip,
      clockOffset: (CLOCK_OFFSET_NS[i] - CLOCK_OFFSET_NS[0]) / 1e9,
      firstFrameTrueTime: SAMPLE_EPOCH + firstNs[i] / 1e9,
    })),
    pairs,
    tenantPackets,
    frames: captures.reduce((n, s) => n + s.frames.length, 0),
    transmissions: records.length,
  };
  return { captures, truth, truthFile: `${DIRECTORY}/truth.json` };
}

/** The inner hosts of the story (for tests that name them). */
export const HYPERVISOR_VMS: readonly Host[] = TENANTS.flatMap((t) => t.vms);
