// The service behind both transports: sessions by id, every call of ServiceCalls, events to the
// connected UI. Long work (indexing, filtering, analysis) runs in scan workers; the rest is quick.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureError } from '../capture/capture-error';
import type { CaptureFile } from '../capture/capture-file';
import { allFieldNames, fieldDef } from '../dissect/fields';
import { buildDissectorRegistry } from '../dissect/registry';
import { validateFilter } from '../filter';
import { decodeAsOverrides } from '../dissect/decode-as';
import { FrameWriter, OutputError } from '../export/frame-writer';
import type { CaptureRequest, EventName, MethodName, ParamsOf, ResultOf, ServiceEvents, SessionInfo } from './api';
import type { AnalysisClient } from './analysis-client';
import { SessionAnalyses } from './session-analyses';
import { CaptureSession, SessionListener, UserFacingError } from './capture-session';
import { LiveSessions } from './live-sessions';
import { exportReport, saveFrames } from './file-writes';
import { followStream } from './follow-stream';
import { runSwitchReplay, switchReplayFrame, switchReplayPage } from './switch-replay';
import { capturePaths } from './capture-paths';

export { UserFacingError };

/** A statistics call limited to a display filter: a bad filter is the user's one-line error. */
function checkDisplayFilter(filter: string | undefined): void {
  const problem = filter ? validateFilter(filter) : null;
  if (problem) throw new UserFacingError(problem.message, 'bad-filter');
}

export type EventSink = <E extends EventName>(event: E, data: ServiceEvents[E]) => void;

type Handlers = { [M in MethodName]: (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

const CAPTURE_EXTENSIONS = /\.(pcap|pcapng|cap|pcap\.ng)$/i;
const MAX_RECENT = 10;

export interface ServiceOptions {
  /** Where recent files are remembered (default ~/.config/tunnelscope). */
  configDir?: string;
  /** Sample captures offered in the open dialog. */
  samplesDir?: string;
}

export class TunnelscopeService {
  private readonly sessions = new Map<string, CaptureSession>();
  private readonly analyses = new SessionAnalyses((progress) => this.emit('analysisProgress', progress));
  private readonly live = new LiveSessions({
    open: (file) => this.openSession([file], true),
    close: (id) => this.closeSession(id),
    emit: (live) => this.emit('liveStatus', { live }),
  });
  private readonly sinks = new Set<EventSink>();
  private nextId = 1;
  private readonly configDir: string;
  private readonly samplesDir: string | null;

  constructor(options: ServiceOptions = {}) {
    this.configDir = options.configDir ?? path.join(os.homedir(), '.config', 'tunnelscope');
    this.samplesDir = options.samplesDir ?? null;
  }

  /** Subscribes a transport to events; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, data: ServiceEvents[E]): void {
    for (const sink of this.sinks) sink(event, data);
  }

  /** Runs one already-validated call. */
  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const handler = this.handlers[method] as (p: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
    return handler(params);
  }

  private readonly listener: SessionListener = {
    indexProgress: (s, done) => {
      this.emit('indexProgress', { sessionId: s.id, frames: s.frames, bytesRead: s.bytesRead, totalBytes: s.sizeBytes, done, info: s.info(), view: s.view() });
      // Indexing stopped by the user: so is the analysis of the rest of the file (a view asking starts it again).
      if (done && s.cancelled) this.analyses.cancel(s.id, true);
    },
    viewProgress: (s, scanned, matched) => this.emit('viewProgress', { sessionId: s.id, viewVersion: s.view().viewVersion, scanned, total: s.frames, matched }),
    viewReady: (s, elapsedMs, error) => this.emit('viewReady', { sessionId: s.id, view: s.view(), elapsedMs, error }),
  };

  /** Opens a capture (from a call, the command line, a menu or a drop). */
  /**
   * Opens a capture (from a call, the command line, a menu or a drop): one file, or several files and
   * folders (FILE@NAME naming one) read as one capture, as every analysis command reads them.
   */
  open(...paths: string[]): SessionInfo {
    const session = this.openSession(paths, false);
    // One file or one folder is reopened from the recent list; a hand-picked set is not kept there.
    if (paths.length === 1 && !paths[0].includes('@')) this.remember(path.resolve(paths[0]));
    return session.info();
  }

  private openSession(paths: string[], live: boolean): CaptureSession {
    const resolved = paths.map((p) => path.resolve(p));
    let session: CaptureSession;
    try {
      session = new CaptureSession(`s${this.nextId++}`, resolved, this.listener, live, [], !live);
    } catch (err) {
      if (err instanceof CaptureError) throw new UserFacingError(err.message);
      throw err;
    }
    this.sessions.set(session.id, session);
    if (!live) this.startAnalysis(session);
    return session;
  }

  /**
   * A complete file's heavy views are computed from its open, by the analysis worker whose pass also
   * indexes the file for the packet list (the file is read once), so the Tenants, VTEP and Statistics
   * tabs are ready (or nearly) when the user first opens them. A live capture is indexed by its own
   * worker as the file grows, and analysed when a view asks.
   */
  private startAnalysis(session: CaptureSession): void {
    this.analyses.startIndexing(session.id, session.paths, session.decodeAs, (m) => session.indexMessage(m));
  }

  /**
   * Decode As: the session's capture opened again under the same id with the rules, so its index,
   * rows, details, filters and heavy views all come from dissections that use them.
   */
  private redecode(id: string, rules: string[]): SessionInfo {
    const old = this.session(id);
    if (old.live) throw new UserFacingError('Decode As applies to a capture file: stop the live capture and open its file');
    const cleaned = rules.map((r) => r.trim()).filter((r) => r !== '');
    try {
      decodeAsOverrides(cleaned);
    } catch (err) {
      throw new UserFacingError((err as Error).message, 'bad-decode-as');
    }
    old.close();
    this.analyses.close(id);
    const session = new CaptureSession(id, old.paths, this.listener, false, cleaned, true);
    this.sessions.set(id, session);
    this.startAnalysis(session);
    return session.info();
  }

  private closeSession(id: string): boolean {
    const s = this.sessions.get(id);
    s?.close();
    this.sessions.delete(id);
    this.analyses.close(id);
    return s !== undefined;
  }

  private session(id: string): CaptureSession {
    const s = this.sessions.get(id);
    if (!s) throw new UserFacingError(`no open capture ${id} (it was closed)`);
    return s;
  }

  /** The session's analysis worker and whether its file is complete (false while a live capture writes it). */
  private analysis(s: CaptureSession): { client: AnalysisClient; final: boolean } {
    const final = !this.live.isRunning(s.id);
    return { client: this.analyses.client(s.id, s.paths, final, s.decodeAs), final };
  }

  private recentPath(): string {
    return path.join(this.configDir, 'recent.json');
  }

  recent(): string[] {
    try {
      const list = JSON.parse(fs.readFileSync(this.recentPath(), 'utf8'));
      return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string' && fs.existsSync(f)) : [];
    } catch {
      return [];
    }
  }

  private remember(file: string): void {
    const list = [file, ...this.recent().filter((f) => f !== file)].slice(0, MAX_RECENT);
    try {
      fs.mkdirSync(this.configDir, { recursive: true });
      fs.writeFileSync(this.recentPath(), JSON.stringify(list, null, 1));
    } catch {
      // Recent files are a convenience: a read-only home must not stop a capture from opening.
    }
  }

  private samples(): string[] {
    if (this.samplesDir === null || !fs.existsSync(this.samplesDir)) return [];
    const found: string[] = [];
    const walk = (dir: string): void => {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      // A folder of several captures (one per host) is also offered as one set.
      if (dir !== this.samplesDir && entries.filter((e) => e.isFile() && CAPTURE_EXTENSIONS.test(e.name)).length > 1) found.push(dir + path.sep);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (CAPTURE_EXTENSIONS.test(entry.name)) found.push(full);
      }
    };
    walk(this.samplesDir);
    return found.sort();
  }

  /** Captures already open, so a UI that connects late (browser mode) shows them. */
  openSessions(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  /** Stops live captures (their files are kept) and closes every session. */
  closeAll(): Promise<void> {
    const stopped = this.live.stopAll();
    for (const id of [...this.sessions.keys()]) this.closeSession(id);
    return stopped;
  }

  private readonly handlers: Handlers = {
    openCapture: ({ path: p }) => this.open(p),
    openCaptures: ({ paths }) => this.open(...paths),
    cancelOpen: ({ sessionId }) => {
      const s = this.session(sessionId);
      s.cancelIndexing();
      return s.info();
    },
    closeCapture: async ({ sessionId }) => {
      await this.live.forget(sessionId);
      return { closed: this.closeSession(sessionId) };
    },
    sessionInfo: ({ sessionId }) => this.session(sessionId).info(),
    openSessions: () => ({ sessions: this.openSessions() }),
    setView: ({ sessionId, filter, sortColumn, sortDirection }) => {
      const problem = validateFilter(filter);
      if (problem) throw new UserFacingError(problem.message);
      return this.session(sessionId).setView(filter, sortColumn, sortDirection);
    },
    cancelView: ({ sessionId }) => {
      const s = this.session(sessionId);
      s.cancelFilter();
      return s.view();
    },
    getRows: ({ sessionId, start, count, fields }) => {
      const s = this.session(sessionId);
      const view = s.view();
      const rows = s.rowsAt(start, count);
      const wanted = (fields ?? []).filter((name) => fieldDef(name) !== undefined || name === 'tenant');
      const withFields = fields && fields.length > 0 ? rows.map((row) => ({ ...row, fields: (fields ?? []).map((name) => (wanted.includes(name) ? s.fieldText(row.number - 1, name) : '')) })) : rows;
      return { viewVersion: view.viewVersion, total: view.count, rows: withFields };
    },
    rowOfFrame: ({ sessionId, frame }) => ({ row: this.session(sessionId).rowOfFrame(frame - 1) }),
    validateFilter: ({ text }) => {
      const problem = validateFilter(text);
      return { ok: problem === null, problem: problem && { message: problem.message, position: problem.position, length: problem.length } };
    },
    completeField: ({ prefix, limit }) => {
      const lower = prefix.toLowerCase();
      buildDissectorRegistry();
      const names = allFieldNames();
      const starts = names.filter((n) => n.startsWith(lower));
      const pseudo = 'tenant'.startsWith(lower) && !starts.includes('tenant') ? ['tenant'] : [];
      return { names: [...pseudo, ...starts].slice(0, limit) };
    },
    frameDetail: ({ sessionId, frame }) => this.session(sessionId).detail(frame - 1),
    tenants: ({ sessionId, displayFilter }) => {
      const { client, final } = this.analysis(this.session(sessionId));
      checkDisplayFilter(displayFilter);
      return client.tenants(final, displayFilter);
    },
    vtepTimeline: ({ sessionId }) => {
      const { client, final } = this.analysis(this.session(sessionId));
      return client.vteps(final);
    },
    vtepEvents: (query) => {
      const { client, final } = this.analysis(this.session(query.sessionId));
      return client.vtepEvents(query, final);
    },
    forwarding: ({ sessionId, frame }) => {
      const { client, final } = this.analysis(this.session(sessionId));
      return client.forwarding(frame, final);
    },
    captureStatistics: ({ sessionId, displayFilter }) => {
      const { client, final } = this.analysis(this.session(sessionId));
      checkDisplayFilter(displayFilter);
      return client.captureStatistics(final, displayFilter);
    },
    statistics: (query) => {
      const { client, final } = this.analysis(this.session(query.sessionId));
      checkDisplayFilter(query.displayFilter);
      return client.statistics(query, final);
    },
    analysisProgress: async ({ sessionId }) => {
      this.session(sessionId);
      return { progress: this.analyses.progress(sessionId), status: await this.analyses.status(sessionId) };
    },
    decodeAs: ({ sessionId, rules }) => this.redecode(sessionId, rules),
    cancelAnalysis: ({ sessionId }) => {
      this.session(sessionId);
      return this.analyses.cancel(sessionId);
    },
    vtepTable: (query) => {
      const { client, final } = this.analysis(this.session(query.sessionId));
      return client.vtepTable(query, final);
    },
    switchReplay: ({ sessionId, ...request }) => runSwitchReplay(this.session(sessionId), request),
    switchReplayFrames: ({ sessionId, start, count, onlyDisagreements }) => switchReplayPage(this.session(sessionId), start, count, onlyDisagreements),
    switchReplayFrame: ({ sessionId, frame }) => ({ row: switchReplayFrame(this.session(sessionId), frame) }),
    listDirectory: ({ path: dir }) => listDirectory(dir),
    capturePaths: ({ paths }) => capturePaths(paths),
    recentFiles: () => ({ files: this.recent(), samples: this.samples() }),
    followStream: ({ sessionId, frame }) => {
      const s = this.session(sessionId);
      if (s.set !== null) throw new UserFacingError('Follow Stream reads one capture file: open the capture of the host you want to follow alone');
      return followStream(s.file as CaptureFile, s.frames, frame, (f) => s.linkType(f));
    },
    saveFrames: (request) => {
      const s = this.session(request.sessionId);
      if (s.indexing) throw new UserFacingError(s.live ? 'stop the capture before saving frames from it' : 'wait until indexing has finished before saving');
      return saveFrames({ paths: s.paths, files: s.memberPaths() }, request);
    },
    exportReport: (request) => {
      const s = this.session(request.sessionId);
      if (s.indexing) throw new UserFacingError(s.live ? 'stop the capture before exporting a report' : 'wait until indexing has finished before exporting');
      return exportReport({ paths: s.paths, files: s.memberPaths() }, request);
    },
    saveAs: ({ sessionId, path: out, format, displayedOnly }) => {
      const s = this.session(sessionId);
      if (s.indexing) throw new UserFacingError(s.live ? 'stop the capture before saving the displayed frames (or save the whole capture as it is written)' : 'wait until indexing has finished before saving');
      const frames = displayedOnly ? s.viewFrames() : null;
      const count = frames ? frames.length : s.frames;
      const target = path.resolve(out);
      const others = [...this.sessions.values()].filter((o) => o !== s).map((o) => o.file);
      let writer: FrameWriter;
      try {
        writer = new FrameWriter(s.file, target, format, { interfaces: s.captureInterfaces, alsoOpen: others });
      } catch (err) {
        if (err instanceof OutputError) throw new UserFacingError(err.message);
        throw err;
      }
      try {
        for (let k = 0; k < count; k++) {
          const f = frames ? frames[k] : k;
          const problem = writer.write(f, s.file.readFrame(f));
          if (problem !== null) throw new UserFacingError(`frame ${f + 1}: ${problem}; nothing was saved`);
        }
        writer.mirrorInterfaces();
      } catch (err) {
        writer.abort();
        throw err;
      }
      writer.commit();
      return { path: target, frames: count };
    },
    captureSetup: () => this.live.setup(),
    startCapture: async (request: CaptureRequest) => this.live.start(request),
    stopCapture: ({ sessionId }) => this.live.stop(sessionId),
    restartCapture: ({ sessionId }) => this.live.restart(sessionId),
    saveCapture: ({ sessionId, path: out }) => this.live.saveAs(sessionId, path.resolve(out)),
    liveStatus: ({ sessionId }) => ({ live: this.live.status(sessionId) }),
  };
}

export function listDirectory(dir: string): ResultOf<'listDirectory'> {
  const resolved = path.resolve(dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(resolved, { withFileTypes: true });
  } catch (err) {
    throw new UserFacingError(`cannot list ${resolved}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const list = entries
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => {
      const full = path.join(resolved, e.name);
      const isDir = e.isDirectory();
      let size = 0;
      try {
        size = isDir ? 0 : fs.statSync(full).size;
      } catch {
        // A dangling link: list it with size 0.
      }
      return { name: e.name, path: full, kind: isDir ? ('dir' as const) : CAPTURE_EXTENSIONS.test(e.name) ? ('capture' as const) : ('other' as const), sizeBytes: size };
    })
    .sort((a, b) => (a.kind === 'dir') !== (b.kind === 'dir') ? (a.kind === 'dir' ? -1 : 1) : a.name.localeCompare(b.name));
  const parent = path.dirname(resolved);
  return { path: resolved, parent: parent === resolved ? null : parent, entries: list };
}
