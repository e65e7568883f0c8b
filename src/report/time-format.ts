// Timestamps as the report prints them: ISO 8601 in UTC with the capture's sub-second digits.

/** "2024-01-01T00:00:00.001250Z" from seconds since the epoch (a double: exact to the microsecond, not beyond). */
export function isoTime(seconds: number, fractionDigits = 6): string {
  if (!Number.isFinite(seconds)) return 'invalid time';
  const scale = 10 ** fractionDigits;
  let whole = Math.floor(seconds);
  // Round at the printed digit: 1704067201.03 is 1704067201.0299999 as a double.
  let fraction = Math.round((seconds - whole) * scale);
  if (fraction >= scale) {
    whole += 1;
    fraction -= scale;
  }
  const date = calendarTime(whole);
  return fractionDigits > 0 ? `${date}.${String(fraction).padStart(fractionDigits, '0')}Z` : `${date}Z`;
}

/**
 * "2024-01-01T00:00:00" for whole seconds since the epoch. Any 64-bit time (pcapng's timestamps and
 * if_tsoffset reach year 584,554 and beyond) gets its proleptic Gregorian date, with ISO 8601's
 * expanded year ("+584554-07-...") outside 0000-9999, instead of Date's "Invalid time value".
 */
export function calendarTime(wholeSeconds: number): string {
  if (!Number.isFinite(wholeSeconds)) return 'invalid time';
  // A JavaScript Date ends at year 275760: computed here instead, for every time a double holds.
  const days = Math.floor(wholeSeconds / 86400);
  const secondOfDay = wholeSeconds - days * 86400;
  // Howard Hinnant's civil_from_days: exact in doubles for every day count below 2^53.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay - h * 3600) / 60);
  const sec = Math.floor(secondOfDay - h * 3600 - m * 60);
  const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${Math.abs(year).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 }).padStart(6, '0')}`;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${yearText}-${two(month)}-${two(day)}T${two(h)}:${two(m)}:${two(sec)}`;
}

/** "2024-01-01 00:00:00.001250 UTC" for people. */
export function readableTime(seconds: number): string {
  return isoTime(seconds, 6).replace('T', ' ').replace('Z', ' UTC');
}

/** "12.5 ms", "3.2 s", "4 min 10 s" for durations and bin widths. */
export function readableDuration(seconds: number): string {
  if (seconds < 1e-3) return `${+(seconds * 1e6).toPrecision(3)} µs`;
  if (seconds < 1) return `${+(seconds * 1e3).toPrecision(3)} ms`;
  if (seconds < 120) return `${+seconds.toPrecision(3)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** "00:00:01.030000": the time of day in UTC, for tables whose date the summary already gives. */
export function timeOfDay(seconds: number): string {
  return isoTime(seconds, 6).slice(11, -1);
}
