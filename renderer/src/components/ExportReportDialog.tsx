// File → Export Tenant Report: HTML, CSV or JSON by the extension; the same code as `tunnelscope report`.
import { useState } from 'react';
import { service } from '../service-client';
import { FileWriteDialog } from './FileWriteDialog';

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
  const csv = path.toLowerCase().endsWith('.csv');
  const setFormat = (ext: string) => setPath(path.replace(/\.(html|htm|csv|json)$/i, '') + ext);
  const run = () =>
    service
      .call('exportReport', { sessionId, path, filter: useFilter ? filter : '', conversations: csv && conversations })
      .then((r) => `Wrote the ${r.format.toUpperCase()} tenant report to ${r.path}`);
  return (
    <FileWriteDialog title="Export Tenant Report" testId="report-dialog" path={path} onPath={setPath} pathTestId="report-path"
      runLabel="Export" busyLabel="Writing…" runTestId="report-run" canRun={true} run={run} onDone={onDone} onClose={onClose}>
      <div className="form-row">
        Format <button className="btn btn-small" onClick={() => setFormat('.html')}>HTML</button>
        <button className="btn btn-small" onClick={() => setFormat('.csv')}>CSV</button>
        <button className="btn btn-small" onClick={() => setFormat('.json')}>JSON</button>
      </div>
      <label className="form-row"><input type="checkbox" checked={useFilter} disabled={filter.trim() === ''} onChange={(e) => setUseFilter(e.target.checked)} /> Only frames matching the applied filter {filter.trim() ? <code>{filter}</code> : <span className="muted">(none applied)</span>}</label>
      {csv && <label className="form-row"><input type="checkbox" checked={conversations} onChange={(e) => setConversations(e.target.checked)} /> One row per conversation (instead of per tenant)</label>}
    </FileWriteDialog>
  );
}
