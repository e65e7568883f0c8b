// A bad filter gets exactly one error that says what is wrong and where, as Wireshark's filter bar does.

export class FilterError extends Error {
  /** What is wrong, without the position ("\"ip.sorce\" is not a valid field"). */
  readonly reason: string;

  constructor(
    reason: string,
    /** The whole filter text the error refers to. */
    readonly filter: string,
    /** 0-based column of the offending text (may equal filter.length: "something is missing at the end"). */
    readonly position: number,
    /** Length of the offending text; 0 when something is missing. */
    readonly length: number,
  ) {
    super(`${reason} (at column ${position + 1})`);
    this.name = 'FilterError';
    this.reason = reason;
  }
}

/** One line for the UI's filter bar: `"ip.sorce" is not a valid field; did you mean "ip.src"? (at column 1)`. */
export function formatFilterErrorLine(err: FilterError): string {
  return err.message;
}

/**
 * Two lines for a terminal: the filter, then carets under the offending text.
 *   ip.sorce == 10.0.0.1
 *   ^^^^^^^^
 */
export function formatFilterErrorCaret(err: FilterError): string {
  const shown = err.filter.replace(/[\r\n]/g, ' ');
  // Keep tabs in the caret line so the carets stay aligned whatever the terminal's tab width.
  let pad = '';
  for (let i = 0; i < err.position && i < shown.length; i++) pad += shown[i] === '\t' ? '\t' : ' ';
  // Stryker disable next-line EqualityOperator: at position === length the repeat adds nothing
  if (err.position > shown.length) pad += ' '.repeat(err.position - shown.length);
  const width = Math.max(1, Math.min(err.length, Math.max(1, shown.length - err.position)));
  return `${shown}\n${pad}${'^'.repeat(width)}`;
}

/** The known name closest to a mistyped one, or undefined when nothing is plausibly meant. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Stryker disable next-line ConditionalExpression: a shortcut; such a candidate's distance is over the limit anyway
    if (Math.abs(candidate.length - name.length) > limit) continue;
    // Stryker disable next-line ConditionalExpression: a shortcut; the distance of equal names is 0 anyway
    const distance = candidate === lower ? 0 : editDistance(lower, candidate);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: best is set whenever distance equals a finite bestDistance; equal names tie either way
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  // Stryker disable next-line ArrayDeclaration: the array grows as it is filled either way
  const d: number[] = new Array(rows * cols);
  // Stryker disable next-line EqualityOperator: one more row start lies past the matrix and is never read
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  // Stryker disable next-line EqualityOperator: one more row lies past the matrix and is never read
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      const swapped = a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: a guard only; at i or j = 1 the letters read are undefined, so swapped is false
      if (i > 1 && j > 1 && swapped) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}
