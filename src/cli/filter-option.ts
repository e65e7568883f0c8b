// Compiling a --filter option: a bad filter is a usage error that shows where it went wrong.
import { UserError } from './errors';
import { compileFilter, CompiledFilter, FilterError, formatFilterErrorCaret } from '../filter';

const MAX_ECHOED_FILTER = 200;

export function compileFilterOrFail(text: string): CompiledFilter {
  try {
    return compileFilter(text);
  } catch (err) {
    if (err instanceof FilterError) {
      // A filter longer than a terminal line is not echoed: the column in the message says where.
      const caret = err.filter.length <= MAX_ECHOED_FILTER ? `\n  ${formatFilterErrorCaret(err).replace('\n', '\n  ')}` : '';
      throw new UserError(`invalid filter: ${err.message}${caret}`, 2);
    }
    throw err;
  }
}
