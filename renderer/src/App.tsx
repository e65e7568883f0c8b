// The window: header (file, counts, views), filter bar, the active view, status bar; keyboard
// shortcuts, drag and drop, and the service events that keep everything current.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureRequest, LiveStatus, SessionInfo, SortColumn, SortDirection, ViewState } from '../../src/service/api';
import { service } from './service-client';
import { FilterBar, FilterBarHandle } from './components/FilterBar';
import { CaptureDialog } from './components/CaptureDialog';
import { GoToDialog } from './components/GoToDialog';
import { LiveBar } from './components/LiveBar';
import { OpenDialog } from './components/OpenDialog';
import { formatBytes, formatCount, formatDate } from './format';
import { FrameDetailPane } from './views/FrameDetailPane';
import { GotoRequest, PacketList } from './views/PacketList';
import { SwitchReplayView } from './views/SwitchReplayView';
import { TenantsView } from './views/TenantsView';
import { VtepTimelineView } from './views/VtepTimelineView';
import { PathsView } from './views/PathsView';

type Tab = 'packets' | 'tenants' | 'vteps' | 'switch' | 'paths';
const TABS: { id: Tab; label: string; key: string }[] = [
  { id: 'packets', label: 'Packets', key: '1' },
  { id: 'tenants', label: 'Tenants', key: '2' },
  { id: 'vteps', label: 'VTEP timeline', key: '3' },
  { id: 'switch', label: 'Switch replay', key: '4' },
  { id: 'paths', label: 'Paths', key: '5' },
];

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [view, setView] = useState<ViewState | null>(null);
  const [tab, setTab] = useState<Tab>('packets');
  const [selectedFrame, setSelectedFrame] = useState<number | null>(null);
  const [gotoRequest, setGotoRequest] = useState<GotoRequest | null>(null);
  const [dialog, setDialog] = useState<'open' | 'goto' | 'capture' | null>(null);
  const [live, setLive] = useState<LiveStatus | null>(null);
  const [lastCapture, setLastCapture] = useState<CaptureRequest | null>(null);
  const [message, setMessage] = useState<string>('');
  const [filterProgress, setFilterProgress] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const filterBar = useRef<FilterBarHandle>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const viewRef = useRef(view);
  viewRef.current = view;

  const onMessage = useCallback((text: string) => setMessage(text), []);

  const adopt = useCallback(async (info: SessionInfo, liveStatus: LiveStatus | null = null) => {
    const previous = sessionRef.current;
    setLive(liveStatus);
    if (previous && previous.sessionId !== info.sessionId) void service.call('closeCapture', { sessionId: previous.sessionId }).catch(() => undefined);
    setSession(info);
    setSelectedFrame(null);
    setFilterProgress(null);
    setMessage(liveStatus ? `Capturing on ${liveStatus.iface} into ${info.path}` : `Opening ${info.path}…`);
    document.title = `${info.name} — Tunnelscope`;
    // A new session's view is every frame in file order (version 0): no round trip before the first rows.
    setView({ viewVersion: 0, count: info.frames, pending: false, filter: '', sortColumn: 'number', sortDirection: 'asc' });
  }, []);

  const openPath = useCallback(
    async (path: string) => {
      setDialog(null);
      try {
        await adopt(await service.call('openCapture', { path }));
      } catch (err) {
        setMessage((err as Error).message);
      }
    },
    [adopt],
  );

  const startCapture = useCallback(
    async (request: CaptureRequest) => {
      const started = await service.call('startCapture', request);
      setDialog(null);
      setLastCapture(request);
      setTab('packets');
      await adopt(started.info, started.live);
    },
    [adopt],
  );

  const restartCapture = useCallback(async () => {
    const s = sessionRef.current;
    if (!s) return;
    try {
      const started = await service.call('restartCapture', { sessionId: s.sessionId });
      await adopt(started.info, started.live);
    } catch (err) {
      setMessage((err as Error).message);
    }
  }, [adopt]);

  const applyFilter = useCallback(async (filter: string) => {
    const s = sessionRef.current;
    const v = viewRef.current;
    if (!s || !v) return;
    try {
      const next = await service.call('setView', { sessionId: s.sessionId, filter, sortColumn: v.sortColumn, sortDirection: v.sortDirection });
      setView(next);
      setFilterProgress(next.pending ? 'Filtering…' : null);
      setTab('packets');
    } catch (err) {
      setMessage((err as Error).message);
    }
  }, []);

  const onSort = useCallback(async (column: SortColumn, direction: SortDirection): Promise<ViewState> => {
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

  const goto = useCallback((frame: number) => {
    setDialog(null);
    setTab('packets');
    setSelectedFrame(frame);
    setGotoRequest({ frame, seq: Date.now() });
  }, []);

  const filterTo = useCallback(
    (filter: string) => {
      filterBar.current?.set(filter);
      void applyFilter(filter);
    },
    [applyFilter],
  );

  // Service events.
  useEffect(() => {
    const offs = [
      service.on('sessionOpened', ({ info }) => void adopt(info)),
      service.on('indexProgress', (p) => {
        if (p.sessionId !== sessionRef.current?.sessionId) return;
        setSession(p.info);
        setView((v) => (v && !v.pending && p.view.viewVersion >= v.viewVersion ? p.view : v));
        if (p.info.live && !p.done) return; // the live bar shows a live capture's progress
        if (p.done) {
          const secs = p.info.indexMs !== null ? ` in ${(p.info.indexMs / 1000).toFixed(2)} s` : '';
          setMessage(p.info.problem ? `Indexed ${formatCount(p.frames)} frames${secs} — ${p.info.problem}` : `Indexed ${formatCount(p.frames)} frames${secs}`);
        } else setMessage(`Indexing… ${formatCount(p.frames)} frames (${Math.round((100 * p.bytesRead) / Math.max(1, p.totalBytes))}%)`);
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
      service.on('menuCommand', ({ command }) => {
        if (command === 'open') setDialog('open');
        else if (command === 'capture') setDialog('capture');
        else if (command === 'goto') setDialog('goto');
        else if (command === 'find') filterBar.current?.focus();
        else if (command === 'report') setTab('tenants');
        else if (command.startsWith('view-')) setTab(({ 'view-packets': 'packets', 'view-tenants': 'tenants', 'view-vteps': 'vteps', 'view-switch': 'switch' } as const)[command as 'view-packets']);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [adopt]);

  // Keyboard shortcuts (the Electron menu sends the same commands).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      const act = (action: () => void): void => {
        e.preventDefault();
        action();
      };
      if (key === 'g' && sessionRef.current) act(() => setDialog('goto'));
      else if (key === 'f') act(() => filterBar.current?.focus());
      else if (key === 'o') act(() => setDialog('open'));
      else if (key === 'k') act(() => setDialog('capture'));
      else if (['1', '2', '3', '4', '5'].includes(key) && sessionRef.current) act(() => setTab(TABS[Number(key) - 1].id));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const path = service.pathForFile(file);
    if (path) void openPath(path);
    else setMessage(`Dropped "${file.name}": a browser page cannot see where a dropped file lives; use Open (Ctrl+O) and pick it.`);
  };

  const indexedPct = session ? Math.round((100 * Math.min(session.sizeBytes, session.frames > 0 ? session.sizeBytes : 0)) / Math.max(1, session.sizeBytes)) : 0;
  void indexedPct;

  return (
    <div className={`app ${dragging ? 'dragging' : ''}`} onDragOver={(e) => (e.preventDefault(), setDragging(true))} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <header className="header">
        <div className="brand">Tunnelscope</div>
        <div className="file-info" data-testid="file-info" data-path={session?.path ?? ''} data-indexing={session ? (session.indexing ? 'yes' : 'no') : ''}>
          {session ? (
            <>
              <span className="file-name" title={session.path}>{session.name}</span>
              <span className="file-meta">
                {session.format} · {formatBytes(session.sizeBytes)} · {formatCount(session.frames)} frames
                {session.firstTime !== null && ` · ${formatDate(session.firstTime)}`}
                {session.lastTime !== null && session.firstTime !== null && ` · ${(session.lastTime - session.firstTime).toFixed(3)} s`}
              </span>
            </>
          ) : (
            <span className="file-meta">No capture open</span>
          )}
        </div>
        <nav className="view-tabs">
          {TABS.map((t) => (
            <button key={t.id} className={`view-tab ${tab === t.id ? 'active' : ''}`} disabled={!session} onClick={() => setTab(t.id)} title={`Ctrl+${t.key}`} data-testid={`tab-${t.id}`}>
              {t.label}
            </button>
          ))}
        </nav>
        <button className="btn btn-header" onClick={() => setDialog('capture')} data-testid="capture-button">Capture… <kbd>Ctrl+K</kbd></button>
        <button className="btn btn-header" onClick={() => setDialog('open')} data-testid="open-button">Open… <kbd>Ctrl+O</kbd></button>
      </header>

      {session && live && live.sessionId === session.sessionId && (
        <LiveBar
          live={live}
          frames={session.frames}
          onStop={() => void service.call('stopCapture', { sessionId: session.sessionId }).then(setLive).catch((e: Error) => setMessage(e.message))}
          onRestart={() => void restartCapture()}
          onSave={(path) =>
            service
              .call('saveCapture', { sessionId: session.sessionId, path })
              .then((r) => setMessage(`Saved the capture as ${r.files.join(', ')}`))
              .catch((e: Error) => (setMessage(e.message), Promise.reject(e)))
          }
        />
      )}

      {session && view && (
        <FilterBar
          ref={filterBar}
          applied={view.filter}
          pending={view.pending}
          viewVersion={view.viewVersion}
          progress={filterProgress}
          onApply={(f) => void applyFilter(f)}
          onCancel={() => void service.call('cancelView', { sessionId: session.sessionId }).then((v) => (setView(v), setFilterProgress('Filter cancelled')))}
        />
      )}

      <main className="main">
        {!session && (
          <div className="welcome">
            <h1>Open a capture from a hypervisor's underlay</h1>
            <p>Tunnelscope shows which tenant each frame belongs to (VXLAN VNI, NVGRE VSID, GRE key, Geneve VNI), which VTEP learned which MAC and when, and how a virtual switch's flow tables forward each frame.</p>
            <button className="btn btn-primary btn-large" onClick={() => setDialog('open')}>Open a capture…</button>{' '}
            <button className="btn btn-large" onClick={() => setDialog('capture')}>Capture live…</button>
            <p className="muted">or drop a .pcap / .pcapng file on this window · Ctrl+O open · Ctrl+K capture · Ctrl+F filter · Ctrl+G go to frame · Ctrl+1…4 views</p>
          </div>
        )}
        {session && view && tab === 'packets' && (
          <div className="packets-view">
            <PacketList session={session} view={view} selectedFrame={selectedFrame} gotoRequest={gotoRequest} onSelect={setSelectedFrame} onSort={onSort} onMessage={onMessage} />
            <FrameDetailPane sessionId={session.sessionId} frame={selectedFrame} onMessage={onMessage} />
          </div>
        )}
        {session && tab === 'tenants' && <TenantsView sessionId={session.sessionId} live={live?.running === true} onFilter={filterTo} onGoto={goto} onMessage={onMessage} />}
        {session && tab === 'vteps' && (
          <VtepTimelineView sessionId={session.sessionId} live={live?.running === true} selectedFrame={selectedFrame} onSelectFrame={setSelectedFrame} onShowInList={goto} onMessage={onMessage} />
        )}
        {session && tab === 'paths' && <PathsView capturePath={session.path} />}
        {session && tab === 'switch' && <SwitchReplayView sessionId={session.sessionId} capturePath={session.path} selectedFrame={selectedFrame} onSelectFrame={setSelectedFrame} onMessage={onMessage} />}
      </main>

      <footer className="status-bar" data-testid="status-bar">
        <span className="status-message">{message || 'Ready'}</span>
        {session && view && (
          <span className="status-counts" data-testid="status-counts">
            Frames: {formatCount(session.frames)}
            {session.indexing ? (session.live ? ' (capturing)' : ' (indexing)') : ''} · Displayed: {formatCount(view.count)}
            {view.filter ? ` (${session.frames > 0 ? ((100 * view.count) / session.frames).toFixed(1) : '0'}%)` : ''}
            {selectedFrame !== null ? ` · Selected: ${selectedFrame}` : ''}
          </span>
        )}
        {session?.indexing && !session.live && (
          <button className="btn btn-small" onClick={() => void service.call('cancelOpen', { sessionId: session.sessionId }).then(setSession)}>Stop indexing</button>
        )}
        <span className="status-transport muted">{service.transport === 'electron' ? 'desktop' : 'browser mode'}</span>
      </footer>

      {dialog === 'open' && <OpenDialog onOpen={(p) => void openPath(p)} onClose={() => setDialog(null)} />}
      {dialog === 'capture' && <CaptureDialog initial={lastCapture} onStart={startCapture} onClose={() => setDialog(null)} />}
      {dialog === 'goto' && session && <GoToDialog max={session.frames} onGo={goto} onClose={() => setDialog(null)} />}
    </div>
  );
}
