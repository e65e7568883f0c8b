// Switch replay: run the capture through a bridge's OpenFlow tables (like ovs-appctl ofproto/trace on
// every frame that enters the bridge), then compare each frame that leaves it with the prediction.
import { useEffect, useState } from 'react';
import type { ReplayFrame, ReplayReport } from '../../../src/service/api';
import { service } from '../service-client';

interface Props {
  sessionId: string;
  capturePath: string;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  onMessage(text: string): void;
}

const VERDICT_TEXT: Record<ReplayFrame['verdict'], string> = { agree: '✔ agrees', disagree: '✘ DISAGREES', unseen: '? not visible', none: '–' };

export function SwitchReplayView({ sessionId, capturePath, selectedFrame, onSelectFrame, onMessage }: Props) {
  const dir = capturePath.slice(0, capturePath.lastIndexOf('/'));
  const [flowsPath, setFlowsPath] = useState(`${dir}/flows.txt`);
  const [bridgePath, setBridgePath] = useState(`${dir}/bridge.json`);
  const [report, setReport] = useState<ReplayReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [onlyDisagreements, setOnlyDisagreements] = useState(false);

  const run = () => {
    setRunning(true);
    setError(null);
    service
      .call('switchReplay', { sessionId, flowsPath, bridgePath })
      .then((r) => setReport(r))
      .catch((e: Error) => setError(e.message))
      .finally(() => setRunning(false));
  };

  useEffect(() => setReport(null), [sessionId]);
  void onMessage;

  const selected = report?.frames.find((f) => f.frame === selectedFrame) ?? null;
  const rows = report ? report.frames.filter((f) => !onlyDisagreements || f.verdict === 'disagree') : [];
  return (
    <div className="switch-view" data-testid="switch-view">
      <section className="panel switch-inputs">
        <label>Flow tables (ovs-ofctl add-flows / dump-flows) <input value={flowsPath} onChange={(e) => setFlowsPath(e.target.value)} data-testid="flows-path" /></label>
        <label>Bridge (JSON or ovs-vsctl show) <input value={bridgePath} onChange={(e) => setBridgePath(e.target.value)} data-testid="bridge-path" /></label>
        <button className="btn btn-primary" onClick={run} disabled={running} data-testid="replay-run">{running ? 'Replaying…' : 'Replay capture'}</button>
        {report && (
          <span className={report.disagreements > 0 ? 'error-text' : 'ok-text'}>
            bridge {report.bridge}: {report.frames.filter((f) => f.role === 'ingress').length} frames traced, {report.disagreements} disagreement{report.disagreements === 1 ? '' : 's'}
          </span>
        )}
        {error && <span className="error-text">{error}</span>}
      </section>
      {!report && !error && <div className="view-loading">Give the bridge's flow tables and port description, then Replay. The sample samples/ovs-gre/host1.pcapng has both next to it.</div>}
      {report && (
        <div className="switch-grid">
          <section className="panel replay-frames">
            <h3>
              Frames <label className="muted check"><input type="checkbox" checked={onlyDisagreements} onChange={(e) => setOnlyDisagreements(e.target.checked)} /> only disagreements</label>
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
                  <ol className="path-steps">
                    {selected.path.map((s, i) => (
                      <li key={i}>
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
            <h3>Flows learned <span className="muted">({report.learned.length})</span></h3>
            <div className="scroll">
              {report.learned.map((l, i) => (
                <div key={i} className="learned-row" onClick={() => onSelectFrame(l.frame)}>
                  <span className="frame-link">frame {l.frame}</span> <code>{l.flow}</code>
                </div>
              ))}
            </div>
          </section>
          <section className="panel replay-hits">
            <h3>Rule hit counters</h3>
            <div className="scroll">
              <table className="data-table">
                <thead>
                  <tr><th className="num">Table</th><th className="num">Prio</th><th>Match</th><th>Actions</th><th className="num">Hits</th></tr>
                </thead>
                <tbody>
                  {report.hits.map((h, i) => (
                    <tr key={i} className={h.hits === 0 ? 'muted' : ''}>
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
        </div>
      )}
    </div>
  );
}
