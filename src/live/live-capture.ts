// A live capture: the capture program runs as its own process (the app never needs root) and writes
// the file; this side follows the growing file with the engine's indexer, keeps per-tenant totals and
// reports progress. Stopping sends SIGINT so the program closes the file properly. The program writes
// only where capture-output.ts allows and cannot outlive us (supervised-spawn.ts).
import { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OverlayAnalyzer } from '../overlay/analyzer';
import { TenantsReport, VtepReport } from '../overlay/report-types';
import { Dissection } from '../dissect/dissection';
import { buildTenantsReport } from '../overlay/tenants-report/build';
import { buildVtepReport } from '../overlay/vtep-report/build';
import { CaptureOptions, checkCaptureOptions } from './capture-options';
import { createOutputFile, prepareRingOutput, privateOutputPath } from './capture-output';
import { LiveCaptureError } from './errors';
import { FileFollower, FollowedFile } from './file-follower';
import { checkCaptureFilter } from './filter-check';
import { listInterfaces } from './interfaces';
import { capturePermission } from './permissions';
import { captureArguments, parseProgramStats, ProgramInvocation, ProgramStats, TO_STDOUT } from './program-args';
import { programFailure } from './program-errors';
import { CaptureProgram, chooseCaptureProgram } from './programs';
import { tcpdumpRingFiles, writtenFiles } from './ring-files';
import { spawnSupervised } from './supervised-spawn';
import { TenantCounts } from './tenant-counts';
import { copyFileAtomically } from '../capture/atomic-output';

export interface LiveStats {
  elapsedSeconds: number;
  /** Frames indexed so far (all ring files). */
  packets: number;
  /** Bytes of the file being written now. */
  fileBytes: number;
  tenants: TenantCounts;
}

export interface FramesEvent {
  /** The file the frames are in (re-read them with file.readFrame(i)). */
  current: FollowedFile;
  from: number;
  to: number;
  /** Frames indexed so far in all files. */
  total: number;
}

export type StopReason = 'stopped' | 'completed' | 'failed';

export interface StopResult {
  /** stopped: by stop() or Ctrl+C; completed: a stop condition was met; failed: the program failed. */
  reason: StopReason;
  outputPath: string;
  /** Every file written (one unless a ring buffer), oldest first. */
  files: string[];
  packets: number;
  elapsedSeconds: number;
  program: ProgramStats;
  exitCode: number | null;
  signal: string | null;
  error?: LiveCaptureError;
  /** Files that ended cut short or could not be read. */
  problems: string[];
}

export interface LiveCaptureHooks {
  /** Each frame right after its dissection, bytes still in ctx.buf (incremental analyses). */
  frame?(ctx: Dissection, frame: number, current: FollowedFile): void;
}

/** How long the program may take to write the file header before start() gives up. */
const STARTUP_TIMEOUT_MS = 10000;
/** After SIGINT, how long before SIGTERM, then SIGKILL. */
const STOP_GRACE_MS = 4000;

export interface LiveCaptureEvents {
  frames: [FramesEvent];
  stats: [LiveStats];
  problem: [path: string, message: string];
  stopped: [StopResult];
  error: [LiveCaptureError];
}

export class LiveCapture extends EventEmitter<LiveCaptureEvents> {
  readonly tenants = new TenantCounts();
  /**
   * The tenants and VTEP-learning analysis, fed frame by frame. With a ring buffer frames are numbered
   * across all files and carry no timestamps (each file has its own index).
   */
  private analyzer: OverlayAnalyzer | null = null;
  readonly startedAt = Date.now();
  private readonly follower: FileFollower;
  private stderr = '';
  private readonly problems: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private stopRequested = false;
  private completedBySupervisor = false;
  private result: StopResult | null = null;
  private readonly done: Promise<StopResult>;

  private constructor(
    readonly options: CaptureOptions,
    readonly program: CaptureProgram,
    readonly outputPath: string,
    private readonly outputChosen: boolean,
    private readonly invocation: ProgramInvocation,
    private readonly child: ChildProcess,
    hooks: LiveCaptureHooks,
  ) {
    super();
    const ring = options.ring !== undefined;
    this.follower = new FileFollower(() => writtenFiles(program.name, outputPath, ring, this.stderr), {
      frames: (current, from, to) => {
        this.emit('frames', { current, from, to, total: this.follower.totalFrames });
      },
      frame: (ctx, frame, current) => {
        this.tenants.addFrame(ctx, current.file.index, frame);
        this.analyzer ??= new OverlayAnalyzer();
        // A ring's analyzer has no one index: the frame's time comes from its own file (learning ages by it).
        this.analyzer.addFrame(ctx, ring ? this.follower.totalFrames - current.file.frameCount + frame : frame, current.file.index.time(frame));
        hooks.frame?.(ctx, frame, current);
      },
      problem: (file, message) => {
        this.problems.push(`${file}: ${message}`);
        this.emit('problem', file, message);
      },
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr += text;
    });
    this.done = new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(this.finish(code, signal)));
      child.on('error', (err) => {
        const failure = new LiveCaptureError('capture-failed', `${program.name} could not be started: ${err.message}`);
        resolve(this.finish(null, null, failure));
      });
    });
  }

  /** Checks everything that can be checked first, starts the program and resolves once it is writing. */
  static async start(options: CaptureOptions, hooks: LiveCaptureHooks = {}): Promise<LiveCapture> {
    checkCaptureOptions(options);
    const program = chooseCaptureProgram(options.program ?? 'auto');
    const known = listInterfaces();
    if (known.length > 0 && options.iface !== 'any' && !known.some((i) => i.name === options.iface)) {
      throw new LiveCaptureError('no-interface', `no interface named '${options.iface}' (interfaces here: ${known.map((i) => i.name).join(', ')})`);
    }
    const permission = capturePermission(program);
    if (!permission.permitted) {
      throw new LiveCaptureError('permission', `not permitted to capture with ${program.path} (${permission.reason}): ${permission.advice}`);
    }
    await checkCaptureFilter(program, options.iface, options.filter, options.snaplen);
    const outputPath = path.resolve(options.outputPath ?? privateOutputPath(program, options.iface));
    try {
      const ring = options.ring !== undefined;
      if (ring) prepareRingOutput(program, outputPath);
      const fd = ring ? null : createOutputFile(outputPath);
      const invocation = captureArguments(program.name, options, ring ? outputPath : TO_STDOUT, process.getuid?.() === 0);
      let child: ChildProcess;
      try {
        child = spawnSupervised(program.path, invocation.args, fd ?? 'ignore').child;
      } finally {
        if (fd !== null) fs.closeSync(fd); // the program has its own copy
      }
      const capture = new LiveCapture(options, program, outputPath, options.outputPath !== undefined, invocation, child, hooks);
      await capture.started();
      return capture;
    } catch (err) {
      // Nothing was captured: leave no empty private directory behind.
      if (options.outputPath === undefined) removeIfNothingCaptured(path.dirname(outputPath));
      throw err;
    }
  }

  get running(): boolean {
    return this.result === null;
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** Every file written so far, oldest first (one unless a ring buffer). */
  get files(): string[] {
    const listed = writtenFiles(this.program.name, this.outputPath, this.options.ring !== undefined, this.stderr);
    return listed.filter((f, i) => listed.indexOf(f) === i && fs.existsSync(f));
  }

  /** The file the follower reads now (with a ring buffer, the newest). */
  get currentFile(): FollowedFile | null {
    return this.follower.current;
  }

  get packets(): number {
    return this.follower.totalFrames;
  }

  stats(): LiveStats {
    return { elapsedSeconds: this.elapsedSeconds, packets: this.packets, fileBytes: fileSize(this.follower.current?.path ?? this.outputPath), tenants: this.tenants };
  }

  /** The tenants report (the same as `tunnelscope report` and the UI's) of what was captured so far. */
  tenantsReport(): TenantsReport {
    return buildTenantsReport(this.analyzer ?? new OverlayAnalyzer(), this.follower.current?.file.problem ?? null);
  }

  /** VTEPs, groups and learning events so far. */
  vtepReport(): VtepReport {
    return buildVtepReport(this.analyzer ?? new OverlayAnalyzer(), undefined, this.follower.current?.file.problem ?? null);
  }

  /** Resolves when the program has ended, however it ended. */
  whenStopped(): Promise<StopResult> {
    return this.done;
  }

  /** Stops the program cleanly (SIGINT: it finishes and closes the file) and reads the rest of the file. */
  stop(): Promise<StopResult> {
    if (this.result === null && !this.stopRequested) {
      this.stopRequested = true;
      this.signal('SIGINT');
      const term = setTimeout(() => this.signal('SIGTERM'), STOP_GRACE_MS);
      const kill = setTimeout(() => this.signal('SIGKILL'), STOP_GRACE_MS * 2);
      this.timers.push(term, kill);
    }
    return this.done;
  }

  /** Stops this capture and starts the same one again into a new file (unless a file was chosen: then the same file). */
  async restart(hooks: LiveCaptureHooks = {}): Promise<LiveCapture> {
    await this.stop();
    return LiveCapture.start({ ...this.options, outputPath: this.outputChosen ? this.outputPath : undefined }, hooks);
  }

  /** Copies the capture (as written so far) to `destination`; a ring buffer's files go to DESTINATION_1, _2... */
  saveAs(destination: string): string[] {
    const files = this.files;
    if (files.length === 1) {
      copyFileAtomically(files[0], destination);
      return [destination];
    }
    const ext = path.extname(destination);
    const stem = destination.slice(0, destination.length - ext.length);
    return files.map((file, i) => {
      const target = `${stem}_${i + 1}${ext || path.extname(file)}`;
      copyFileAtomically(file, target, files.map((f) => ({ path: f })));
      return target;
    });
  }

  /** Releases the followed file. */
  close(): void {
    this.follower.close();
  }

  private signal(name: NodeJS.Signals): void {
    if (this.result !== null || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, name);
    } catch {
      // already gone
    }
  }

  /** Resolves once the program has written its file header; rejects with its reason if it exits first. */
  private started(): Promise<void> {
    return new Promise((resolve, reject) => {
      const startup = Date.now();
      const check = setInterval(() => {
        if (this.result !== null) {
          clearInterval(check);
          if (this.result.reason === 'failed') reject(this.result.error);
          else resolve(); // it already finished (a tiny count): nothing to wait for
          return;
        }
        if (this.files.some((f) => fileSize(f) > 0)) {
          clearInterval(check);
          this.beginFollowing();
          resolve();
        } else if (Date.now() - startup > STARTUP_TIMEOUT_MS) {
          clearInterval(check);
          void this.stop();
          reject(new LiveCaptureError('capture-failed', `${this.program.name} wrote nothing to ${this.outputPath} within ${STARTUP_TIMEOUT_MS / 1000} s`));
        }
      }, 25);
    });
  }

  private beginFollowing(): void {
    const pollMs = this.options.pollMs ?? 200;
    this.timers.push(setInterval(() => this.poll(), pollMs));
    this.timers.push(setInterval(() => this.emit('stats', this.stats()), 1000));
    if (this.invocation.supervisorDurationSeconds !== undefined) {
      this.timers.push(setTimeout(() => this.completeBySupervisor(), this.invocation.supervisorDurationSeconds * 1000));
    }
  }

  private poll(): void {
    if (this.result !== null) return;
    this.follower.poll(false);
    const limit = this.invocation.supervisorFileKilobytes;
    if (limit !== undefined && fileSize(this.follower.current?.path ?? this.outputPath) >= limit * 1000) this.completeBySupervisor();
  }

  private completeBySupervisor(): void {
    if (this.stopRequested || this.result !== null) return;
    this.completedBySupervisor = true;
    void this.stop();
  }

  private finish(code: number | null, signal: NodeJS.Signals | null, startError?: LiveCaptureError): StopResult {
    if (this.result !== null) return this.result;
    for (const t of this.timers) clearTimeout(t);
    this.follower.poll(true);
    let reason: StopReason;
    let error = startError;
    if (error !== undefined) reason = 'failed';
    else if (this.stopRequested && !this.completedBySupervisor) reason = 'stopped';
    else if (this.completedBySupervisor || code === 0) reason = 'completed';
    else {
      reason = 'failed';
      error =
        signal !== null
          ? new LiveCaptureError('capture-failed', `${this.program.name} was killed by ${signal}; ${this.outputPath} keeps what it wrote before`)
          : programFailure(this.program, this.options.iface, this.options.filter, this.stderr, code);
    }
    const files = this.program.name === 'tcpdump' && this.options.ring !== undefined ? tcpdumpRingFiles(this.outputPath) : this.files;
    this.result = {
      reason,
      outputPath: this.outputPath,
      files,
      packets: this.follower.totalFrames,
      elapsedSeconds: this.elapsedSeconds,
      program: parseProgramStats(this.program.name, this.stderr),
      exitCode: code,
      signal,
      error,
      problems: this.problems,
    };
    this.emit('stats', this.stats());
    if (error !== undefined && this.listenerCount('error') > 0) this.emit('error', error);
    this.emit('stopped', this.result);
    return this.result;
  }
}

/** Starts a live capture (see LiveCapture.start). */
export function startCapture(options: CaptureOptions, hooks: LiveCaptureHooks = {}): Promise<LiveCapture> {
  return LiveCapture.start(options, hooks);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Removes a private capture directory whose files are all empty. */
function removeIfNothingCaptured(dir: string): void {
  try {
    if (fs.readdirSync(dir).every((name) => fileSize(path.join(dir, name)) === 0)) fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // already gone
  }
}
