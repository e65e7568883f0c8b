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

/** Rows padded into columns; `right` marks numeric columns (right-aligned). */
export function table(header: string[], rows: string[][], right: boolean[] = [], indent = ''): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => (i === cells.length - 1 && !right[i] ? cell : right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
