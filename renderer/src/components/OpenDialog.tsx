// Open a capture: samples, recent files, a path field and a small browser of the machine's folders
// (in browser mode the page cannot see local paths, so the service lists them). Several hosts'
// captures open as one: tick them (each may be given a name, FILE@NAME), open a whole folder, or type
// several paths separated by commas.
import { useEffect, useState } from 'react';
import type { Listing } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes } from '../format';

interface Props {
  /** One path opens that capture (a folder: its captures as one); several are read as one capture. */
  onOpen(paths: string[]): void;
  onClose(): void;
}

interface Picked {
  path: string;
  /** FILE@NAME's name ("" for the file name). */
  name: string;
}

/** "a.pcapng, b.pcapng@hv2": the typed field's paths. */
function typedPaths(text: string): string[] {
  return text.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

const baseName = (p: string) => p.replace(/\/+$/, '').split('/').pop() ?? p;

export function OpenDialog({ onOpen, onClose }: Props) {
  const [recent, setRecent] = useState<string[]>([]);
  const [samples, setSamples] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Picked[]>([]);

  const browse = (dir: string) =>
    service.call('listDirectory', { path: dir }).then((l) => (setListing(l), setError(null))).catch((e: Error) => setError(e.message));

  useEffect(() => {
    service.call('recentFiles', {}).then((r) => {
      setRecent(r.files);
      setSamples(r.samples);
      const start = r.files[0] ?? r.samples[0];
      if (start) void browse(start.replace(/\/+$/, '').slice(0, start.replace(/\/+$/, '').lastIndexOf('/')) || '/');
    });
  }, []);

  const pick = (path: string) => path.trim() && onOpen([path.trim()]);
  const openTyped = () => {
    const paths = typedPaths(typed);
    if (paths.length > 0) onOpen(paths);
  };
  const isPicked = (path: string) => picked.some((p) => p.path === path);
  const toggle = (path: string) => setPicked((list) => (list.some((p) => p.path === path) ? list.filter((p) => p.path !== path) : [...list, { path, name: '' }]));
  const rename = (path: string, name: string) => setPicked((list) => list.map((p) => (p.path === path ? { ...p, name } : p)));
  const capturesHere = listing?.entries.filter((e) => e.kind === 'capture').length ?? 0;

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal open-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Open capture">
        <h2>Open capture</h2>
        <div className="open-path">
          <input
            autoFocus
            placeholder="/path/to/capture.pcapng — or several hosts' captures: a folder, or paths separated by commas (FILE@NAME names one)"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => (e.key === 'Enter' ? openTyped() : e.key === 'Escape' ? onClose() : undefined)}
            data-testid="open-path"
          />
          <button className="btn btn-primary" onClick={openTyped} data-testid="open-path-button">Open</button>
        </div>
        {error && <div className="error-text">{error}</div>}
        <div className="open-columns">
          <div className="open-list">
            <h3>Samples</h3>
            {samples.length === 0 && <div className="muted">none found</div>}
            {samples.map((s) => (
              <button key={s} className="link-row" onClick={() => pick(s)} title={s.endsWith('/') ? `${s}: every capture in the folder, read as one` : s} data-testid="open-sample">
                {s.endsWith('/') ? `${baseName(s)}/ (several hosts, as one)` : s.split('/').slice(-2).join('/')}
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
            {listing && capturesHere > 1 && (
              <button className="btn btn-small" onClick={() => pick(listing.path)} data-testid="open-folder" title="Every capture in this folder, merged by corrected time (one per host)">
                Open the folder's {capturesHere} captures as one
              </button>
            )}
            {listing?.parent && <button className="link-row dir" onClick={() => browse(listing.parent!)}>⬑ ..</button>}
            {listing?.entries.map((e) =>
              e.kind === 'dir' ? (
                <button key={e.path} className="link-row dir" onClick={() => browse(e.path)}>📁 {e.name}</button>
              ) : (
                <div key={e.path} className="open-entry">
                  {e.kind === 'capture' && (
                    <input type="checkbox" checked={isPicked(e.path)} onChange={() => toggle(e.path)} title="Pick several hosts' captures to open as one" data-testid={`open-pick-${e.name}`} />
                  )}
                  <button className={`link-row ${e.kind === 'capture' ? '' : 'muted'}`} onClick={() => pick(e.path)}>
                    {e.name} <span className="muted">{formatBytes(e.sizeBytes)}</span>
                  </button>
                </div>
              ),
            )}
          </div>
        </div>
        {picked.length > 0 && (
          <div className="open-picked" data-testid="open-picked">
            <h3>Read as one capture (merged by corrected time, each transmission counted once)</h3>
            {picked.map((p) => (
              <div key={p.path} className="open-picked-row">
                <span className="open-picked-path" title={p.path}>{p.path}</span>
                <span className="muted">@</span>
                <input placeholder={`name (default ${baseName(p.path)}; an IPv4 address is its VTEP)`} value={p.name} onChange={(e) => rename(p.path, e.target.value.replace(/[@,]/g, ''))} data-testid={`open-name-${baseName(p.path)}`} />
                <button className="btn btn-small" onClick={() => toggle(p.path)} title="Leave this capture out">×</button>
              </div>
            ))}
          </div>
        )}
        <div className="modal-buttons">
          {picked.length > 0 && (
            <button className="btn btn-primary" onClick={() => onOpen(picked.map((p) => (p.name.trim() ? `${p.path}@${p.name.trim()}` : p.path)))} data-testid="open-picked-button">
              Open {picked.length} capture{picked.length > 1 ? 's' : ''} as one
            </button>
          )}
          <button className="btn" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
