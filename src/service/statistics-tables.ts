// Wireshark's Conversations and Endpoints tables over every conversation the tenants analysis counted
// (the same figures as `tunnelscope tenants`), built once per analysis in the analysis worker; pages
// are cut from sorted, searched orders that are cached, so scrolling a 1M-packet capture's tables
// sorts nothing again.
import type * as A from '../overlay/report-types';
import type { Conversations } from '../overlay/conversations';
import type { ConversationRow, EndpointRow, StatisticsKind, StatisticsPage, StatisticsQuery } from './api';
import { addressFilter, conversationFilter, splitPort, tenantText } from './overlay-views';

export const STATISTICS_KINDS: StatisticsKind[] = ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'];
const CACHED_ORDERS = 16;

type Row = ConversationRow | EndpointRow;
type Query = Omit<StatisticsQuery, 'sessionId'>;

function kindOf(c: A.Conversation): StatisticsKind {
  if (c.layer !== 'ip') return c.layer;
  return c.a.includes(':') ? 'ipv6' : 'ipv4';
}

function bitsPerSecond(bytes: number, seconds: number): number | null {
  return seconds > 0 ? (8 * bytes) / seconds : null;
}

function endpointFilter(tenant: string, kind: StatisticsKind, endpoint: string): string {
  const scope = `tenant == ${tenant} && `;
  if (kind === 'eth') return `${scope}eth.addr == ${endpoint}`;
  if (kind === 'ipv4' || kind === 'ipv6') return `${scope}${addressFilter(endpoint)}`;
  const [address, port] = splitPort(endpoint);
  return `${scope}${addressFilter(address)} && ${kind}.port == ${port}`;
}

/** Endpoints of one kind, from its conversations: each frame is in exactly one conversation per kind. */
function endpointsOf(kind: StatisticsKind, conversations: ConversationRow[]): EndpointRow[] {
  const byKey = new Map<string, EndpointRow>();
  const add = (tenant: string, endpoint: string, txP: number, txB: number, rxP: number, rxB: number, firstFrame: number) => {
    const key = `${tenant}|${endpoint}`;
    let row = byKey.get(key);
    if (!row) {
      const [address, port] = kind === 'tcp' || kind === 'udp' ? splitPort(endpoint) : [endpoint, ''];
      row = { tenant, address, port, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0, firstFrame, filter: endpointFilter(tenant, kind, endpoint) };
      byKey.set(key, row);
    }
    row.txPackets += txP;
    row.txBytes += txB;
    row.rxPackets += rxP;
    row.rxBytes += rxB;
    row.packets += txP + rxP;
    row.bytes += txB + rxB;
    row.firstFrame = Math.min(row.firstFrame, firstFrame);
  };
  for (const c of conversations) {
    add(c.tenant, c.a, c.packetsAtoB, c.bytesAtoB, c.packetsBtoA, c.bytesBtoA, c.firstFrame);
    add(c.tenant, c.b, c.packetsBtoA, c.bytesBtoA, c.packetsAtoB, c.bytesAtoB, c.firstFrame);
  }
  return [...byKey.values()];
}

function compareValues(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (x === null || x === undefined) return y === null || y === undefined ? 0 : -1;
  if (y === null || y === undefined) return 1;
  return String(x).localeCompare(String(y), 'en', { numeric: true });
}

/** One kind's conversations: how many (all, or of a tenant), and their rows, made when first asked for. */
interface KindRows {
  count: number;
  countOf(tenant: string): number;
  rows(): ConversationRow[];
}

function conversationRow(tenant: string, c: A.Conversation, startTime: number): ConversationRow {
  const duration = c.lastTime - c.firstTime;
  return {
    tenant,
    a: c.a,
    b: c.b,
    packets: c.packets,
    bytes: c.bytes,
    packetsAtoB: c.packetsAtoB,
    bytesAtoB: c.bytesAtoB,
    packetsBtoA: c.packetsBtoA,
    bytesBtoA: c.bytesBtoA,
    relStart: c.firstTime - startTime,
    duration,
    bitsPerSecondAtoB: bitsPerSecond(c.bytesAtoB, duration),
    bitsPerSecondBtoA: bitsPerSecond(c.bytesBtoA, duration),
    firstFrame: c.firstFrame,
    filter: conversationFilter(tenant, c),
  };
}

/** Rows made already (a report's conversation objects). */
function madeRows(rows: ConversationRow[]): KindRows {
  return { count: rows.length, countOf: (tenant) => rows.reduce((n, r) => n + (r.tenant === tenant ? 1 : 0), 0), rows: () => rows };
}

// Conversations' keys are [tenant, layer, side 1..., side 2...]; layers numbered as ConversationLayer's eth, ip, tcp, udp.
const LAYER_KINDS: StatisticsKind[] = ['eth', 'ipv4', 'tcp', 'udp'];

/** Kind of conversation c of the analysis' plain arrays: its layer, and IPv4 or IPv6 by its side's width. */
function kindAt(conversations: Conversations, c: number): StatisticsKind {
  const layer = conversations.arena[conversations.keyStart[c] + 1];
  if (layer === 1 && conversations.keyLength[c] > 4) return 'ipv6';
  return LAYER_KINDS[layer];
}

export class StatisticsTables {
  private readonly conversations = new Map<StatisticsKind, KindRows>();
  private readonly endpoints = new Map<StatisticsKind, EndpointRow[]>();
  private readonly orders = new Map<string, Uint32Array>();
  private readonly tenants: string[];

  /** From a report whose tenants hold their conversations (a display filter's pass). */
  static fromReport(report: A.TenantsReport): StatisticsTables {
    const rows = new Map<StatisticsKind, ConversationRow[]>(STATISTICS_KINDS.map((kind) => [kind, []]));
    for (const t of report.tenants) {
      const tenant = tenantText(t);
      for (const c of t.conversations) rows.get(kindOf(c))!.push(conversationRow(tenant, c, report.startTime));
    }
    return new StatisticsTables(report.tenants.map(tenantText), new Map([...rows].map(([kind, list]) => [kind, madeRows(list)])));
  }

  /**
   * From the analysis' conversations as plain arrays (`head`: the tenants report without its
   * conversation lists, `tenantOrder` the analyzer's tenant number of each of its tenants): a kind's
   * rows are made when that kind is first asked for, in the report's order (tenants as it lists them,
   * each one's conversations by first frame), so opening the Conversations tab makes only its rows.
   */
  static fromAnalysis(head: A.TenantsReport, tenantOrder: number[], conversations: Conversations): StatisticsTables {
    const texts = head.tenants.map(tenantText);
    const rankOf = new Int32Array(Math.max(0, ...tenantOrder) + 1).fill(-1);
    tenantOrder.forEach((tenant, rank) => (rankOf[tenant] = rank));
    const kinds = new Map<StatisticsKind, KindRows>();
    for (const kind of STATISTICS_KINDS) {
      const perTenant = new Int32Array(texts.length);
      const picked: number[] = [];
      for (let c = 0; c < conversations.count; c++) {
        if (kindAt(conversations, c) !== kind) continue;
        const rank = rankOf[conversations.tenantOf[c]];
        if (rank < 0) continue;
        perTenant[rank]++;
        picked.push(c);
      }
      // Stable: each tenant's conversations stay in number (first frame) order.
      picked.sort((x, y) => rankOf[conversations.tenantOf[x]] - rankOf[conversations.tenantOf[y]]);
      let rows: ConversationRow[] | null = null;
      kinds.set(kind, {
        count: picked.length,
        countOf: (tenant) => {
          const rank = texts.indexOf(tenant);
          return rank < 0 ? 0 : perTenant[rank];
        },
        rows: () => (rows ??= picked.map((c) => conversationRow(texts[rankOf[conversations.tenantOf[c]]], conversations.conversation(c), head.startTime))),
      });
    }
    return new StatisticsTables(texts, kinds);
  }

  private constructor(tenants: string[], conversations: Map<StatisticsKind, KindRows>) {
    this.tenants = tenants;
    this.conversations = conversations;
  }

  private rowsOf(table: Query['table'], kind: StatisticsKind): Row[] {
    if (table === 'conversations') return this.conversations.get(kind)!.rows();
    let rows = this.endpoints.get(kind);
    if (!rows) this.endpoints.set(kind, (rows = endpointsOf(kind, this.conversations.get(kind)!.rows())));
    return rows;
  }

  /** Row numbers of the tenant's rows matching the search, in the asked order (cached). */
  private order(q: Query): Uint32Array {
    const key = JSON.stringify([q.table, q.kind, q.tenant, q.search.toLowerCase(), q.sortColumn, q.sortDirection]);
    const cached = this.orders.get(key);
    if (cached) return cached;
    const rows = this.rowsOf(q.table, q.kind);
    const needle = q.search.trim().toLowerCase();
    const picked: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (q.tenant !== '' && row.tenant !== q.tenant) continue;
      if (needle !== '' && !searchText(row).includes(needle)) continue;
      picked.push(i);
    }
    const column = q.sortColumn as keyof Row;
    const sign = q.sortDirection === 'desc' ? -1 : 1;
    if (rows.length > 0 && column in rows[0]) picked.sort((i, j) => sign * compareValues(rows[i][column], rows[j][column]) || rows[i].firstFrame - rows[j].firstFrame);
    const order = Uint32Array.from(picked);
    if (this.orders.size >= CACHED_ORDERS) this.orders.delete(this.orders.keys().next().value!);
    this.orders.set(key, order);
    return order;
  }

  page(q: Query): StatisticsPage {
    const order = this.order(q);
    const rows = this.rowsOf(q.table, q.kind);
    const end = Math.min(order.length, q.start + q.count);
    const pageRows: Row[] = [];
    for (let k = q.start; k < end; k++) pageRows.push(rows[order[k]]);
    const kindCounts = {} as Record<StatisticsKind, number>;
    for (const kind of STATISTICS_KINDS) {
      if (q.table === 'conversations') {
        // Counted without making the other kinds' rows.
        const rows = this.conversations.get(kind)!;
        kindCounts[kind] = q.tenant === '' ? rows.count : rows.countOf(q.tenant);
        continue;
      }
      const all = this.rowsOf(q.table, kind);
      kindCounts[kind] = q.tenant === '' ? all.length : all.reduce((n, r) => n + (r.tenant === q.tenant ? 1 : 0), 0);
    }
    return { total: order.length, rows: pageRows as ConversationRow[] | EndpointRow[], kindCounts, tenants: this.tenants };
  }
}

function searchText(row: Row): string {
  return ('a' in row ? `${row.tenant} ${row.a} ${row.b}` : `${row.tenant} ${row.address} ${row.port}`).toLowerCase();
}
