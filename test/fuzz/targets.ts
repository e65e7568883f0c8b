// What the fuzzer runs on every input: the work of each CLI command (dissect, info, tenants, vteps,
// report, export, replay) in-process, as the commands' run modules call it minus the printing, and
// the service calls the app makes. A target may refuse the input with one of the expected errors; any
// other exception is a crash.
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { OutputError } from '../../src/capture/atomic-output';
import { CaptureError } from '../../src/capture/capture-error';
import { CaptureFile } from '../../src/capture/capture-file';
import { Dissection } from '../../src/dissect/dissection';
import { dissectFrameTree } from '../../src/dissect/engine';
import { forEachMatchingFrame } from '../../src/filter/filtered-pass';
import { frameJsonLine, frameTextLine } from '../../src/dissect/summary';
import { CaptureIndexer } from '../../src/dissect/indexer';
import { compileFilter } from '../../src/filter';
import { CaptureAnalysis } from '../../src/overlay/analyze-capture';
import { ByteWriter } from '../../src/overlay/output/byte-writer';
import { buildTenantsReport } from '../../src/overlay/tenants-report/build';
import { tenantsReportText } from '../../src/overlay/tenants-report/text';
import { writeTenantsReportJson } from '../../src/overlay/tenants-report/json';
import { buildVtepReport } from '../../src/overlay/vtep-report/build';
import { vtepReportText } from '../../src/overlay/vtep-report/text';
import { writeVtepReportJson } from '../../src/overlay/vtep-report/json';
import { collectReportData } from '../../src/report/report-data';
import { renderReport } from '../../src/report/report-format';
import { exportFrames } from '../../src/export/export-frames';
import { captureInfo, infoText } from '../../src/cli/commands/info-run';
import { terminalSafe } from '../../src/overlay/output/terminal-text';
import { runReplay } from '../../src/switch/replay-driver';
import { formatReplayText } from '../../src/switch/replay-format';
import { formatVtepText } from '../../src/switch/vtep-model';
import { TunnelscopeService, UserFacingError } from '../../src/service/service';
import { CLI, REPO } from '../helpers/paths';

export type Target = (input: string, scratch: string) => void | Promise<void>;

/** Errors that are answers, not crashes: a one-line refusal of a bad file or output. */
export function isExpectedError(err: unknown): boolean {
  return err instanceof CaptureError || err instanceof OutputError || err instanceof UserFacingError;
}

/** Filters of every kind the dissect command and the app's filter bar run (tree fields, layers, tenants). */
const FILTERS = ['', 'vxlan.vni == 101 || gre.key', 'ip.src#-1 == 10.0.0.1 && !arp', 'tenant in {vxlan:100..200} || udp.port in {4789 6081}', 'eth.src contains 16:3e || frame.len > 100'];

function open(input: string): CaptureFile {
  return CaptureFile.open(input);
}

function dissect(input: string): void {
  for (const text of FILTERS) {
    const file = open(input);
    try {
      const filter = text === '' ? null : compileFilter(text);
      forEachMatchingFrame(file, filter, (ctx, _frame, meta) => {
        terminalSafe(frameTextLine(ctx, meta.number, meta.relative));
        JSON.parse(frameJsonLine(ctx, meta.number, meta));
      }, { columns: true });
    } finally {
      file.close();
    }
  }
  // The detail tree of every frame, as the packet detail pane asks for it.
  const file = open(input);
  try {
    file.scan();
    const ctx = new Dissection();
    const first = file.frameCount > 0 ? file.index.time(0) : 0;
    for (let f = 0; f < file.frameCount; f++) {
      const ix = file.index;
      const bytes = file.readFrame(f);
      dissectFrameTree(ctx, bytes, 0, bytes.length, ix.origLen[f], { number: f + 1, linkType: file.linkType(f), tsSec: ix.tsSec[f], tsNsec: ix.tsNsec[f], relative: ix.time(f) - first, firstTsSec: ix.tsSec[0], firstTsNsec: ix.tsNsec[0], interfaceId: ix.iface[f], direction: ix.flags[f] & 3 });
      JSON.stringify(ctx.tree);
    }
  } finally {
    file.close();
  }
}

function info(input: string): void {
  const file = open(input);
  try {
    terminalSafe(infoText(captureInfo(file, null)));
  } finally {
    file.close();
  }
}

function analyse(input: string): CaptureAnalysis {
  const file = open(input);
  try {
    const analysis = new CaptureAnalysis(file, {});
    analysis.update(true);
    return analysis;
  } finally {
    file.close();
  }
}

function tenants(input: string): void {
  const analysis = analyse(input);
  tenantsReportText(buildTenantsReport(analysis.analyzer, null));
  const json = new ByteWriter(-1);
  writeTenantsReportJson(analysis.analyzer, null, json);
  JSON.parse(json.take().toString('utf8'));
}

function vteps(input: string): void {
  const analysis = analyse(input);
  vtepReportText(buildVtepReport(analysis.analyzer, undefined, null), analysis.analyzer.startTime);
  const json = new ByteWriter(-1);
  writeVtepReportJson(analysis.analyzer, undefined, null, json);
  JSON.parse(json.take().toString('utf8'));
}

function report(input: string): void {
  const file = open(input);
  try {
    const data = collectReportData(file, null);
    for (const format of ['html', 'csv', 'json'] as const) renderReport(data, format, { conversations: format === 'csv' });
  } finally {
    file.close();
  }
}

function exportTarget(input: string, scratch: string): void {
  for (const decap of [false, true]) {
    for (const format of ['pcapng', 'pcap'] as const) {
      const out = path.join(scratch, `export.${format}`);
      const file = open(input);
      let summary;
      try {
        summary = exportFrames(file, out, { filter: null, decap, format });
      } finally {
        file.close();
      }
      // What export writes must read back whole, frame for frame.
      const copy = open(out);
      copy.scan();
      copy.close();
      if (copy.problem !== null || copy.frameCount !== summary.written) {
        throw new Error(`export (${format}${decap ? ', decap' : ''}) wrote ${summary.written} frames but ${copy.frameCount} read back${copy.problem ? `: ${copy.problem}` : ''}`);
      }
    }
  }
}

const OVS = path.join(REPO, 'samples', 'ovs-gre');

function replay(input: string): void {
  // The one replay driver, as the command and the service run it: flow tables, then the flood-and-learn VTEP.
  for (const setup of [{ flowsPath: path.join(OVS, 'flows.txt'), bridgePath: path.join(OVS, 'bridge.json') }, { localVtep: '192.168.100.1' }]) {
    const outcome = runReplay(setup, (visit) => {
      const file = open(input);
      try {
        const ix = file.index;
        const frame = { frame: 0, time: 0, interfaceName: '', direction: 0, outerSrc: 0, outerDst: 0 };
        new CaptureIndexer(file).run((ctx, f) => {
          frame.frame = f + 1;
          frame.time = ix.time(f);
          frame.interfaceName = file.interfaces[ix.iface[f]]?.name ?? '';
          frame.direction = ix.flags[f] & 3;
          frame.outerSrc = ix.outerSrc[f];
          frame.outerDst = ix.outerDst[f];
          visit(ctx, frame);
        });
      } finally {
        file.close();
      }
    });
    if (outcome.mode === 'flows') for (const r of outcome.records) formatReplayText(r);
    else for (const r of outcome.records) formatVtepText(r);
  }
}

/** Every service call that reads a capture, as the app makes them (in-process, with its workers). */
async function service(input: string, scratch: string): Promise<void> {
  const svc = new TunnelscopeService({ configDir: scratch });
  try {
    const info = await new Promise<ReturnType<TunnelscopeService['open']>>((resolve, reject) => {
      let id: string | null = null;
      const off = svc.subscribe((event, data) => {
        const d = data as { sessionId: string; done: boolean; info: ReturnType<TunnelscopeService['open']> };
        if (event === 'indexProgress' && d.done && d.sessionId === id) {
          off();
          resolve(d.info);
        }
      });
      try {
        const opened = svc.open(input);
        id = opened.sessionId;
        if (!opened.indexing) {
          off();
          resolve(opened);
        }
      } catch (err) {
        off();
        reject(err);
      }
    });
    const sessionId = info.sessionId;
    const { rows } = await svc.call('getRows', { sessionId, viewVersion: 0, start: 0, count: 500 });
    for (const row of rows.slice(0, 100)) await svc.call('frameDetail', { sessionId, frame: row.number });
    await svc.call('tenants', { sessionId });
    await svc.call('vtepTimeline', { sessionId });
    if (info.frames > 0) await svc.call('vtepTable', { sessionId, table: 'fdb', frame: info.frames, search: '', sortColumn: '', sortDirection: 'asc', start: 0, count: 200 });
    await svc.call('saveAs', { sessionId, path: path.join(scratch, 'saved.pcapng'), format: 'pcapng', displayedOnly: false });
    await waitForView(svc, sessionId, FILTERS[2]);
    await svc.call('getRows', { sessionId, viewVersion: 0, start: 0, count: 100 });
  } finally {
    await svc.closeAll();
  }
}

/** Sets a display filter and waits until the filter worker has answered. */
function waitForView(svc: TunnelscopeService, sessionId: string, filter: string): Promise<void> {
  return new Promise((resolve) => {
    const off = svc.subscribe((event, data) => {
      if (event === 'viewReady' && (data as { sessionId: string }).sessionId === sessionId) {
        off();
        resolve();
      }
    });
    const view = svc.call('setView', { sessionId, filter, sortColumn: 'number', sortDirection: 'asc' });
    void view.then((v) => {
      if (!v.pending) {
        off();
        resolve();
      }
    });
  });
}

/** The commands' own arguments, for the `cli` target (which runs the real program). */
const CLI_RUNS = (input: string, scratch: string): string[][] => [
  ['dissect', input],
  ['dissect', input, '-T', 'jsonl', '-Y', FILTERS[3]],
  ['info', input],
  ['tenants', input],
  ['vteps', input, '--format', 'json'],
  ['report', input, '--out', path.join(scratch, 'cli-report.html')],
  ['export', input, '--filter', '', '--decap', '-w', path.join(scratch, 'cli-export.pcapng')],
  ['replay', input, '--flows', path.join(OVS, 'flows.txt'), '--bridge', path.join(OVS, 'bridge.json')],
];

export class CliCrash extends Error {}

/**
 * Every command as a user runs it, in its own process: what the in-process targets cannot see (the
 * command glue, exit codes, output). A crash is an exit other than 0/1/2, a signal, an "internal
 * error" or a stack trace on stderr, or no exit within a minute.
 */
function cli(input: string, scratch: string): void {
  for (const args of CLI_RUNS(input, scratch)) {
    const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
    const stderr = run.stderr ?? '';
    const bad = run.error ? `did not finish: ${run.error.message}` : run.signal ? `killed by ${run.signal}` : ![0, 1, 2].includes(run.status ?? -1) ? `exit ${run.status}` : /internal error|\n\s+at .+:\d+:\d+\)?\n/.test(stderr) ? 'an internal error' : stderr.trim().split('\n').length > 3 ? 'more than a line or two on stderr' : null;
    if (bad !== null) throw new CliCrash(`tunnelscope ${args.map((a) => path.basename(a)).join(' ')}: ${bad}: ${stderr.slice(0, 500)}`);
  }
}

export const TARGETS: Record<string, Target> = { dissect, info, tenants, vteps, report, export: exportTarget, replay, service, cli };

/** Targets that start processes or workers, run on every n-th input only. */
export const SLOW_TARGETS = new Set(['service', 'cli']);

export function scratchDir(root: string): string {
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, 'run-'));
}
