// File menu (both in the browser and the desktop window): Open, Open Recent, Save Displayed As,
// Export Tenant Report.
import { useState } from 'react';
import { service } from '../service-client';

interface Props {
  haveCapture: boolean;
  onOpen(): void;
  onOpenPath(path: string): void;
  onSaveAs(): void;
  onReport(): void;
}

export function FileMenu({ haveCapture, onOpen, onOpenPath, onSaveAs, onReport }: Props) {
  const [open, setOpen] = useState(false);
  const [recent, setRecent] = useState<string[]>([]);
  const toggle = () => {
    if (!open) service.call('recentFiles', {}).then((r) => setRecent(r.files)).catch(() => setRecent([]));
    setOpen(!open);
  };
  const run = (f: () => void) => () => (setOpen(false), f());
  return (
    <div className="file-menu" onMouseLeave={() => setOpen(false)}>
      <button className="btn btn-header" onClick={toggle} data-testid="file-menu">File ▾</button>
      {open && (
        <ul className="context-menu file-menu-list" role="menu">
          <li className="menu-item" onClick={run(onOpen)}>Open…  <span className="muted">Ctrl+O</span></li>
          <li className="menu-item menu-group muted">Open Recent</li>
          {recent.length === 0 && <li className="menu-item disabled">(none yet)</li>}
          {recent.map((f) => (
            <li key={f} className="menu-item menu-recent" onClick={run(() => onOpenPath(f))} title={f}>{f.split('/').pop()} <span className="muted">{f}</span></li>
          ))}
          <li className="menu-separator" />
          <li className={`menu-item ${haveCapture ? '' : 'disabled'}`} onClick={haveCapture ? run(onSaveAs) : undefined} data-testid="menu-save-as">Save Displayed As…  <span className="muted">Ctrl+Shift+S</span></li>
          <li className={`menu-item ${haveCapture ? '' : 'disabled'}`} onClick={haveCapture ? run(onReport) : undefined} data-testid="menu-report">Export Tenant Report…</li>
        </ul>
      )}
    </div>
  );
}
