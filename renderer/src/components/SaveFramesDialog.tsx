// File → Save Displayed As: the displayed frames (the applied filter) or one tenant's, optionally only
// the inner frames, to pcap or pcapng; the same code as `tunnelscope export`.
import { useEffect, useState } from 'react';
import type { SaveFramesResult } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';
import { FileWriteDialog } from './FileWriteDialog';

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
  const format = path.toLowerCase().endsWith('.pcap') ? 'pcap' : 'pcapng';
  const save = () =>
    service
      .call('saveFrames', { sessionId, path, format, filter: useFilter ? filter : '', tenant, decap })
      .then((r: SaveFramesResult) => {
        const skipped = Object.entries(r.skipped).map(([why, n]) => `${formatCount(n)} ${why}`).join(', ');
        return `Saved ${formatCount(r.written)} frames to ${r.path}${skipped ? ` (skipped: ${skipped})` : ''}`;
      });
  return (
    <FileWriteDialog title="Save Displayed As" testId="save-dialog" path={path} onPath={setPath} pathTestId="save-path"
      runLabel="Save" busyLabel="Saving…" runTestId="save-run" errorTestId="save-error" canRun={path.trim() !== ''} run={save} onDone={onDone} onClose={onClose}>
      <div className="muted form-note">Format from the extension: .pcapng (default) or .pcap</div>
      <label className="form-row"><input type="checkbox" checked={useFilter} disabled={filter.trim() === ''} onChange={(e) => setUseFilter(e.target.checked)} /> Only the displayed frames {filter.trim() ? <code>{filter}</code> : <span className="muted">(no filter applied: every frame)</span>}</label>
      <label className="form-row">Tenant
        <select value={tenant} onChange={(e) => setTenant(e.target.value)} data-testid="save-tenant">
          <option value="">Any</option>
          {tenants.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <label className="form-row"><input type="checkbox" checked={decap} onChange={(e) => setDecap(e.target.checked)} data-testid="save-decap" /> Decapsulate: write only the inner frames</label>
    </FileWriteDialog>
  );
}
