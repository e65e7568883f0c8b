// The `vteps` command's text output: notes, groups, the learning timeline, then each VTEP's FDB. Written
// a line at a time: from a report's lists, or from the learning's typed arrays (millions of events and
// entries at thousands of flooding VTEPs, never all made at once).
import { relativeTime, table, tableLines } from '../output/text-format';
import { FdbEntry, LearningEvent, VtepFdb, VtepReport } from '../report-types';
import { tenantName } from '../../dissect/tenant-id';
import type { OverlayAnalyzer } from '../analyzer';
import { macFromWords } from '../endpoints';
import { Ev } from '../learning';
import { fdbReportOrder, liveSlots } from '../fdb-order';
import { buildVtepReport, learningEvent } from './build';

/** What the text is written from: the report's head, and its events and FDB as often as they are asked for. */
export interface VtepTextSource {
  /** Everything but the events and the FDB. */
  report: VtepReport;
  eventCount: number;
  events(): Iterable<LearningEvent>;
  fdb(): Iterable<VtepFdb>;
}

export function vtepReportText(report: VtepReport, start: number): string[] {
  return [...vtepTextLines({ report, eventCount: report.events.length, events: () => report.events, fdb: () => report.fdb }, start)];
}

/** The report of `analyzer` as of frame `atFrame` (1-based; default the last), its events and FDB read as they are written. */
export function vtepTextSource(analyzer: OverlayAnalyzer, atFrame: number | undefined, problem: string | null | undefined): VtepTextSource {
  const report = buildVtepReport(analyzer, atFrame, problem, false, false);
  const at = report.atFrame - 1;
  const { learning, endpoints, tenants } = analyzer;
  let eventCount = 0;
  while (eventCount < learning.eventCount && learning.get(eventCount, Ev.Frame) <= at) eventCount++;
  return {
    report,
    eventCount,
    *events() {
      for (let i = 0; i < eventCount; i++) yield learningEvent(analyzer, i);
    },
    *fdb() {
      const { remote, since } = learning.stateAt(at);
      const order = fdbReportOrder(analyzer, liveSlots(remote));
      // Runs of one VTEP's entries, in report order: one VTEP's database at a time.
      for (let start = 0; start < order.length; ) {
        const vtep = learning.slotWord(order[start], 0);
        const entries: FdbEntry[] = [];
        let i = start;
        for (; i < order.length && learning.slotWord(order[i], 0) === vtep; i++) {
          const slot = order[i];
          const entry: FdbEntry = { tenant: tenants.ref(learning.slotWord(slot, 1)), mac: macFromWords(learning.slotWord(slot, 2), learning.slotWord(slot, 3)), remoteVtep: endpoints.text(remote[slot]), since: since[slot] + 1 };
          if (remote[slot] === vtep) entry.local = true;
          entries.push(entry);
        }
        yield { vtep: endpoints.text(vtep), entries };
        start = i;
      }
    },
  };
}

export function* vtepTextLines(source: VtepTextSource, start: number): Generator<string> {
  const report = source.report;
  for (const note of report.notes) yield `note: ${note}`;
  if (report.notes.length > 0) yield '';
  yield `State after frame ${report.atFrame} of ${report.frames}: ${report.vteps.length} VTEP(s), ${report.groups.length} group(s), ${source.eventCount} event(s)`;
  yield '';
  yield* table(
    ['VTEP', 'TENANTS', 'GROUPS'],
    report.vteps.map((v) => [v.ip, v.tenants.map(tenantName).join(', ') || '-', v.groups.join(', ') || '-']),
  );
  if (report.groups.length > 0) {
    yield '';
    yield* table(
      ['GROUP', 'MEMBERS', 'TENANTS', 'SOURCE'],
      report.groups.map((g) => [
        g.group,
        g.members.join(', ') || '-',
        g.tenants.map(tenantName).join(', ') || '-',
        g.reported ? [...new Set(g.history.map((h) => h.via))].join('/') : 'no report: tenant VTEPs assumed',
      ]),
    );
  }
  yield '';
  yield 'Timeline';
  yield* tableLines(
    ['FRAME', 'TIME', 'EVENT', 'VTEP', 'TENANT', 'MAC', 'DETAIL'],
    function* () {
      for (const e of source.events()) yield [String(e.frame), relativeTime(e.ts, start), e.kind, e.vtep, tenantName(e.tenant), e.mac, detail(e)];
    },
    [true, true],
    '  ',
  );
  yield '';
  yield `Forwarding databases after frame ${report.atFrame}`;
  for (const fdb of source.fdb()) {
    yield `  ${fdb.vtep}`;
    yield* table(
      ['TENANT', 'MAC', 'REMOTE VTEP', 'SINCE'],
      fdb.entries.map((e) => [tenantName(e.tenant), e.mac, e.local ? 'local' : e.remoteVtep, `frame ${e.since}`]),
      [],
      '    ',
    );
  }
}

function detail(e: LearningEvent): string {
  if (e.kind === 'learn') return `behind ${e.remoteVtep}`;
  if (e.kind === 'move') return `moved ${e.previousVtep === e.vtep ? 'local' : e.previousVtep} -> ${e.remoteVtep}`;
  if (e.kind === 'local') return 'local (encapsulated here)';
  if (e.kind === 'migrate') return `local, moved here from ${e.previousVtep}`;
  if (e.kind === 'age') return `aged out (${e.remoteVtep === e.vtep ? 'local' : `behind ${e.remoteVtep}`}), idle for the ageing time`;
  const to = e.group !== undefined ? `to group ${e.group}` : 'replicated unicast';
  return `${e.reason} to ${e.destination}, ${to}, received by ${e.receivers!.join(', ') || 'nobody'}${e.membersAssumed ? ' (members assumed)' : ''}`;
}
