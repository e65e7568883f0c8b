// The VTEP view's data at thousands of VTEPs, through the service: the FDB at a frame paged, sorted and
// searched in the analysis worker (its entries those of `tunnelscope vteps --at`), the pairs and groups
// paged, and the timeline's windows of the lanes on screen adding up to the whole.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FdbEntry, GroupRow, SessionInfo, VtepPair, VtepTableName, VtepTablePage, VtepTimeline } from '../../src/service/api';
import type { TunnelscopeService } from '../../src/service/service';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { CLI } from '../helpers/paths';
import { newService, openIndexed } from '../helpers/service-session';

interface CliFdb {
  fdb: { vtep: string; entries: { tenant: { type: string; id: number }; mac: string; remoteVtep: string; since: number; local?: boolean }[] }[];
  groups: { group: string; members: string[] }[];
}

function cliVteps(capture: string, at: number): CliFdb {
  return JSON.parse(execFileSync(process.execPath, [CLI, 'vteps', capture, '--at', String(at), '-T', 'json'], { maxBuffer: 512 << 20 }).toString()) as CliFdb;
}

const key = (e: { vtep: string; tenant: string; mac: string; remoteVtep: string; learnedFrame: number }) => `${e.vtep}|${e.tenant}|${e.mac}|${e.remoteVtep}|${e.learnedFrame}`;

describe('the VTEP view at hundreds of flooding VTEPs', () => {
  let service: TunnelscopeService;
  let session: SessionInfo;
  let timeline: VtepTimeline;
  let dir: string;
  let capture: string;
  const page = async (table: VtepTableName, extra: Partial<{ frame: number; search: string; sortColumn: string; sortDirection: 'asc' | 'desc'; start: number; count: number }> = {}): Promise<VtepTablePage> =>
    service.call('vtepTable', { sessionId: session.sessionId, table, frame: session.frames, search: '', sortColumn: '', sortDirection: 'asc', start: 0, count: 5000, ...extra });
  /** Every row of a table, page by page. */
  const all = async <T>(table: VtepTableName, extra: Parameters<typeof page>[1] = {}): Promise<T[]> => {
    const rows: T[] = [];
    for (let start = 0; ; start += 5000) {
      const p = await page(table, { ...extra, start });
      rows.push(...(p.rows as T[]));
      if (start + 5000 >= p.total) return rows;
    }
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-vtep-tables-'));
    capture = path.join(dir, 'many-vteps.pcap');
    generateVxlanCapture(capture, { packets: 12_000, vnis: 120, vmsPerVni: 20, vteps: 400, seed: 5, igmp: false, broadcastShare: 0.5 });
    service = newService();
    session = await openIndexed(service, capture);
    timeline = await service.call('vtepTimeline', { sessionId: session.sessionId });
  });
  after(async () => {
    await service.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the FDB at a frame, page by page, holds the entries of `vteps --at`', async () => {
    for (const at of [Math.floor(session.frames / 3), session.frames]) {
      const expected = cliVteps(capture, at).fdb.flatMap((v) =>
        v.entries.map((e) => key({ vtep: v.vtep, tenant: `${e.tenant.type}:${e.tenant.id}`, mac: e.mac, remoteVtep: e.remoteVtep, learnedFrame: e.since })),
      );
      const rows = await all<FdbEntry>('fdb', { frame: at });
      assert.ok(rows.length > 5000, `${rows.length} entries: more than a page`);
      // The table's own order is the CLI's: by VTEP, then tenant, then MAC.
      assert.deepEqual(rows.map(key), expected);
      assert.ok(rows.every((e) => e.local === (e.remoteVtep === e.vtep)));
    }
  });

  test('the FDB sorts by any column, both ways, and its search keeps the matching entries only', async () => {
    const byMac = await all<FdbEntry>('fdb', { sortColumn: 'mac', sortDirection: 'desc' });
    for (let i = 1; i < byMac.length; i++) assert.ok(byMac[i - 1].mac >= byMac[i].mac, `${byMac[i - 1].mac} before ${byMac[i].mac}`);
    const bySince = await all<FdbEntry>('fdb', { sortColumn: 'learnedFrame', sortDirection: 'asc' });
    for (let i = 1; i < bySince.length; i++) assert.ok(bySince[i - 1].learnedFrame <= bySince[i].learnedFrame);
    const everything = await all<FdbEntry>('fdb');
    const mac = everything[Math.floor(everything.length / 2)].mac;
    const found = await all<FdbEntry>('fdb', { search: mac.toUpperCase() });
    assert.deepEqual(found.map(key), everything.filter((e) => e.mac.includes(mac)).map(key));
    const local = await page('fdb', { search: 'local' });
    assert.equal(local.total, everything.filter((e) => e.local || e.vtep.includes('local')).length);
    assert.ok(local.total > 0);
  });

  test('the pairs and groups tables page through every row the timeline counts', async () => {
    const pairs = await all<VtepPair>('pairs');
    assert.equal(pairs.length, timeline.pairCount);
    for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i - 1].frames >= pairs[i].frames, 'busiest first');
    const vtep = pairs[0].from;
    const some = await all<VtepPair>('pairs', { search: vtep });
    assert.deepEqual(some, pairs.filter((p) => `${p.from} ${p.to} ${p.tenants.join(' ')}`.includes(vtep)));
    const groups = await all<GroupRow>('groups');
    assert.equal(groups.length, timeline.groupCount);
    assert.deepEqual(groups.map((g) => g.group), cliVteps(capture, session.frames).groups.map((g) => g.group));
  });

  test("the timeline's windows of the lanes on screen add up to the whole capture's", async () => {
    assert.ok(timeline.vteps.length >= 400, `${timeline.vteps.length} lanes`);
    const query = { sessionId: session.sessionId, from: timeline.firstTime, to: timeline.lastTime, bins: 300, tenant: '', vtep: '', mac: '' };
    const merged = await service.call('vtepEvents', { ...query, merged: true });
    assert.equal(merged.total, timeline.eventCount);
    assert.equal(merged.density?.length, 1);
    assert.equal(merged.density![0].counts.reduce((a, b) => a + b, 0), timeline.eventCount);
    let sum = 0;
    for (let laneStart = 0; laneStart < timeline.vteps.length; laneStart += 12) {
      const w = await service.call('vtepEvents', { ...query, laneStart, laneCount: 12 });
      assert.equal(w.total, timeline.eventCount);
      assert.ok((w.density ?? []).every((d) => timeline.vteps.indexOf(d.vtep) >= laneStart && timeline.vteps.indexOf(d.vtep) < laneStart + 12), 'densities of the lanes asked for only');
      sum += w.laneTotal;
    }
    assert.equal(sum, timeline.eventCount);
    // A short window of a few lanes: single events, each of those lanes.
    const lanes = timeline.vteps.slice(24, 36);
    const w = await service.call('vtepEvents', { ...query, to: timeline.firstTime + (timeline.lastTime - timeline.firstTime) / 50, laneStart: 24, laneCount: 12 });
    assert.ok(w.events !== null && w.events.length === w.laneTotal && w.laneTotal > 0, `${w.laneTotal} events, ${w.events?.length ?? 'a density'}`);
    assert.ok(w.events.every((e) => lanes.includes(e.vtep)));
  });
});
