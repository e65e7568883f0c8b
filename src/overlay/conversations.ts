// Conversations at the eth, ip, tcp and udp layers. A flow is finer (it also names the VTEP pair):
// each new flow is linked to its conversations once (ConversationTable, in the analyzer), and a report
// sums the flows' numbers into them along those links (conversationTotals) and reads them from plain
// arrays (Conversations), which can also go to another thread.
import { ipv4FromNumber } from '../dissect/bytes';
import { ipv6FromWords, macFromWords } from './endpoints';
import { InnerKind, KEY_PREFIX, sideLayout } from './flow-key';
import { FlowNum } from './flow-columns';
import { Conversation, ConversationLayer } from './report-types';
import { WordTable, growInt32 } from './word-table';
import { ByteWriter, MAX_NUMBER_BYTES, ascii, putBytes, putIpv4, putMac, putNumber, putUint } from './output/byte-writer';

const LAYERS: ConversationLayer[] = ['eth', 'ip', 'tcp', 'udp'];

// The fixed parts of a conversation's JSON, in the Conversation key order.
const JSON_LAYER = LAYERS.map((layer) => ascii(`{"layer":"${layer}","a":"`));
const JSON_B = ascii('","b":"');
const JSON_PACKETS = ascii('","packets":');
const JSON_BYTES = ascii(',"bytes":');
const JSON_PACKETS_AB = ascii(',"packetsAtoB":');
const JSON_BYTES_AB = ascii(',"bytesAtoB":');
const JSON_PACKETS_BA = ascii(',"packetsBtoA":');
const JSON_BYTES_BA = ascii(',"bytesBtoA":');
const JSON_FIRST_FRAME = ascii(',"firstFrame":');
const JSON_LAST_FRAME = ascii(',"lastFrame":');
const JSON_FIRST_TIME = ascii(',"firstTime":');
const JSON_LAST_TIME = ascii(',"lastTime":');
/** At most: the keys, two IPv6 [address]:port sides and eleven numbers. */
const MAX_CONVERSATION_BYTES = 640;

// Per-conversation numbers; "1" is the key's first side.
const enum Acc {
  Packets12 = 0,
  Bytes12 = 1,
  Packets21 = 2,
  Bytes21 = 3,
  First12 = 4,
  Last12 = 5,
  First21 = 6,
  Last21 = 7,
  /** The times of the four frames above, Acc.TimeOfFrame slots after each. */
  FirstTime12 = 8,
  LastTime12 = 9,
  FirstTime21 = 10,
  LastTime21 = 11,
  Stride = 12,
  TimeOfFrame = FirstTime12 - First12,
}

/**
 * A flow's links to its eth, ip and tcp/udp conversations: conversation * 2 + 1 when the
 * conversation's sides are the flow's the other way round; -1 none.
 */
export const LINKS_PER_FLOW = 3;

/** The conversations' keys, built as flows appear: what the links of each flow point into. */
export class ConversationTable {
  private readonly table: WordTable;
  private tenantOf: Int32Array;
  private readonly side = new Uint32Array(10);

  /** Sized for `expected` conversations (about one per flow) so that it does not grow on the way; `reserve` as WordTable's. */
  constructor(expected = 256, reserve = expected) {
    this.table = new WordTable(expected, 8, reserve);
    this.tenantOf = new Int32Array(this.table.keyStart.length);
  }

  get count(): number {
    return this.table.count;
  }

  /**
   * Links a pair of `tenant` (a flow key without ports, at words[start..]) to its eth and ip
   * conversations: two links at links[at..]. Every flow of the pair shares them.
   */
  linkAddresses(tenant: number, words: Uint32Array, start: number, links: Int32Array, at: number): void {
    const layout = sideLayout(words[start]);
    const side = start + KEY_PREFIX;
    links[at] = layout.mac >= 0 ? this.add(tenant, 0, words, side + layout.mac, side + layout.sideLength + layout.mac, 2, -1) : -1;
    const ip = layout.inner === InnerKind.Ipv4 || layout.inner === InnerKind.Ipv6;
    links[at + 1] = ip ? this.add(tenant, 1, words, side + layout.innerAt, side + layout.innerAt + layout.sideLength, layout.innerWords, -1) : -1;
  }

  /** The link of a flow of `tenant` (its key at words[start..]) to its tcp or udp conversation, or -1. */
  linkPorts(tenant: number, words: Uint32Array, start: number): number {
    const layout = sideLayout(words[start]);
    if (layout.l4 === 0 || !(layout.inner === InnerKind.Ipv4 || layout.inner === InnerKind.Ipv6)) return -1;
    const a = start + KEY_PREFIX + layout.innerAt;
    return this.add(tenant, 1 + layout.l4, words, a, a + layout.sideLength, layout.innerWords, layout.portAt - layout.innerAt);
  }

  /**
   * The keys as plain arrays, with numbers summed from the flows (see conversationTotals); with
   * `shared`, the numbers are in shared memory, which copy() then passes on as they are.
   */
  withTotals(flowNum: Float64Array, links: Int32Array, flows: number, shared = false): Conversations {
    const t = this.table;
    return new Conversations(t.count, t.arena, t.keyStart, t.keyLength, this.tenantOf, conversationTotals(t.count, flowNum, links, flows, shared));
  }

  /**
   * The conversation of `layer` whose sides are `width` words at a and b in `words` (plus the port
   * word at a+portOffset / b+portOffset for tcp/udp), as a link.
   */
  private add(tenant: number, layer: number, words: Uint32Array, a: number, b: number, width: number, portOffset: number): number {
    const side = this.side;
    const n = width + (portOffset >= 0 ? 1 : 0);
    for (let i = 0; i < width; i++) {
      side[i] = words[a + i];
      side[n + i] = words[b + i];
    }
    if (portOffset >= 0) {
      side[width] = words[a + portOffset];
      side[n + width] = words[b + portOffset];
    }
    let swap = 0;
    for (let i = 0; i < n; i++) {
      if (side[i] !== side[n + i]) {
        swap = side[i] > side[n + i] ? 1 : 0;
        break;
      }
    }
    const key = this.table.key;
    key[0] = tenant;
    key[1] = layer;
    for (let i = 0; i < n; i++) {
      key[2 + i] = swap ? side[n + i] : side[i];
      key[2 + n + i] = swap ? side[i] : side[n + i];
    }
    const c = this.table.intern(2 + 2 * n);
    if (this.table.added) {
      if (c >= this.tenantOf.length) this.tenantOf = growInt32(this.tenantOf, this.tenantOf.length * 2);
      this.tenantOf[c] = tenant;
    }
    return c * 2 + swap;
  }
}

/**
 * Per-conversation numbers (Acc.Stride doubles each) summed from the first `flows` flows' numbers
 * along their links. The flow's first->second direction is a conversation's 1->2 unless swapped.
 */
function conversationTotals(count: number, flowNum: Float64Array, links: Int32Array, flows: number, shared: boolean): Float64Array {
  const acc = shared ? new Float64Array(new SharedArrayBuffer(count * Acc.Stride * 8)) : new Float64Array(count * Acc.Stride);
  for (let c = 0; c < count; c++) {
    const at = c * Acc.Stride;
    acc[at + Acc.First12] = -1;
    acc[at + Acc.Last12] = -1;
    acc[at + Acc.First21] = -1;
    acc[at + Acc.Last21] = -1;
  }
  for (let flow = 0; flow < flows; flow++) {
    const o = flow * FlowNum.Stride;
    for (let k = 0; k < LINKS_PER_FLOW; k++) {
      const link = links[flow * LINKS_PER_FLOW + k];
      if (link < 0) continue;
      const at = (link >>> 1) * Acc.Stride;
      const swap = link & 1;
      merge(acc, at + swap * 2, flowNum, o, FlowNum.PacketsFirstToSecond, FlowNum.FirstFrameFromFirst);
      merge(acc, at + (1 - swap) * 2, flowNum, o, FlowNum.PacketsSecondToFirst, FlowNum.FirstFrameFromSecond);
    }
  }
  return acc;
}

/** One flow direction into one conversation direction: `at` is its packets slot (Acc.Packets12 or 21). */
function merge(acc: Float64Array, at: number, num: Float64Array, o: number, packets: number, first: number): void {
  const count = num[o + packets];
  if (count === 0) return;
  acc[at] += count;
  acc[at + 1] += num[o + packets + 1];
  const frames = at + Acc.First12;
  if (acc[frames] < 0 || num[o + first] < acc[frames]) {
    acc[frames] = num[o + first];
    acc[frames + Acc.TimeOfFrame] = num[o + first + FlowNum.TimeOfFrame];
  }
  if (num[o + first + 1] > acc[frames + 1]) {
    acc[frames + 1] = num[o + first + 1];
    acc[frames + 1 + Acc.TimeOfFrame] = num[o + first + 1 + FlowNum.TimeOfFrame];
  }
}

/** One conversation's numbers by direction, A to B and B to A (frames 0-based). */
interface ConversationNumbers {
  /** A is the key's second side. */
  twoFirst: boolean;
  pAB: number;
  bAB: number;
  pBA: number;
  bBA: number;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
}

/** Conversations with their numbers, as plain arrays (they can be copied to another thread). */
export class Conversations {
  constructor(
    readonly count: number,
    /** Keys [tenant, layer, side 1..., side 2...]: conversation c's starts at arena[keyStart[c]]. */
    readonly arena: Uint32Array,
    readonly keyStart: Int32Array,
    readonly keyLength: Uint8Array,
    readonly tenantOf: Int32Array,
    readonly acc: Float64Array,
  ) {}

  /**
   * The used parts, copied: for postMessage, whose transfer list takes the buffers. Numbers in shared
   * memory (withTotals) are not copied but shared: they are the biggest part (~8 MB a 1M-frame capture),
   * and a copy is as much fresh memory faulted in.
   */
  copy(): Conversations {
    const count = this.count;
    const arenaUsed = count > 0 ? this.keyStart[count - 1] + this.keyLength[count - 1] : 0;
    const accLength = count * Acc.Stride;
    return new Conversations(
      count,
      this.arena.slice(0, arenaUsed),
      this.keyStart.slice(0, count),
      this.keyLength.slice(0, count),
      this.tenantOf.slice(0, count),
      this.acc.buffer instanceof SharedArrayBuffer ? this.acc.subarray(0, accLength) : this.acc.slice(0, accLength),
    );
  }

  /** A copy() received from another thread (its prototype is lost on the way). */
  static from(plain: Conversations): Conversations {
    return new Conversations(plain.count, plain.arena, plain.keyStart, plain.keyLength, plain.tenantOf, plain.acc);
  }

  transferList(): ArrayBuffer[] {
    const buffers = [this.arena.buffer, this.keyStart.buffer, this.keyLength.buffer, this.tenantOf.buffer, this.acc.buffer];
    // Shared memory is shared by postMessage, never transferred.
    return buffers.filter((b) => !(b instanceof SharedArrayBuffer)) as ArrayBuffer[];
  }

  private layer(c: number): number {
    return this.arena[this.keyStart[c] + 1];
  }

  /** Conversations grouped by tenant number, each list sorted by layer then first frame. */
  byTenant(): Map<number, Conversation[]> {
    const out = new Map<number, Conversation[]>();
    for (const [tenant, list] of this.orderByTenant()) out.set(tenant, list.map((c) => this.conversation(c)));
    return out;
  }

  /**
   * Conversation numbers grouped by tenant number, each list sorted by layer then first frame.
   * Conversations are numbered as they appear, at their first frame, and a frame belongs to one
   * conversation per layer: within a layer, number order is first-frame order, so grouping by layer
   * in number order sorts them.
   */
  orderByTenant(): Map<number, number[]> {
    const byLayer = new Map<number, number[][]>();
    for (let c = 0; c < this.count; c++) {
      const tenant = this.tenantOf[c];
      let layers = byLayer.get(tenant);
      if (!layers) byLayer.set(tenant, (layers = LAYERS.map(() => [])));
      layers[this.layer(c)].push(c);
    }
    const out = new Map<number, number[]>();
    for (const [tenant, layers] of byLayer) out.set(tenant, layers.flat());
    return out;
  }

  /** Writes JSON.stringify(this.conversation(c)) without making the object: the CLI writes ~100k of these. */
  writeJson(c: number, out: ByteWriter): void {
    const layer = this.layer(c);
    const words = (this.keyLength[c] - 2) / 2;
    const first = this.keyStart[c] + 2;
    const { twoFirst, pAB, bAB, pBA, bBA, firstFrame, lastFrame, firstTime, lastTime } = this.numbers(c);
    const arena = this.arena;
    const buf = out.ensure(MAX_CONVERSATION_BYTES);
    let p = putBytes(buf, out.at, JSON_LAYER[layer]);
    p = putSide(buf, p, layer, arena, twoFirst ? first + words : first, words);
    p = putBytes(buf, p, JSON_B);
    p = putSide(buf, p, layer, arena, twoFirst ? first : first + words, words);
    p = putBytes(buf, p, JSON_PACKETS);
    p = putUint(buf, p, pAB + pBA);
    p = putBytes(buf, p, JSON_BYTES);
    p = putUint(buf, p, bAB + bBA);
    p = putBytes(buf, p, JSON_PACKETS_AB);
    p = putUint(buf, p, pAB);
    p = putBytes(buf, p, JSON_BYTES_AB);
    p = putUint(buf, p, bAB);
    p = putBytes(buf, p, JSON_PACKETS_BA);
    p = putUint(buf, p, pBA);
    p = putBytes(buf, p, JSON_BYTES_BA);
    p = putUint(buf, p, bBA);
    p = putBytes(buf, p, JSON_FIRST_FRAME);
    p = putUint(buf, p, firstFrame + 1);
    p = putBytes(buf, p, JSON_LAST_FRAME);
    p = putUint(buf, p, lastFrame + 1);
    p = putBytes(buf, p, JSON_FIRST_TIME);
    out.at = p;
    p = putNumber(buf, p, firstTime);
    if (p < 0) {
      out.number(firstTime); // not a whole number of microseconds: rare, the slow way
      p = out.at;
    }
    const rest = out.ensure(MAX_NUMBER_BYTES + JSON_LAST_TIME.length + 1);
    p = putBytes(rest, p, JSON_LAST_TIME);
    out.at = p;
    p = putNumber(rest, p, lastTime);
    if (p < 0) {
      out.number(lastTime);
      p = out.at;
    }
    out.ensure(1)[p] = 0x7d; // }
    out.at = p + 1;
  }

  private readonly scratch: ConversationNumbers = { twoFirst: false, pAB: 0, bAB: 0, pBA: 0, bBA: 0, firstFrame: 0, lastFrame: 0, firstTime: 0, lastTime: 0 };

  /** Conversation c's numbers (0-based frames), A being the side that sent its first frame (twoFirst: the key's second). */
  private numbers(c: number): ConversationNumbers {
    const o = c * Acc.Stride;
    const a = this.acc;
    const v = this.scratch;
    const twoFirst = a[o + Acc.First21] >= 0 && (a[o + Acc.First12] < 0 || a[o + Acc.First21] < a[o + Acc.First12]);
    v.twoFirst = twoFirst;
    v.pAB = a[o + (twoFirst ? Acc.Packets21 : Acc.Packets12)];
    v.bAB = a[o + (twoFirst ? Acc.Bytes21 : Acc.Bytes12)];
    v.pBA = a[o + (twoFirst ? Acc.Packets12 : Acc.Packets21)];
    v.bBA = a[o + (twoFirst ? Acc.Bytes12 : Acc.Bytes21)];
    // A direction without packets has -1 for its frames.
    const firstFrom = twoFirst ? Acc.First21 : Acc.First12;
    v.firstFrame = a[o + firstFrom];
    v.firstTime = a[o + firstFrom + Acc.TimeOfFrame];
    const lastFrom = a[o + Acc.Last21] > a[o + Acc.Last12] ? Acc.Last21 : Acc.Last12;
    v.lastFrame = a[o + lastFrom];
    v.lastTime = a[o + lastFrom + Acc.TimeOfFrame];
    return v;
  }

  conversation(c: number): Conversation {
    const layer = this.layer(c);
    const words = (this.keyLength[c] - 2) / 2;
    const first = this.keyStart[c] + 2;
    const one = formatSide(layer, this.arena, first, words);
    const two = formatSide(layer, this.arena, first + words, words);
    const { twoFirst, pAB, bAB, pBA, bBA, firstFrame, lastFrame, firstTime, lastTime } = this.numbers(c);
    return {
      layer: LAYERS[layer],
      a: twoFirst ? two : one,
      b: twoFirst ? one : two,
      packets: pAB + pBA,
      bytes: bAB + bBA,
      packetsAtoB: pAB,
      bytesAtoB: bAB,
      packetsBtoA: pBA,
      bytesBtoA: bBA,
      firstFrame: firstFrame + 1,
      lastFrame: lastFrame + 1,
      firstTime,
      lastTime,
    };
  }
}

/** The smaller of two frame numbers where -1 means none. */
export function minFrame(x: number, y: number): number {
  if (x < 0) return y;
  if (y < 0) return x;
  return Math.min(x, y);
}

function formatSide(layer: number, words: Uint32Array, at: number, width: number): string {
  if (layer === 0) return macFromWords(words[at], words[at + 1]);
  const v6 = width === 4 || width === 5;
  const address = v6 ? ipv6FromWords(words, at) : ipv4FromNumber(words[at]);
  if (layer === 1) return address;
  const port = words[at + (v6 ? 4 : 1)];
  return v6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** One side of a conversation: a MAC, an address, or an address and port ([v6]:port). */
function putSide(buf: Uint8Array, p: number, layer: number, words: Uint32Array, at: number, width: number): number {
  if (layer === 0) return putMac(buf, p, words[at], words[at + 1]);
  const v6 = width === 4 || width === 5;
  if (v6) {
    const text = layer === 1 ? ipv6FromWords(words, at) : `[${ipv6FromWords(words, at)}]`;
    for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
  } else {
    p = putIpv4(buf, p, words[at]);
  }
  if (layer === 1) return p;
  buf[p++] = 0x3a; // :
  return putUint(buf, p, words[at + (v6 ? 4 : 1)]);
}
