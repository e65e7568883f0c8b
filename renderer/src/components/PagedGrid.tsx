// A table whose rows stay in the analysis worker: ag-grid's infinite row model asks the service for
// the pages it shows, sorted and searched there (Conversations and Endpoints; the VTEP view's FDB,
// pairs and groups: millions of rows at thousands of VTEPs). Options are made once per grid: ag-grid-react reapplies an option
// whose identity changes on a render.
import { ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellContextMenuEvent, ColDef, GetRowIdParams, GridApi, IDatasource, IGetRowsParams, RowClassParams, RowClickedEvent, RowDoubleClickedEvent } from 'ag-grid-community';
import type { SortDirection } from '../../../src/service/api';
import { gridTheme } from '../grid-theme';

const BLOCK = 200;
/** Columns sort ascending first, then descending, then the table's own order. */
export const SORT_ASCENDING_FIRST: ColDef = { sortable: true, resizable: true, sortingOrder: ['asc', 'desc', null] };

export interface PageRequest {
  start: number;
  count: number;
  /** "" for the table's own order. */
  sortColumn: string;
  sortDirection: SortDirection;
}

interface Props<T> {
  testId: string;
  className: string;
  /** Made once (a module constant): a new array redraws the columns. */
  columns: ColDef<T>[];
  /** What the rows are of (frame, search...): a new key starts the grid's pages afresh. */
  queryKey: string;
  fetchPage(request: PageRequest): Promise<{ total: number; rows: T[] }>;
  rowId(row: T): string;
  /** Rows matching, once a page of the query is in. */
  onTotal(key: string, total: number): void;
  /** What the table says when no row matches. */
  emptyText: ReactNode;
  /** Made once (a module constant); SORT_ASCENDING_FIRST by default. */
  defaultColDef?: ColDef;
  onError(message: string): void;
  rowClass?(row: T): string;
  onRowClicked?(row: T): void;
  onRowDoubleClicked?(row: T): void;
  /** A right-click on a row; the browser's own menu is then not shown. */
  onRowContextMenu?(row: T, event: MouseEvent): void;
}

export function PagedGrid<T>({ testId, className, columns, queryKey, fetchPage, rowId, onTotal, emptyText, defaultColDef = SORT_ASCENDING_FIRST, onError, rowClass, onRowClicked, onRowDoubleClicked, onRowContextMenu }: Props<T>) {
  const apiRef = useRef<GridApi<T> | null>(null);
  // The total belongs to one query: an earlier query's answer never shows as this one's.
  const [answered, setAnswered] = useState<{ key: string; total: number } | null>(null);
  // The latest callbacks, read when a page is asked for: the datasource changes with the query only.
  const latest = useRef({ fetchPage, onTotal, onError });
  latest.current = { fetchPage, onTotal, onError };

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params: IGetRowsParams) => {
        const sort = params.sortModel[0];
        latest.current
          .fetchPage({ start: params.startRow, count: params.endRow - params.startRow, sortColumn: sort?.colId ?? '', sortDirection: (sort?.sort ?? 'asc') as SortDirection })
          .then((page) => {
            params.successCallback(page.rows, page.total);
            setAnswered({ key: queryKey, total: page.total });
            latest.current.onTotal(queryKey, page.total);
          })
          .catch((err: Error) => {
            latest.current.onError(err.message);
            params.failCallback();
          });
      },
    }),
    [queryKey],
  );

  useEffect(() => {
    apiRef.current?.setGridOption('datasource', datasource);
  }, [datasource]);

  const getRowId = useCallback((p: GetRowIdParams<T>) => rowId(p.data), [rowId]);
  const getRowClass = useCallback((p: RowClassParams<T>) => (p.data !== undefined && rowClass ? rowClass(p.data) : ''), [rowClass]);
  useEffect(() => apiRef.current?.redrawRows(), [getRowClass]);
  const onClicked = useCallback((e: RowClickedEvent<T>) => e.data !== undefined && onRowClicked?.(e.data), [onRowClicked]);
  const onDoubleClicked = useCallback((e: RowDoubleClickedEvent<T>) => e.data !== undefined && onRowDoubleClicked?.(e.data), [onRowDoubleClicked]);
  const onContextMenu = useCallback(
    (e: CellContextMenuEvent<T>) => {
      if (e.data === undefined || !onRowContextMenu || !e.event) return;
      e.event.preventDefault();
      onRowContextMenu(e.data, e.event as MouseEvent);
    },
    [onRowContextMenu],
  );
  return (
    <div className={className} data-testid={testId}>
      <AgGridReact<T>
        theme={gridTheme}
        columnDefs={columns}
        defaultColDef={defaultColDef}
        rowModelType="infinite"
        cacheBlockSize={BLOCK}
        maxBlocksInCache={50}
        rowHeight={22}
        headerHeight={26}
        getRowId={getRowId}
        getRowClass={getRowClass}
        onRowClicked={onClicked}
        onRowDoubleClicked={onDoubleClicked}
        onCellContextMenu={onContextMenu}
        preventDefaultOnContextMenu={onRowContextMenu !== undefined}
        onGridReady={(e) => {
          apiRef.current = e.api;
          e.api.setGridOption('datasource', datasource);
        }}
        suppressNoRowsOverlay
        tooltipShowDelay={400}
      />
      {answered?.key === queryKey && answered.total === 0 && <div className="list-empty">{emptyText}</div>}
    </div>
  );
}
