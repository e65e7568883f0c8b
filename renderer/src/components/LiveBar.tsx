// The bar under the header while a live capture's file is open: what is captured where, how much so
// far, and Stop / Restart / Save as. After the stop it says why it stopped and where the file is.
import { useState } from 'react';
import type { LiveStatus } from '../../../src/service/api';
import { formatBytes, formatCount } from '../format';

interface Props {
  live: LiveStatus;
  /** Frames the window has indexed (the status event comes once a second; the index is fresher). */
  frames: number;
  onStop(): void;
  onRestart(): void;
  onSave(path: string): Promise<unknown>;
}

const STOP_TEXT = { stopped: 'Stopped', completed: 'Stop condition reached', failed: 'Capture failed' } as const;

export function LiveBar({ live, frames, onStop, onRestart, onSave }: Props) {
  const [saving, setSaving] = useState(false);
  const [target, setTarget] = useState(live.outputPath.replace(/[^/]*$/, 'capture.pcapng'));
  const state = live.running ? 'Capturing' : STOP_TEXT[live.stopReason ?? 'stopped'];
  const conditions = [
    live.request.durationSeconds !== null ? `${live.request.durationSeconds} s` : null,
    live.request.packetCount !== null ? `${formatCount(live.request.packetCount)} packets` : null,
    live.request.fileKilobytes !== null ? `${formatCount(live.request.fileKilobytes)} kB` : null,
  ].filter((c) => c !== null);
  return (
    <div className={`live-bar ${live.running ? 'running' : 'stopped'}`} data-testid="live-bar" data-running={live.running ? 'yes' : 'no'}>
      <span className="live-dot" />
      <span className="live-text" title={live.outputPath}>
        <b data-testid="live-state">{state}</b> on <b>{live.iface}</b> with {live.program}
        {live.filter ? <> · filter <code>{live.filter}</code></> : ' · no capture filter'}
        {conditions.length > 0 ? ` · stops after ${conditions.join(' or ')}` : ''} ·{' '}
        <span data-testid="live-packets">{formatCount(Math.max(live.packets, frames))} packets</span> · {live.elapsedSeconds.toFixed(1)} s · {formatBytes(live.fileBytes)} written to {live.outputPath}
        {live.problem ? <span className="error-text"> · {live.problem}</span> : null}
      </span>
      {live.running ? (
        <button className="btn btn-small" onClick={onStop} data-testid="live-stop">■ Stop</button>
      ) : null}
      <button className="btn btn-small" onClick={onRestart} data-testid="live-restart" title="Stop, and capture again with the same settings into a new file">↻ Restart</button>
      {saving ? (
        <span className="live-save">
          <input value={target} onChange={(e) => setTarget(e.target.value)} data-testid="live-save-path" />
          <button className="btn btn-small btn-primary" onClick={() => void onSave(target).then(() => setSaving(false), () => undefined)} data-testid="live-save-confirm">Save</button>
          <button className="btn btn-small" onClick={() => setSaving(false)}>Cancel</button>
        </span>
      ) : (
        <button className="btn btn-small" onClick={() => setSaving(true)} data-testid="live-save" title="Copy the capture file (as written so far) elsewhere">Save as…</button>
      )}
    </div>
  );
}
