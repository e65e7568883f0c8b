// Conversations at the eth, ip, tcp and udp layers, aggregated from the analyzer's flows when a report
// is asked for (a flow is finer: it also names the VTEP pair), keyed by numbers as on the hot path.
import { ipv4FromNumber } from '../dissect/bytes';
import { FlowNum, FlowRef, OverlayAnalyzer } from '../analysis/analyzer';
import { ipv6FromWords, macFromWords } from '../analysis/endpoints';
import { InnerKind, KEY_PREFIX, sideLayout } from '../analysis/flow-key';
import { Conversation, ConversationLayer } from '../analysis/types';
import { WordTable, growFloat64, growInt32 } from '../analysis/word-table';
import { ByteWriter, ascii } from '../analysis/byte-writer';

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
  Stride = 8,
}

export class ConversationTable {
  private readonly table: WordTable;
  private acc: Float64Array;
  private tenantOf: Int32Array;
  private readonly side = new Uint32Array(8);

  /** Sized for `expected` conversations (about one per flow) so that it does not grow on the way. */
  constructor(expected = 256) {
    this.table = new WordTable(expected, 8);
    this.acc = new Float64Array(Acc.Stride * this.table.keyStart.length);
    this.tenantOf = new Int32Array(this.table.keyStart.length);
  }

  /** Adds a flow's two directions to conversations of every layer the flow has. */
  addFlows(analyzer: OverlayAnalyzer): void {
    const { flows, flowNum, flowRef } = analyzer;
    for (let flow = 0; flow < flows.count; flow++) {
      const layout = sideLayout(flows.word(flow, 0));
      const start = flows.keyStart[flow] + KEY_PREFIX;
      const tenant = flowRef[flow * FlowRef.Stride + FlowRef.Tenant];
      const o = flow * FlowNum.Stride;
      const arena = flows.arena;
      if (layout.mac >= 0) this.add(tenant, 0, arena, start + layout.mac, start + layout.sideLength + layout.mac, 2, -1, flowNum, o);
      if (layout.inner === InnerKind.Ipv4 || layout.inner === InnerKind.Ipv6) {
        const a = start + layout.innerAt;
        const b = a + layout.sideLength;
        this.add(tenant, 1, arena, a, b, layout.innerWords, -1, flowNum, o);
        if (layout.l4 !== 0) this.add(tenant, 1 + layout.l4, arena, a, b, layout.innerWords, layout.portAt - layout.innerAt, flowNum, o);
      }
    }
  }

  /** Conversations grouped by tenant number, each list sorted by layer then first frame. */
  byTenant(analyzer: OverlayAnalyzer): Map<number, Conversation[]> {
    const out = new Map<number, Conversation[]>();
    for (const [tenant, list] of this.orderByTenant()) out.set(tenant, list.map((c) => this.conversation(c, analyzer)));
    return out;
  }

  /** Conversation numbers grouped by tenant number, each list sorted by layer then first frame. */
  orderByTenant(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const c of this.sortedByLayerAndFirstFrame()) {
      const tenant = this.tenantOf[c];
      let list = out.get(tenant);
      if (!list) out.set(tenant, (list = []));
      list.push(c);
    }
    return out;
  }

  /** Writes JSON.stringify(this.conversation(c)) without making the object: the CLI writes ~100k of these. */
  writeJson(c: number, analyzer: OverlayAnalyzer, out: ByteWriter): void {
    const t = this.table;
    const layer = t.word(c, 1);
    const words = (t.keyLength[c] - 2) / 2;
    const first = t.keyStart[c] + 2;
    const o = c * Acc.Stride;
    const a = this.acc;
    const twoFirst = a[o + Acc.First21] >= 0 && (a[o + Acc.First12] < 0 || a[o + Acc.First21] < a[o + Acc.First12]);
    const pAB = a[o + (twoFirst ? Acc.Packets21 : Acc.Packets12)];
    const bAB = a[o + (twoFirst ? Acc.Bytes21 : Acc.Bytes12)];
    const pBA = a[o + (twoFirst ? Acc.Packets12 : Acc.Packets21)];
    const bBA = a[o + (twoFirst ? Acc.Bytes12 : Acc.Bytes21)];
    const firstFrame = minFrame(a[o + Acc.First12], a[o + Acc.First21]);
    const lastFrame = Math.max(a[o + Acc.Last12], a[o + Acc.Last21]);
    out.bytes(JSON_LAYER[layer]);
    writeSide(out, layer, t.arena, twoFirst ? first + words : first, words);
    out.bytes(JSON_B);
    writeSide(out, layer, t.arena, twoFirst ? first : first + words, words);
    out.bytes(JSON_PACKETS);
    out.number(pAB + pBA);
    out.bytes(JSON_BYTES);
    out.number(bAB + bBA);
    out.bytes(JSON_PACKETS_AB);
    out.number(pAB);
    out.bytes(JSON_BYTES_AB);
    out.number(bAB);
    out.bytes(JSON_PACKETS_BA);
    out.number(pBA);
    out.bytes(JSON_BYTES_BA);
    out.number(bBA);
    out.bytes(JSON_FIRST_FRAME);
    out.number(firstFrame + 1);
    out.bytes(JSON_LAST_FRAME);
    out.number(lastFrame + 1);
    out.bytes(JSON_FIRST_TIME);
    out.number(analyzer.time(firstFrame));
    out.bytes(JSON_LAST_TIME);
    out.number(analyzer.time(lastFrame));
    out.byte(0x7d); // }
  }

  /**
   * Conversation numbers by (layer, first frame). A frame belongs to one conversation per layer, so
   * that pair is unique: packed with the conversation number into one double, a native numeric
   * sort does it (no comparator calls for 100k conversations).
   */
  private sortedByLayerAndFirstFrame(): Int32Array {
    const count = this.table.count;
    const acc = this.acc;
    const first = (c: number) => minFrame(acc[c * Acc.Stride + Acc.First12], acc[c * Acc.Stride + Acc.First21]);
    const order = new Int32Array(count);
    if (count < 1 << 20 && this.maxFrame() < 2 ** 31) {
      const keys = new Float64Array(count);
      for (let c = 0; c < count; c++) keys[c] = (this.table.word(c, 1) * 2 ** 31 + first(c)) * 2 ** 20 + c;
      keys.sort();
      for (let i = 0; i < count; i++) order[i] = keys[i] % 2 ** 20;
      return order;
    }
    for (let c = 0; c < count; c++) order[c] = c;
    return order.sort((x, y) => this.table.word(x, 1) - this.table.word(y, 1) || first(x) - first(y));
  }

  private maxFrame(): number {
    let max = 0;
    for (let c = 0; c < this.table.count; c++) max = Math.max(max, this.acc[c * Acc.Stride + Acc.Last12], this.acc[c * Acc.Stride + Acc.Last21]);
    return max;
  }

  conversation(c: number, analyzer: OverlayAnalyzer): Conversation {
    const v = this.values(c, analyzer);
    return {
      layer: LAYERS[v.layer],
      a: v.a,
      b: v.b,
      packets: v.pAB + v.pBA,
      bytes: v.bAB + v.bBA,
      packetsAtoB: v.pAB,
      bytesAtoB: v.bAB,
      packetsBtoA: v.pBA,
      bytesBtoA: v.bBA,
      firstFrame: v.firstFrame + 1,
      lastFrame: v.lastFrame + 1,
      firstTime: analyzer.time(v.firstFrame),
      lastTime: analyzer.time(v.lastFrame),
    };
  }

  private readonly scratch = { layer: 0, a: '', b: '', pAB: 0, bAB: 0, pBA: 0, bBA: 0, firstFrame: 0, lastFrame: 0 };

  /** Conversation c's fields (0-based frames), `a` being whoever sent its first frame. */
  private values(c: number, _analyzer: OverlayAnalyzer) {
    const t = this.table;
    const v = this.scratch;
    v.layer = t.word(c, 1);
    const words = (t.keyLength[c] - 2) / 2;
    const first = t.keyStart[c] + 2;
    const one = formatSide(v.layer, t.arena, first, words);
    const two = formatSide(v.layer, t.arena, first + words, words);
    const o = c * Acc.Stride;
    const a = this.acc;
    const twoFirst = a[o + Acc.First21] >= 0 && (a[o + Acc.First12] < 0 || a[o + Acc.First21] < a[o + Acc.First12]);
    v.a = twoFirst ? two : one;
    v.b = twoFirst ? one : two;
    v.pAB = a[o + (twoFirst ? Acc.Packets21 : Acc.Packets12)];
    v.bAB = a[o + (twoFirst ? Acc.Bytes21 : Acc.Bytes12)];
    v.pBA = a[o + (twoFirst ? Acc.Packets12 : Acc.Packets21)];
    v.bBA = a[o + (twoFirst ? Acc.Bytes12 : Acc.Bytes21)];
    v.firstFrame = minFrame(a[o + Acc.First12], a[o + Acc.First21]);
    v.lastFrame = Math.max(a[o + Acc.Last12], a[o + Acc.Last21]);
    return v;
  }

  /**
   * One flow into the conversation of `layer` whose sides are `width` words at a and b in `words`
   * (plus the port word at a+portOffset / b+portOffset for tcp/udp).
   */
  private add(tenant: number, layer: number, words: Uint32Array, a: number, b: number, width: number, portOffset: number, num: Float64Array, o: number): void {
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
    let swap = false;
    for (let i = 0; i < n; i++) {
      if (side[i] !== side[n + i]) {
        swap = side[i] > side[n + i];
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
      if ((c + 1) * Acc.Stride > this.acc.length) {
        this.acc = growFloat64(this.acc, this.acc.length * 2);
        this.tenantOf = growInt32(this.tenantOf, this.tenantOf.length * 2);
      }
      const at = c * Acc.Stride;
      this.acc.fill(0, at, at + Acc.Stride);
      this.acc[at + Acc.First12] = -1;
      this.acc[at + Acc.First21] = -1;
      this.acc[at + Acc.Last12] = -1;
      this.acc[at + Acc.Last21] = -1;
      this.tenantOf[c] = tenant;
    }
    // The flow's first->second direction is this conversation's 1->2 unless the sides swapped.
    this.merge(c * Acc.Stride + (swap ? 2 : 0), num, o, FlowNum.PacketsFirstToSecond, FlowNum.FirstFrameFromFirst);
    this.merge(c * Acc.Stride + (swap ? 0 : 2), num, o, FlowNum.PacketsSecondToFirst, FlowNum.FirstFrameFromSecond);
  }

  private merge(at: number, num: Float64Array, o: number, packets: number, first: number): void {
    const count = num[o + packets];
    if (count === 0) return;
    const acc = this.acc;
    acc[at] += count;
    acc[at + 1] += num[o + packets + 1];
    const frames = at - (at % Acc.Stride) + Acc.First12 + (at % Acc.Stride);
    acc[frames] = minFrame(acc[frames], num[o + first]);
    acc[frames + 1] = Math.max(acc[frames + 1], num[o + first + 1]);
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

function writeSide(out: ByteWriter, layer: number, words: Uint32Array, at: number, width: number): void {
  if (layer === 0) {
    out.mac(words[at], words[at + 1]);
    return;
  }
  const v6 = width === 4 || width === 5;
  if (v6) out.ascii(layer === 1 ? ipv6FromWords(words, at) : `[${ipv6FromWords(words, at)}]`);
  else out.ipv4(words[at]);
  if (layer === 1) return;
  out.byte(0x3a); // :
  out.unsigned(words[at + (v6 ? 4 : 1)]);
}
