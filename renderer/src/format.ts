// Display helpers shared by the views.
/** One formatter for every count (toLocaleString makes one per call: slow in tables of thousands). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatSeconds(s: number): string {
  return s.toFixed(6);
}

export function formatDate(epochSeconds: number | null): string {
  if (epochSeconds === null) return '';
  const date = new Date(epochSeconds * 1000);
  // A capture's 64-bit time can lie beyond what a Date holds (year 275760): shown as seconds, not an exception.
  if (Number.isNaN(date.getTime())) return `${epochSeconds.toFixed(0)} s after 1970 (beyond the calendar)`;
  return date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}
