// Where the commands write their output.

/** Standard output's file descriptor: the reports and frame lines go there. */
export const STDOUT = 1;
