// The header: the open file with its size and time span, the view tabs, Capture and Open.
import type { ReactNode } from 'react';
import type { SessionInfo } from '../../../src/service/api';
import { formatBytes, formatCount, formatDate } from '../format';

export interface TabInfo<T extends string> {
  id: T;
  label: string;
  key: string;
}

interface Props<T extends string> {
  session: SessionInfo | null;
  tabs: TabInfo<T>[];
  tab: T;
  onTab(tab: T): void;
  onCapture(): void;
  onOpen(): void;
  /** The File menu. */
  menu?: ReactNode;
}

export function Header<T extends string>({ session, tabs, tab, onTab, onCapture, onOpen, menu }: Props<T>) {
  return (
    <header className="header">
      <div className="brand">Tunnelscope</div>
      {menu}
      <div className="file-info" data-testid="file-info" data-path={session?.path ?? ''} data-indexing={session ? (session.indexing ? 'yes' : 'no') : ''}>
        {session ? (
          <>
            <span className="file-name" title={session.path}>{session.name}</span>
            <span className="file-meta">
              {session.format} · {formatBytes(session.sizeBytes)} · {formatCount(session.frames)} frames
              {session.firstTime !== null && ` · ${formatDate(session.firstTime)}`}
              {session.decodeAs.length > 0 && <span className="badge" title="Decode As rules in force" data-testid="decode-as-badge"> Decode As: {session.decodeAs.join('; ')}</span>}
              {session.lastTime !== null && session.firstTime !== null && ` · ${(session.lastTime - session.firstTime).toFixed(3)} s`}
              {session.captures && (
                <span data-testid="capture-set" title={session.captures.map((c) => `${c.name}: host ${c.host ?? 'unknown'}, clock ${c.clockOffset >= 0 ? '+' : ''}${(c.clockOffset * 1000).toFixed(3)} ms, ${c.frames} frames`).join('\n')}>
                  {` · ${session.captures.length} captures merged by corrected time`}
                </span>
              )}
            </span>
          </>
        ) : (
          <span className="file-meta">No capture open</span>
        )}
      </div>
      <nav className="view-tabs">
        {tabs.map((t) => (
          <button key={t.id} className={`view-tab ${tab === t.id ? 'active' : ''}`} disabled={!session} onClick={() => onTab(t.id)} title={`Ctrl+${t.key}`} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </nav>
      <button className="btn btn-header" onClick={onCapture} data-testid="capture-button">Capture… <kbd>Ctrl+K</kbd></button>
      <button className="btn btn-header" onClick={onOpen} data-testid="open-button">Open… <kbd>Ctrl+O</kbd></button>
    </header>
  );
}
