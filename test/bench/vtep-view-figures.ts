// The VTEP view's answers on one capture, timed in process as the analysis worker makes them: the
// view's head, windows of the timeline (a few lanes, the summed overview, one second, a MAC), pages of
// the FDB at the last and the middle frame (sorted, searched), of the pairs and groups, the Forwarding
// subtree. A benchmark, not a test:
//   node dist/test/bench/vtep-view-figures.js CAPTURE
// (bench-output/scale-300000.pcap is made by `npm run bench -- --mix scale --packets 300000`).
import { AnalysisViews } from '../../src/service/analysis-views';
import type { AnalysisQuery } from '../../src/service/scan-protocol';
import type { VtepEventWindow, VtepTablePage, VtepTimeline } from '../../src/service/api';

type Query = AnalysisQuery extends infer Q ? (Q extends { id: number } ? Omit<Q, 'id'> : never) : never;

function main(capture: string): void {
  const views = new AnalysisViews([capture], () => undefined);
  const timed = <T>(what: string, ask: () => T): T => {
    const start = performance.now();
    const answer = ask();
    const ms = performance.now() - start;
    const bytes = answer === undefined ? 0 : JSON.stringify(answer).length;
    console.log(`${what.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms ${(bytes / 1000).toFixed(1).padStart(9)} kB   RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    return answer;
  };
  const answer = (q: Query) => views.answer({ id: 0, ...q } as AnalysisQuery);
  timed('analysis pass', () => views.update(true));
  const timeline = timed('timeline head', () => answer({ op: 'vteps', final: true })) as VtepTimeline;
  console.log(`  ${timeline.vteps.length} lanes, ${timeline.eventCount} events, ${timeline.groupCount} groups, ${timeline.pairCount} pairs`);
  const window = (what: string, q: object) => {
    const w = timed(what, () => answer({ op: 'vtepEvents', final: true, query: { from: timeline.firstTime, to: timeline.lastTime, bins: 700, tenant: '', vtep: '', mac: '', ...q } })) as VtepEventWindow;
    console.log(`  ${w.total} events, ${w.laneTotal} in the lanes asked for: ${w.events ? `${w.events.length} single` : `${w.density!.length} density rows`}`);
  };
  window('window, 12 lanes', { laneStart: 0, laneCount: 12 });
  window('overview (lanes summed)', { merged: true, bins: 1400 });
  const middle = (timeline.firstTime + timeline.lastTime) / 2;
  window('one second, 12 lanes', { laneStart: 0, laneCount: 12, from: middle, to: middle + 1 });
  const page = (what: string, q: object) => {
    const p = timed(what, () => answer({ op: 'vtepTable', final: true, query: { table: 'fdb', frame: timeline.frames, search: '', sortColumn: '', sortDirection: 'asc', start: 0, count: 200, ...q } })) as VtepTablePage;
    console.log(`  ${p.total} rows`);
    return p;
  };
  const fdb = page('FDB at the last frame', {});
  page('  its next page', { start: 200 });
  page('FDB at the middle frame', { frame: Math.ceil(timeline.frames / 2) });
  page('FDB by MAC, descending', { sortColumn: 'mac', sortDirection: 'desc' });
  const mac = (fdb.rows[0] as { mac: string } | undefined)?.mac.slice(0, 14) ?? 'fa:16:3e';
  page(`FDB search "${mac}"`, { search: mac });
  window(`MAC "${mac}", 12 lanes`, { laneStart: 0, laneCount: 12, mac });
  page('pairs', { table: 'pairs' });
  page('groups', { table: 'groups' });
  timed('Forwarding subtree, middle frame', () => answer({ op: 'forwarding', final: true, frame: Math.ceil(timeline.frames / 2) }));
}

const capture = process.argv[2];
if (!capture) {
  console.error('usage: node dist/test/bench/vtep-view-figures.js CAPTURE');
  process.exit(2);
}
main(capture);
