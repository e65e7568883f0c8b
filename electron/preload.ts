// Preload (sandboxed: only 'electron' may be required, so nothing is imported from the project).
// Exposes the service API as window.tunnelscope: one call function and one event subscription.
import { contextBridge, ipcRenderer, IpcRendererEvent, webUtils } from 'electron';

const CALL = 'tunnelscope:call';
const EVENT = 'tunnelscope:event';

contextBridge.exposeInMainWorld('tunnelscope', {
  call: (method: string, params: unknown): Promise<unknown> => ipcRenderer.invoke(CALL, { method, params }),
  onEvent: (listener: (message: { event: string; data: unknown }) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, message: { event: string; data: unknown }) => listener(message);
    ipcRenderer.on(EVENT, handler);
    return () => ipcRenderer.removeListener(EVENT, handler);
  },
  /** A dropped File's path on disk (contextIsolation hides File.path). */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
