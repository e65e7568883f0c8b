// The ways a live capture can fail before or while it runs, each with a one-line message a user can act on.

export type LiveCaptureErrorKind = 'no-program' | 'no-interface' | 'bad-filter' | 'permission' | 'bad-options' | 'capture-failed';

export class LiveCaptureError extends Error {
  constructor(readonly kind: LiveCaptureErrorKind, message: string) {
    super(message);
  }
}
