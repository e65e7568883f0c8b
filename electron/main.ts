// Electron main process: one window on the built renderer (contextIsolation, sandbox, no Node in the
// page, strict CSP), the service in this process with its long work in worker threads, every IPC
// message validated with ajv, native menus, dialogs, recent files and the command-line file argument.
import * as path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, MenuItemConstructorOptions, session, shell } from 'electron';
import { API_CHANNEL_CALL, API_CHANNEL_EVENT, EventName, ServiceEvents } from '../src/service/api';
import { callErrorOf, CONTENT_SECURITY_POLICY } from '../src/service/http-server';
import { RENDERER_DIR, SAMPLES_DIR } from '../src/service/paths';
import { validateCall } from '../src/service/schemas';
import { TunnelscopeService } from '../src/service/service';

const service = new TunnelscopeService({ samplesDir: SAMPLES_DIR });
let window: BrowserWindow | null = null;
/** The capture the renderer last asked about: the target of Save As. */
let activeSessionId: string | null = null;

const CAPTURE_FILTERS = [
  { name: 'Captures', extensions: ['pcap', 'pcapng', 'cap'] },
  { name: 'All files', extensions: ['*'] },
];

function send<E extends EventName>(event: E, data: ServiceEvents[E]): void {
  window?.webContents.send(API_CHANNEL_EVENT, { event, data });
}

function openFile(file: string): void {
  try {
    const info = service.open(file);
    activeSessionId = info.sessionId;
    send('sessionOpened', { info });
    window?.setTitle(`${info.name} — Tunnelscope`);
    buildMenu();
  } catch (err) {
    dialog.showErrorBox('Cannot open capture', (err as Error).message);
  }
}

async function showOpenDialog(): Promise<void> {
  if (!window) return;
  const result = await dialog.showOpenDialog(window, { title: 'Open capture', properties: ['openFile'], filters: CAPTURE_FILTERS });
  if (!result.canceled && result.filePaths[0]) openFile(result.filePaths[0]);
}

async function showSaveDialog(): Promise<void> {
  if (!window || activeSessionId === null) return;
  const result = await dialog.showSaveDialog(window, { title: 'Save displayed frames as', filters: [{ name: 'pcapng', extensions: ['pcapng'] }, { name: 'pcap', extensions: ['pcap'] }] });
  if (result.canceled || !result.filePath) return;
  try {
    const format = result.filePath.endsWith('.pcap') ? 'pcap' : 'pcapng';
    const saved = await service.call('saveAs', { sessionId: activeSessionId, path: result.filePath, format, displayedOnly: true });
    dialog.showMessageBox(window, { message: `Saved ${saved.frames} frames to ${saved.path}` });
  } catch (err) {
    dialog.showErrorBox('Cannot save', (err as Error).message);
  }
}

function buildMenu(): void {
  const command = (c: ServiceEvents['menuCommand']['command']) => () => send('menuCommand', { command: c });
  const recent = service.recent();
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void showOpenDialog() },
        { label: 'Capture…', accelerator: 'CmdOrCtrl+K', click: command('capture') },
        { label: 'Open Recent', submenu: recent.length ? recent.map((f) => ({ label: f, click: () => openFile(f) })) : [{ label: 'No recent files', enabled: false }] },
        { type: 'separator' },
        { label: 'Save Displayed As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void showSaveDialog() },
        { label: 'Report (tenants and findings)', click: command('report') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Packets', accelerator: 'CmdOrCtrl+1', click: command('view-packets') },
        { label: 'Tenants', accelerator: 'CmdOrCtrl+2', click: command('view-tenants') },
        { label: 'VTEP Timeline', accelerator: 'CmdOrCtrl+3', click: command('view-vteps') },
        { label: 'Switch Replay', accelerator: 'CmdOrCtrl+4', click: command('view-switch') },
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: 'Go',
      submenu: [
        { label: 'Go to Frame…', accelerator: 'CmdOrCtrl+G', click: command('goto') },
        { label: 'Display Filter', accelerator: 'CmdOrCtrl+F', click: command('find') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(files: string[]): void {
  window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Tunnelscope',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  // The page never navigates away or opens windows; links go to the system browser.
  window.webContents.on('will-navigate', (e) => e.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.once('did-finish-load', () => files.forEach(openFile));
  void window.loadFile(path.join(RENDERER_DIR, 'index.html'));
  window.on('closed', () => (window = null));
}

ipcMain.handle(API_CHANNEL_CALL, async (event, message: unknown) => {
  if (event.senderFrame?.url && !event.senderFrame.url.startsWith('file://')) return { ok: false, error: { message: 'call from an unexpected page', kind: 'invalid' } };
  try {
    const { method, params } = validateCall(message);
    if (typeof params.sessionId === 'string') activeSessionId = params.sessionId;
    const result = await service.call(method, params as never);
    if (method === 'openCapture') buildMenu();
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: callErrorOf(err) };
  }
});

service.subscribe((event, data) => send(event, data));

const filesFromArgs = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'));

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  buildMenu();
  createWindow(filesFromArgs);
});

app.on('window-all-closed', () => {
  // Live captures are stopped cleanly (their files are kept) before the app quits.
  void service.closeAll().finally(() => app.quit());
});
