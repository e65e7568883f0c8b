// The status bar: the last message, frame counts of the capture and the view, the selected frame.
import type { SessionInfo, ViewState } from '../../../src/service/api';
import { formatCount } from '../format';
import { service } from '../service-client';

interface Props {
  message: string;
  session: SessionInfo | null;
  view: ViewState | null;
  selectedFrame: number | null;
  onStopIndexing(): void;
}

export function StatusBar({ message, session, view, selectedFrame, onStopIndexing }: Props) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-message">{message || 'Ready'}</span>
      {session && view && (
        <span className="status-counts" data-testid="status-counts">
          Frames: {formatCount(session.frames)}
          {session.indexing ? (session.live ? ' (capturing)' : ' (indexing)') : ''} · Displayed: {formatCount(view.count)}
          {view.filter ? ` (${session.frames > 0 ? ((100 * view.count) / session.frames).toFixed(1) : '0'}%)` : ''}
          {selectedFrame !== null ? ` · Selected: ${selectedFrame}` : ''}
        </span>
      )}
      {session?.indexing && !session.live && (
        <button className="btn btn-small" onClick={onStopIndexing}>Stop indexing</button>
      )}
      <span className="status-transport muted">{service.transport === 'electron' ? 'desktop' : 'browser mode'}</span>
    </footer>
  );
}
