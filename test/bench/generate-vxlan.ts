// Generates big VXLAN captures for the benchmark: many VNIs and VTEPs, a realistic mix of IGMP
// membership reports, ARP floods to the VNI's multicast group with unicast replies, and ICMP, TCP
// and UDP conversations between VMs. Frames are made by patching a few templates (built once with
// the craft library) in one scratch buffer, so a million packets take a few seconds.
//
//   node dist/test/bench/generate-vxlan.js OUT.pcap [PACKETS] [--mix NAME] [--seed N] [--vnis N] [--vteps N]
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { seededRandom } from '../../src/craft/random';
import {
  ARP_REQUEST,
  BROADCAST_MAC,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  IGMPV3_REPORT_GROUP,
  IPV4_OPTION_ROUTER_ALERT,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  arp,
  ethernet,
  foldChecksum,
  gre,
  icmpEcho,
  igmpv3Report,
  ipv4,
  ipv4MulticastMac,
  sumWords,
  tcp,
  udp,
  vxlan,
} from '../../src/craft';
import { findMix } from './mixes';

export interface GenerateVxlanOptions {
  packets: number;
  /** Tenants (VXLAN network identifiers 10001, 10002...). Default 200. */
  vnis?: number;
  /** Tunnel endpoints 172.16.0.1, 172.16.0.2... Default 32. */
  vteps?: number;
  /** VMs per tenant, each placed behind a random VTEP. Default 8. */
  vmsPerVni?: number;
  /** Conversations in progress at once (their packets interleave). Default 256. */
  concurrency?: number;
  seed?: number;
  /** VTEPs send IGMP membership reports for their tenants' groups (default true). */
  igmp?: boolean;
  /**
   * Head-end replication: an inner broadcast goes as one unicast copy to every other VTEP of the
   * tenant instead of one packet to the tenant's multicast group (default false).
   */
  headEnd?: boolean;
  /** Share of the frames that are inner broadcast ARP requests, beside the conversations' own (default 0). */
  broadcastShare?: number;
  /** Largest TCP/UDP payload (default 1400). */
  maxPayload?: number;
  /** Every TCP/UDP data payload is maxPayload bytes (default false: mostly small segments). */
  fullPayloads?: boolean;
  /** Underlay MTU: an outer IPv4 packet longer than this is sent as IPv4 fragments (default none). */
  fragmentAbove?: number;
  /** Every frame as a switch mirrored it: Ethernet/IPv4/GRE/ERSPAN type II around it (default false). */
  erspan?: boolean;
  /** Mean gap between packets in nanoseconds (default 50,000: 1M packets span about 50 s). */
  meanGapNs?: number;
}

export interface GenerateVxlanSummary {
  packets: number;
  bytes: number;
  vnis: number;
  vteps: number;
  /** Packets per kind: igmp, arp, flood (the broadcast ARP copies of broadcastShare), icmp, tcp, udp, fragment. */
  kinds: Record<string, number>;
  /** Distinct inner source MACs written. */
  macs: number;
  /** Seconds between the first and the last packet. */
  spanSeconds: number;
}

const START_SEC = 1704067200; // 2024-01-01T00:00:00Z
const MEAN_GAP_NS = 50_000;
const ERSPAN_SPAN_ID = 1;
const FIRST_VNI = 10001;
const VXLAN_PORT = 4789;

// Offsets in an untagged VXLAN-over-IPv4 frame.
const OUTER_IP = 14;
const OUTER_UDP = 34;
const VXLAN_HEADER = 42;
const INNER_ETH = 50;
const INNER_IP = 64;
const INNER_L4 = 84;
const MAX_PAYLOAD = 1400;
const MAX_FRAME = 2048;

const randomSource = seededRandom;
const GRE_PROTOCOL_ERSPAN = 0x88be;
/** Outer Ethernet + IPv4 + GRE with sequence + ERSPAN type II header. */
const ERSPAN_PREFIX = 14 + 20 + 8 + 8;

interface Vtep {
  ip: number;
  mac: Uint8Array;
}

interface Vm {
  /** Position in the generator's list of all VMs (for the distinct MACs seen). */
  id: number;
  vni: number;
  group: number;
  groupMac: Uint8Array;
  ip: number;
  mac: Uint8Array;
  vtep: Vtep;
}

type Step = (g: Generator) => void;

interface Conversation {
  client: Vm;
  server: Vm;
  clientPort: number;
  serverPort: number;
  entropyPort: number;
  steps: Step[];
  next: number;
}

/** The payload pattern every data packet copies from, and its running 16-bit word sums per length. */
const PATTERN = Uint8Array.from({ length: MAX_PAYLOAD }, (_, i) => (i * 7 + 0x20) & 0xff);
const PATTERN_SUMS = (() => {
  const sums = new Float64Array(MAX_PAYLOAD + 1);
  for (let i = 0; i < MAX_PAYLOAD; i++) sums[i + 1] = sums[i] + (i % 2 === 0 ? PATTERN[i] << 8 : PATTERN[i]);
  return sums;
})();

function ipString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Templates with placeholder addresses; every field that varies is patched per packet. */
function buildTemplates() {
  const outer = { srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', srcIp: '10.255.0.1', dstIp: '10.255.0.2', ttl: 64 };
  const a = { mac: '02:00:00:00:01:01', ip: '10.0.0.1' };
  const b = { mac: '02:00:00:00:01:02', ip: '10.0.0.2' };
  const inner = (etherType: number, payload: Uint8Array, dst = b.mac) => ethernet({ src: a.mac, dst, etherType, payload });
  const innerIp = (payload: Parameters<typeof ipv4>[0]['payload']) => inner(ETHERTYPE_IPV4, ipv4({ src: a.ip, dst: b.ip, dontFragment: true, payload }));
  const wrap = (frame: Uint8Array) => vxlan({ outer, vni: 1, inner: frame, srcPort: 49152 });
  return {
    arp: wrap(inner(ETHERTYPE_ARP, arp({ op: ARP_REQUEST, senderMac: a.mac, senderIp: a.ip, targetIp: b.ip }), BROADCAST_MAC)),
    icmp: wrap(innerIp(icmpEcho({ kind: 'request', id: 1, seq: 1, payload: PATTERN.subarray(0, 56) }))),
    tcp: wrap(innerIp(tcp({ srcPort: 1, dstPort: 2, seq: 0, flags: TCP_ACK, payload: PATTERN }))),
    udp: wrap(innerIp(udp({ srcPort: 1, dstPort: 2, payload: PATTERN }))),
    igmp: ethernet({
      src: outer.srcMac,
      dst: ipv4MulticastMac(IGMPV3_REPORT_GROUP),
      etherType: ETHERTYPE_IPV4,
      payload: ipv4({ src: outer.srcIp, dst: IGMPV3_REPORT_GROUP, ttl: 1, tos: 0xc0, options: IPV4_OPTION_ROUTER_ALERT, payload: igmpv3Report([{ group: '239.0.0.1' }]) }),
    }),
    // The mirror session's headers before the mirrored frame: type II (GRE with a sequence number).
    erspanPrefix: ethernet({
      src: '02:00:00:00:0e:01',
      dst: '02:00:00:00:0e:02',
      etherType: ETHERTYPE_IPV4,
      payload: ipv4({
        src: '192.0.2.1',
        dst: '192.0.2.2',
        payload: gre({ protocolType: GRE_PROTOCOL_ERSPAN, sequence: 0, payload: Uint8Array.of(0x10, 0x00, 0x00, ERSPAN_SPAN_ID, 0, 0, 0, 0) }),
      }),
    }),
  };
}

class Generator {
  readonly frame = Buffer.alloc(MAX_FRAME);
  /** Where a fragment is assembled. */
  private readonly out = Buffer.alloc(MAX_FRAME);
  /** Where a mirrored copy is assembled. */
  private readonly mirrored = Buffer.alloc(MAX_FRAME + ERSPAN_PREFIX);
  private readonly templates = buildTemplates();
  private readonly random: () => number;
  private readonly vteps: Vtep[];
  private readonly vms: Vm[][];
  private readonly allVms: Vm[];
  /** Per tenant, the VTEPs its VMs sit behind. */
  private readonly tenantVteps: Vtep[][];
  private readonly macSeen: Uint8Array;
  private readonly pool: Conversation[] = [];
  private clockNs = 0;
  private ipId = 0;
  private floods = 0;
  private mirrorSequence = 0;
  readonly kinds: Record<string, number> = { igmp: 0, arp: 0, flood: 0, icmp: 0, tcp: 0, udp: 0, fragment: 0 };
  bytes = 0;
  written = 0;
  macs = 0;

  constructor(
    private readonly writer: ReturnType<typeof createCaptureWriter>,
    private readonly options: Required<GenerateVxlanOptions>,
  ) {
    this.random = randomSource(options.seed);
    this.vteps = Array.from({ length: options.vteps }, (_, i) => {
      const n = i + 1;
      return { ip: (0xac100000 + n) >>> 0, mac: Uint8Array.of(0x52, 0x54, 0x00, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff) };
    });
    this.vms = Array.from({ length: options.vnis }, (_, k) => {
      const vni = FIRST_VNI + k;
      const group = (0xef010000 + k + 1) >>> 0; // 239.1.x.y
      const groupMac = ipv4MulticastMac(ipString(group));
      return Array.from({ length: options.vmsPerVni }, (_, j) => ({
        id: k * options.vmsPerVni + j,
        vni,
        group,
        groupMac,
        ip: (0x0a000000 + j + 1) >>> 0, // every tenant reuses 10.0.0.x
        mac: Uint8Array.of(0xfa, 0x16, 0x3e, (k >> 8) & 0xff, k & 0xff, j + 1),
        vtep: this.vteps[Math.floor(this.random() * this.vteps.length)],
      }));
    });
    this.allVms = this.vms.flat();
    this.tenantVteps = this.vms.map((tenant) => [...new Set(tenant.map((vm) => vm.vtep))]);
    this.macSeen = new Uint8Array(this.allVms.length);
  }

  get spanSeconds(): number {
    return this.clockNs / 1e9;
  }

  get done(): boolean {
    return this.written >= this.options.packets;
  }

  /** Every VTEP joins the group of every tenant it hosts, then conversations interleave. */
  run(): void {
    const igmp = this.options.igmp;
    if (igmp) {
      for (let k = 0; k < this.vms.length; k++) {
        for (const vtep of this.tenantVteps[k]) if (!this.done) this.igmpReport(vtep, this.vms[k][0].group);
      }
    }
    const floodShare = this.options.broadcastShare;
    while (!this.done) {
      if (floodShare > 0 && this.kinds.flood < floodShare * this.written && this.broadcastArp()) continue;
      if (igmp && this.random() < 0.002) {
        const tenant = this.vms[Math.floor(this.random() * this.vms.length)];
        const vm = tenant[Math.floor(this.random() * tenant.length)];
        this.igmpReport(vm.vtep, vm.group);
        continue;
      }
      const slot = Math.floor(this.random() * this.options.concurrency);
      let conversation = this.pool[slot];
      if (conversation === undefined || conversation.next >= conversation.steps.length) {
        conversation = this.pool[slot] = this.newConversation();
      }
      conversation.steps[conversation.next++](this);
    }
  }

  /**
   * One inner broadcast ARP request from the next VM in a fixed stride over all VMs (so that every
   * MAC is seen before any repeats), for another VM of its tenant. False when it was sent nowhere.
   */
  private broadcastArp(): boolean {
    const all = this.allVms;
    const sender = all[(this.floods++ * 7919) % all.length];
    const tenant = this.vms[sender.vni - FIRST_VNI];
    const target = tenant[Math.floor(this.random() * tenant.length)];
    const entropy = 49152 + ((Math.imul(sender.ip ^ target.ip ^ sender.vni, 0x9e3779b1) >>> 0) % 16384);
    return this.floodArp(sender, target.ip, entropy, 'flood') > 0;
  }

  private newConversation(): Conversation {
    const tenant = this.vms[Math.floor(this.random() * this.vms.length)];
    const client = tenant[Math.floor(this.random() * tenant.length)];
    let server = tenant[Math.floor(this.random() * tenant.length)];
    for (let tries = 0; (server === client || server.vtep === client.vtep) && tries < 16; tries++) {
      server = tenant[Math.floor(this.random() * tenant.length)];
    }
    const clientPort = 32768 + Math.floor(this.random() * 28000);
    const pick = this.random();
    const c: Conversation = {
      client,
      server,
      clientPort,
      serverPort: pick < 0.5 ? 9000 : 7000,
      entropyPort: 49152 + ((Math.imul(clientPort ^ client.ip, 0x9e3779b1) >>> 0) % 16384),
      steps: [],
      next: 0,
    };
    // A third of conversations start with the client resolving the server (flood + unicast reply).
    if (this.random() < 0.33) c.steps.push((g) => g.arpRequest(c), (g) => g.arpReply(c));
    if (pick < 0.5) this.tcpSteps(c);
    else if (pick < 0.75) this.udpSteps(c);
    else this.icmpSteps(c);
    return c;
  }

  private tcpSteps(c: Conversation): void {
    const clientIsn = Math.floor(this.random() * 0xffffffff);
    const serverIsn = Math.floor(this.random() * 0xffffffff);
    const s = c.steps;
    s.push((g) => g.tcp(c, true, clientIsn, 0, TCP_SYN, 0));
    s.push((g) => g.tcp(c, false, serverIsn, clientIsn + 1, TCP_SYN | TCP_ACK, 0));
    s.push((g) => g.tcp(c, true, clientIsn + 1, serverIsn + 1, TCP_ACK, 0));
    let clientSeq = clientIsn + 1;
    let serverSeq = serverIsn + 1;
    const exchanges = 1 + Math.floor(this.random() * 4);
    for (let i = 0; i < exchanges; i++) {
      const request = this.payloadLength();
      const response = this.payloadLength();
      // Closures run later: they must capture this exchange's numbers, not the running counters.
      const cs = clientSeq;
      const ss = serverSeq;
      s.push((g) => g.tcp(c, true, cs, ss, TCP_PSH | TCP_ACK, request));
      s.push((g) => g.tcp(c, false, ss, cs + request, TCP_PSH | TCP_ACK, response));
      s.push((g) => g.tcp(c, true, cs + request, ss + response, TCP_ACK, 0));
      clientSeq += request;
      serverSeq += response;
    }
    const cs = clientSeq;
    const ss = serverSeq;
    s.push((g) => g.tcp(c, true, cs, ss, TCP_FIN | TCP_ACK, 0));
    s.push((g) => g.tcp(c, false, ss, cs + 1, TCP_FIN | TCP_ACK, 0));
    s.push((g) => g.tcp(c, true, cs + 1, ss + 1, TCP_ACK, 0));
  }

  private udpSteps(c: Conversation): void {
    const pairs = 1 + Math.floor(this.random() * 4);
    for (let i = 0; i < pairs; i++) {
      const request = 20 + Math.floor(this.random() * 60);
      const response = this.payloadLength();
      c.steps.push((g) => g.udp(c, true, request), (g) => g.udp(c, false, response));
    }
  }

  private icmpSteps(c: Conversation): void {
    const id = Math.floor(this.random() * 65536);
    const pings = 1 + Math.floor(this.random() * 5);
    for (let seq = 1; seq <= pings; seq++) c.steps.push((g) => g.icmp(c, true, id, seq), (g) => g.icmp(c, false, id, seq));
  }

  /** Mostly small segments, sometimes a full one (or always full ones). */
  private payloadLength(): number {
    const max = this.options.maxPayload;
    if (this.options.fullPayloads) return max;
    const r = this.random();
    if (r < 0.05) return max;
    if (r < 0.25) return Math.min(max, 256 + Math.floor(this.random() * 512));
    return Math.min(max, 16 + Math.floor(this.random() * 200));
  }

  // ---- packet emitters: copy a template, patch it, write it ----

  arpRequest(c: Conversation): void {
    this.floodArp(c.client, c.server.ip, c.entropyPort, 'arp');
  }

  /** An inner broadcast ARP request: to the tenant's group, or a unicast copy to each other VTEP of the tenant. Returns the frames written. */
  private floodArp(sender: Vm, targetIp: number, entropy: number, kind: string): number {
    if (!this.options.headEnd) {
      const f = this.startVxlan(this.templates.arp, 92, sender.vtep, sender.vni, sender.mac, null, entropy);
      this.outerToGroup(f, sender.group, sender.groupMac);
      this.patchArp(f, 1, sender, null, targetIp);
      this.finishVxlan(f, 92, kind, sender);
      return 1;
    }
    let copies = 0;
    for (const vtep of this.tenantVteps[sender.vni - FIRST_VNI]) {
      if (vtep === sender.vtep || this.done) continue;
      const f = this.startVxlan(this.templates.arp, 92, sender.vtep, sender.vni, sender.mac, null, entropy);
      this.outerToVtep(f, vtep);
      this.patchArp(f, 1, sender, null, targetIp);
      this.finishVxlan(f, 92, kind, sender);
      copies++;
    }
    return copies;
  }

  arpReply(c: Conversation): void {
    const f = this.startVxlan(this.templates.arp, 92, c.server.vtep, c.server.vni, c.server.mac, c.client.mac, c.entropyPort);
    this.outerToVtep(f, c.client.vtep);
    this.patchArp(f, 2, c.server, c.client.mac, c.client.ip);
    this.finishVxlan(f, 92, 'arp', c.server);
  }

  icmp(c: Conversation, fromClient: boolean, id: number, seq: number): void {
    const length = INNER_L4 + 64;
    const f = this.unicast(this.templates.icmp, length, c, fromClient);
    f[INNER_L4] = fromClient ? 8 : 0;
    f.writeUInt16BE(id, INNER_L4 + 4);
    f.writeUInt16BE(seq, INNER_L4 + 6);
    f.writeUInt16BE(0, INNER_L4 + 2);
    f.writeUInt16BE(foldChecksum(sumWords(f, INNER_L4, length)), INNER_L4 + 2);
    this.finishVxlan(f, length, 'icmp', fromClient ? c.client : c.server);
  }

  tcp(c: Conversation, fromClient: boolean, seq: number, ack: number, flags: number, payload: number): void {
    const length = INNER_L4 + 20 + payload;
    const f = this.unicast(this.templates.tcp, length, c, fromClient);
    f.writeUInt16BE(fromClient ? c.clientPort : c.serverPort, INNER_L4);
    f.writeUInt16BE(fromClient ? c.serverPort : c.clientPort, INNER_L4 + 2);
    f.writeUInt32BE(seq >>> 0, INNER_L4 + 4);
    f.writeUInt32BE(ack >>> 0, INNER_L4 + 8);
    f[INNER_L4 + 13] = flags;
    this.l4Checksum(f, 6, 20, payload, INNER_L4 + 16);
    this.finishVxlan(f, length, 'tcp', fromClient ? c.client : c.server);
  }

  udp(c: Conversation, fromClient: boolean, payload: number): void {
    const length = INNER_L4 + 8 + payload;
    const f = this.unicast(this.templates.udp, length, c, fromClient);
    f.writeUInt16BE(fromClient ? c.clientPort : c.serverPort, INNER_L4);
    f.writeUInt16BE(fromClient ? c.serverPort : c.clientPort, INNER_L4 + 2);
    f.writeUInt16BE(8 + payload, INNER_L4 + 4);
    this.l4Checksum(f, 17, 8, payload, INNER_L4 + 6);
    this.finishVxlan(f, length, 'udp', fromClient ? c.client : c.server);
  }

  private igmpReport(vtep: Vtep, group: number): void {
    const f = this.frame;
    const t = this.templates.igmp;
    f.set(t, 0);
    f.set(vtep.mac, 6);
    f.writeUInt32BE(vtep.ip, OUTER_IP + 12);
    this.ipChecksum(f, OUTER_IP);
    const igmp = OUTER_IP + 24;
    f.writeUInt32BE(group, igmp + 12);
    f.writeUInt16BE(0, igmp + 2);
    f.writeUInt16BE(foldChecksum(sumWords(f, igmp, t.length)), igmp + 2);
    this.emit(f, t.length, 'igmp');
  }

  /** Copies the template's first `length` bytes and fills in the fields every VXLAN frame has. */
  private startVxlan(template: Uint8Array, length: number, from: Vtep, vni: number, innerSrc: Uint8Array, innerDst: Uint8Array | null, srcPort: number): Buffer {
    const f = this.frame;
    f.set(template.subarray(0, length), 0);
    f.set(from.mac, 6);
    f.writeUInt16BE(this.ipId++ & 0xffff, OUTER_IP + 4);
    f.writeUInt32BE(from.ip, OUTER_IP + 12);
    f.writeUInt16BE(srcPort, OUTER_UDP);
    f.writeUInt16BE(VXLAN_PORT, OUTER_UDP + 2);
    f.writeUInt32BE((vni << 8) >>> 0, VXLAN_HEADER + 4);
    if (innerDst !== null) f.set(innerDst, INNER_ETH);
    f.set(innerSrc, INNER_ETH + 6);
    return f;
  }

  private unicast(template: Uint8Array, length: number, c: Conversation, fromClient: boolean): Buffer {
    const [src, dst] = fromClient ? [c.client, c.server] : [c.server, c.client];
    const f = this.startVxlan(template, length, src.vtep, src.vni, src.mac, dst.mac, c.entropyPort);
    this.outerToVtep(f, dst.vtep);
    f.writeUInt16BE(length - INNER_IP, INNER_IP + 2);
    f.writeUInt16BE(this.ipId & 0xffff, INNER_IP + 4);
    f.writeUInt32BE(src.ip, INNER_IP + 12);
    f.writeUInt32BE(dst.ip, INNER_IP + 16);
    this.ipChecksum(f, INNER_IP);
    return f;
  }

  private outerToVtep(f: Buffer, to: Vtep): void {
    f.set(to.mac, 0);
    f.writeUInt32BE(to.ip, OUTER_IP + 16);
    f[OUTER_IP + 8] = 64;
  }

  private outerToGroup(f: Buffer, group: number, groupMac: Uint8Array): void {
    f.set(groupMac, 0);
    f.writeUInt32BE(group, OUTER_IP + 16);
    f[OUTER_IP + 8] = 1;
  }

  private patchArp(f: Buffer, op: number, sender: Vm, targetMac: Uint8Array | null, targetIp: number): void {
    const a = INNER_IP;
    if (targetMac === null) f.fill(0xff, INNER_ETH, INNER_ETH + 6);
    f.writeUInt16BE(op, a + 6);
    f.set(sender.mac, a + 8);
    f.writeUInt32BE(sender.ip, a + 14);
    if (targetMac === null) f.fill(0, a + 18, a + 24);
    else f.set(targetMac, a + 18);
    f.writeUInt32BE(targetIp, a + 24);
  }

  /** TCP/UDP checksum: header words + the pattern payload's pre-computed sum + the pseudo header. */
  private l4Checksum(f: Buffer, protocol: number, headerBytes: number, payload: number, checksumOffset: number): void {
    f.writeUInt16BE(0, checksumOffset);
    const segment = headerBytes + payload;
    let sum = sumWords(f, INNER_L4, INNER_L4 + headerBytes) + PATTERN_SUMS[payload];
    sum += sumWords(f, INNER_IP + 12, INNER_IP + 20) + protocol + segment;
    const checksum = foldChecksum(sum);
    f.writeUInt16BE(protocol === 17 && checksum === 0 ? 0xffff : checksum, checksumOffset);
  }

  private ipChecksum(f: Buffer, offset: number): void {
    f.writeUInt16BE(0, offset + 10);
    f.writeUInt16BE(foldChecksum(sumWords(f, offset, offset + (f[offset] & 0x0f) * 4)), offset + 10);
  }

  private finishVxlan(f: Buffer, length: number, kind: string, sender: Vm): void {
    f.writeUInt16BE(length - OUTER_IP, OUTER_IP + 2);
    f.writeUInt16BE(length - OUTER_UDP, OUTER_UDP + 4);
    this.ipChecksum(f, OUTER_IP);
    if (this.macSeen[sender.id] === 0) {
      this.macSeen[sender.id] = 1;
      this.macs++;
    }
    const mtu = this.options.fragmentAbove;
    if (mtu > 0 && length - OUTER_IP > mtu) length = this.emitFragments(f, length, mtu);
    this.emit(f, length, kind);
  }

  /**
   * Writes every fragment but the last of the outer IPv4 packet in `f`, then leaves the last one in
   * `f` (shifted down) for the caller to write: the tunnel packet counts once, as its kind.
   */
  private emitFragments(f: Buffer, length: number, mtu: number): number {
    const chunk = (mtu - 20) & ~7;
    const payloadStart = OUTER_IP + 20;
    let at = payloadStart;
    const out = this.out;
    while (length - at > chunk) {
      f.copy(out, 0, 0, payloadStart);
      f.copy(out, payloadStart, at, at + chunk);
      this.setFragment(out, payloadStart + chunk, at - payloadStart, true);
      this.emit(out, payloadStart + chunk, 'fragment');
      at += chunk;
    }
    f.copy(f, payloadStart, at, length);
    const last = payloadStart + (length - at);
    this.setFragment(f, last, at - payloadStart, false);
    return last;
  }

  private setFragment(f: Buffer, length: number, payloadOffset: number, more: boolean): void {
    f.writeUInt16BE(length - OUTER_IP, OUTER_IP + 2);
    f.writeUInt16BE((more ? 0x2000 : 0) | (payloadOffset >> 3), OUTER_IP + 6);
    this.ipChecksum(f, OUTER_IP);
  }

  private emit(f: Buffer, length: number, kind: string): void {
    this.clockNs += Math.floor(-Math.log(1 - this.random()) * this.options.meanGapNs) + 1000;
    const sec = START_SEC + Math.floor(this.clockNs / 1e9);
    let bytes = f.subarray(0, length);
    if (this.options.erspan) bytes = this.mirror(bytes);
    this.writer.writePacket(0, sec, this.clockNs % 1e9, bytes);
    this.kinds[kind]++;
    this.bytes += bytes.length;
    this.written++;
  }

  /** The frame as the mirror session delivers it to the collector. */
  private mirror(frame: Buffer): Buffer {
    const out = this.mirrored;
    out.set(this.templates.erspanPrefix, 0);
    frame.copy(out, ERSPAN_PREFIX);
    const length = ERSPAN_PREFIX + frame.length;
    out.writeUInt16BE(length - OUTER_IP, OUTER_IP + 2);
    out.writeUInt16BE(this.mirrorSequence & 0xffff, OUTER_IP + 4);
    this.ipChecksum(out, OUTER_IP);
    out.writeUInt32BE(this.mirrorSequence++ >>> 0, OUTER_IP + 20 + 4);
    return out.subarray(0, length);
  }
}

/** Writes a classic pcap (microseconds, Ethernet) of `packets` VXLAN-overlay frames to `path`. */
export function generateVxlanCapture(path: string, options: GenerateVxlanOptions): GenerateVxlanSummary {
  const full: Required<GenerateVxlanOptions> = {
    packets: options.packets,
    vnis: options.vnis ?? 200,
    vteps: options.vteps ?? 32,
    vmsPerVni: options.vmsPerVni ?? 8,
    concurrency: options.concurrency ?? 256,
    seed: options.seed ?? 1,
    igmp: options.igmp ?? true,
    headEnd: options.headEnd ?? false,
    broadcastShare: options.broadcastShare ?? 0,
    maxPayload: Math.min(options.maxPayload ?? MAX_PAYLOAD, MAX_PAYLOAD),
    fullPayloads: options.fullPayloads ?? false,
    fragmentAbove: options.fragmentAbove ?? 0,
    erspan: options.erspan ?? false,
    meanGapNs: options.meanGapNs ?? MEAN_GAP_NS,
  };
  if (full.vmsPerVni > 250) throw new Error('at most 250 VMs per VNI');
  const writer = createCaptureWriter(path, { format: 'pcap' });
  writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535 });
  const generator = new Generator(writer, full);
  generator.run();
  writer.close();
  return { packets: generator.written, bytes: generator.bytes, vnis: full.vnis, vteps: full.vteps, kinds: generator.kinds, macs: generator.macs, spanSeconds: generator.spanSeconds };
}

function main(argv: string[]): void {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[++i];
    else positional.push(argv[i]);
  }
  const number = (name: string) => (flags[name] === undefined ? undefined : Number(flags[name]));
  const [out, count] = positional;
  if (out === undefined) {
    console.error('usage: generate-vxlan OUT.pcap [PACKETS] [--mix NAME] [--seed N] [--vnis N] [--vteps N]');
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const mix = flags.mix === undefined ? {} : findMix(flags.mix).options;
  const summary = generateVxlanCapture(out, {
    ...mix,
    packets: count === undefined ? 1_000_000 : Number(count),
    seed: number('seed') ?? mix.seed,
    vnis: number('vnis') ?? mix.vnis,
    vteps: number('vteps') ?? mix.vteps,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`wrote ${out}: ${summary.packets} packets, ${summary.bytes} bytes, ${summary.macs} MACs, ${summary.spanSeconds.toFixed(0)} s of traffic in ${seconds.toFixed(2)} s ${JSON.stringify(summary.kinds)}`);
}

if (require.main === module) main(process.argv.slice(2));
