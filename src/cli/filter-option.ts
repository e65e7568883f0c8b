// Compiling a --filter option: a bad filter is a usage error that shows where it went wrong.
import { UserError } from './errors';
import { compileFilter, CompiledFilter, FilterError, formatFilterErrorCaret } from '../filter';

export function compileFilterOrFail(text: string): CompiledFilter {
  try {
    return compileFilter(text);
  } catch (err) {
    if (err instanceof FilterError) throw new UserError(`invalid filter: ${err.message}\n  ${formatFilterErrorCaret(err).replace("\n", "\n  ")}`, 2);
    throw err;
  }
}
