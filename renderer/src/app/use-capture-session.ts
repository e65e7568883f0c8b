// The open capture as the window knows it: session, view (filter and sort), live status, the status
// message, and the service events that keep them current. A window that subscribes after a capture
// was opened from outside (`npm start -- FILE`) asks the service for it, so no event is missed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureRequest, LiveStatus, SessionInfo, SortColumn, SortDirection, ViewState } from '../../../src/service/api';
import { service } from '../service-client';
import { formatCount } from '../format';

export interface CaptureSessionState {
  /** Decode As applied: the session (same id) indexed again. */
  redecoded(info: SessionInfo): void;
  session: SessionInfo | null;
  view: ViewState | null;
  live: LiveStatus | null;
  message: string;
  filterProgress: string | null;
  lastCapture: CaptureRequest | null;
  setMessage(text: string): void;
  setLive(live: LiveStatus): void;
  setSession(info: SessionInfo): void;
  setView(view: ViewState): void;
  setFilterProgress(text: string | null): void;
  /** One capture (a folder: its captures as one), or several hosts' captures read as one. */
  openPaths(paths: string[]): Promise<boolean>;
  startCapture(request: CaptureRequest): Promise<void>;
  restartCapture(): Promise<void>;
  applyFilter(filter: string): Promise<boolean>;
  sort(column: SortColumn, direction: SortDirection): Promise<ViewState>;
}

/** A new session's view is every frame in file order (version 0): no round trip before the first rows. */
function firstView(info: SessionInfo): ViewState {
  return { viewVersion: 0, count: info.frames, pending: false, filter: '', sortColumn: 'number', sortDirection: 'asc' };
}

function indexMessage(p: { frames: number; done: boolean; bytesRead: number; totalBytes: number; info: SessionInfo }): string {
  if (!p.done) return `Indexing… ${formatCount(p.frames)} frames (${Math.round((100 * p.bytesRead) / Math.max(1, p.totalBytes))}%)`;
  const secs = p.info.indexMs !== null ? ` in ${(p.info.indexMs / 1000).toFixed(2)} s` : '';
  return p.info.problem ? `Indexed ${formatCount(p.frames)} frames${secs} — ${p.info.problem}` : `Indexed ${formatCount(p.frames)} frames${secs}`;
}

export function useCaptureSession(onAdopted: (info: SessionInfo) => void): CaptureSessionState {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [view, setView] = useState<ViewState | null>(null);
  const [live, setLive] = useState<LiveStatus | null>(null);
  const [lastCapture, setLastCapture] = useState<CaptureRequest | null>(null);
  const [message, setMessage] = useState('');
  const [filterProgress, setFilterProgress] = useState<string | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const viewRef = useRef(view);
  viewRef.current = view;
  const onAdoptedRef = useRef(onAdopted);
  onAdoptedRef.current = onAdopted;

  /** The same capture decoded again (Decode As): a new index, rows and view under the same session id. */
  const redecoded = useCallback((info: SessionInfo) => {
    sessionRef.current = info;
    setSession(info);
    setFilterProgress(null);
    setMessage(info.decodeAs.length > 0 ? `Decode As: ${info.decodeAs.join('; ')}` : 'Decode As rules removed');
    setView(firstView(info));
    onAdoptedRef.current(info);
  }, []);

  const adopt = useCallback((info: SessionInfo, liveStatus: LiveStatus | null = null) => {
    const previous = sessionRef.current;
    if (previous?.sessionId === info.sessionId) return;
    if (previous) void service.call('closeCapture', { sessionId: previous.sessionId }).catch(() => undefined);
    sessionRef.current = info;
    setLive(liveStatus);
    setSession(info);
    setFilterProgress(null);
    setMessage(liveStatus ? `Capturing on ${liveStatus.iface} into ${info.path}` : `Opening ${info.captures ? info.name : info.path}…`);
    document.title = `${info.name} — Tunnelscope`;
    setView(firstView(info));
    onAdoptedRef.current(info);
  }, []);

  const openPaths = useCallback(
    async (paths: string[]) => {
      try {
        adopt(await (paths.length === 1 ? service.call('openCapture', { path: paths[0] }) : service.call('openCaptures', { paths })));
        return true;
      } catch (err) {
        setMessage((err as Error).message);
        return false;
      }
    },
    [adopt],
  );

  const startCapture = useCallback(
    async (request: CaptureRequest) => {
      const started = await service.call('startCapture', request);
      setLastCapture(request);
      adopt(started.info, started.live);
    },
    [adopt],
  );

  const restartCapture = useCallback(async () => {
    const s = sessionRef.current;
    if (!s) return;
    try {
      const started = await service.call('restartCapture', { sessionId: s.sessionId });
      adopt(started.info, started.live);
    } catch (err) {
      setMessage((err as Error).message);
    }
  }, [adopt]);

  const applyFilter = useCallback(async (filter: string) => {
    const s = sessionRef.current;
    const v = viewRef.current;
    if (!s || !v) return false;
    try {
      const next = await service.call('setView', { sessionId: s.sessionId, filter, sortColumn: v.sortColumn, sortDirection: v.sortDirection });
      setView(next);
      setFilterProgress(next.pending ? 'Filtering…' : null);
      return true;
    } catch (err) {
      setMessage((err as Error).message);
      return false;
    }
  }, []);

  const sort = useCallback(async (column: SortColumn, direction: SortDirection): Promise<ViewState> => {
    const s = sessionRef.current!;
    const v = viewRef.current!;
    try {
      const next = await service.call('setView', { sessionId: s.sessionId, filter: v.filter, sortColumn: column, sortDirection: direction });
      viewRef.current = next;
      setView(next);
      return next;
    } catch (err) {
      setMessage((err as Error).message);
      throw err;
    }
  }, []);

  useEffect(() => {
    const offs = [
      service.on('sessionOpened', ({ info }) => adopt(info)),
      service.on('indexProgress', (p) => {
        if (p.sessionId !== sessionRef.current?.sessionId) return;
        setSession(p.info);
        setView((v) => (v && !v.pending && p.view.viewVersion >= v.viewVersion ? p.view : v));
        if (p.info.live && !p.done) return; // the live bar shows a live capture's progress
        setMessage(indexMessage(p));
      }),
      service.on('liveStatus', ({ live: status }) => {
        if (status.sessionId !== sessionRef.current?.sessionId) return;
        setLive(status);
        if (!status.running) {
          const why = status.stopReason === 'completed' ? 'stop condition reached' : status.stopReason === 'failed' ? `failed: ${status.problem ?? ''}` : 'stopped';
          setMessage(`Capture ${why} — ${formatCount(status.packets)} packets kept in ${status.outputPath}`);
        }
      }),
      service.on('viewProgress', (p) => {
        if (p.sessionId !== sessionRef.current?.sessionId) return;
        setFilterProgress(`Filtering… ${formatCount(p.scanned)} of ${formatCount(p.total)} frames, ${formatCount(p.matched)} match`);
      }),
      service.on('viewReady', (p) => {
        if (p.sessionId !== sessionRef.current?.sessionId) return;
        setView(p.view);
        setFilterProgress(p.error ? null : `${formatCount(p.view.count)} frames match (${(p.elapsedMs / 1000).toFixed(2)} s)`);
        if (p.error) setMessage(p.error);
      }),
    ];
    // Subscribed: now ask for what may have been announced before (a capture given on the command line).
    void service
      .call('openSessions', {})
      .then(({ sessions }) => {
        const newest = sessions[sessions.length - 1];
        if (newest && sessionRef.current === null) {
          adopt(newest);
          if (!newest.indexing) setMessage(indexMessage({ frames: newest.frames, done: true, bytesRead: newest.sizeBytes, totalBytes: newest.sizeBytes, info: newest }));
        }
      })
      .catch(() => undefined);
    return () => offs.forEach((off) => off());
  }, [adopt]);

  return { redecoded, session, view, live, message, filterProgress, lastCapture, setMessage, setLive, setSession, setView, setFilterProgress, openPaths, startCapture, restartCapture, applyFilter, sort };
}
