// Plain-text helpers for the tenants and vteps commands: aligned columns and human units.

/** "1.2 kB", "3.4 MB" (SI, like Wireshark's statistics); bytes below 1000 as "512 B". */
export function humanBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Seconds relative to `start`, 6 decimals (like tshark's relative time). */
export function relativeTime(ts: number, start: number): string {
  return (ts - start).toFixed(6);
}

/**
 * Rows padded into columns; `right` marks numeric columns (right-aligned). Loops, not spread arguments:
 * a timeline or forwarding database can have more rows than a call has room for arguments.
 */
export function table(header: string[], rows: string[][], right: boolean[] = [], indent = ''): string[] {
  return [...tableLines(header, () => rows, right, indent)];
}

/**
 * As table(), a line at a time from rows made twice (once for the widths, once for the lines), so
 * that millions of rows are never held at once.
 */
export function* tableLines(header: string[], rows: () => Iterable<string[]>, right: boolean[] = [], indent = ''): Generator<string> {
  const widths = header.map((h) => h.length);
  for (const row of rows()) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], (row[i] ?? '').length);
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => (i === cells.length - 1 && !right[i] ? cell : right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  yield line(header);
  for (const row of rows()) yield line(row);
}

/** Appends `lines` to `out` (a push of a spread list overflows the stack past some 100,000 lines). */
export function appendLines(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}
