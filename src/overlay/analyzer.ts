// One pass over a capture feeds both the tenants report and the VTEP learning timeline. Per packet:
// read the flow key at layer offsets, one hash lookup, a few typed-array updates; everything that
// needs objects (new flows, floods, learns, IGMP reports) happens on the rare paths.
import { Dissection } from '../dissect/dissection';
import { AddressClaims } from './claims';
import { DEFAULT_AGEING_SECONDS, FloodCode, VtepLearning } from './learning';
import { GroupMembership } from './membership';
import { EndpointTable, macFromWords } from './endpoints';
import { FlowKeyReader, KEY_PREFIX, KeyBits, Rec, RecBits, RecFlag, RecKind, readTime, resolveFlow, sideLayout } from './flow-key';
import { TenantTable } from './tenant-table';
import { WordTable, growFloat64, growInt32 } from './word-table';
import { DEFAULT_MTU } from './defaults';
import { ConversationTable, Conversations, LINKS_PER_FLOW } from './conversations';
import { FlowNum, FlowRare, FlowRef, PairRef } from './flow-columns';

export { DEFAULT_MTU };

/** Who receives a sender's frames to a group, and their FDB slots, while membership stays the same. */
interface FloodReceivers {
  version: number;
  vtepCount: number;
  receivers: number[];
  slots: number[];
}

/** Typical words of a flow key (IPv4 outer and inner, MACs, ports), for sizing flow tables. */
const FLOW_KEY_WORDS = 14;
/** The same without the ports: a pair's key. */
const PAIR_KEY_WORDS = 12;
/** Room in the flow tables' entry arrays, as a multiple of the expected flows. */
const RESERVE_FACTOR = 4;

export class OverlayAnalyzer {
  readonly endpoints = new EndpointTable();
  readonly tenants = new TenantTable();
  readonly membership = new GroupMembership(this.endpoints);
  readonly learning: VtepLearning;
  readonly claims: AddressClaims;
  readonly flows: WordTable;
  flowNum: Float64Array;
  /** Per-flow MTU and fragmentation findings (FlowRare), 0 for most flows. */
  flowRare: Float64Array;
  /**
   * The flows with a finding in flowRare, in the order they got one: reports read only these, as
   * reading the rest of flowRare would fault in pages never written (a page per ~70 flows).
   */
  readonly rareFlows: number[] = [];
  flowRef: Int32Array;
  /** Each flow's links to its conversations (ConversationTable.link), LINKS_PER_FLOW per flow. */
  flowLinks: Int32Array;
  readonly conversations: ConversationTable;
  readonly pairs: WordTable;
  pairRef: Int32Array;
  /** Frames seen (the highest frame number fed). */
  frames = 0;
  /** The time of the capture's first frame (seconds since the epoch), 0 before it is fed. */
  startTime = 0;
  underlayPackets = 0;
  underlayBytes = 0;
  /** First frame each (VTEP, tenant) pair was seen. */
  readonly vtepTenants: WordTable;
  vtepTenantFrame: number[] = [];
  /** First frame each endpoint was seen in encapsulated traffic. */
  endpointFirstFrame: number[] = [];
  private readonly reader = new FlowKeyReader();
  /** addFrame's record. */
  private readonly record = new Uint32Array(Rec.MaxLength);
  // The record being analysed (addRecord), for the rare paths.
  private dir = 0;
  /** Its time (seconds since the epoch). */
  private now = 0;
  private rec: Uint32Array = this.record;
  private recAt = 0;
  // The inner MACs of the frame, for the rare paths (loadMacs).
  private srcMacHi = 0;
  private srcMacLo = 0;
  private dstMacHi = 0;
  private dstMacLo = 0;
  /** IPv6 VTEPs by outer source MAC: MLD reports come from link-local addresses. */
  private readonly v6VtepByMac = new Map<string, number>();
  /**
   * Who receives a flood, by (tenant, source MAC, sender, destination group): shared by the many
   * pairs of one sender (an ARP request per target address is a pair each).
   */
  private readonly floodKeys = new WordTable(1024, 5);
  private readonly floodReceivers: (FloodReceivers | undefined)[] = [];
  private readonly oneReceiver = [0];

  /**
   * `expectedFlows` sizes the flow table up front (a guess from the file size is fine); `ageing` is the
   * FDB ageing time in seconds; without `learns` the analysis does no VTEP learning at all: the tenants
   * report shows neither timeline nor forwarding databases, and learning is most of the work (and of the
   * memory) on captures of many VTEPs and MACs: a new MAC's flood is an FDB entry per receiving VTEP.
   */
  constructor(
    readonly mtu = DEFAULT_MTU,
    expectedFlows = 1024,
    ageing = DEFAULT_AGEING_SECONDS,
    readonly learns = true,
  ) {
    // Captures of many short flows (a new MAC per frame) can hold several times the guess: the entry
    // arrays and the per-flow columns sized with them get room for that up front, in address space
    // only (see WordTable), instead of copies as they grow.
    const reserve = expectedFlows * RESERVE_FACTOR;
    this.flows = new WordTable(expectedFlows, FLOW_KEY_WORDS, reserve);
    this.flowNum = new Float64Array(FlowNum.Stride * this.flows.keyStart.length);
    this.flowRare = new Float64Array(FlowRare.Stride * this.flows.keyStart.length);
    this.flowRef = new Int32Array(FlowRef.Stride * this.flows.keyStart.length);
    this.flowLinks = new Int32Array(LINKS_PER_FLOW * this.flows.keyStart.length);
    this.conversations = new ConversationTable(expectedFlows, reserve);
    // Up to one pair per flow (head-end replication makes nearly every flow a pair of its own): sized
    // with the flows, the table is not grown and rehashed step by step from a few hundred entries.
    this.pairs = new WordTable(expectedFlows, PAIR_KEY_WORDS, reserve);
    // Up to a (VTEP, tenant) pair, an address and a MAC per pair: these start small and grow.
    this.vtepTenants = new WordTable(256, 2, reserve);
    this.claims = new AddressClaims(reserve);
    this.pairRef = new Int32Array(PairRef.Stride * this.pairs.keyStart.length);
    // About one learning or flood event per two flows in overlay captures.
    this.learning = new VtepLearning(learns ? expectedFlows >>> 1 : 0, ageing);
  }

  /** The conversations with their numbers as of now; `shared`: see ConversationTable.withTotals. */
  conversationTotals(shared = false): Conversations {
    return this.conversations.withTotals(this.flowNum, this.flowLinks, this.flows.count, shared);
  }

  /**
   * Feeds one frame, fast-path dissected into ctx; frames must come in capture order. `time` is the
   * frame's (seconds since the epoch; by default the dissection's): the analysis keeps the times of
   * the frames it reports, so it needs no frame index.
   */
  addFrame(ctx: Dissection, frame: number, time = ctx.frameTime): void {
    this.reader.fill(ctx, frame, time, this.record, 0);
    resolveFlow(this.flows, this.record, 0);
    this.addRecord(this.record, 0, ctx);
  }

  /**
   * Feeds one frame's record (rec[at ..], FlowKeyReader.fill then resolveFlow on this.flows); frames
   * must come in capture order. `raw` is the frame's dissection, needed only for RecKind.Membership
   * records.
   */
  addRecord(rec: Uint32Array, at: number, raw: Dissection | null): void {
    const frame = rec[at + Rec.Frame];
    if (frame >= this.frames) this.frames = frame + 1;
    const absorbed = rec[at + Rec.Absorbed];
    if (absorbed > 0) {
      // The earlier fragments were counted as underlay when they came; they are part of this packet.
      this.underlayPackets -= absorbed;
      this.underlayBytes -= rec[at + Rec.AbsorbedBytes];
    }
    const now = readTime(rec, at);
    this.now = now;
    if (frame === 0) this.startTime = now;
    this.learning.sweep(now, frame);
    const word = rec[at + Rec.Kind];
    const kind = word & 0xff;
    const flags = word >>> RecBits.FlagShift;
    if (kind !== RecKind.Tunnel) {
      this.addUnderlay(rec, at, kind, flags, raw, frame);
      return;
    }
    const dir = flags & RecFlag.Dir;
    // Kept for the rare paths (new flows and pairs, learning), which read what they need from it.
    this.rec = rec;
    this.recAt = at;
    this.dir = dir;
    const flow = rec[at + Rec.Flow];
    if ((flags & RecFlag.NewFlow) !== 0) this.newFlow(flow, frame);
    const num = this.flowNum;
    const o = flow * FlowNum.Stride;
    num[o + dir * 2] += 1;
    num[o + dir * 2 + 1] += rec[at + Rec.InnerLength];
    const first = o + FlowNum.FirstFrameFromFirst + dir * 2;
    if (num[first] < 0) {
      num[first] = frame;
      num[first + FlowNum.TimeOfFrame] = now;
    }
    num[first + 1] = frame;
    num[first + 1 + FlowNum.TimeOfFrame] = now;
    num[o + FlowNum.OuterBytes] += rec[at + Rec.OrigLen];
    const outerIpLength = rec[at + Rec.OuterIpLength];
    if ((flags & RecFlag.Reassembled) !== 0) this.fragmented(flow, frame, outerIpLength, absorbed + 1);
    else if (outerIpLength > this.mtu) this.overMtu(flow, frame, outerIpLength);
    const pair = this.flowRef[flow * FlowRef.Stride + FlowRef.Pair];
    const sent = pair * PairRef.Stride + PairRef.Sent;
    if ((this.pairRef[sent] & (1 << dir)) === 0) {
      this.pairRef[sent] |= 1 << dir;
      this.firstFromSide(pair, dir, frame);
    }
    if ((flags & RecFlag.L2) !== 0 && this.learns) this.learnFrom(pair, dir, frame);
  }

  private learnFrom(pair: number, dir: number, frame: number): void {
    const refs = this.pairRef;
    const io = pair * PairRef.Stride;
    const sender = refs[io + PairRef.EndpointFirst + dir];
    const receiver = refs[io + PairRef.EndpointSecond - dir];
    const learning = this.learning;
    const now = this.now;
    // The sender encapsulated the frame: its source MAC is local there.
    const local = refs[io + PairRef.LocalAtFirst + dir];
    if (local < 0 || !learning.refresh(local, sender, now)) {
      this.loadMacs(pair, dir);
      refs[io + PairRef.LocalAtFirst + dir] = learning.learn(frame, now, sender, refs[io], this.srcMacHi, this.srcMacLo, sender);
    }
    if ((refs[io + PairRef.Floods] & (1 << dir)) !== 0) {
      this.loadMacs(pair, dir);
      this.flood(pair, dir, sender, receiver, frame);
      return;
    }
    const slot = refs[io + PairRef.FdbAtSecond + dir];
    if (slot >= 0 && learning.refresh(slot, sender, now)) return; // a refresh: not an event
    this.loadMacs(pair, dir);
    refs[io + PairRef.FdbAtSecond + dir] = learning.learn(frame, now, receiver, refs[io], this.srcMacHi, this.srcMacLo, sender);
  }

  /** The inner source and destination MACs of a frame from side `dir` of an L2 pair, from its key. */
  private loadMacs(pair: number, dir: number): void {
    const pairs = this.pairs;
    const layout = sideLayout(pairs.word(pair, 0));
    const start = pairs.keyStart[pair] + KEY_PREFIX + layout.mac;
    const src = start + dir * layout.sideLength;
    const dst = start + (1 - dir) * layout.sideLength;
    const arena = pairs.arena;
    this.srcMacHi = arena[src];
    this.srcMacLo = arena[src + 1];
    this.dstMacHi = arena[dst];
    this.dstMacLo = arena[dst + 1];
  }

  /** A frame to a group, or with a broadcast/multicast inner destination: every receiver learns. */
  private flood(pair: number, dir: number, sender: number, receiver: number, frame: number): void {
    const reason =
      this.dstMacHi === 0xffff && this.dstMacLo === 0xffffffff ? FloodCode.Broadcast : (this.dstMacHi & 0x100) !== 0 ? FloodCode.Multicast : FloodCode.UnknownUnicast;
    const io = pair * PairRef.Stride;
    const tenant = this.pairRef[io + PairRef.Tenant];
    const learning = this.learning;
    if (!this.endpoints.isGroup(receiver)) {
      // Head-end replication (GRE): one copy per remote VTEP, each a unicast packet.
      this.oneReceiver[0] = receiver;
      learning.flood(frame, this.now, sender, tenant, this.srcMacHi, this.srcMacLo, this.dstMacHi, this.dstMacLo, reason, -1, this.oneReceiver, false);
      let slot = this.pairRef[io + PairRef.FdbAtSecond + dir];
      if (slot < 0) slot = this.pairRef[io + PairRef.FdbAtSecond + dir] = learning.slot(receiver, tenant, this.srcMacHi, this.srcMacLo);
      learning.learnAt(slot, frame, this.now, receiver, tenant, this.srcMacHi, this.srcMacLo, sender);
      return;
    }
    const state = this.membership.state(receiver);
    // Without a membership report, assume the VTEPs seen with this tenant so far (docs/overlay.md#learning).
    const assumed = !state.reported;
    const vtepCount = assumed ? this.tenants.vteps[tenant].length : -1;
    const key = this.floodKeys.key;
    key[0] = tenant;
    key[1] = this.srcMacHi;
    key[2] = this.srcMacLo;
    key[3] = sender;
    key[4] = receiver;
    const cached = this.floodKeys.intern(5);
    let cache = this.floodReceivers[cached];
    if (cache === undefined || cache.version !== this.membership.version || cache.vtepCount !== vtepCount) {
      const receivers = (assumed ? this.tenants.vteps[tenant] : state.members).filter((v) => v !== sender);
      const slots = receivers.map((learner) => learning.slot(learner, tenant, this.srcMacHi, this.srcMacLo));
      cache = { version: this.membership.version, vtepCount, receivers, slots };
      this.floodReceivers[cached] = cache;
    }
    learning.flood(frame, this.now, sender, tenant, this.srcMacHi, this.srcMacLo, this.dstMacHi, this.dstMacLo, reason, receiver, cache.receivers, assumed);
    const { receivers, slots } = cache;
    for (let i = 0; i < receivers.length; i++) learning.learnAt(slots[i], frame, this.now, receivers[i], tenant, this.srcMacHi, this.srcMacLo, sender);
  }

  private newFlow(flow: number, frame: number): void {
    if ((flow + 1) * FlowNum.Stride > this.flowNum.length) {
      this.flowNum = growFloat64(this.flowNum, this.flowNum.length * 2);
      this.flowRare = growFloat64(this.flowRare, this.flowRare.length * 2);
      this.flowRef = growInt32(this.flowRef, this.flowRef.length * 2);
      this.flowLinks = growInt32(this.flowLinks, this.flowLinks.length * 2);
    }
    const o = flow * FlowNum.Stride;
    const num = this.flowNum;
    for (let i = 0; i < FlowNum.Stride; i++) num[o + i] = 0;
    num[o + FlowNum.FirstFrameFromFirst] = -1;
    num[o + FlowNum.FirstFrameFromSecond] = -1;
    // The pair's key is the flow's without the port words.
    const flows = this.flows;
    const header = flows.word(flow, 0);
    const layout = sideLayout(header);
    const sideWords = layout.portAt >= 0 ? layout.sideLength - 1 : layout.sideLength;
    const pairKey = this.pairs.key;
    const arena = flows.arena;
    const start = flows.keyStart[flow];
    pairKey[0] = header & ~(3 << KeyBits.L4Shift);
    pairKey[1] = arena[start + 1];
    for (let i = 0; i < sideWords; i++) {
      pairKey[KEY_PREFIX + i] = arena[start + KEY_PREFIX + i];
      pairKey[KEY_PREFIX + sideWords + i] = arena[start + KEY_PREFIX + layout.sideLength + i];
    }
    const pair = this.pairs.intern(KEY_PREFIX + 2 * sideWords);
    if (this.pairs.added) this.newPair(pair, frame);
    const refs = this.flowRef;
    const io = flow * FlowRef.Stride;
    const pio = pair * PairRef.Stride;
    refs[io + FlowRef.Tenant] = this.pairRef[pio + PairRef.Tenant];
    refs[io + FlowRef.EndpointFirst] = this.pairRef[pio + PairRef.EndpointFirst];
    refs[io + FlowRef.EndpointSecond] = this.pairRef[pio + PairRef.EndpointSecond];
    refs[io + FlowRef.Pair] = pair;
    const links = this.flowLinks;
    const at = flow * LINKS_PER_FLOW;
    links[at] = this.pairRef[pio + PairRef.Conversations];
    links[at + 1] = this.pairRef[pio + PairRef.Conversations + 1];
    links[at + 2] = this.conversations.linkPorts(refs[io + FlowRef.Tenant], flows.arena, start);
  }

  private newPair(pair: number, frame: number): void {
    if ((pair + 1) * PairRef.Stride > this.pairRef.length) this.pairRef = growInt32(this.pairRef, this.pairRef.length * 2);
    const pairs = this.pairs;
    const header = pairs.word(pair, 0);
    const tenant = this.tenants.intern(header & KeyBits.TenantMask, pairs.word(pair, 1));
    const layout = sideLayout(header);
    const start = pairs.keyStart[pair] + KEY_PREFIX;
    const first = this.endpoints.internWords(pairs.arena, start, layout.outerWords);
    const second = this.endpoints.internWords(pairs.arena, start + layout.sideLength, layout.outerWords);
    const io = pair * PairRef.Stride;
    const refs = this.pairRef;
    refs[io + PairRef.Tenant] = tenant;
    refs[io + PairRef.EndpointFirst] = first;
    refs[io + PairRef.EndpointSecond] = second;
    refs[io + PairRef.FdbAtSecond] = -1;
    refs[io + PairRef.FdbAtFirst] = -1;
    refs[io + PairRef.LocalAtFirst] = -1;
    refs[io + PairRef.LocalAtSecond] = -1;
    refs[io + PairRef.Sent] = 0;
    let floods = 0;
    if (layout.mac >= 0) {
      for (let from = 0; from < 2; from++) {
        const dstMacHi = pairs.arena[start + (1 - from) * layout.sideLength + layout.mac];
        if ((dstMacHi & 0x100) !== 0 || this.endpoints.isGroup(from === 0 ? second : first)) floods |= 1 << from;
      }
    }
    refs[io + PairRef.Floods] = floods;
    this.conversations.linkAddresses(tenant, pairs.arena, pairs.keyStart[pair], refs, io + PairRef.Conversations);
    const sender = this.dir === 0 ? first : second;
    const receiver = this.dir === 0 ? second : first;
    this.seeEndpoint(sender, tenant, frame);
    this.seeEndpoint(receiver, tenant, frame);
    const rec = this.rec;
    const at = this.recAt;
    if (this.endpoints.isV6(sender) && ((rec[at + Rec.Kind] >>> RecBits.FlagShift) & RecFlag.OuterEth) !== 0) {
      this.v6VtepByMac.set(macFromWords(rec[at + Rec.OuterMacHi], rec[at + Rec.OuterMacLo]), sender);
    }
  }

  private seeEndpoint(endpoint: number, tenant: number, frame: number): void {
    if (this.endpointFirstFrame[endpoint] === undefined) this.endpointFirstFrame[endpoint] = frame;
    if (this.endpoints.isGroup(endpoint)) {
      this.membership.noteTenant(endpoint, tenant, frame);
      return;
    }
    const key = this.vtepTenants.key;
    key[0] = endpoint;
    key[1] = tenant;
    const entry = this.vtepTenants.intern(2);
    if (!this.vtepTenants.added) return;
    this.tenants.addVtep(tenant, endpoint);
    this.vtepTenantFrame[entry] = frame;
  }

  /** First frame sent by one side of a pair: check who claims which addresses. */
  private firstFromSide(pair: number, dir: number, frame: number): void {
    const pairs = this.pairs;
    const layout = sideLayout(pairs.word(pair, 0));
    if (layout.mac < 0) return;
    const side = pairs.keyStart[pair] + KEY_PREFIX + dir * layout.sideLength;
    const arena = pairs.arena;
    const tenant = this.pairRef[pair * PairRef.Stride + PairRef.Tenant];
    const macHi = arena[side + layout.mac];
    const macLo = arena[side + layout.mac + 1];
    this.claims.seeMac(frame, tenant, macHi, macLo);
    if (layout.innerAt >= 0) this.claims.claimIp(frame, tenant, arena, side + layout.innerAt, layout.innerWords, macHi, macLo);
  }
  /** Flow `flow`'s findings' offset in flowRare, noting the flow in rareFlows at its first finding. */
  private rareAt(flow: number): number {
    const o = flow * FlowRare.Stride;
    const rare = this.flowRare;
    if (rare[o + FlowRare.MtuFrames] === 0 && rare[o + FlowRare.FragPackets] === 0) this.rareFlows.push(flow);
    return o;
  }

  private overMtu(flow: number, frame: number, outerIpLength: number): void {
    const o = this.rareAt(flow);
    const rare = this.flowRare;
    if (rare[o + FlowRare.MtuFrames]++ === 0) rare[o + FlowRare.MtuFirstFrame] = frame;
    if (outerIpLength > rare[o + FlowRare.MtuLargest]) rare[o + FlowRare.MtuLargest] = outerIpLength;
  }

  private fragmented(flow: number, frame: number, outerIpLength: number, fragments: number): void {
    const o = this.rareAt(flow);
    const rare = this.flowRare;
    if (rare[o + FlowRare.FragPackets]++ === 0) rare[o + FlowRare.FragFirstFrame] = frame;
    rare[o + FlowRare.FragFragments] += fragments;
    if (outerIpLength > rare[o + FlowRare.FragLargest]) rare[o + FlowRare.FragLargest] = outerIpLength;
  }

  private addUnderlay(rec: Uint32Array, at: number, kind: number, flags: number, raw: Dissection | null, frame: number): void {
    this.underlayPackets++;
    this.underlayBytes += rec[at + Rec.OrigLen];
    if (kind !== RecKind.Membership || raw === null) return;
    const outerEth = (flags & RecFlag.OuterEth) !== 0;
    const outerMac = outerEth ? macFromWords(rec[at + Rec.OuterMacHi], rec[at + Rec.OuterMacLo]) : '';
    this.membership.readReport(raw, frame, (source) => {
      if (!this.endpoints.isLinkLocalV6(source) || !outerEth) return source;
      return this.v6VtepByMac.get(outerMac) ?? source;
    });
  }
}
