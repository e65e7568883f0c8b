// Wireshark's Conversations and Endpoints over every conversation of the capture: ag-grid's infinite
// row model pages through the service (sorted and searched in the analysis worker), so a 1M-packet
// capture's hundred thousand conversations scroll like its packets. Double-click: filter to the row.
import { useCallback, useEffect, useState } from 'react';
import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import { FIRST_STATISTICS_PAGE } from '../../../src/service/api';
import type { ConversationRow, EndpointRow, StatisticsKind, StatisticsPage, StatisticsQuery, StatisticsTable as TableName } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';
import { PagedGrid, PageRequest } from '../components/PagedGrid';

type Row = ConversationRow | EndpointRow;

interface Props {
  sessionId: string;
  /** Rows of this tenant only; null lets the user choose (all tenants by default). */
  tenant: string | null;
  onFilter(filter: string): void;
  onMessage(text: string): void;
  /** Where the filter of a right-clicked row goes (the context menu), if the view has one. */
  onRowContextMenu?(row: Row, event: MouseEvent): void;
  /** Limit to display filter: rows of the frames this filter matches ("" every frame). */
  displayFilter?: string;
}

const KINDS: { id: StatisticsKind; label: string }[] = [
  { id: 'eth', label: 'Ethernet' },
  { id: 'ipv4', label: 'IPv4' },
  { id: 'ipv6', label: 'IPv6' },
  { id: 'tcp', label: 'TCP' },
  { id: 'udp', label: 'UDP' },
];
/** The grid's page (PagedGrid's block): the first page asked for before the table is on screen is this long. */
const BLOCK = 200;
// Made once: ag-grid-react reapplies an option whose identity changes on a render.
const DEFAULT_COL_DEF: ColDef = { sortable: true, resizable: true, sortingOrder: ['desc', 'asc'] };

const count = (p: ValueFormatterParams) => (typeof p.value === 'number' ? formatCount(p.value) : '');
const seconds = (p: ValueFormatterParams) => (typeof p.value === 'number' ? p.value.toFixed(6) : '');
function bitRate(p: ValueFormatterParams): string {
  if (p.value === null) return '—';
  if (typeof p.value !== 'number') return '';
  const v = p.value;
  return v >= 1e9 ? `${(v / 1e9).toFixed(2)} G` : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} k` : v.toFixed(0);
}
// Busiest first, as Wireshark opens its Conversations (the sort is in the column, so the grid asks once).
const num = (field: string, headerName: string, formatter = count, width = 105): ColDef<Row> => ({ field: field as never, headerName, type: 'rightAligned', valueFormatter: formatter, width, ...(field === 'packets' ? { initialSort: 'desc' as const } : {}) });

/** The table's first page: what it asks for when it opens (Conversations, IPv4, every tenant, busiest first). */
function firstPage(sessionId: string, displayFilter: string): StatisticsQuery {
  return { sessionId, ...FIRST_STATISTICS_PAGE, start: 0, count: BLOCK, displayFilter };
}

const prefetched = new Map<string, Promise<StatisticsPage>>();

/**
 * Asks for a table's first page before the table is on screen: creating its grid takes the page a few
 * hundred milliseconds, during which the worker can answer. The table takes the answer once; the
 * function returned drops it if no table has (the view went away: a later one asks afresh).
 */
export function prefetchFirstPage(sessionId: string, displayFilter = ''): () => void {
  const query = firstPage(sessionId, displayFilter);
  const key = JSON.stringify(query);
  const page = service.call('statistics', query);
  // A failure is reported by the table that takes the page; one never taken is not an error.
  page.catch(() => undefined);
  prefetched.set(key, page);
  return () => {
    if (prefetched.get(key) === page) prefetched.delete(key);
  };
}

function statisticsPage(query: StatisticsQuery): Promise<StatisticsPage> {
  const key = JSON.stringify(query);
  const early = prefetched.get(key);
  prefetched.delete(key);
  return early ?? service.call('statistics', query);
}

const CONVERSATION_COLUMNS: ColDef<Row>[] = [
  { field: 'tenant' as never, headerName: 'Tenant', width: 110, cellClass: 'cell-tenant' },
  { field: 'a' as never, headerName: 'Address A', width: 200 },
  { field: 'b' as never, headerName: 'Address B', width: 200 },
  num('packets', 'Packets', count, 90),
  num('bytes', 'Bytes'),
  num('packetsAtoB', 'Packets A → B'),
  num('bytesAtoB', 'Bytes A → B'),
  num('packetsBtoA', 'Packets B → A'),
  num('bytesBtoA', 'Bytes B → A'),
  num('relStart', 'Rel Start', seconds, 110),
  num('duration', 'Duration', seconds, 105),
  num('bitsPerSecondAtoB', 'Bits/s A → B', bitRate, 105),
  num('bitsPerSecondBtoA', 'Bits/s B → A', bitRate, 105),
];

const ENDPOINT_COLUMNS: ColDef<Row>[] = [
  { field: 'tenant' as never, headerName: 'Tenant', width: 110, cellClass: 'cell-tenant' },
  { field: 'address' as never, headerName: 'Address', width: 220 },
  { field: 'port' as never, headerName: 'Port', width: 80, type: 'rightAligned' },
  num('packets', 'Packets', count, 90),
  num('bytes', 'Bytes'),
  num('txPackets', 'Tx Packets'),
  num('txBytes', 'Tx Bytes'),
  num('rxPackets', 'Rx Packets'),
  num('rxBytes', 'Rx Bytes'),
];

const statisticsRowId = (row: Row) => ('a' in row ? `${row.tenant}|${row.a}|${row.b}` : `${row.tenant}|${row.address}|${row.port}`);

export function StatisticsTable({ sessionId, tenant: fixedTenant, onFilter, onMessage, onRowContextMenu, displayFilter = '' }: Props) {
  const [table, setTable] = useState<TableName>(FIRST_STATISTICS_PAGE.table);
  const [kind, setKind] = useState<StatisticsKind>(FIRST_STATISTICS_PAGE.kind);
  const [chosenTenant, setChosenTenant] = useState('');
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  // The total belongs to one query: an answer to an earlier query (a stale page) never shows as this one's.
  const queryKey = JSON.stringify([sessionId, table, kind, fixedTenant ?? chosenTenant, appliedSearch, displayFilter]);
  const [answered, setAnswered] = useState<{ key: string; total: number } | null>(null);
  const total = answered !== null && answered.key === queryKey ? answered.total : null;
  const [kindCounts, setKindCounts] = useState<Record<StatisticsKind, number> | null>(null);
  const [tenants, setTenants] = useState<string[]>([]);
  const tenant = fixedTenant ?? chosenTenant;

  // Searching waits for a pause in typing: each search is one pass over the rows in the worker.
  useEffect(() => {
    const timer = setTimeout(() => setAppliedSearch(search), 200);
    return () => clearTimeout(timer);
  }, [search]);

  const fetchPage = useCallback(
    (r: PageRequest) =>
      statisticsPage({ sessionId, table, kind, tenant, search: appliedSearch, sortColumn: r.sortColumn || 'packets', sortDirection: r.sortColumn ? r.sortDirection : 'desc', start: r.start, count: r.count, displayFilter }).then((page) => {
        setKindCounts(page.kindCounts);
        setTenants(page.tenants);
        return { total: page.total, rows: page.rows as Row[] };
      }),
    [sessionId, table, kind, tenant, appliedSearch, displayFilter],
  );
  const onTotal = useCallback((key: string, total: number) => setAnswered({ key, total }), []);

  const onDoubleClick = useCallback((row: Row) => onFilter(row.filter), [onFilter]);
  const columns = table === 'conversations' ? CONVERSATION_COLUMNS : ENDPOINT_COLUMNS;
  return (
    <div className="stats-table" data-testid="stats-table" data-table={table} data-kind={kind} data-total={total ?? ''} data-search={appliedSearch} data-display-filter={displayFilter}>
      <div className="tabs">
        <button className={`tab ${table === 'conversations' ? 'active' : ''}`} onClick={() => setTable('conversations')} data-testid="stats-conversations">Conversations</button>
        <button className={`tab ${table === 'endpoints' ? 'active' : ''}`} onClick={() => setTable('endpoints')} data-testid="stats-endpoints">Endpoints</button>
        <span className="tab-sep" />
        {KINDS.map((k) => (
          <button key={k.id} className={`tab ${k.id === kind ? 'active' : ''}`} onClick={() => setKind(k.id)} data-testid={`stats-kind-${k.id}`}>
            {k.label} <span className="badge" data-testid={`stats-count-${k.id}`}>{kindCounts ? formatCount(kindCounts[k.id]) : '…'}</span>
          </button>
        ))}
        {fixedTenant === null ? (
          <select className="stats-tenant" value={chosenTenant} onChange={(e) => setChosenTenant(e.target.value)} data-testid="stats-tenant" title="Rows of one tenant or of all">
            <option value="">All tenants</option>
            {tenants.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        ) : (
          <span className="muted tab-note">tenant {fixedTenant}</span>
        )}
        <input className="stats-search" placeholder="Search addresses, ports, tenants" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="stats-search" />
        <span className="muted tab-note" data-testid="stats-total">{total === null ? 'Loading…' : `${formatCount(total)} ${table === 'conversations' ? 'conversation' : 'endpoint'}${total === 1 ? '' : 's'}`}</span>
      </div>
      <PagedGrid<Row> testId="stats-grid" className="stats-grid" columns={columns} defaultColDef={DEFAULT_COL_DEF} queryKey={queryKey} fetchPage={fetchPage} rowId={statisticsRowId} onTotal={onTotal} onError={onMessage}
        emptyText={appliedSearch ? <>No {table} match <code>{appliedSearch}</code></> : `No ${KINDS.find((k) => k.id === kind)!.label} ${table}${tenant ? ` in tenant ${tenant}` : ''}`}
        onRowDoubleClicked={onDoubleClick} onRowContextMenu={onRowContextMenu} />
      <div className="muted stats-hint">Double-click a row to filter the packet list to it · click a column header to sort</div>
    </div>
  );
}
