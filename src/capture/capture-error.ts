/** A capture file that cannot be read (not a capture, corrupt, cut short). The message is one line for the user. */
export class CaptureError extends Error {}
