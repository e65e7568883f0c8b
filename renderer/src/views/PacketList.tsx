// The packet list: ag-grid's infinite row model over the service's view, so only the rows on screen
// (plus a few blocks) are ever dissected or sent, whatever the size of the capture.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellContextMenuEvent, CellFocusedEvent, ColDef, ColumnMovedEvent, ColumnResizedEvent, GetRowIdParams, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, IsFullWidthRowParams, RowClassParams, RowClickedEvent, RowSelectionOptions, SortChangedEvent } from 'ag-grid-community';
import type { PacketRow, SessionInfo, SortColumn, SortDirection, ViewState } from '../../../src/service/api';
import { service } from '../service-client';
import { gridTheme } from '../grid-theme';
import { ColumnPrefs, extraFields, formatTime } from '../app/column-prefs';
import { RowPrefetch, blocksInView } from './row-prefetch';

export interface GotoRequest {
  frame: number;
  seq: number;
}

interface Props {
  /** None before a capture is open: the grid is created ahead of the first Open, empty. */
  session: SessionInfo | null;
  view: ViewState | null;
  selectedFrame: number | null;
  gotoRequest: GotoRequest | null;
  onSelect(frame: number): void;
  onSort(column: SortColumn, direction: SortDirection): Promise<ViewState>;
  onMessage(text: string): void;
  /** Right-click on a cell: the row, the column and where. */
  onRowMenu?(row: PacketRow, column: string, x: number, y: number): void;
  /** Column order, widths, extra field columns and the time format (kept between runs). */
  prefs: ColumnPrefs;
  onPrefsChange(prefs: ColumnPrefs): void;
}

const BLOCK = 100;
const ROW_HEIGHT = 22;
/** Rows drawn beyond the visible ones, either side. */
const ROW_BUFFER = 5;

// Grid options that never change, made once: ag-grid-react compares each option by identity on every
// render and reapplies a new object (a new default column definition refreshes every column).
const DEFAULT_COL_DEF: ColDef<PacketRow> = { sortable: true, resizable: true };
const ROW_SELECTION: RowSelectionOptions = { mode: 'singleRow', checkboxes: false, enableClickSelection: true };
const rowIdOf = (p: GetRowIdParams<PacketRow>) => String(p.data.number);
const rowClassOf = (p: RowClassParams<PacketRow>) => (p.data ? `proto-${p.data.colour}${p.data.tenant ? ' has-tenant' : ''}` : 'row-loading');
// A row whose block is still on its way is drawn as one empty full-width row, not as a row of empty
// cells: it is replaced as soon as the rows arrive, and a screen of them costs a tenth of the drawing.
const isLoadingRow = (p: IsFullWidthRowParams<PacketRow>) => p.rowNode.data === undefined;
const LoadingRow = () => null;

const COLUMNS: ColDef<PacketRow>[] = [
  { field: 'number', headerName: 'No.', width: 90, type: 'rightAligned' },
  { field: 'time', headerName: 'Time', width: 110, type: 'rightAligned', valueFormatter: (p) => (p.value === undefined ? '' : (p.value as number).toFixed(6)) },
  { field: 'capture', headerName: 'Capture', width: 130, cellClass: 'cell-capture' },
  { field: 'source', headerName: 'Source', width: 150 },
  { field: 'destination', headerName: 'Destination', width: 150 },
  { field: 'tenant', headerName: 'Tenant', width: 115, cellClass: 'cell-tenant' },
  { field: 'vteps', headerName: 'VTEPs (outer)', width: 250, cellClass: 'cell-vteps' },
  { field: 'protocol', headerName: 'Protocol', width: 90 },
  { field: 'length', headerName: 'Length', width: 80, type: 'rightAligned' },
  { field: 'info', headerName: 'Info', flex: 1, minWidth: 300, tooltipField: 'info' },
];

export function PacketList({ session, view, selectedFrame, gotoRequest, onSelect, onSort, onMessage, onRowMenu, prefs, onPrefsChange }: Props) {
  const fields = useMemo(() => extraFields(prefs), [prefs]);
  const fieldsRef = useRef(fields);
  fieldsRef.current = fields;
  const prefsRef = useRef(prefs);
  prefsRef.current = prefs;
  // The set's captures as a stable key: the session object is replaced on every progress event.
  const capturesKey = session?.captures?.map((c) => `${c.name}\t${c.host ?? ''}`).join('\n') ?? null;
  const firstTime = session?.firstTime ?? null;
  const columnDefs = useMemo<ColDef<PacketRow>[]>(() => {
    const defs = prefs.columns
        .filter((c) => !c.hidden && c.id !== 'capture')
        .map((c): ColDef<PacketRow> => {
          if (c.id.startsWith('f:')) {
            const name = c.id.slice(2);
            const k = fields.indexOf(name);
            return { colId: c.id, headerName: name, width: c.width ?? 150, sortable: false, valueGetter: (p) => p.data?.fields?.[k] ?? '', headerTooltip: `field ${name}` };
          }
          const base = COLUMNS.find((d) => d.field === c.id)!;
          const def: ColDef<PacketRow> = { ...base, colId: c.id, ...(c.width !== undefined ? { width: c.width, flex: undefined } : {}) };
          if (c.id === 'time') {
            def.valueFormatter = (p) => {
              if (p.value === undefined || p.value === null) return '';
              const index = p.node?.rowIndex ?? null;
              const previous = prefs.time === 'delta' && index !== null && index > 0 ? (p.api.getDisplayedRowAtIndex(index - 1)?.data?.time ?? null) : null;
              return formatTime(prefs.time, p.value as number, firstTime, previous);
            };
            if (prefs.time === 'datetime') def.width = Math.max(def.width ?? 0, 220);
            else if (prefs.time === 'absolute' || prefs.time === 'epoch') def.width = Math.max(def.width ?? 0, 160);
          }
          return def;
        });
    // Several captures read as one: which one each frame is from, after the time (its host's VTEP in the tooltip).
    if (capturesKey !== null) {
      const hosts = new Map(capturesKey.split('\n').map((line) => line.split('\t') as [string, string]));
      const width = prefs.columns.find((c) => c.id === 'capture')?.width ?? 130;
      const capture: ColDef<PacketRow> = { ...COLUMNS.find((d) => d.field === 'capture')!, colId: 'capture', width, tooltipValueGetter: (p) => (p.value ? `${p.value}: host ${hosts.get(p.value as string) || 'unknown'}` : '') };
      const at = defs.findIndex((d) => d.colId === 'time');
      defs.splice(at >= 0 ? at + 1 : 1, 0, capture);
    }
    return defs;
  }, [prefs, fields, firstTime, capturesKey]);
  const saveColumnState = useCallback((api: GridApi<PacketRow>) => {
    const state = api.getColumnState();
    const hidden = prefsRef.current.columns.filter((c) => c.hidden);
    onPrefsChange({ ...prefsRef.current, columns: [...state.map((s) => ({ id: s.colId, width: s.colId === 'info' ? undefined : (s.width ?? undefined) })), ...hidden] });
  }, [onPrefsChange]);
  const apiRef = useRef<GridApi<PacketRow> | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const selectedRef = useRef(selectedFrame);
  selectedRef.current = selectedFrame;
  const onSortRef = useRef(onSort);
  onSortRef.current = onSort;

  const hasRows = (session?.frames ?? 0) > 0;
  const prefetch = useMemo(
    () => new RowPrefetch(({ fields: extra, ...request }) => service.call('getRows', { ...request, ...(extra.length > 0 ? { fields: extra } : {}) })),
    [],
  );
  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: async (params: IGetRowsParams) => {
        const open = sessionRef.current;
        if (open === null || viewRef.current === null) {
          params.successCallback([], 0);
          return;
        }
        try {
          let current = viewRef.current;
          const sort = params.sortModel[0];
          const column = (sort?.colId ?? 'number') as SortColumn;
          const direction = (sort?.sort ?? 'asc') as SortDirection;
          if (column !== current.sortColumn || direction !== current.sortDirection) current = await onSortRef.current(column, direction);
          const reply = await prefetch.take({
            sessionId: open.sessionId,
            viewVersion: current.viewVersion,
            start: params.startRow,
            count: params.endRow - params.startRow,
            fields: fieldsRef.current,
          });
          params.successCallback(reply.rows, reply.total);
          // Keep the selection visible when the rows of the selected frame arrive.
          if (selectedRef.current !== null) {
            const api = apiRef.current;
            api?.forEachNode((node) => {
              if (node.data?.number === selectedRef.current && !node.isSelected()) node.setSelected(true, true);
            });
          }
        } catch (err) {
          onMessage((err as Error).message);
          params.failCallback();
        }
      },
    }),
    // A new view (filter, sort), the first indexed frames or other extra columns start the list afresh
    // (nothing else: the datasource reads the latest callbacks and field names through refs).
    [session?.sessionId, view?.viewVersion, hasRows, fields.join(',')],
  );

  useEffect(() => {
    prefetch.clear();
    apiRef.current?.setGridOption('datasource', datasource);
  }, [datasource]);

  // On a scroll, ask for the blocks the new position shows before the grid does (row-prefetch.ts).
  // Only where the grid cannot have them: in the unsorted, unfiltered list the grid asks in the
  // same blocks, so a block it already holds is looked up first.
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const onScroll = (e: Event) => {
      const viewport = e.target as HTMLElement;
      const api = apiRef.current;
      const open = sessionRef.current;
      const current = viewRef.current;
      if (!api || !open || !current || current.pending || !viewport.classList?.contains('ag-grid-viewport')) return;
      const rowCount = api.getDisplayedRowCount();
      for (const start of blocksInView(viewport.scrollTop, viewport.scrollHeight, viewport.clientHeight, ROW_HEIGHT, rowCount, BLOCK, ROW_BUFFER)) {
        if (blockHeld(api, start)) continue;
        prefetch.prefetch({ sessionId: open.sessionId, viewVersion: current.viewVersion, start, count: BLOCK, fields: fieldsRef.current });
      }
    };
    list.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => list.removeEventListener('scroll', onScroll, { capture: true });
  }, [prefetch]);

  // While indexing runs (or a live capture writes the file), the unfiltered list grows.
  useEffect(() => {
    const api = apiRef.current;
    if (!api || !session || !view || view.filter.trim() !== '' || view.pending) return;
    if (view.sortColumn === 'number' && view.sortDirection === 'asc' && session.frames > 0) {
      api.setRowCount(session.frames, true);
      if (session.live) {
        // The last block was loaded short: load it again with the new frames. Follow the newest
        // frame, as Wireshark does while capturing, until the user selects one.
        api.refreshInfiniteCache();
        if (selectedRef.current === null) api.ensureIndexVisible(session.frames - 1, 'bottom');
      }
    }
  }, [session?.frames, session?.live, view]);

  const selectRow = useCallback((row: number, frame: number) => {
    const api = apiRef.current;
    if (!api) return;
    api.ensureIndexVisible(row, 'middle');
    const started = performance.now();
    const trySelect = () => {
      const node = api.getDisplayedRowAtIndex(row);
      if (node?.data && node.data.number === frame) {
        node.setSelected(true, true);
        api.setFocusedCell(row, 'number');
        onSelect(frame);
        return;
      }
      if (performance.now() - started < 20_000) requestAnimationFrame(trySelect);
    };
    trySelect();
  }, [onSelect]);

  useEffect(() => {
    if (!gotoRequest || !session) return;
    service
      .call('rowOfFrame', { sessionId: session.sessionId, frame: gotoRequest.frame })
      .then(({ row }) => {
        if (row < 0) onMessage(`frame ${gotoRequest.frame} is not in the list (the display filter hides it, or it does not exist)`);
        else selectRow(row, gotoRequest.frame);
      })
      .catch((err: Error) => onMessage(err.message));
    // Only a new go-to request runs this; the selection callbacks it uses change every render.
  }, [gotoRequest]);

  const onGridReady = useCallback(
    (e: GridReadyEvent<PacketRow>) => {
      apiRef.current = e.api;
      e.api.setGridOption('datasource', datasource);
    },
    [datasource],
  );

  // Arrow keys move the focused cell; the selected frame follows it, as in Wireshark.
  const onCellFocused = useCallback((e: CellFocusedEvent<PacketRow>) => {
    if (e.rowIndex === null || e.rowIndex === undefined) return;
    const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
    if (node?.data && !node.isSelected()) {
      node.setSelected(true, true);
      onSelect(node.data.number);
    }
  }, [onSelect]);

  const onSortChanged = useCallback((_e: SortChangedEvent<PacketRow>) => undefined, []);

  // Wireshark's Home/End (and Ctrl+Home/Ctrl+End): select the first or last frame of the view.
  const onKeyDownCapture = useCallback((e: React.KeyboardEvent) => {
    if (e.key !== 'Home' && e.key !== 'End') return;
    const count = viewRef.current?.count ?? 0;
    if (count === 0) return;
    e.preventDefault();
    e.stopPropagation();
    const row = e.key === 'Home' ? 0 : count - 1;
    const api = apiRef.current;
    if (!api) return;
    api.ensureIndexVisible(row, e.key === 'Home' ? 'top' : 'bottom');
    const started = performance.now();
    const trySelect = () => {
      const node = api.getDisplayedRowAtIndex(row);
      if (node?.data) {
        node.setSelected(true, true);
        api.setFocusedCell(row, 'number');
        onSelect(node.data.number);
        return;
      }
      if (performance.now() - started < 20_000) requestAnimationFrame(trySelect);
    };
    trySelect();
  }, [onSelect]);

  const onColumnMoved = useCallback((e: ColumnMovedEvent<PacketRow>) => e.finished && saveColumnState(e.api), [saveColumnState]);
  const onColumnResized = useCallback((e: ColumnResizedEvent<PacketRow>) => e.finished && e.source === 'uiColumnResized' && saveColumnState(e.api), [saveColumnState]);
  const onRowClicked = useCallback((e: RowClickedEvent<PacketRow>) => e.data && onSelect(e.data.number), [onSelect]);
  const onRowMenuRef = useRef(onRowMenu);
  onRowMenuRef.current = onRowMenu;
  const onCellContextMenu = useCallback((e: CellContextMenuEvent<PacketRow>) => {
    const mouse = e.event as MouseEvent | null;
    const menu = onRowMenuRef.current;
    if (!e.data || !mouse || !menu) return;
    e.node.setSelected(true, true);
    onSelect(e.data.number);
    menu(e.data, e.column.getColId(), mouse.clientX, mouse.clientY);
  }, [onSelect]);

  const empty = session !== null && view !== null && !view.pending && view.count === 0 && !session.indexing;

  return (
    <div className="packet-list" data-testid="packet-list" ref={listRef} onKeyDownCapture={onKeyDownCapture}>
      {empty && (
        <div className="list-empty" data-testid="list-empty">
          {view!.filter.trim() !== '' ? <>No frames match <code>{view!.filter}</code></> : 'The capture has no frames'}
        </div>
      )}
      <AgGridReact<PacketRow>
        theme={gridTheme}
        columnDefs={columnDefs}
        defaultColDef={DEFAULT_COL_DEF}
        onColumnMoved={onColumnMoved}
        onColumnResized={onColumnResized}
        rowModelType="infinite"
        cacheBlockSize={BLOCK}
        maxBlocksInCache={60}
        infiniteInitialRowCount={Math.min(session?.frames ?? 0, BLOCK)}
        cacheOverflowSize={1}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={10}
        rowHeight={ROW_HEIGHT}
        headerHeight={26}
        rowBuffer={ROW_BUFFER}
        getRowId={rowIdOf}
        rowSelection={ROW_SELECTION}
        getRowClass={rowClassOf}
        isFullWidthRow={isLoadingRow}
        fullWidthCellRenderer={LoadingRow}
        onGridReady={onGridReady}
        onRowClicked={onRowClicked}
        onCellFocused={onCellFocused}
        preventDefaultOnContextMenu
        onCellContextMenu={onCellContextMenu}
        onSortChanged={onSortChanged}
        suppressCellFocus={false}
        animateRows={false}
        suppressNoRowsOverlay
      />
    </div>
  );
}

/** Whether the grid holds a block's rows already (without asking for them: that would load it). */
function blockHeld(api: GridApi<PacketRow>, start: number): boolean {
  const state = api.getCacheBlockState() as Record<string, { startRow: number; pageStatus: string }> | undefined;
  if (!state) return false;
  for (const block of Object.values(state)) if (block.startRow === start && block.pageStatus === 'loaded') return true;
  return false;
}
