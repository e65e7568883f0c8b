// What a heavy view (Tenants, VTEP timeline, Statistics) waits on: the capture's analysis in the
// service's worker. Shows how far it is (reading the file, then each view built) with Cancel; once
// cancelled, "Analyse" asks for the view again, which starts the analysis over.
import { useEffect, useState } from 'react';
import type { AnalysisPhase, AnalysisProgress as Progress } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';

const PHASE_TEXT: Record<AnalysisPhase, string> = {
  reading: 'Reading the capture (tenants, conversations, VTEP learning, protocols: one pass)',
  filtering: 'Limiting the statistics to the display filter (one filtered pass)',
  tenants: 'Building the Tenants view',
  conversations: 'Building Conversations and Endpoints',
  vteps: 'Building the VTEP timeline',
  statistics: 'Building Protocol Hierarchy and Expert Info',
  ready: 'Ready',
  cancelled: 'Analysis cancelled',
  failed: 'Analysis failed',
};

interface Props {
  sessionId: string;
  /** What this view shows while it waits, e.g. "Tenants". */
  what: string;
  /** Ask for the view again (after a cancel): the analysis starts over. */
  onRestart(): void;
}

export function AnalysisProgress({ sessionId, what, onRestart }: Props) {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    let stale = false;
    const off = service.on('analysisProgress', (p) => p.sessionId === sessionId && setProgress(p));
    service
      .call('analysisProgress', { sessionId })
      .then((r) => !stale && r.progress && setProgress((current) => current ?? r.progress))
      .catch(() => undefined);
    return () => {
      stale = true;
      off();
    };
  }, [sessionId]);

  const phase = progress?.phase ?? 'reading';
  const stopped = phase === 'cancelled' || phase === 'failed';
  const counting = phase === 'reading' || phase === 'filtering';
  const percent = Math.round(100 * (counting ? (progress?.fraction ?? 0) : 1));
  return (
    <div className="view-loading analysis-progress" data-testid="analysis-progress" data-phase={phase}>
      <div>
        {what}: {PHASE_TEXT[phase]}
        {counting && progress && progress.frames > 0 && ` — ${formatCount(progress.frames)} frames, ${percent}%`}
        {stopped && progress?.message && <span className="muted"> — {progress.message}</span>}
      </div>
      {!stopped && <progress max={100} value={percent} />}
      <div>
        {!stopped && (
          <button className="btn btn-small" data-testid="analysis-cancel" onClick={() => void service.call('cancelAnalysis', { sessionId }).then(setProgress).catch(() => undefined)}>
            Cancel
          </button>
        )}
        {stopped && (
          <button className="btn btn-small" data-testid="analysis-restart" onClick={() => (setProgress(null), onRestart())}>
            Analyse
          </button>
        )}
      </div>
    </div>
  );
}
