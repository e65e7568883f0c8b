// The packet list: ag-grid's infinite row model over the service's view, so only the rows on screen
// (plus a few blocks) are ever dissected or sent, whatever the size of the capture.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellFocusedEvent, ColDef, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, RowClassParams, SortChangedEvent } from 'ag-grid-community';
import type { PacketRow, SessionInfo, SortColumn, SortDirection, ViewState } from '../../../src/service/api';
import { service } from '../service-client';
import { gridTheme } from '../grid-theme';

export interface GotoRequest {
  frame: number;
  seq: number;
}

interface Props {
  session: SessionInfo;
  view: ViewState;
  selectedFrame: number | null;
  gotoRequest: GotoRequest | null;
  onSelect(frame: number): void;
  onSort(column: SortColumn, direction: SortDirection): Promise<ViewState>;
  onMessage(text: string): void;
}

const BLOCK = 100;

const COLUMNS: ColDef<PacketRow>[] = [
  { field: 'number', headerName: 'No.', width: 90, type: 'rightAligned' },
  { field: 'time', headerName: 'Time', width: 110, type: 'rightAligned', valueFormatter: (p) => (p.value === undefined ? '' : (p.value as number).toFixed(6)) },
  { field: 'source', headerName: 'Source', width: 150 },
  { field: 'destination', headerName: 'Destination', width: 150 },
  { field: 'tenant', headerName: 'Tenant', width: 115, cellClass: 'cell-tenant' },
  { field: 'vteps', headerName: 'VTEPs (outer)', width: 250, cellClass: 'cell-vteps' },
  { field: 'protocol', headerName: 'Protocol', width: 90 },
  { field: 'length', headerName: 'Length', width: 80, type: 'rightAligned' },
  { field: 'info', headerName: 'Info', flex: 1, minWidth: 300, tooltipField: 'info' },
];

export function PacketList({ session, view, selectedFrame, gotoRequest, onSelect, onSort, onMessage }: Props) {
  const apiRef = useRef<GridApi<PacketRow> | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const selectedRef = useRef(selectedFrame);
  selectedRef.current = selectedFrame;
  const onSortRef = useRef(onSort);
  onSortRef.current = onSort;

  const hasRows = session.frames > 0;
  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: async (params: IGetRowsParams) => {
        try {
          let current = viewRef.current;
          const sort = params.sortModel[0];
          const column = (sort?.colId ?? 'number') as SortColumn;
          const direction = (sort?.sort ?? 'asc') as SortDirection;
          if (column !== current.sortColumn || direction !== current.sortDirection) current = await onSortRef.current(column, direction);
          const reply = await service.call('getRows', {
            sessionId: sessionRef.current.sessionId,
            viewVersion: current.viewVersion,
            start: params.startRow,
            count: params.endRow - params.startRow,
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
    // A new view (filter, sort) or the first indexed frames start the list afresh (nothing else: the
    // datasource reads the latest callbacks through refs).
    [session.sessionId, view.viewVersion, hasRows],
  );

  useEffect(() => {
    apiRef.current?.setGridOption('datasource', datasource);
  }, [datasource]);

  // While indexing runs (or a live capture writes the file), the unfiltered list grows.
  useEffect(() => {
    const api = apiRef.current;
    if (!api || view.filter.trim() !== '' || view.pending) return;
    if (view.sortColumn === 'number' && view.sortDirection === 'asc' && session.frames > 0) {
      api.setRowCount(session.frames, true);
      if (session.live) {
        // The last block was loaded short: load it again with the new frames. Follow the newest
        // frame, as Wireshark does while capturing, until the user selects one.
        api.refreshInfiniteCache();
        if (selectedRef.current === null) api.ensureIndexVisible(session.frames - 1, 'bottom');
      }
    }
  }, [session.frames, session.live, view]);

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
    if (!gotoRequest) return;
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

  return (
    <div className="packet-list" data-testid="packet-list">
      <AgGridReact<PacketRow>
        theme={gridTheme}
        columnDefs={COLUMNS}
        defaultColDef={{ sortable: true, resizable: true, suppressMovable: true }}
        rowModelType="infinite"
        cacheBlockSize={BLOCK}
        maxBlocksInCache={60}
        infiniteInitialRowCount={Math.min(session.frames, BLOCK)}
        cacheOverflowSize={1}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={10}
        rowHeight={22}
        headerHeight={26}
        rowBuffer={20}
        getRowId={(p) => String(p.data.number)}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        getRowClass={(p: RowClassParams<PacketRow>) => (p.data ? `proto-${p.data.colour}${p.data.tenant ? ' has-tenant' : ''}` : 'row-loading')}
        onGridReady={onGridReady}
        onRowClicked={(e) => e.data && onSelect(e.data.number)}
        onCellFocused={onCellFocused}
        onSortChanged={onSortChanged}
        suppressCellFocus={false}
        animateRows={false}
      />
    </div>
  );
}
