// File → Export Tenant Report: HTML, CSV or JSON by the extension; the same code as `tunnelscope report`.
import { useState } from 'react';
import { service } from '../service-client';

interface Props {
  sessionId: string;
  capturePath: string;
  filter: string;
  onDone(message: string): void;
  onClose(): void;
}

export function ExportReportDialog({ sessionId, capturePath, filter, onDone, onClose }: Props) {
  const base = capturePath.replace(/\.(pcapng|pcap|cap)$/i, '');
  const [path, setPath] = useState(`${base}-report.html`);
  const [useFilter, setUseFilter] = useState(false);
  const [conversations, setConversations] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const csv = path.toLowerCase().endsWith('.csv');
  const setFormat = (ext: string) => setPath(path.replace(/\.(html|htm|csv|json)$/i, '') + ext);
  const run = () => {
    setBusy(true);
    setError(null);
    service
      .call('exportReport', { sessionId, path, filter: useFilter ? filter : '', conversations: csv && conversations })
      .then((r) => onDone(`Wrote the ${r.format.toUpperCase()} tenant report to ${r.path}`))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal form-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Export tenant report" data-testid="report-dialog">
        <h2>Export Tenant Report</h2>
        <label className="form-row">File <input value={path} onChange={(e) => setPath(e.target.value)} data-testid="report-path" spellCheck={false} /></label>
        <div className="form-row">
          Format <button className="btn btn-small" onClick={() => setFormat('.html')}>HTML</button>
          <button className="btn btn-small" onClick={() => setFormat('.csv')}>CSV</button>
          <button className="btn btn-small" onClick={() => setFormat('.json')}>JSON</button>
        </div>
        <label className="form-row"><input type="checkbox" checked={useFilter} disabled={filter.trim() === ''} onChange={(e) => setUseFilter(e.target.checked)} /> Only frames matching the applied filter {filter.trim() ? <code>{filter}</code> : <span className="muted">(none applied)</span>}</label>
        {csv && <label className="form-row"><input type="checkbox" checked={conversations} onChange={(e) => setConversations(e.target.checked)} /> One row per conversation (instead of per tenant)</label>}
        {error && <div className="error-text">{error}</div>}
        <div className="modal-buttons">
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn btn-primary" disabled={busy} onClick={run} data-testid="report-run">{busy ? 'Writing…' : 'Export'}</button>
        </div>
      </div>
    </div>
  );
}
