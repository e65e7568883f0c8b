// Opening a capture for a command: a CaptureError becomes a one-line UserError.
import { CaptureError } from '../capture/capture-error';
import { CaptureFile } from '../capture/capture-file';
import { CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import { DecodeAsOverrides } from '../dissect/dissection';
import { openCaptures } from '../overlay/captures';
import { UserError } from './errors';

export function openCaptureOrFail(path: string): CaptureFile {
  try {
    return CaptureFile.open(path);
  } catch (err) {
    if (err instanceof CaptureError) throw new UserError(err.message);
    throw err;
  }
}

/**
 * The command's captures: one file as ever, or several files and folders merged into one frame
 * order (indexed and correlated here: see src/overlay/captures.ts).
 */
export function openCapturesOrFail(paths: readonly string[], decodeAs: DecodeAsOverrides | null = null, forceSet = false): FrameSource {
  try {
    return openCaptures(paths, decodeAs, forceSet);
  } catch (err) {
    if (err instanceof CaptureError) throw new UserError(err.message);
    throw err;
  }
}

/** After a full pass: a cut-short or corrupt file is reported once, and the command exits 1. */
export function reportCaptureProblem(file: FrameSource): void {
  if (file.problem === null) return;
  // A set's problem already names its captures.
  process.stderr.write(`tunnelscope: ${file instanceof CaptureSet ? '' : `${file.path}: `}${file.problem}\n`);
  process.exitCode = 1;
}

/** Closes the capture once `work` (reading it) is done, then reports its problem as above. */
export function closeAfter(file: FrameSource, work: Promise<void>): Promise<void> {
  return work.then(
    () => {
      file.close();
      reportCaptureProblem(file);
    },
    (err: unknown) => {
      file.close();
      throw err;
    },
  );
}
