// The frame of the dialogs that write a file through the service (Save Displayed As, Export Tenant
// Report): the path field, the dialog's own options, a one-line error and Cancel / run buttons.
import { ReactNode, useState } from 'react';

interface Props {
  title: string;
  testId: string;
  path: string;
  onPath(path: string): void;
  pathTestId: string;
  runLabel: string;
  busyLabel: string;
  runTestId: string;
  errorTestId?: string;
  canRun: boolean;
  /** Writes the file; resolves to the sentence the status bar shows. */
  run(): Promise<string>;
  onDone(message: string): void;
  onClose(): void;
  children: ReactNode;
}

export function FileWriteDialog(p: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = () => {
    setBusy(true);
    setError(null);
    p.run()
      .then((message) => p.onDone(message))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <div className="modal-backdrop" onMouseDown={p.onClose}>
      <div className="modal form-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label={p.title} data-testid={p.testId}>
        <h2>{p.title}</h2>
        <label className="form-row">File <input value={p.path} onChange={(e) => p.onPath(e.target.value)} data-testid={p.pathTestId} spellCheck={false} /></label>
        {p.children}
        {error && <div className="error-text" data-testid={p.errorTestId}>{error}</div>}
        <div className="modal-buttons">
          <button className="btn" onClick={p.onClose}>Cancel</button>
          <button className="btn btn-primary" disabled={busy || !p.canRun} onClick={start} data-testid={p.runTestId}>{busy ? p.busyLabel : p.runLabel}</button>
        </div>
      </div>
    </div>
  );
}
