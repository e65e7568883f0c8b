// Electron main process: one window on the built renderer (contextIsolation, sandbox, no Node in the
// page, strict CSP), native menus, dialogs, recent files and the command-line file argument. The
// service runs in a utility process (service-process.ts), so a long save or replay never freezes the
// window. Every IPC message is checked (ipc-policy.ts: our page only; write and list paths only from
// main's own dialogs) and validated with ajv before it reaches the service.
import * as path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, IpcMainInvokeEvent, Menu, MenuItemConstructorOptions, session, shell, utilityProcess, UtilityProcess } from 'electron';
import { API_CHANNEL_CALL, API_CHANNEL_EVENT, EventName, ServiceEvents } from '../src/service/api';
import { callErrorOf, CONTENT_SECURITY_POLICY } from '../src/service/http-server';
import { RENDERER_DIR, SAMPLES_DIR } from '../src/service/paths';
import { validateCall } from '../src/service/schemas';
import { ApprovedPaths, checkCallPaths, isTrustedSender } from './ipc-policy';
import { CallReply, ServiceProxy } from './service-protocol';

const INDEX_HTML = path.join(RENDERER_DIR, 'index.html');
const approved = new ApprovedPaths();
approved.approveFolder(SAMPLES_DIR);
let window: BrowserWindow | null = null;
let serviceProcess: UtilityProcess | null = null;
let service: ServiceProxy | null = null;
/** The capture the renderer last asked about: the target of Save As. */
let activeSessionId: string | null = null;

const CAPTURE_FILTERS = [
  { name: 'Captures', extensions: ['pcap', 'pcapng', 'cap'] },
  { name: 'All files', extensions: ['*'] },
];

function send<E extends EventName>(event: E, data: ServiceEvents[E]): void {
  window?.webContents.send(API_CHANNEL_EVENT, { event, data });
}

function startService(): ServiceProxy {
  const child = utilityProcess.fork(path.join(__dirname, 'service-process.js'), [], { serviceName: 'Tunnelscope service', stdio: 'inherit' });
  const proxy = new ServiceProxy({ send: (m) => child.postMessage(m), onMessage: (l) => child.on('message', l) }, (event, data) => send(event, data as never));
  child.on('exit', (code) => proxy.lost(`the Tunnelscope service process ended (exit code ${code}); restart the app`));
  serviceProcess = child;
  return proxy;
}

/**
 * Opens what main itself chose (dialog, recent list, command line): one file, a folder of several
 * hosts' captures, or several files read as one. Their folders may be listed.
 */
async function openFiles(files: string[]): Promise<void> {
  if (!service || files.length === 0) return;
  try {
    const info = await service.call('openCaptures', { paths: files });
    for (const member of info.captures ?? [info]) approved.approveFolder(path.dirname(member.path));
    activeSessionId = info.sessionId;
    send('sessionOpened', { info });
    window?.setTitle(`${info.name} — Tunnelscope`);
    void buildMenu();
  } catch (err) {
    dialog.showErrorBox('Cannot open capture', (err as Error).message);
  }
}

/** Several files picked together are several hosts' captures, read as one (merged by corrected time). */
async function showOpenDialog(): Promise<void> {
  if (!window) return;
  const result = await dialog.showOpenDialog(window, { title: 'Open capture (several: one per host, read as one)', properties: ['openFile', 'multiSelections'], filters: CAPTURE_FILTERS });
  if (!result.canceled && result.filePaths.length > 0) await openFiles(result.filePaths);
}

/** A folder: every capture in it, one per host, read as one. */
async function showOpenFolderDialog(): Promise<void> {
  if (!window) return;
  const result = await dialog.showOpenDialog(window, { title: "Open a folder of several hosts' captures", properties: ['openDirectory'] });
  if (!result.canceled && result.filePaths[0]) await openFiles([result.filePaths[0]]);
}

/** Main's save dialog; the chosen file is approved for writing. */
async function askWhereToSave(title: string, suggested?: string): Promise<string | null> {
  if (!window) return null;
  const result = await dialog.showSaveDialog(window, { title, defaultPath: suggested, filters: [{ name: 'pcapng', extensions: ['pcapng'] }, { name: 'pcap', extensions: ['pcap'] }] });
  if (result.canceled || !result.filePath) return null;
  approved.approveWrite(result.filePath);
  return result.filePath;
}

async function showSaveDialog(): Promise<void> {
  if (!window || !service || activeSessionId === null) return;
  const file = await askWhereToSave('Save displayed frames as');
  if (file === null) return;
  try {
    const format = file.endsWith('.pcap') ? 'pcap' : 'pcapng';
    const saved = await service.call('saveAs', { sessionId: activeSessionId, path: file, format, displayedOnly: true });
    void dialog.showMessageBox(window, { message: `Saved ${saved.frames} frames to ${saved.path}` });
  } catch (err) {
    dialog.showErrorBox('Cannot save', (err as Error).message);
  }
}

async function buildMenu(): Promise<void> {
  const command = (c: ServiceEvents['menuCommand']['command']) => () => send('menuCommand', { command: c });
  const recent = service ? await service.call('recentFiles', {}).then((r) => r.files, () => []) : [];
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void showOpenDialog() },
        { label: 'Open Folder of Captures…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void showOpenFolderDialog() },
        { label: 'Capture…', accelerator: 'CmdOrCtrl+K', click: command('capture') },
        { label: 'Open Recent', submenu: recent.length ? recent.map((f) => ({ label: f, click: () => void openFiles([f]) })) : [{ label: 'No recent files', enabled: false }] },
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
  // Several files on the command line are several hosts' captures, as for the CLI's commands.
  window.webContents.once('did-finish-load', () => void openFiles(files));
  void window.loadFile(INDEX_HTML);
  window.on('closed', () => (window = null));
}

const refused = (message: string, kind: 'invalid' | 'user' = 'invalid', code?: string): CallReply => ({ ok: false, error: code ? { message, kind, code } : { message, kind } });

async function handleCall(event: IpcMainInvokeEvent, message: unknown): Promise<CallReply> {
  const frame = event.senderFrame;
  const fromOurPage = window !== null && event.sender === window.webContents && isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null }, INDEX_HTML);
  if (!fromOurPage || !service) return refused('call from an unexpected page');
  let method: string;
  let params: Record<string, unknown>;
  try {
    const call = validateCall(message);
    method = call.method;
    params = { ...(call.params as Record<string, unknown>) };
  } catch (err) {
    return { ok: false, error: callErrorOf(err) };
  }
  const verdict = checkCallPaths(method, params, approved);
  if (!verdict.allowed) {
    if (verdict.kind === 'list') return refused(`the desktop app lists only folders chosen in its own Open dialog (File > Open…), not ${verdict.path}`, 'user', 'not-approved');
    // The page asked to write somewhere: the user confirms (or changes) the place in main's dialog.
    const chosen = await askWhereToSave('Save capture as', verdict.path || undefined);
    if (chosen === null) return refused('not saved: no file was chosen', 'user', 'cancelled');
    params.path = chosen;
  }
  if (typeof params.sessionId === 'string') activeSessionId = params.sessionId;
  const reply = await service.request(method, params);
  if ((method === 'openCapture' || method === 'openCaptures') && reply.ok) void buildMenu();
  return reply;
}

ipcMain.handle(API_CHANNEL_CALL, handleCall);

const filesFromArgs = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'));

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  service = startService();
  void buildMenu();
  createWindow(filesFromArgs);
});

app.on('window-all-closed', () => {
  // Live captures are stopped cleanly (their files are kept) before the app quits.
  void (service?.closeAll() ?? Promise.resolve()).finally(() => {
    serviceProcess?.kill();
    app.quit();
  });
});
