// Switch replay: run the capture through a bridge's OpenFlow tables (like ovs-appctl ofproto/trace on
// every frame that enters the bridge, across patch ports into peer bridges), or through a
// flood-and-learn VTEP, then compare each frame that leaves with the prediction. Rows come a page at
// a time from the service, so a whole capture of any size can be replayed.
import { useEffect, useState } from 'react';
import type { Listing, ReplayFrame, ReplayPage, ReplayReport } from '../../../src/service/api';
import { service } from '../service-client';

interface Props {
  sessionId: string;
  capturePath: string;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  onMessage(text: string): void;
}

const VERDICT_TEXT: Record<ReplayFrame['verdict'], string> = { agree: '✔ agrees', disagree: '✘ DISAGREES', unseen: '? not visible', none: '–' };
const PAGE = 500;

/** A path field with a small folder browser (the service lists folders: browser mode sees no local paths). */
function PathPicker({ label, value, onChange, testId }: { label: string; value: string; onChange(v: string): void; testId: string }) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const browse = (dir: string) =>
    service.call('listDirectory', { path: dir || '/' }).then((l) => (setListing(l), setError(null))).catch((e: Error) => setError(e.message));
  const startDir = value.includes('/') ? value.slice(0, value.lastIndexOf('/')) || '/' : '/';
  return (
    <div className="path-picker">
      <label>
        {label} <input value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      </label>
      <button className="btn" onClick={() => (listing ? setListing(null) : void browse(startDir))} data-testid={`${testId}-browse`}>
        {listing ? 'Close' : 'Browse…'}
      </button>
      {error && <span className="error-text">{error}</span>}
      {listing && (
        <div className="picker-list">
          <div className="muted">{listing.path}</div>
          {listing.parent && <button className="link-row dir" onClick={() => browse(listing.parent!)}>⬑ ..</button>}
          {listing.entries.map((e) =>
            e.kind === 'dir' ? (
              <button key={e.path} className="link-row dir" onClick={() => browse(e.path)}>📁 {e.name}</button>
            ) : (
              <button key={e.path} className="link-row" onClick={() => (onChange(e.path), setListing(null))}>{e.name}</button>
            ),
          )}
        </div>
      )}
    </div>
  );
}

export function SwitchReplayView({ sessionId, capturePath, selectedFrame, onSelectFrame, onMessage }: Props) {
  const dir = capturePath.slice(0, capturePath.lastIndexOf('/'));
  const [mode, setMode] = useState<'flows' | 'vtep'>('flows');
  const [flowsPath, setFlowsPath] = useState(`${dir}/flows.txt`);
  const [bridgePath, setBridgePath] = useState(`${dir}/bridge.json`);
  const [localVtep, setLocalVtep] = useState('');
  const [report, setReport] = useState<ReplayReport | null>(null);
  const [page, setPage] = useState<ReplayPage | null>(null);
  const [start, setStart] = useState(0);
  const [selected, setSelected] = useState<ReplayFrame | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [onlyDisagreements, setOnlyDisagreements] = useState(false);

  const run = () => {
    setRunning(true);
    setError(null);
    service
      .call('switchReplay', { sessionId, mode, flowsPath, bridgePath: mode === 'flows' ? bridgePath : '', localVtep })
      .then((r) => (setReport(r), setStart(0)))
      .catch((e: Error) => (setError(e.message), setReport(null)))
      .finally(() => setRunning(false));
  };

  useEffect(() => setReport(null), [sessionId]);
  useEffect(() => {
    if (!report) return setPage(null);
    service.call('switchReplayFrames', { sessionId, start, count: PAGE, onlyDisagreements }).then(setPage).catch((e: Error) => setError(e.message));
  }, [report, start, onlyDisagreements, sessionId]);
  useEffect(() => {
    if (!report || selectedFrame === null) return setSelected(null);
    service.call('switchReplayFrame', { sessionId, frame: selectedFrame }).then((r) => setSelected(r.row)).catch((e: Error) => setError(e.message));
  }, [report, selectedFrame, sessionId]);
  void onMessage;

  const rows = page?.frames ?? [];
  const total = page?.total ?? 0;
  return (
    <div className="switch-view" data-testid="switch-view">
      <section className="panel switch-inputs">
        <div className="mode-choice">
          <label><input type="radio" checked={mode === 'flows'} onChange={() => setMode('flows')} data-testid="mode-flows" /> OpenFlow tables (Open vSwitch)</label>
          <label><input type="radio" checked={mode === 'vtep'} onChange={() => setMode('vtep')} data-testid="mode-vtep" /> Flood-and-learn VTEP (Linux bridge + VXLAN)</label>
        </div>
        {mode === 'flows' ? (
          <>
            <PathPicker label="Flow tables (ovs-ofctl dump-flows, one or several bridges)" value={flowsPath} onChange={setFlowsPath} testId="flows-path" />
            <PathPicker label="Bridges (ovs-vsctl show + ovs-ofctl show, or JSON)" value={bridgePath} onChange={setBridgePath} testId="bridge-path" />
          </>
        ) : (
          <label>Local VTEP address <input value={localVtep} placeholder="192.168.100.1" onChange={(e) => setLocalVtep(e.target.value)} data-testid="local-vtep" /></label>
        )}
        <button className="btn btn-primary" onClick={run} disabled={running} data-testid="replay-run">{running ? 'Replaying…' : 'Replay capture'}</button>
        {report && (
          <span className={report.disagreements > 0 ? 'error-text' : 'ok-text'} data-testid="replay-summary">
            {report.bridge}: {report.traced} of {report.frameCount} frames explained, {report.disagreements} disagreement{report.disagreements === 1 ? '' : 's'}
          </span>
        )}
        {error && <span className="error-text" data-testid="replay-error">{error}</span>}
      </section>
      {!report && !error && <div className="view-loading">Choose the bridges' flow tables and port descriptions (or a VTEP address), then Replay. The sample samples/ovs-gre/host1.pcapng has both next to it.</div>}
      {report && (
        <div className="switch-grid">
          <section className="panel replay-frames">
            <h3>
              Frames <label className="muted check"><input type="checkbox" checked={onlyDisagreements} onChange={(e) => (setOnlyDisagreements(e.target.checked), setStart(0))} /> only disagreements</label>
              {total > PAGE && (
                <span className="pager">
                  <button className="btn" disabled={start === 0} onClick={() => setStart(Math.max(0, start - PAGE))}>‹</button>
                  rows {start + 1}–{Math.min(total, start + PAGE)} of {total}
                  <button className="btn" disabled={start + PAGE >= total} onClick={() => setStart(start + PAGE)}>›</button>
                </span>
              )}
            </h3>
            <div className="scroll">
              <table className="data-table">
                <thead>
                  <tr><th className="num">No.</th><th>Interface</th><th>Dir</th><th>Prediction vs capture</th><th>What the switch does</th></tr>
                </thead>
                <tbody>
                  {rows.map((f) => (
                    <tr key={f.frame} className={`verdict-${f.verdict} ${f.frame === selectedFrame ? 'selected' : ''}`} onClick={() => onSelectFrame(f.frame)} data-testid="replay-row">
                      <td className="num">{f.frame}</td>
                      <td>{f.interface}</td>
                      <td>{f.direction ?? ''}</td>
                      <td className="verdict">{VERDICT_TEXT[f.verdict]}</td>
                      <td className="wrap">{f.summary}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel replay-trace">
            <h3>Path through the tables {selected ? `— frame ${selected.frame}` : ''}</h3>
            {!selected && <div className="muted">Select a frame.</div>}
            {selected && (
              <>
                {selected.path.length > 0 && (
                  <ol className="path-steps" data-testid="path-steps">
                    {selected.path.map((s, i) => (
                      <li key={i}>
                        {s.bridge && <span className="muted">{s.bridge} </span>}
                        <b>table {s.table}</b> {s.priority === null ? <span className="error-text">miss</span> : <>priority {s.priority} <code>{s.match || '*'}</code> → <code>{s.actions}</code></>}
                      </li>
                    ))}
                  </ol>
                )}
                <pre className="trace-text" data-testid="trace-text">{selected.text}</pre>
              </>
            )}
          </section>
          <section className="panel replay-learned">
            <h3>{report.mode === 'flows' ? 'Flows learned' : 'Forwarding entries learned'} <span className="muted">({report.learned.length})</span></h3>
            <div className="scroll">
              {report.learned.map((l, i) => (
                <div key={i} className="learned-row" onClick={() => onSelectFrame(l.frame)}>
                  <span className="frame-link">frame {l.frame}</span> <code>{l.flow}</code>
                </div>
              ))}
            </div>
          </section>
          {report.mode === 'flows' && (
            <section className="panel replay-hits">
              <h3>Rule hit counters</h3>
              <div className="scroll">
                <table className="data-table">
                  <thead>
                    <tr><th>Bridge</th><th className="num">Table</th><th className="num">Prio</th><th>Match</th><th>Actions</th><th className="num">Hits</th></tr>
                  </thead>
                  <tbody>
                    {report.hits.map((h, i) => (
                      <tr key={i} className={h.hits === 0 ? 'muted' : ''}>
                        <td>{h.bridge ?? report.bridge}</td>
                        <td className="num">{h.table}</td>
                        <td className="num">{h.priority}</td>
                        <td><code>{h.match}</code></td>
                        <td className="wrap"><code>{h.actions}</code></td>
                        <td className="num">{h.hits}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
