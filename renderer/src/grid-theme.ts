// One compact ag-grid theme for every table: dense rows and a monospace font, like Wireshark's lists.
import { themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withParams({
  fontFamily: '"DejaVu Sans Mono", "Menlo", "Consolas", monospace',
  fontSize: 12,
  headerFontFamily: '"DejaVu Sans", "Segoe UI", sans-serif',
  headerFontSize: 12,
  headerFontWeight: 600,
  spacing: 3,
  rowHeight: 22,
  headerHeight: 26,
  wrapperBorderRadius: 0,
  borderRadius: 0,
  headerBackgroundColor: '#e8ecf1',
  selectedRowBackgroundColor: '#2b5797',
  rowHoverColor: 'rgba(43, 87, 151, 0.12)',
  accentColor: '#2b5797',
  cellHorizontalPadding: 6,
});
