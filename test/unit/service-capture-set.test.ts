// The service over several hosts' captures opened as one (the app's calls, in process): every view and
// file it writes is the CLI's over the same files, each correlated transmission counted once.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureFile } from '../../src/capture/capture-file';
import type { SessionInfo, VtepPair } from '../../src/service/api';
import type { TunnelscopeService } from '../../src/service/service';
import { CLI, SAMPLES } from '../helpers/paths';
import { newService, openIndexed } from '../helpers/service-session';

const FOLDER = path.join(SAMPLES, 'three-hypervisors');
const FILES = ['host1.pcapng@hv1', 'host2.pcapng', 'host3.pcapng'].map((f) => path.join(FOLDER, f));

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 }).toString();
}

describe("the service over several hosts' captures", () => {
  let service: TunnelscopeService;
  let session: SessionInfo;
  let out: string;
  before(async () => {
    service = newService();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-capture-set-'));
    session = await openIndexed(service, FILES);
  });
  after(async () => {
    await service.closeAll();
    fs.rmSync(out, { recursive: true, force: true });
  });

  test('opens them as one: names, hosts, clock offsets and the merged frames of `info`', () => {
    assert.deepEqual(session.captures?.map((c) => [c.name, c.host, c.frames]), [['hv1', '192.168.100.1', 201], ['host2.pcapng', '192.168.100.2', 174], ['host3.pcapng', '192.168.100.3', 154]]);
    assert.equal(session.frames, 529);
    const offsets = [...cli('info', ...FILES).matchAll(/clock ([+-]\d+\.\d+) s/g)].map((m) => Number(m[1]));
    assert.deepEqual(session.captures!.map((c) => Number(c.clockOffset.toFixed(6))), offsets);
  });

  test('rows carry their capture, in the merged order of `dissect`', async () => {
    const { rows } = await service.call('getRows', { sessionId: session.sessionId, viewVersion: 0, start: 0, count: 600 });
    const lines = cli('dissect', ...FILES).trimEnd().split('\n');
    assert.equal(rows.length, lines.length);
    rows.forEach((row, i) => assert.equal(row.capture, lines[i].trim().split(/\s+/)[2], `frame ${row.number}`));
  });

  test('sorting by Capture groups the frames of each capture, in merged order within it', async () => {
    const view = await service.call('setView', { sessionId: session.sessionId, filter: '', sortColumn: 'capture', sortDirection: 'asc' });
    const { rows } = await service.call('getRows', { sessionId: session.sessionId, viewVersion: view.viewVersion, start: 0, count: 600 });
    assert.deepEqual([...new Set(rows.map((r) => r.capture))], ['hv1', 'host2.pcapng', 'host3.pcapng']);
    assert.equal(rows.filter((r) => r.capture === 'hv1').length, 201);
    assert.ok(rows.every((r, i) => i === 0 || r.capture !== rows[i - 1].capture || r.number > rows[i - 1].number));
    await service.call('setView', { sessionId: session.sessionId, filter: '', sortColumn: 'number', sortDirection: 'asc' });
  });

  test('a display filter over the set matches the frames `dissect -Y` prints', async () => {
    const filter = 'frame.capture == "hv1" && icmp.type == 8 || frame.capture_host == "192.168.100.3" && arp';
    const ready = new Promise<void>((resolve) => {
      const off = service.subscribe((event, data) => {
        if (event !== 'viewReady' || (data as { sessionId: string }).sessionId !== session.sessionId) return;
        off();
        resolve();
      });
    });
    const view = service.call('setView', { sessionId: session.sessionId, filter, sortColumn: 'number', sortDirection: 'asc' });
    await view;
    await ready;
    const { rows, viewVersion } = await service.call('getRows', { sessionId: session.sessionId, viewVersion: 0, start: 0, count: 600 });
    const expected = cli('dissect', ...FILES, '-Y', filter).trimEnd().split('\n').map((line) => Number(line.trim().split(/\s+/)[0]));
    assert.ok(expected.length > 10);
    assert.deepEqual(rows.map((r) => r.number), expected);
    await service.call('setView', { sessionId: session.sessionId, filter: '', sortColumn: 'number', sortDirection: 'asc' });
    assert.ok(viewVersion > 0);
  });

  test('the traffic chart and the VTEP matrix count each transmission once, as the tenants do', async () => {
    const tenants = await service.call('tenants', { sessionId: session.sessionId });
    const timeline = await service.call('vtepTimeline', { sessionId: session.sessionId });
    for (const t of tenants.tenants) {
      const series = tenants.traffic.series.find((s) => s.tenant === t.tenant)!;
      assert.equal(series.frames.reduce((a, b) => a + b, 0), t.frames, t.tenant);
    }
    const transmissions = tenants.tenants.reduce((n, t) => n + t.frames, 0);
    const pairs = await service.call('vtepTable', { sessionId: session.sessionId, table: 'pairs', frame: 1, search: '', sortColumn: '', sortDirection: 'asc', start: 0, count: 5000 });
    assert.equal(pairs.total, timeline.pairCount);
    assert.equal((pairs.rows as VtepPair[]).reduce((n, p) => n + p.frames, 0), transmissions);
  });

  test('the VTEP timeline holds the learning events of `vteps` over the same files', async () => {
    const expected = JSON.parse(cli('vteps', ...FILES, '-T', 'json')) as { vteps: { ip: string }[]; events: unknown[]; groups: { history: unknown[] }[] };
    const timeline = await service.call('vtepTimeline', { sessionId: session.sessionId });
    const groupChanges = expected.groups.reduce((n, g) => n + g.history.length, 0);
    assert.equal(timeline.eventCount, expected.events.length + groupChanges);
    assert.deepEqual(timeline.vteps, expected.vteps.map((v) => v.ip));
  });

  test('Conversations count each transmission once, as the tenants report does', async () => {
    const expected = JSON.parse(cli('tenants', ...FILES, '-T', 'json')) as { tenants: { type: string; id: number; conversations: { layer: string; a: string; b: string; packets: number }[] }[] };
    const page = await service.call('statistics', { sessionId: session.sessionId, table: 'conversations', kind: 'ipv4', tenant: '', search: '', sortColumn: 'packets', sortDirection: 'desc', start: 0, count: 100 });
    const shown = (page.rows as { tenant: string; a: string; b: string; packets: number }[]).map((r) => `${r.tenant} ${[r.a, r.b].sort().join('-')} ${r.packets}`).sort();
    const cliRows = expected.tenants.flatMap((t) => t.conversations.filter((c) => c.layer === 'ip').map((c) => `${t.type}:${t.id} ${[c.a, c.b].sort().join('-')} ${c.packets}`)).sort();
    assert.deepEqual(shown, cliRows);
  });

  test('Export Tenant Report writes what `tunnelscope report` writes for the same files', async () => {
    const mine = path.join(out, 'app.json');
    const theirs = path.join(out, 'cli.json');
    await service.call('exportReport', { sessionId: session.sessionId, path: mine, filter: 'icmp', conversations: false });
    cli('report', ...FILES, '--filter', 'icmp', '--out', theirs);
    const strip = (file: string) => ({ ...JSON.parse(fs.readFileSync(file, 'utf8')), generatedAt: null });
    assert.deepEqual(strip(mine), strip(theirs));
  });

  test('Save Displayed As writes the frames `tunnelscope export` writes for the same files', async () => {
    const mine = path.join(out, 'app.pcapng');
    const theirs = path.join(out, 'cli.pcapng');
    const saved = await service.call('saveFrames', { sessionId: session.sessionId, path: mine, format: 'pcapng', filter: 'frame.capture_host == "192.168.100.3"', tenant: 'vxlan:102', decap: false });
    execFileSync(process.execPath, [CLI, 'export', ...FILES, '--filter', 'frame.capture_host == "192.168.100.3"', '--tenant', 'vxlan:102', '-w', theirs], { stdio: 'ignore' });
    assert.ok(saved.written > 0);
    const frames = (file: string) => {
      const f = CaptureFile.open(file);
      f.scan();
      const list = Array.from({ length: f.frameCount }, (_, i) => f.readFrame(i).toString('hex'));
      f.close();
      return list;
    };
    assert.deepEqual(frames(mine), frames(theirs));
    assert.equal(frames(mine).length, saved.written);
  });

  test('a folder without captures, or a missing member, is refused in one line and opens nothing', async () => {
    const before = service.openSessions().length;
    const empty = fs.mkdtempSync(path.join(out, 'empty-'));
    await assert.rejects(service.call('openCaptures', { paths: [empty] }), (err: Error) => /holds no capture files/.test(err.message) && !err.message.includes('\n'));
    const missing = path.join(FOLDER, 'host9.pcapng');
    await assert.rejects(service.call('openCaptures', { paths: [FILES[0], missing] }), (err: Error) => err.message.includes('host9.pcapng') && !err.message.includes('\n'));
    assert.equal(service.openSessions().length, before);
  });

  test('a member of the open set is refused as the output', async () => {
    await assert.rejects(service.call('saveFrames', { sessionId: session.sessionId, path: path.join(FOLDER, 'host2.pcapng'), format: 'pcapng', filter: '', tenant: '', decap: false }), /would overwrite the open capture/);
  });
});
