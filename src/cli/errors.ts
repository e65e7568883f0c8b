/** An error the user can act on: printed as one line, exit code 1 (bad input) or 2 (usage). */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
