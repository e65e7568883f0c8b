// Follow TCP/UDP Stream: the conversation's payloads as text, A's in red and B's in blue as in
// Wireshark, with the stream's filter one click away.
import { useEffect, useState } from 'react';
import type { FollowedStream } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';

interface Props {
  sessionId: string;
  frame: number;
  onFilter(filter: string): void;
  onClose(): void;
}

function printable(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) {
    const b = parseInt(hex.slice(i, i + 2), 16);
    out += b === 0x0a || b === 0x0d || b === 0x09 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : '.';
  }
  return out;
}

export function FollowStreamDialog({ sessionId, frame, onFilter, onClose }: Props) {
  const [stream, setStream] = useState<FollowedStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [show, setShow] = useState<'both' | 'a' | 'b'>('both');
  useEffect(() => {
    service.call('followStream', { sessionId, frame }).then(setStream, (e: Error) => setError(e.message));
  }, [sessionId, frame]);
  const segments = stream?.segments.filter((s) => show === 'both' || (show === 'a') === s.fromA) ?? [];
  const bytesA = stream?.segments.filter((s) => s.fromA).reduce((n, s) => n + s.bytesHex.length / 2, 0) ?? 0;
  const bytesB = stream?.segments.filter((s) => !s.fromA).reduce((n, s) => n + s.bytesHex.length / 2, 0) ?? 0;
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal follow-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Follow stream" data-testid="follow-dialog">
        <h2>
          Follow {stream ? stream.protocol.toUpperCase() : ''} Stream {stream && <span className="muted">{stream.a} ⇄ {stream.b}{stream.tenant ? ` in ${stream.tenant}` : ''}</span>}
        </h2>
        {error && <div className="error-text">{error}</div>}
        {!stream && !error && <div className="muted">Collecting the stream's payloads…</div>}
        {stream && (
          <>
            <pre className="follow-text" data-testid="follow-text">
              {segments.length === 0 && <span className="muted">This stream carries no payload.</span>}
              {segments.map((s, i) => (
                <span key={i} className={s.fromA ? 'follow-a' : 'follow-b'} title={`frame ${s.frame}`}>{printable(s.bytesHex)}</span>
              ))}
            </pre>
            <div className="follow-footer">
              <span className="follow-a">{stream.a} → {stream.b}: {formatCount(bytesA)} bytes</span>
              <span className="follow-b">{stream.b} → {stream.a}: {formatCount(bytesB)} bytes</span>
              {stream.truncated && <span className="muted">(the first 16 MiB)</span>}
              <select value={show} onChange={(e) => setShow(e.target.value as 'both' | 'a' | 'b')}>
                <option value="both">Entire conversation</option>
                <option value="a">{stream.a} → {stream.b} only</option>
                <option value="b">{stream.b} → {stream.a} only</option>
              </select>
            </div>
          </>
        )}
        <div className="modal-buttons">
          {stream && <button className="btn" onClick={() => (onFilter(stream.filter), onClose())} data-testid="follow-filter">Filter this stream</button>}
          <button className="btn btn-primary" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
