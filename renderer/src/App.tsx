// The window: header, filter bar, the active view, status bar and dialogs. State of the open capture
// lives in useCaptureSession, shortcuts in useShortcuts; this file only lays them out and routes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '../../src/service/api';
import { service } from './service-client';
import { FilterBar, FilterBarHandle } from './components/FilterBar';
import { CaptureDialog } from './components/CaptureDialog';
import { GoToDialog } from './components/GoToDialog';
import { LiveBar } from './components/LiveBar';
import { OpenDialog } from './components/OpenDialog';
import { ContextMenu, MenuRequest } from './components/ContextMenu';
import { ExportReportDialog } from './components/ExportReportDialog';
import { FollowStreamDialog } from './components/FollowStreamDialog';
import { DecodeAsDialog } from './components/DecodeAsDialog';
import { SaveFramesDialog } from './components/SaveFramesDialog';
import { FileMenu } from './app/FileMenu';
import { ColumnsDialog } from './components/ColumnsDialog';
import { ColumnPrefs, loadPrefs, savePrefs, TIME_FORMATS, TimeFormat } from './app/column-prefs';
import { SplitPane } from './app/SplitPane';
import { copyText, FieldMenuActions, fieldMenu } from './app/field-menu';
import { cellFilter, cellValue, rowConversationFilter, rowSummary } from './app/packet-filters';
import { Header, TabInfo } from './app/Header';
import { StatusBar } from './app/StatusBar';
import { Welcome } from './app/Welcome';
import { useCaptureSession } from './app/use-capture-session';
import { useShortcuts } from './app/use-shortcuts';
import { FrameDetailPane } from './views/FrameDetailPane';
import { GotoRequest, PacketList } from './views/PacketList';
import { SwitchReplayView } from './views/SwitchReplayView';
import { StatisticsView } from './views/StatisticsView';
import { TenantsView } from './views/TenantsView';
import { VtepTimelineView } from './views/VtepTimelineView';
import { PathsView } from './views/PathsView';

type Tab = 'packets' | 'tenants' | 'vteps' | 'switch' | 'statistics' | 'paths';
const TABS: TabInfo<Tab>[] = [
  { id: 'packets', label: 'Packets', key: '1' },
  { id: 'tenants', label: 'Tenants', key: '2' },
  { id: 'vteps', label: 'VTEP timeline', key: '3' },
  { id: 'switch', label: 'Switch replay', key: '4' },
  { id: 'statistics', label: 'Statistics', key: '5' },
  { id: 'paths', label: 'Paths', key: '6' },
];
const MENU_TABS: Record<string, Tab> = { 'view-packets': 'packets', 'view-tenants': 'tenants', 'view-vteps': 'vteps', 'view-switch': 'switch', 'view-statistics': 'statistics', 'view-paths': 'paths' };

type Dialog = 'open' | 'goto' | 'capture' | 'save' | 'report' | 'columns' | { follow: number } | { decodeAs: string | null } | null;

/** Where Save As and the report are offered: beside the capture, or for several, "CAPTURE-and-N-more" beside the first. */
function outputBase(session: SessionInfo): string {
  const captures = session.captures;
  return captures ? `${session.path.replace(/\.(pcapng|pcap|cap)$/i, '')}-and-${captures.length - 1}-more` : session.path;
}

export function App() {
  const [tab, setTab] = useState<Tab>('packets');
  const [selectedFrame, setSelectedFrame] = useState<number | null>(null);
  const [gotoRequest, setGotoRequest] = useState<GotoRequest | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [dragging, setDragging] = useState(false);
  const filterBar = useRef<FilterBarHandle>(null);
  const capture = useCaptureSession(() => setSelectedFrame(null));
  const { session, view, live, message, setMessage } = capture;

  const openPaths = useCallback(async (paths: string[]) => {
    setDialog(null);
    await capture.openPaths(paths);
  }, [capture]);

  const applyFilter = useCallback(async (filter: string) => {
    if (await capture.applyFilter(filter)) setTab('packets');
  }, [capture]);

  const goto = useCallback((frame: number) => {
    setDialog(null);
    setTab('packets');
    setSelectedFrame(frame);
    setGotoRequest({ frame, seq: Date.now() });
  }, []);

  const filterTo = useCallback((filter: string) => {
    filterBar.current?.set(filter);
    void applyFilter(filter);
  }, [applyFilter]);

  const [prefs, setPrefsState] = useState<ColumnPrefs>(loadPrefs);
  const setPrefs = useCallback((next: ColumnPrefs) => {
    savePrefs(next);
    setPrefsState(next);
  }, []);
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const viewRef = useRef(view);
  viewRef.current = view;
  const menuActions: FieldMenuActions = {
    currentFilter: () => viewRef.current?.filter ?? '',
    apply: filterTo,
    prepare: (filter) => {
      filterBar.current?.set(filter);
      filterBar.current?.focus();
    },
    follow: (frame) => setDialog({ follow: frame }),
    decodeAs: (proposed) => setDialog({ decodeAs: proposed }),
    copy: (text) => {
      copyText(text);
      setMessage(`Copied: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
    },
  };

  // A new view that hides the selected frame leaves nothing selected (no stale "Selected" in the status bar).
  const viewVersion = view?.pending ? -1 : view?.viewVersion;
  useEffect(() => {
    if (!session || selectedFrame === null || viewVersion === undefined || viewVersion < 0) return;
    let stale = false;
    service
      .call('rowOfFrame', { sessionId: session.sessionId, frame: selectedFrame })
      .then(({ row }) => !stale && row < 0 && setSelectedFrame(null))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [viewVersion]);

  useShortcuts({
    open: () => setDialog('open'),
    capture: () => setDialog('capture'),
    goto: () => session && setDialog('goto'),
    find: () => filterBar.current?.focus(),
    view: (i) => session && TABS[i] && setTab(TABS[i].id),
    saveAs: () => session && setDialog('save'),
  });

  useEffect(
    () =>
      service.on('menuCommand', ({ command }) => {
        if (command === 'open') setDialog('open');
        else if (command === 'capture') setDialog('capture');
        else if (command === 'goto') setDialog('goto');
        else if (command === 'find') filterBar.current?.focus();
        else if (command === 'report') setDialog('report');
        else if (command === 'save-as') setDialog('save');
        else if (MENU_TABS[command]) setTab(MENU_TABS[command]);
      }),
    [],
  );

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length === 0) return;
    // Several files dropped together: several hosts' captures, read as one.
    const paths = files.map((f) => service.pathForFile(f));
    if (paths.every((p): p is string => p !== null && p !== '')) void openPaths(paths);
    else setMessage(`Dropped "${files[0].name}": a browser page cannot see where a dropped file lives; use Open (Ctrl+O) and pick it.`);
  };

  return (
    <div className={`app ${dragging ? 'dragging' : ''}`} onDragOver={(e) => (e.preventDefault(), setDragging(true))} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <Header<Tab>
        session={session}
        tabs={TABS}
        tab={tab}
        onTab={setTab}
        onCapture={() => setDialog('capture')}
        onOpen={() => setDialog('open')}
        menu={<FileMenu haveCapture={session !== null && !session.indexing} onOpen={() => setDialog('open')} onOpenPath={(p) => void openPaths([p])} onSaveAs={() => setDialog('save')} onReport={() => setDialog('report')} />}
      />

      {session && live && live.sessionId === session.sessionId && (
        <LiveBar
          live={live}
          frames={session.frames}
          onStop={() => void service.call('stopCapture', { sessionId: session.sessionId }).then(capture.setLive).catch((e: Error) => setMessage(e.message))}
          onRestart={() => void capture.restartCapture()}
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
          progress={capture.filterProgress}
          onApply={(f) => void applyFilter(f)}
          onCancel={() => void service.call('cancelView', { sessionId: session.sessionId }).then((v) => (capture.setView(v), capture.setFilterProgress('Filter cancelled')))}
        />
      )}

      <main className="main">
        {!session && <Welcome onOpen={() => setDialog('open')} onCapture={() => setDialog('capture')} />}
        {/* The packet list is mounted before any capture is open (hidden behind the welcome screen): creating
            the grid costs a few hundred milliseconds, which Open would otherwise add to the first rows. */}
        {tab === 'packets' && (
          <div className="packets-view" hidden={!session || !view} data-testid="packets-view">
            {session && <div className="list-toolbar">
              <label className="muted">Time</label>
              <select value={prefs.time} onChange={(e) => setPrefs({ ...prefs, time: e.target.value as TimeFormat })} data-testid="toolbar-time-format">
                {TIME_FORMATS.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
              </select>
              <button className="btn btn-small" onClick={() => setDialog('columns')} data-testid="columns-button">Columns…</button>
              {session.captures ? (
                <span className="muted" data-testid="capture-set-summary">
                  {session.captures.map((c) => `${c.name} (${c.host ?? 'host unknown'}, clock ${c.clockOffset >= 0 ? '+' : ''}${(c.clockOffset * 1000).toFixed(3)} ms)`).join(' · ')} · filter with frame.capture or frame.capture_host
                </span>
              ) : (
                <span className="muted">Right-click a cell or a field for filters, Follow Stream and Copy · drag column headers to reorder · Home/End first/last frame</span>
              )}
            </div>}
            <SplitPane storageKey="tunnelscope.packetsSplit" first={<PacketList
              key={session?.decodeAs.join('|') ?? ''}
              session={session}
              view={view}
              selectedFrame={selectedFrame}
              gotoRequest={gotoRequest}
              onSelect={setSelectedFrame}
              onSort={capture.sort}
              onMessage={setMessage}
              onRowMenu={(row, column, x, y) =>
                setMenu({ x, y, entries: fieldMenu({ filter: cellFilter(row, column), value: cellValue(row, column), fieldName: null, summary: rowSummary(row), bytesHex: null, frame: row.number, conversationFilter: rowConversationFilter(row) }, menuActions) })
              }
              prefs={prefs}
              onPrefsChange={setPrefs}
            />} second={session && <FrameDetailPane
              sessionId={session.sessionId}
              frame={selectedFrame}
              onMessage={setMessage}
              onFieldMenu={(node, detail, x, y) =>
                setMenu({
                  x,
                  y,
                  entries: fieldMenu(
                    {
                      filter: node.filter ?? null,
                      value: node.label.includes(': ') ? node.label.slice(node.label.indexOf(': ') + 2) : node.label,
                      fieldName: node.name || null,
                      summary: detail.summary,
                      bytesHex: node.length > 0 ? ((node.reassembled ? detail.reassembledHex : null) ?? detail.bytesHex).slice(2 * node.start, 2 * (node.start + node.length)) : null,
                      frame: detail.number,
                      conversationFilter: null,
                    },
                    menuActions,
                  ),
                })
              }
            />} />
          </div>
        )}
        {session && tab === 'tenants' && <TenantsView sessionId={session.sessionId} live={live?.running === true} onFilter={filterTo} onGoto={goto} onMessage={setMessage} />}
        {session && tab === 'vteps' && (
          <VtepTimelineView sessionId={session.sessionId} live={live?.running === true} selectedFrame={selectedFrame} onSelectFrame={setSelectedFrame} onShowInList={goto} onMessage={setMessage} />
        )}
        {/* Keyed by session: a new capture starts the view afresh (the last replay's rows would ask the new
            session for their traces). */}
        {session && tab === 'switch' && <SwitchReplayView key={session.sessionId} sessionId={session.sessionId} capturePath={session.path} selectedFrame={selectedFrame} onSelectFrame={setSelectedFrame} onMessage={setMessage} />}
        {session && tab === 'statistics' && (
          <StatisticsView
            sessionId={session.sessionId}
            live={live?.running === true}
            displayFilter={view?.pending ? '' : (view?.filter.trim() ?? '')}
            onFilter={filterTo}
            onGoto={goto}
            onMessage={setMessage}
            onRowMenu={(filter, value, x, y) => setMenu({ x, y, entries: fieldMenu({ filter, value, fieldName: null, summary: null, bytesHex: null, frame: null, conversationFilter: filter }, menuActions) })}
          />
        )}
        {session && tab === 'paths' && <PathsView session={session} onGoto={goto} />}
      </main>

      <StatusBar
        message={message}
        session={session}
        view={view}
        selectedFrame={selectedFrame}
        onStopIndexing={() => session && void service.call('cancelOpen', { sessionId: session.sessionId }).then(capture.setSession)}
      />

      {dialog === 'open' && <OpenDialog onOpen={(p) => void openPaths(p)} onClose={() => setDialog(null)} />}
      {dialog === 'capture' && (
        <CaptureDialog
          initial={capture.lastCapture}
          onStart={async (request) => {
            await capture.startCapture(request);
            setDialog(null);
            setTab('packets');
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'goto' && session && <GoToDialog max={session.frames} onGo={goto} onClose={() => setDialog(null)} />}
      {dialog === 'save' && session && view && (
        <SaveFramesDialog sessionId={session.sessionId} capturePath={outputBase(session)} filter={view.filter} onDone={(m) => (setMessage(m), setDialog(null))} onClose={() => setDialog(null)} />
      )}
      {dialog === 'report' && session && view && (
        <ExportReportDialog sessionId={session.sessionId} capturePath={outputBase(session)} filter={view.filter} onDone={(m) => (setMessage(m), setDialog(null))} onClose={() => setDialog(null)} />
      )}
      {dialog !== null && typeof dialog === 'object' && 'decodeAs' in dialog && session && (
        <DecodeAsDialog session={session} proposed={dialog.decodeAs} onApplied={(info) => (capture.redecoded(info), setDialog(null))} onClose={() => setDialog(null)} />
      )}
      {dialog !== null && typeof dialog === 'object' && 'follow' in dialog && session && (
        <FollowStreamDialog sessionId={session.sessionId} frame={dialog.follow} onFilter={filterTo} onClose={() => setDialog(null)} />
      )}
      {menu && <ContextMenu request={menu} onClose={closeMenu} />}
      {dialog === 'columns' && <ColumnsDialog prefs={prefs} onChange={setPrefs} onClose={() => setDialog(null)} />}
    </div>
  );
}
