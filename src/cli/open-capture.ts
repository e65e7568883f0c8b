// Opening a capture for a command: a CaptureError becomes a one-line UserError.
import { CaptureError } from '../capture/capture-error';
import { CaptureFile } from '../capture/capture-file';
import { UserError } from './errors';

export function openCaptureOrFail(path: string): CaptureFile {
  try {
    return CaptureFile.open(path);
  } catch (err) {
    if (err instanceof CaptureError) throw new UserError(err.message);
    throw err;
  }
}

/** After a full pass: a cut-short or corrupt file is reported once, and the command exits 1. */
export function reportCaptureProblem(file: CaptureFile): void {
  if (file.problem === null) return;
  process.stderr.write(`tunnelscope: ${file.path}: ${file.problem}\n`);
  process.exitCode = 1;
}

/** Closes the capture once `work` (reading it) is done, then reports its problem as above. */
export function closeAfter(file: CaptureFile, work: Promise<void>): Promise<void> {
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
