// Packet-list column preferences, kept between runs in localStorage: order, width, hidden, extra
// columns showing any filter field, and the time display format.
export type TimeFormat = 'relative' | 'delta' | 'absolute' | 'datetime' | 'epoch';

export interface ColumnPref {
  /** A built-in column's id ("number", "source"...), or "f:" + a field name for an extra column. */
  id: string;
  width?: number;
  hidden?: boolean;
}

export interface ColumnPrefs {
  columns: ColumnPref[];
  time: TimeFormat;
}

const KEY = 'tunnelscope.packetColumns';
export const BUILT_IN = ['number', 'time', 'source', 'destination', 'tenant', 'vteps', 'protocol', 'length', 'info'] as const;
export const TIME_FORMATS: { id: TimeFormat; label: string }[] = [
  { id: 'relative', label: 'Seconds since the first frame' },
  { id: 'delta', label: 'Seconds since the previous frame in the list' },
  { id: 'absolute', label: 'Time of day (UTC)' },
  { id: 'datetime', label: 'Date and time of day (UTC)' },
  { id: 'epoch', label: 'Seconds since 1970-01-01 (epoch)' },
];

export function defaultPrefs(): ColumnPrefs {
  return { columns: BUILT_IN.map((id) => ({ id })), time: 'relative' };
}

export function loadPrefs(): ColumnPrefs {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as ColumnPrefs | null;
    if (!saved || !Array.isArray(saved.columns)) return defaultPrefs();
    const columns = saved.columns.filter((c) => typeof c.id === 'string' && ((BUILT_IN as readonly string[]).includes(c.id) || c.id.startsWith('f:')));
    // A built-in column missing from older preferences comes back hidden, never lost.
    for (const id of BUILT_IN) if (!columns.some((c) => c.id === id)) columns.push({ id, hidden: true });
    return { columns, time: TIME_FORMATS.some((t) => t.id === saved.time) ? saved.time : 'relative' };
  } catch {
    return defaultPrefs();
  }
}

export function savePrefs(prefs: ColumnPrefs): void {
  localStorage.setItem(KEY, JSON.stringify(prefs));
}

/** Extra columns' field names, in column order. */
export function extraFields(prefs: ColumnPrefs): string[] {
  return prefs.columns.filter((c) => c.id.startsWith('f:') && !c.hidden).map((c) => c.id.slice(2));
}

export function formatTime(format: TimeFormat, relative: number, firstEpoch: number | null, previous: number | null): string {
  const epoch = (firstEpoch ?? 0) + relative;
  switch (format) {
    case 'relative':
      return relative.toFixed(6);
    case 'delta':
      return previous === null ? '0.000000' : (relative - previous).toFixed(6);
    case 'epoch':
      return epoch.toFixed(6);
    case 'absolute':
    case 'datetime': {
      const whole = Math.floor(epoch);
      const micros = String(Math.round((epoch - whole) * 1e6)).padStart(6, '0').slice(0, 6);
      const iso = new Date(whole * 1000).toISOString();
      return format === 'absolute' ? `${iso.slice(11, 19)}.${micros}` : `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
    }
  }
}
