// The Statistics tab, as Wireshark's Statistics menu: Conversations and Endpoints, Expert Info,
// Protocol Hierarchy and the I/O graph, over the whole capture or, with "Limit to display filter",
// over the frames the packet list's filter matches (each computed once in the analysis worker).
import { useState } from 'react';
import type { CaptureStatistics, ExpertItem, TenantsReport } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes, formatCount } from '../format';
import { useRefreshing } from '../use-refreshing';
import { AnalysisProgress } from '../components/AnalysisProgress';
import { StatisticsTable } from './StatisticsTable';
import { TrafficChart } from './TrafficChart';

type Page = 'conversations' | 'expert' | 'hierarchy' | 'io';
const PAGES: { id: Page; label: string }[] = [
  { id: 'conversations', label: 'Conversations & Endpoints' },
  { id: 'expert', label: 'Expert Info' },
  { id: 'hierarchy', label: 'Protocol Hierarchy' },
  { id: 'io', label: 'I/O Graph' },
];

interface Props {
  sessionId: string;
  live: boolean;
  onFilter(filter: string): void;
  onGoto(frame: number): void;
  onMessage(text: string): void;
  /** Right-click on a conversation or endpoint: its filter. */
  onRowMenu?(filter: string, value: string, x: number, y: number): void;
  /** The packet list's applied display filter ("" none): the statistics can be limited to its frames. */
  displayFilter: string;
}

export function StatisticsView({ sessionId, live, onFilter, onGoto, onMessage, onRowMenu, displayFilter }: Props) {
  const [page, setPage] = useState<Page>('conversations');
  const [limit, setLimit] = useState(false);
  const limitTo = limit ? displayFilter : '';
  return (
    <div className="statistics-view" data-testid="statistics-view">
      <div className="tabs stats-pages">
        {PAGES.map((p) => (
          <button key={p.id} className={`tab ${page === p.id ? 'active' : ''}`} onClick={() => setPage(p.id)} data-testid={`stats-page-${p.id}`}>{p.label}</button>
        ))}
        <label className="stats-limit" title={displayFilter ? `Only the frames matching: ${displayFilter}` : 'Apply a display filter in the packet list first'}>
          <input type="checkbox" checked={limit} onChange={(e) => setLimit(e.target.checked)} disabled={displayFilter === ''} data-testid="stats-limit" /> Limit to display filter
          {limit && displayFilter !== '' && <code className="muted"> {displayFilter}</code>}
        </label>
      </div>
      <section className="panel stats-panel">
        {page === 'conversations' && (
          <StatisticsTable key={limitTo} sessionId={sessionId} tenant={null} displayFilter={limitTo} onFilter={onFilter} onMessage={onMessage} onRowContextMenu={onRowMenu && ((row, e) => onRowMenu(row.filter, 'a' in row ? `${row.a} ⇄ ${row.b}` : row.address, e.clientX, e.clientY))} />
        )}
        {(page === 'expert' || page === 'hierarchy') && <PassViews key={limitTo} page={page} sessionId={sessionId} live={live} displayFilter={limitTo} onFilter={onFilter} onGoto={onGoto} onMessage={onMessage} />}
        {page === 'io' && <IoGraph key={limitTo} sessionId={sessionId} live={live} displayFilter={limitTo} onMessage={onMessage} />}
      </section>
    </div>
  );
}

function PassViews({ page, sessionId, live, onFilter, onGoto, onMessage, displayFilter }: Props & { page: 'expert' | 'hierarchy' }) {
  const [attempt, setAttempt] = useState(0);
  const stats = useRefreshing<CaptureStatistics>(() => service.call('captureStatistics', { sessionId, displayFilter }), `${sessionId}#${attempt}#${displayFilter}`, live, onMessage);
  if (!stats) return <AnalysisProgress sessionId={sessionId} what={page === 'expert' ? 'Expert Info' : 'Protocol Hierarchy'} onRestart={() => setAttempt((n) => n + 1)} />;
  return page === 'expert' ? <ExpertTable items={stats.expert} onFilter={onFilter} onGoto={onGoto} /> : <HierarchyTable stats={stats} />;
}

function ExpertTable({ items, onFilter, onGoto }: { items: ExpertItem[]; onFilter(f: string): void; onGoto(frame: number): void }) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = items.filter((i) => needle === '' || `${i.group} ${i.summary} ${i.tenant}`.toLowerCase().includes(needle));
  const totals = { error: 0, warning: 0, note: 0 };
  for (const i of items) totals[i.severity] += i.count;
  return (
    <div className="expert" data-testid="expert-info">
      <div className="tabs">
        <span className="sev-count sev-error">Errors {formatCount(totals.error)}</span>
        <span className="sev-count sev-warning">Warnings {formatCount(totals.warning)}</span>
        <span className="sev-count sev-note">Notes {formatCount(totals.note)}</span>
        <input className="stats-search" placeholder="Search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <span className="muted tab-note">Click the frame number to go to it · Filter shows every frame of the item</span>
      </div>
      <div className="scroll">
        <table className="data-table">
          <thead>
            <tr><th>Severity</th><th>Group</th><th>Summary</th><th>Tenant</th><th className="num">Count</th><th className="num">First frame</th><th /></tr>
          </thead>
          <tbody>
            {shown.length === 0 && <tr><td colSpan={7} className="muted">{items.length === 0 ? 'No expert items: no malformed frames, fragments, MAC moves, unknown-unicast floods or findings.' : 'Nothing matches the search.'}</td></tr>}
            {shown.map((i, k) => (
              <tr key={k} className={`sev-row sev-${i.severity}`} data-testid="expert-row">
                <td><span className={`sev-badge sev-${i.severity}`}>{i.severity}</span></td>
                <td>{i.group}</td>
                <td className="wrap">{i.summary}</td>
                <td>{i.tenant && <span className="tenant-chip">{i.tenant}</span>}</td>
                <td className="num">{formatCount(i.count)}</td>
                <td className="num">{i.firstFrame !== null && <a className="frame-link" onClick={() => onGoto(i.firstFrame!)} data-testid="expert-frame">{i.firstFrame}</a>}</td>
                <td>{i.filter && <button className="btn btn-small" onClick={() => onFilter(i.filter!)} title={i.filter}>Filter</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function HierarchyTable({ stats }: { stats: CaptureStatistics }) {
  return (
    <div className="scroll" data-testid="protocol-hierarchy">
      <table className="data-table">
        <thead>
          <tr><th>Protocol</th><th className="num">Percent packets</th><th className="num">Packets</th><th className="num">Percent bytes</th><th className="num">Bytes</th></tr>
        </thead>
        <tbody>
          {stats.hierarchy.map((r, k) => (
            <tr key={k} data-testid="hierarchy-row">
              <td style={{ paddingLeft: 6 + 16 * r.depth }} title={r.protocol}>{r.name}</td>
              <td className="num"><span className="share-bar" style={{ width: `${Math.round(60 * r.frameShare)}px` }} />{(100 * r.frameShare).toFixed(1)}%</td>
              <td className="num">{formatCount(r.frames)}</td>
              <td className="num">{(100 * r.byteShare).toFixed(1)}%</td>
              <td className="num">{formatBytes(r.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted stats-hint">{formatCount(stats.frames)} frames, {formatBytes(stats.bytes)}; each protocol counts the frames whose layers start with its chain (tshark -z io,phs).</div>
    </div>
  );
}

function IoGraph({ sessionId, live, onMessage, displayFilter }: { sessionId: string; live: boolean; onMessage(t: string): void; displayFilter: string }) {
  const [attempt, setAttempt] = useState(0);
  const report = useRefreshing<TenantsReport>(() => service.call('tenants', { sessionId, displayFilter }), `${sessionId}#${attempt}#${displayFilter}`, live, onMessage);
  if (!report) return <AnalysisProgress sessionId={sessionId} what="I/O graph" onRestart={() => setAttempt((n) => n + 1)} />;
  return (
    <div className="io-page">
      <h3>Frames per second per tenant <span className="muted">(averaged over {report.traffic.bucketSeconds} s; tick tenants to compare them)</span></h3>
      <TrafficChart traffic={report.traffic} height={360} />
    </div>
  );
}
