// The app's Paths view: several hosts' captures (files or folders) correlated into per VTEP pair
// sent, received, lost and latency, as `tunnelscope paths` computes them.
import * as path from 'node:path';
import { CaptureError } from '../capture/capture-error';
import { CaptureSet } from '../capture/capture-set';
import { openCaptures } from '../overlay/captures';
import { analysePaths } from '../overlay/paths-analysis';
import type { PathsView } from './api';
import { UserFacingError } from './capture-session';

export function capturePaths(paths: string[]): PathsView {
  let set: CaptureSet;
  try {
    set = openCaptures(paths.map((p) => path.resolve(p)), null, true) as CaptureSet;
  } catch (err) {
    if (err instanceof CaptureError) throw new UserFacingError(err.message);
    throw err;
  }
  try {
    return analysePaths(set);
  } finally {
    set.close();
  }
}
