// Assertions shared by the display-filter tests: a frame against a table of filters, and the error a
// filter must raise.
import assert from 'node:assert/strict';
import type { Dissection } from '../../src/dissect/dissection';
import { compileFilter, FilterError } from '../../src/filter';

/** Each filter matches the frame, or not, as the table says. */
export function check(d: Dissection, cases: Record<string, boolean>): void {
  for (const [filter, expected] of Object.entries(cases)) {
    assert.equal(compileFilter(filter).matches(d), expected, `${filter} should be ${expected}`);
  }
}

/** The FilterError `run` raises for `filter` (any other outcome fails the test). */
export function errorOf(run: () => unknown, filter: string): FilterError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof FilterError, `${filter}: expected a FilterError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${filter}: expected an error`);
}

/** The FilterError compiling `filter` raises. */
export function compileErrorOf(filter: string): FilterError {
  return errorOf(() => compileFilter(filter), filter);
}
