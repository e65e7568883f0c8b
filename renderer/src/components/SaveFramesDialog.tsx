// File → Save Displayed As: the displayed frames (the applied filter) or one tenant's, optionally only
// the inner frames, to pcap or pcapng; the same code as `tunnelscope export`.
import { useEffect, useState } from 'react';
import type { SaveFramesResult } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';

interface Props {
  sessionId: string;
  capturePath: string;
  filter: string;
  onDone(message: string): void;
  onClose(): void;
}

export function SaveFramesDialog({ sessionId, capturePath, filter, onDone, onClose }: Props) {
  const [tenants, setTenants] = useState<string[]>([]);
  useEffect(() => {
    service.call('tenants', { sessionId }).then((r) => setTenants(r.tenants.map((t) => t.tenant))).catch(() => undefined);
  }, [sessionId]);
  const base = capturePath.replace(/\.(pcapng|pcap|cap)$/i, '');
  const [path, setPath] = useState(`${base}-displayed.pcapng`);
  const [useFilter, setUseFilter] = useState(filter.trim() !== '');
  const [tenant, setTenant] = useState('');
  const [decap, setDecap] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const format = path.toLowerCase().endsWith('.pcap') ? 'pcap' : 'pcapng';
  const save = () => {
    setBusy(true);
    setError(null);
    service
      .call('saveFrames', { sessionId, path, format, filter: useFilter ? filter : '', tenant, decap })
      .then((r: SaveFramesResult) => {
        const skipped = Object.entries(r.skipped).map(([why, n]) => `${formatCount(n)} ${why}`).join(', ');
        onDone(`Saved ${formatCount(r.written)} frames to ${r.path}${skipped ? ` (skipped: ${skipped})` : ''}`);
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal form-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Save displayed as" data-testid="save-dialog">
        <h2>Save Displayed As</h2>
        <label className="form-row">File <input value={path} onChange={(e) => setPath(e.target.value)} data-testid="save-path" spellCheck={false} /></label>
        <div className="muted form-note">Format from the extension: .pcapng (default) or .pcap</div>
        <label className="form-row"><input type="checkbox" checked={useFilter} disabled={filter.trim() === ''} onChange={(e) => setUseFilter(e.target.checked)} /> Only the displayed frames {filter.trim() ? <code>{filter}</code> : <span className="muted">(no filter applied: every frame)</span>}</label>
        <label className="form-row">Tenant
          <select value={tenant} onChange={(e) => setTenant(e.target.value)} data-testid="save-tenant">
            <option value="">Any</option>
            {tenants.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="form-row"><input type="checkbox" checked={decap} onChange={(e) => setDecap(e.target.checked)} data-testid="save-decap" /> Decapsulate: write only the inner frames</label>
        {error && <div className="error-text" data-testid="save-error">{error}</div>}
        <div className="modal-buttons">
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn btn-primary" disabled={busy || path.trim() === ''} onClick={save} data-testid="save-run">{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </div>
    </div>
  );
}
