// Capture live (Ctrl+K, like Wireshark's capture options): an interface with its addresses, whether
// this user may capture and what to do if not, a capture filter (BPF, checked by the capture program),
// snap length, and stop conditions. The capture program writes the file; the app only reads it.
import { useEffect, useState } from 'react';
import type { CaptureRequest, CaptureSetup } from '../../../src/service/api';
import { service, ServiceCallError } from '../service-client';

interface Props {
  /** The last capture's settings, to start from. */
  initial: CaptureRequest | null;
  onStart(request: CaptureRequest): Promise<void>;
  onClose(): void;
}

type Field = 'filter' | 'iface' | 'other';

function numberOrNull(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : Number(t);
}

export function CaptureDialog({ initial, onStart, onClose }: Props) {
  const [setup, setSetup] = useState<CaptureSetup | null>(null);
  const [iface, setIface] = useState(initial?.iface ?? '');
  const [filter, setFilter] = useState(initial?.filter ?? '');
  const [snaplen, setSnaplen] = useState(String(initial?.snaplen ?? 0));
  const [duration, setDuration] = useState(initial?.durationSeconds != null ? String(initial.durationSeconds) : '');
  const [count, setCount] = useState(initial?.packetCount != null ? String(initial.packetCount) : '');
  const [size, setSize] = useState(initial?.fileKilobytes != null ? String(initial.fileKilobytes) : '');
  const [error, setError] = useState<{ field: Field; message: string } | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    service
      .call('captureSetup', {})
      .then((s) => {
        setSetup(s);
        // Preselect the first interface that is up and has an address (not loopback), as Wireshark does.
        setIface((current) => current || (s.interfaces.find((i) => i.linkType !== 'loopback' && i.state === 'up' && i.addresses.length > 0) ?? s.interfaces[0])?.name || '');
      })
      .catch((e: Error) => setError({ field: 'other', message: e.message }));
  }, []);

  const problems: string[] = [];
  const snap = Number(snaplen);
  if (!Number.isInteger(snap) || snap < 0 || snap > 262144) problems.push('snap length: 0 (whole packet) to 262144 bytes');
  const d = numberOrNull(duration);
  if (d !== null && !(d > 0)) problems.push('duration: a positive number of seconds');
  const c = numberOrNull(count);
  if (c !== null && !(Number.isInteger(c) && c > 0)) problems.push('packet count: a positive whole number');
  const k = numberOrNull(size);
  if (k !== null && !(Number.isInteger(k) && k > 0)) problems.push('file size: a positive whole number of kB');
  const canStart = setup !== null && setup.program !== null && setup.permitted && iface !== '' && problems.length === 0 && !starting;

  const start = async () => {
    if (!canStart) return;
    setStarting(true);
    setError(null);
    try {
      await onStart({ iface, filter: filter.trim(), snaplen: snap, durationSeconds: d, packetCount: c, fileKilobytes: k });
    } catch (err) {
      const code = err instanceof ServiceCallError ? err.error.code : undefined;
      setError({ field: code === 'bad-filter' ? 'filter' : code === 'no-interface' ? 'iface' : 'other', message: (err as Error).message });
      setStarting(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal capture-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Capture" data-testid="capture-dialog" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2>Capture live on an interface</h2>
        {setup === null && !error && <div className="muted">Looking for interfaces and the capture program…</div>}
        {setup && setup.program === null && (
          <div className="capture-banner error-banner" data-testid="capture-permission">
            <b>No capture program.</b> {setup.programProblem}
          </div>
        )}
        {setup && setup.program !== null && (
          <div className={`capture-banner ${setup.permitted ? 'ok-banner' : 'error-banner'}`} data-testid="capture-permission">
            {setup.permitted ? (
              <>
                <b>Capture permitted</b> with {setup.program.path} ({setup.permissionReason}). The app itself does not run as root: {setup.program.name} captures and writes the file, the app reads it as it grows.
              </>
            ) : (
              <>
                <b>Capture is not permitted</b>: {setup.permissionReason}.<br />
                What to do: {setup.advice}
              </>
            )}
          </div>
        )}
        {setup && (
          <div className="capture-interfaces scroll">
            <table className="data-table" data-testid="capture-interfaces">
              <thead>
                <tr><th /><th>Interface</th><th>State</th><th>Addresses</th><th>MAC</th><th>Capture</th></tr>
              </thead>
              <tbody>
                {setup.interfaces.map((i) => (
                  <tr key={i.name} className={iface === i.name ? 'selected' : ''} onClick={() => setIface(i.name)} onDoubleClick={() => void start()} data-testid="capture-interface" data-name={i.name}>
                    <td><input type="radio" readOnly checked={iface === i.name} aria-label={i.name} /></td>
                    <td><b>{i.name}</b>{i.linkType === 'loopback' ? <span className="muted"> loopback</span> : null}</td>
                    <td className={i.state === 'up' ? 'ok-text' : i.state === 'down' ? 'error-text' : 'muted'}>{i.state}</td>
                    <td className="wrap">{i.addresses.join('  ') || <span className="muted">none</span>}</td>
                    <td>{i.linkType === 'loopback' ? '' : i.mac}</td>
                    <td>{setup.permitted ? <span className="ok-text">permitted</span> : <span className="error-text">not permitted</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {error?.field === 'iface' && <div className="error-text field-error">{error.message}</div>}
        <div className="capture-form">
          <label className="capture-filter">
            Capture filter (BPF, applied by the capture program; empty = everything)
            <input
              value={filter}
              onChange={(e) => (setFilter(e.target.value), error?.field === 'filter' && setError(null))}
              onKeyDown={(e) => e.key === 'Enter' && void start()}
              placeholder="udp port 4789 or proto gre"
              className={error?.field === 'filter' ? 'filter-invalid' : ''}
              spellCheck={false}
              data-testid="capture-filter"
            />
            {error?.field === 'filter' && <span className="error-text field-error" data-testid="capture-filter-error">{error.message}</span>}
          </label>
          <label>
            Snap length (bytes, 0 = whole packet)
            <input value={snaplen} onChange={(e) => setSnaplen(e.target.value)} inputMode="numeric" data-testid="capture-snaplen" />
          </label>
          <fieldset className="capture-stop">
            <legend>Stop automatically after (whichever comes first; empty = only when you press Stop)</legend>
            <label>
              seconds <input value={duration} onChange={(e) => setDuration(e.target.value)} inputMode="decimal" data-testid="capture-duration" />
            </label>
            <label>
              packets <input value={count} onChange={(e) => setCount(e.target.value)} inputMode="numeric" data-testid="capture-count" />
            </label>
            <label>
              file size (kB) <input value={size} onChange={(e) => setSize(e.target.value)} inputMode="numeric" data-testid="capture-size" />
            </label>
          </fieldset>
        </div>
        {problems.length > 0 && <div className="error-text field-error">Check {problems.join('; ')}</div>}
        {error?.field === 'other' && <div className="error-text field-error" data-testid="capture-error">{error.message}</div>}
        <div className="modal-buttons">
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn btn-primary" disabled={!canStart} onClick={() => void start()} data-testid="capture-start">
            {starting ? 'Starting…' : 'Start capture'}
          </button>
        </div>
      </div>
    </div>
  );
}
