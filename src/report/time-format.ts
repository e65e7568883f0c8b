// Timestamps as the report prints them: ISO 8601 in UTC with the capture's sub-second digits.

/** "2024-01-01T00:00:00.001250Z" from seconds since the epoch (a double: exact to the microsecond, not beyond). */
export function isoTime(seconds: number, fractionDigits = 6): string {
  const scale = 10 ** fractionDigits;
  let whole = Math.floor(seconds);
  // Round at the printed digit: 1704067201.03 is 1704067201.0299999 as a double.
  let fraction = Math.round((seconds - whole) * scale);
  if (fraction >= scale) {
    whole += 1;
    fraction -= scale;
  }
  const date = new Date(whole * 1000).toISOString().slice(0, 19);
  return fractionDigits > 0 ? `${date}.${String(fraction).padStart(fractionDigits, '0')}Z` : `${date}Z`;
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
