// Paths: several hosts' captures correlated (service call capturePaths, like `tunnelscope paths`).
// A VTEP-pair matrix with loss and one-way latency; a click on a cell lists the frames lost on
// that path (the sender's capture and frame number). When the open capture is that set, a lost frame
// is a link to it in the packet list (the merged frame number).
import { useEffect, useRef, useState } from 'react';
import type { PathPairView, PathsView as PathsResult, SessionInfo } from '../../../src/service/api';
import { service } from '../service-client';

interface Props {
  /** The open capture: a set is correlated at once; of one file, its folder is offered. */
  session: SessionInfo;
  /** Shows a frame (1-based, of the open capture) in the packet list. */
  onGoto(frame: number): void;
}

const cellStyle = { padding: '4px 8px', border: '1px solid var(--border, #ccc)', textAlign: 'right' as const, cursor: 'pointer', whiteSpace: 'nowrap' as const };

function micro(seconds: number): string {
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

function lossColour(pair: PathPairView): string {
  if (pair.sent === 0 || pair.lost === 0) return 'transparent';
  const share = pair.lost / pair.sent;
  return share >= 0.05 ? 'rgba(220, 50, 50, 0.35)' : 'rgba(230, 160, 40, 0.3)';
}

const splitPaths = (text: string) => text.split(/\s*,\s*|\s+(?=\/)/).map((p) => p.trim()).filter((p) => p !== '');

export function PathsView({ session, onGoto }: Props) {
  const isSet = session.captures !== null;
  const folder = isSet ? session.paths.join(', ') : session.path.slice(0, session.path.lastIndexOf('/'));
  const [input, setInput] = useState(folder);
  /** The paths the shown result correlated: its merged frames are the packet list's when they are the session's. */
  const [correlated, setCorrelated] = useState<string[] | null>(null);
  const [result, setResult] = useState<PathsResult | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<PathPairView | null>(null);

  useEffect(() => setInput(folder), [folder]);

  const run = (text = input) => {
    const paths = splitPaths(text);
    if (paths.length === 0) return;
    setRunning(true);
    setError(null);
    setSelected(null);
    service
      .call('capturePaths', { paths })
      .then((r) => (setResult(r), setCorrelated(paths)))
      .catch((e: Error) => setError(e.message))
      .finally(() => setRunning(false));
  };

  // The open capture is a set: correlate it at once.
  const ranFor = useRef<string | null>(null);
  useEffect(() => {
    if (!isSet || ranFor.current === session.sessionId) return;
    ranFor.current = session.sessionId;
    run(folder);
  }, [session.sessionId]);
  const linked = isSet && correlated !== null && correlated.join('\n') === session.paths.join('\n');

  const vteps = result ? [...new Set(result.pairs.flatMap((p) => [p.from, p.to]))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [];
  const pairOf = (from: string, to: string) => result?.pairs.find((p) => p.from === from && p.to === to) ?? null;

  return (
    <div className="paths-view" data-testid="paths-view" style={{ padding: 12, overflow: 'auto' }}>
      <section className="panel" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <label style={{ flex: 1 }}>
          Captures of several hosts (a folder, or files separated by commas){' '}
          <input value={input} onChange={(e) => setInput(e.target.value)} style={{ width: '60%' }} data-testid="paths-input" />
        </label>
        <button className="btn btn-primary" onClick={() => run()} disabled={running} data-testid="paths-run">{running ? 'Correlating…' : 'Correlate'}</button>
        {error && <span className="error-text" data-testid="paths-error">{error}</span>}
      </section>
      {!result && !error && <div className="view-loading">Give one capture per hypervisor (samples/three-hypervisors holds three), then Correlate.</div>}
      {result && (
        <>
          <section className="panel">
            <h3>Captures</h3>
            <table data-testid="paths-captures">
              <thead><tr><th>Capture</th><th>VTEP</th><th>Clock offset</th><th>Frames</th></tr></thead>
              <tbody>
                {result.captures.map((c) => (
                  <tr key={c.file}>
                    <td>{c.name}</td>
                    <td>{c.vtep ?? '(unknown)'}</td>
                    <td style={{ textAlign: 'right' }}>{c.clockOffset >= 0 ? '+' : ''}{(c.clockOffset * 1000).toFixed(3)} ms{c.clockOffsetEstimated ? '' : ' (not estimated)'}</td>
                    <td style={{ textAlign: 'right' }}>{c.frames}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="muted">{result.transmissions} transmissions, {result.correlated} seen at both ends</div>
          </section>
          <section className="panel">
            <h3>From (row) → to (column): lost / sent, median one-way latency</h3>
            <table data-testid="paths-matrix" style={{ borderCollapse: 'collapse' }}>
              <thead>
                <tr><th /> {vteps.map((v) => <th key={v} style={{ padding: '4px 8px' }}>{v}</th>)}</tr>
              </thead>
              <tbody>
                {vteps.map((from) => (
                  <tr key={from}>
                    <th style={{ padding: '4px 8px', textAlign: 'left' }}>{from}</th>
                    {vteps.map((to) => {
                      const pair = pairOf(from, to);
                      if (pair === null) return <td key={to} style={{ ...cellStyle, cursor: 'default' }}>–</td>;
                      const active = selected?.from === from && selected?.to === to;
                      return (
                        <td
                          key={to}
                          style={{ ...cellStyle, background: lossColour(pair), outline: active ? '2px solid var(--accent, #36c)' : undefined }}
                          onClick={() => setSelected(pair)}
                          data-testid={`paths-cell-${from}-${to}`}
                          title={pair.latency ? `min ${micro(pair.latency.min)}, p99 ${micro(pair.latency.p99)}, max ${micro(pair.latency.max)}; ${pair.reordered} reordered` : 'nothing received'}
                        >
                          {pair.lost}/{pair.sent} lost{pair.latency ? ` · ${micro(pair.latency.median)}` : ''}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {selected && (
            <section className="panel" data-testid="paths-lost">
              <h3>{selected.from} → {selected.to}: {selected.lost} lost of {selected.sent} sent</h3>
              {selected.lostFrames.length === 0 ? (
                <div className="muted">Nothing lost on this path.</div>
              ) : (
                <ul>
                  {selected.lostFrames.map((f) => (
                    <li key={`${f.capture}#${f.frame}`}>
                      {f.capture} frame {f.frame}{f.tenant ? ` (${f.tenant})` : ''},{' '}
                      {linked ? (
                        <button className="link-row inline-link" onClick={() => onGoto(f.merged)} title="Show it in the packet list" data-testid="paths-lost-frame">frame {f.merged} of the merged captures</button>
                      ) : (
                        <span title="Open these captures as one (Open… > tick them, or their folder) to jump to it">frame {f.merged} of the merged captures</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <table>
                <thead><tr><th>Tenant</th><th>Sent</th><th>Received</th><th>Lost</th><th>Median latency</th></tr></thead>
                <tbody>
                  {selected.tenants.map((t) => (
                    <tr key={t.tenant}><td>{t.tenant}</td><td>{t.sent}</td><td>{t.received}</td><td>{t.lost}</td><td>{t.latency ? micro(t.latency.median) : '–'}</td></tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
