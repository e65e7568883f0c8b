// Inputs are read only from regular files: a FIFO blocks a reader for ever, a device never ends.
import type { Stats } from 'node:fs';

/** What a file that is not a regular file is ("is a FIFO"), or null for a regular file (growing or not). */
export function notRegularFile(stat: Stats): string | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return 'is a directory';
  if (stat.isFIFO()) return 'is a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device';
  if (stat.isSocket()) return 'is a socket';
  return 'is not a regular file';
}
