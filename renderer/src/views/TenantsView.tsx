// Tenants: who is in this capture (VNI / VSID / GRE key), their conversations by layer, traffic over
// time and findings. Clicking a row filters the packet list to it.
import { useEffect, useState } from 'react';
import type { TenantsReport } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes, formatCount } from '../format';
import { useRefreshing } from '../use-refreshing';
import { AnalysisProgress } from '../components/AnalysisProgress';
import { prefetchFirstPage, StatisticsTable } from './StatisticsTable';
import { TrafficChart } from './TrafficChart';

interface Props {
  sessionId: string;
  /** A live capture is running: the figures are refreshed as it grows. */
  live: boolean;
  onFilter(filter: string): void;
  onGoto(frame: number): void;
  onMessage(text: string): void;
}


export function TenantsView({ sessionId, live, onFilter, onGoto, onMessage }: Props) {
  const [attempt, setAttempt] = useState(0);
  const report = useRefreshing<TenantsReport>(() => service.call('tenants', { sessionId }), `${sessionId}#${attempt}`, live, onMessage);
  const [tenant, setTenant] = useState<string | null>(null);
  // The conversations table's first page is asked for with the report, not after the report is drawn.
  useEffect(() => (live ? undefined : prefetchFirstPage(sessionId)), [sessionId, live, attempt]);

  if (!report) return <AnalysisProgress sessionId={sessionId} what="Tenants" onRestart={() => setAttempt((n) => n + 1)} />;

  return (
    <div className="tenants-view" data-testid="tenants-view">
      <section className="panel tenants-table">
        <h3>
          Tenants <span className="muted">({report.tenants.length}) — click: show its conversations · Filter: show its packets</span>
          {report.live && <span className="badge live-badge">live · {formatCount(report.frames)} frames so far</span>}
        </h3>
        <div className="scroll">
          <table className="data-table">
            <thead>
              <tr><th>Tenant</th><th className="num">Frames</th><th className="num">Bytes (outer)</th><th className="num" title="Frames flooded: broadcast, multicast or unknown unicast">Flooded</th><th className="num">First (s)</th><th className="num">Last (s)</th><th>VTEPs (underlay)</th><th /></tr>
            </thead>
            <tbody>
              {report.tenants.length === 0 && <tr><td colSpan={8} className="muted">{report.live ? 'No tunnelled traffic captured yet.' : 'No tunnelled traffic in this capture.'}</td></tr>}
              {report.tenants.map((t) => (
                <tr key={t.tenant} className={tenant === t.tenant ? 'selected' : ''} onClick={() => setTenant(tenant === t.tenant ? null : t.tenant)} onDoubleClick={() => onFilter(`tenant == ${t.tenant}`)} data-testid="tenant-row" data-tenant={t.tenant} data-frames={t.frames} data-bytes={t.bytes}>
                  <td><span className="tenant-chip">{t.tenant}</span></td>
                  <td className="num">{formatCount(t.frames)}</td>
                  <td className="num">{formatBytes(t.bytes)}</td>
                  <td className="num" title={`${formatCount(t.floodFrames)} frames flooded`}>{(100 * t.floodShare).toFixed(1)}%</td>
                  <td className="num">{t.firstTime.toFixed(3)}</td>
                  <td className="num">{t.lastTime.toFixed(3)}</td>
                  <td className="wrap">{t.vteps.slice(0, 6).join(', ')}{t.vteps.length > 6 ? ` +${t.vteps.length - 6}` : ''}</td>
                  <td><button className="btn btn-small" onClick={(e) => (e.stopPropagation(), onFilter(`tenant == ${t.tenant}`))}>Filter</button></td>
                </tr>
              ))}
              {report.underlay.frames > 0 && (
                <tr className="underlay-row" data-testid="underlay-row" data-frames={report.underlay.frames} data-bytes={report.underlay.bytes} onClick={() => onFilter('!tenant')} title="Frames outside any overlay: the underlay itself (IGMP, routing, management)">
                  <td className="muted">underlay (no tenant)</td>
                  <td className="num">{formatCount(report.underlay.frames)}</td>
                  <td className="num">{formatBytes(report.underlay.bytes)}</td>
                  <td colSpan={5} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel chart-panel">
        <h3>Traffic over time per tenant <span className="muted">(frames per second, averaged over {report.traffic.bucketSeconds} s)</span></h3>
        <TrafficChart traffic={report.traffic} />
      </section>
      <section className="panel conversations">
        <StatisticsTable sessionId={sessionId} tenant={tenant} onFilter={onFilter} onMessage={onMessage} />
      </section>
      <section className="panel findings">
        <h3>Findings <span className="muted">({report.findings.length})</span></h3>
        <div className="scroll">
          {report.findings.length === 0 && <div className="muted">Nothing unusual.</div>}
          {report.findings.map((f, i) => (
            <div key={i} className={`finding sev-${f.severity}`} onClick={() => (f.frame !== null ? onGoto(f.frame) : f.filter && onFilter(f.filter))} data-testid="finding">
              <span className="sev">{f.severity}</span>
              {f.frame !== null && <span className="frame-link">frame {f.frame}</span>}
              {f.tenant && <span className="tenant-chip">{f.tenant}</span>}
              <span>{f.message}</span>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
