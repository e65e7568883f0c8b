// A table of every row a view has, virtualized by ag-grid and searched with its quick filter (any
// column): the FDB at a frame, the VTEP-to-VTEP matrix. Options are made once per grid:
// ag-grid-react reapplies an option whose identity changes on a render (a new default column
// definition refreshes every column).
import { useCallback } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, RowClassParams, RowClickedEvent } from 'ag-grid-community';
import { gridTheme } from '../grid-theme';

const DEFAULT_COL_DEF: ColDef = { sortable: true, resizable: true };

interface Props<T> {
  testId: string;
  className: string;
  rows: T[];
  /** Made once (a module constant): a new array redraws the columns. */
  columns: ColDef<T>[];
  search: string;
  rowId(row: T): string;
  /** What the empty table says, without and with a search. */
  noRows: string;
  noMatch: string;
  rowClass?(row: T): string;
  onRowClicked?(row: T): void;
}

export function SearchableGrid<T>({ testId, className, rows, columns, search, rowId, noRows, noMatch, rowClass, onRowClicked }: Props<T>) {
  const getRowId = useCallback((p: GetRowIdParams<T>) => rowId(p.data), [rowId]);
  const getRowClass = useCallback((p: RowClassParams<T>) => (p.data !== undefined && rowClass ? rowClass(p.data) : ''), [rowClass]);
  const onClicked = useCallback((e: RowClickedEvent<T>) => e.data !== undefined && onRowClicked?.(e.data), [onRowClicked]);
  return (
    <div className={className} data-testid={testId}>
      <AgGridReact<T>
        theme={gridTheme}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={DEFAULT_COL_DEF}
        quickFilterText={search}
        rowHeight={22}
        headerHeight={26}
        getRowId={getRowId}
        getRowClass={getRowClass}
        onRowClicked={onClicked}
        overlayNoRowsTemplate={search ? noMatch : noRows}
      />
    </div>
  );
}
