// Analyze → Decode As: rules in tshark's -d syntax (`udp.port==4790,vxlan`), one per line, the same
// rules and engine code as the CLI's --decode-as. Applying them indexes and dissects the capture again.
import { useState } from 'react';
import type { SessionInfo } from '../../../src/service/api';
import { service } from '../service-client';

interface Props {
  session: SessionInfo;
  /** A rule to add, e.g. from a right-clicked UDP port ("udp.port==4790,vxlan"). */
  proposed: string | null;
  onApplied(info: SessionInfo): void;
  onClose(): void;
}

export function DecodeAsDialog({ session, proposed, onApplied, onClose }: Props) {
  const initial = [...session.decodeAs, ...(proposed && !session.decodeAs.includes(proposed) ? [proposed] : [])];
  const [text, setText] = useState(initial.join('\n'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = () => {
    setBusy(true);
    service
      .call('decodeAs', { sessionId: session.sessionId, rules: text.split('\n').map((l) => l.trim()).filter((l) => l !== '') })
      .then(onApplied, (e: Error) => (setError(e.message), setBusy(false)));
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal decode-as-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Decode As" data-testid="decode-as-dialog">
        <h3>Decode As</h3>
        <p className="muted">One rule per line, TABLE==VALUE,PROTOCOL as tshark's -d: e.g. udp.port==4790,vxlan. The capture is indexed and dissected again with them.</p>
        <textarea rows={5} cols={60} value={text} onChange={(e) => setText(e.target.value)} data-testid="decode-as-rules" autoFocus />
        {error && <div className="error-line" data-testid="decode-as-error">{error}</div>}
        <div className="modal-buttons">
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn btn-primary" disabled={busy} onClick={apply} data-testid="decode-as-apply">Apply</button>
        </div>
      </div>
    </div>
  );
}
