// Live captures for the UI: src/live runs the capture program (the app never needs root) into a file
// on disk; each capture's file is opened as a live session whose index follows the growing file, and
// whose Tenants and VTEP views are the same analysis as a saved file's. Stop, restart, save as.
import * as fs from 'node:fs';
import { capturePermission, CaptureOptions, CaptureProgram, chooseCaptureProgram, listInterfaces, LiveCapture, LiveCaptureError, startCapture, StopResult } from '../live';
import type { CaptureRequest, CaptureSetup, LiveStatus, SessionInfo } from './api';
import { CaptureSession, UserFacingError } from './capture-session';

interface Hooks {
  /** Opens a capture file as a live session. */
  open(file: string): CaptureSession;
  close(sessionId: string): boolean;
  emit(live: LiveStatus): void;
}

interface Entry {
  capture: LiveCapture;
  session: CaptureSession;
  request: CaptureRequest;
  result: StopResult | null;
}

/** How long the capture file may lack a complete header after the program started writing it. */
const OPEN_TIMEOUT_MS = 3000;

function userError(err: unknown): Error {
  if (err instanceof LiveCaptureError) return new UserFacingError(err.message, err.kind);
  return err as Error;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function captureOptions(request: CaptureRequest): CaptureOptions {
  return {
    iface: request.iface,
    filter: request.filter.trim() === '' ? undefined : request.filter.trim(),
    snaplen: request.snaplen > 0 ? request.snaplen : undefined,
    durationSeconds: request.durationSeconds ?? undefined,
    packetCount: request.packetCount ?? undefined,
    fileKilobytes: request.fileKilobytes ?? undefined,
  };
}

export class LiveSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly hooks: Hooks) {}

  setup(): CaptureSetup {
    let program: CaptureProgram | null = null;
    let programProblem: string | null = null;
    try {
      program = chooseCaptureProgram();
    } catch (err) {
      programProblem = (err as Error).message;
    }
    const permission = program !== null ? capturePermission(program) : null;
    return {
      program,
      programProblem,
      permitted: permission?.permitted ?? false,
      permissionReason: permission?.reason ?? programProblem ?? '',
      advice: permission?.advice ?? null,
      interfaces: listInterfaces().map((i) => ({
        name: i.name,
        state: i.state,
        mac: i.mac,
        linkType: i.linkType,
        addresses: i.addresses.map((a) => `${a.address}/${a.prefixLength}`),
      })),
    };
  }

  async start(request: CaptureRequest): Promise<{ info: SessionInfo; live: LiveStatus }> {
    let capture: LiveCapture;
    try {
      capture = await startCapture(captureOptions(request));
    } catch (err) {
      throw userError(err);
    }
    return this.adopt(capture, request);
  }

  private async adopt(capture: LiveCapture, request: CaptureRequest): Promise<{ info: SessionInfo; live: LiveStatus }> {
    let session: CaptureSession;
    try {
      session = await this.openWhenReadable(capture.outputPath);
    } catch (err) {
      await capture.stop();
      capture.close();
      throw err;
    }
    const entry: Entry = { capture, session, request, result: null };
    this.entries.set(session.id, entry);
    capture.on('stats', () => this.hooks.emit(this.statusOf(entry)));
    capture.on('error', () => undefined); // reported through whenStopped()
    void capture.whenStopped().then((result) => {
      entry.result = result;
      capture.close();
      session.finishFollowing();
      this.hooks.emit(this.statusOf(entry));
    });
    return { info: session.info(), live: this.statusOf(entry) };
  }

  /** The program has written something; a pcapng header may still be incomplete for a moment. */
  private async openWhenReadable(file: string): Promise<CaptureSession> {
    const started = Date.now();
    for (;;) {
      try {
        return this.hooks.open(file);
      } catch (err) {
        if (!(err instanceof UserFacingError) || Date.now() - started > OPEN_TIMEOUT_MS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private entry(sessionId: string): Entry {
    const entry = this.entries.get(sessionId);
    if (!entry) throw new UserFacingError(`capture ${sessionId} is not a live capture`);
    return entry;
  }

  isRunning(sessionId: string): boolean {
    const entry = this.entries.get(sessionId);
    return entry !== undefined && entry.result === null;
  }

  private statusOf(entry: Entry): LiveStatus {
    const { capture, result } = entry;
    const problems = result ? [result.error?.message, ...result.problems].filter((p): p is string => !!p) : [];
    return {
      sessionId: entry.session.id,
      running: result === null,
      iface: capture.options.iface,
      filter: capture.options.filter ?? '',
      program: capture.program.name,
      packets: result?.packets ?? capture.packets,
      elapsedSeconds: result?.elapsedSeconds ?? capture.elapsedSeconds,
      fileBytes: fileSize(capture.outputPath),
      outputPath: capture.outputPath,
      stopReason: result?.reason ?? null,
      problem: problems.length > 0 ? problems.join('; ') : null,
      request: entry.request,
    };
  }

  status(sessionId: string): LiveStatus | null {
    const entry = this.entries.get(sessionId);
    return entry ? this.statusOf(entry) : null;
  }

  async stop(sessionId: string): Promise<LiveStatus> {
    const entry = this.entry(sessionId);
    const result = await entry.capture.stop();
    entry.result = result;
    return this.statusOf(entry);
  }

  /** Stops the capture and starts the same one into a new file, as a new session. */
  async restart(sessionId: string): Promise<{ info: SessionInfo; live: LiveStatus }> {
    const entry = this.entry(sessionId);
    await this.stop(sessionId);
    let next: LiveCapture;
    try {
      next = await startCapture(captureOptions(entry.request));
    } catch (err) {
      throw userError(err);
    }
    return this.adopt(next, entry.request);
  }

  saveAs(sessionId: string, destination: string): { files: string[] } {
    const entry = this.entry(sessionId);
    try {
      return { files: entry.capture.saveAs(destination) };
    } catch (err) {
      throw new UserFacingError(`cannot save to ${destination}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  /** Stops a session's capture (if it is live) before the session closes; the file stays. */
  async forget(sessionId: string): Promise<void> {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    if (entry.result === null) await entry.capture.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.forget(id)));
  }
}
