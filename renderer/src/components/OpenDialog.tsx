// Open a capture: samples, recent files, a path field and a small browser of the machine's folders
// (in browser mode the page cannot see local paths, so the service lists them).
import { useEffect, useState } from 'react';
import type { Listing } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes } from '../format';

interface Props {
  onOpen(path: string): void;
  onClose(): void;
}

export function OpenDialog({ onOpen, onClose }: Props) {
  const [recent, setRecent] = useState<string[]>([]);
  const [samples, setSamples] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);

  const browse = (dir: string) =>
    service.call('listDirectory', { path: dir }).then((l) => (setListing(l), setError(null))).catch((e: Error) => setError(e.message));

  useEffect(() => {
    service.call('recentFiles', {}).then((r) => {
      setRecent(r.files);
      setSamples(r.samples);
      const start = r.files[0] ?? r.samples[0];
      if (start) void browse(start.slice(0, start.lastIndexOf('/')) || '/');
    });
  }, []);

  const pick = (path: string) => path.trim() && onOpen(path.trim());

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal open-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Open capture">
        <h2>Open capture</h2>
        <div className="open-path">
          <input
            autoFocus
            placeholder="/path/to/capture.pcapng"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => (e.key === 'Enter' ? pick(typed) : e.key === 'Escape' ? onClose() : undefined)}
            data-testid="open-path"
          />
          <button className="btn btn-primary" onClick={() => pick(typed)} data-testid="open-path-button">Open</button>
        </div>
        {error && <div className="error-text">{error}</div>}
        <div className="open-columns">
          <div className="open-list">
            <h3>Samples</h3>
            {samples.length === 0 && <div className="muted">none found</div>}
            {samples.map((s) => (
              <button key={s} className="link-row" onClick={() => pick(s)} title={s} data-testid="open-sample">
                {s.split('/').slice(-2).join('/')}
              </button>
            ))}
            <h3>Recent</h3>
            {recent.length === 0 && <div className="muted">nothing opened yet</div>}
            {recent.map((s) => (
              <button key={s} className="link-row" onClick={() => pick(s)} title={s}>{s}</button>
            ))}
          </div>
          <div className="open-browser">
            <h3>{listing?.path ?? 'Folder'}</h3>
            {listing?.parent && <button className="link-row dir" onClick={() => browse(listing.parent!)}>⬑ ..</button>}
            {listing?.entries.map((e) =>
              e.kind === 'dir' ? (
                <button key={e.path} className="link-row dir" onClick={() => browse(e.path)}>📁 {e.name}</button>
              ) : (
                <button key={e.path} className={`link-row ${e.kind === 'capture' ? '' : 'muted'}`} onClick={() => pick(e.path)}>
                  {e.name} <span className="muted">{formatBytes(e.sizeBytes)}</span>
                </button>
              ),
            )}
          </div>
        </div>
        <div className="modal-buttons">
          <button className="btn" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
