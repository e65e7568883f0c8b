// The `vteps` command's text output: notes, groups, the learning timeline, then each VTEP's FDB.
import { appendLines, relativeTime, table } from '../output/text-format';
import { LearningEvent, VtepReport } from '../report-types';
import { tenantName } from '../../dissect/tenant-id';

export function vtepReportText(report: VtepReport, start: number): string[] {
  const out: string[] = [];
  for (const note of report.notes) out.push(`note: ${note}`);
  if (report.notes.length > 0) out.push('');
  out.push(`State after frame ${report.atFrame} of ${report.frames}: ${report.vteps.length} VTEP(s), ${report.groups.length} group(s), ${report.events.length} event(s)`);
  out.push('');
  appendLines(
    out,
    table(
      ['VTEP', 'TENANTS', 'GROUPS'],
      report.vteps.map((v) => [v.ip, v.tenants.map(tenantName).join(', ') || '-', v.groups.join(', ') || '-']),
    ),
  );
  if (report.groups.length > 0) {
    out.push('');
    appendLines(
      out,
      table(
        ['GROUP', 'MEMBERS', 'TENANTS', 'SOURCE'],
        report.groups.map((g) => [
          g.group,
          g.members.join(', ') || '-',
          g.tenants.map(tenantName).join(', ') || '-',
          g.reported ? [...new Set(g.history.map((h) => h.via))].join('/') : 'no report: tenant VTEPs assumed',
        ]),
      ),
    );
  }
  out.push('');
  out.push('Timeline');
  appendLines(
    out,
    table(
      ['FRAME', 'TIME', 'EVENT', 'VTEP', 'TENANT', 'MAC', 'DETAIL'],
      report.events.map((e) => [String(e.frame), relativeTime(e.ts, start), e.kind, e.vtep, tenantName(e.tenant), e.mac, detail(e)]),
      [true, true],
      '  ',
    ),
  );
  out.push('');
  out.push(`Forwarding databases after frame ${report.atFrame}`);
  for (const fdb of report.fdb) {
    out.push(`  ${fdb.vtep}`);
    appendLines(
      out,
      table(
        ['TENANT', 'MAC', 'REMOTE VTEP', 'SINCE'],
        fdb.entries.map((e) => [tenantName(e.tenant), e.mac, e.local ? 'local' : e.remoteVtep, `frame ${e.since}`]),
        [],
        '    ',
      ),
    );
  }
  return out;
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
