// What Electron's main process accepts from the renderer. Plain module, no Electron import (tested
// without Electron):
//  - only our own page may call: the sending frame must be the window's main frame showing our
//    index.html (file:// URL); no frame or an empty URL (a frame mid-navigation) is refused;
//  - the renderer cannot choose where to write or which folder to list: such paths must have come
//    from one of main's own dialogs (a save dialog approves that file; an open dialog approves the
//    folder it was in and what is below it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SenderFrame {
  url: string;
  /** Whether this is the window's top frame (not an iframe inside the page). */
  isMainFrame: boolean;
}

/** Whether a call comes from our page. `indexHtml`: the absolute path the window loaded. */
export function isTrustedSender(frame: SenderFrame | null | undefined, indexHtml: string): boolean {
  if (frame === null || frame === undefined || !frame.isMainFrame || typeof frame.url !== 'string' || frame.url === '') return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === 'file:' && url.pathname === pathToFileURL(indexHtml).pathname && url.host === '';
}

/** Calls whose path decides where something is written, and the parameter holding it. */
export const WRITE_PATH_CALLS = { saveAs: 'path', saveCapture: 'path', saveFrames: 'path', exportReport: 'path' } as const;
/** Calls whose path is a folder whose content is listed. */
export const LIST_PATH_CALLS = { listDirectory: 'path' } as const;
/** Calls given several files or folders to read as one set (folders are listed): each is checked like a listed folder. */
export const LIST_PATHS_CALLS = { capturePaths: 'paths', openCaptures: 'paths' } as const;

export class ApprovedPaths {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  /** A file the user chose in a save dialog. */
  approveWrite(file: string): void {
    this.files.add(path.resolve(file));
  }

  /** A folder the user reached in an open dialog (or one the app itself offers, like its samples). */
  approveFolder(folder: string): void {
    this.folders.add(realPath(folder));
  }

  mayWrite(file: string): boolean {
    return this.files.has(path.resolve(file));
  }

  /** The folder itself or anything below it; ".." and links are resolved first, so neither leads out. */
  mayList(folder: string): boolean {
    const wanted = realPath(folder);
    for (const approved of this.folders) {
      if (wanted === approved || wanted.startsWith(approved === path.sep ? approved : approved + path.sep)) return true;
    }
    return false;
  }
}

export type PathVerdict = { allowed: true } | { allowed: false; kind: 'write' | 'list'; path: string };

/** Whether a call may go to the service as it is: its write or list path (if any) must be approved. */
export function checkCallPaths(method: string, params: unknown, approved: ApprovedPaths): PathVerdict {
  const record = (params ?? {}) as Record<string, unknown>;
  if (method in WRITE_PATH_CALLS) {
    const target = record[WRITE_PATH_CALLS[method as keyof typeof WRITE_PATH_CALLS]];
    if (typeof target !== 'string' || !approved.mayWrite(target)) return { allowed: false, kind: 'write', path: String(target ?? '') };
  }
  if (method in LIST_PATH_CALLS) {
    const target = record[LIST_PATH_CALLS[method as keyof typeof LIST_PATH_CALLS]];
    if (typeof target !== 'string' || !approved.mayList(target)) return { allowed: false, kind: 'list', path: String(target ?? '') };
  }
  if (method in LIST_PATHS_CALLS) {
    const targets = record[LIST_PATHS_CALLS[method as keyof typeof LIST_PATHS_CALLS]];
    if (!Array.isArray(targets)) return { allowed: false, kind: 'list', path: '' };
    for (const target of targets) {
      if (typeof target !== 'string' || !approved.mayList(target.replace(/@[^@/]*$/, ''))) return { allowed: false, kind: 'list', path: String(target ?? '') };
    }
  }
  return { allowed: true };
}

/** The path with links resolved (as far as it exists). */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
