// The `tenants` command's text output: findings first, then one line per tenant, then each tenant's
// conversations.
import { appendLines, humanBytes, percent, relativeTime, table } from '../output/text-format';
import { TenantsReport } from '../report-types';

export function tenantsReportText(report: TenantsReport): string[] {
  const out: string[] = [];
  const start = report.startTime;
  if (report.findings.length > 0) {
    out.push(`Findings (${report.findings.length})`);
    for (const f of report.findings) out.push(`  ${f.severity === 'error' ? '!!' : '! '} ${f.kind.padEnd(18)} ${f.message}`);
    out.push('');
  }
  out.push(
    `${report.frames} frames: ${report.tenants.length} tenant(s), underlay ${report.underlay.packets} packets (${humanBytes(report.underlay.bytes)}); MTU ${report.mtu} assumed (--mtu)`,
  );
  if (report.tenants.length === 0) return out;
  out.push('');
  appendLines(
    out,
    table(
      ['TENANT', 'PACKETS', 'BYTES', 'FLOOD', 'BCAST', 'MCAST', 'UNK-UC', 'TO-GROUP', 'FIRST', 'LAST', 'VTEPS'],
      report.tenants.map((t) => [
        t.name,
        String(t.packets),
        humanBytes(t.bytes),
        percent(t.flood.share),
        String(t.flood.broadcast),
        String(t.flood.multicast),
        String(t.flood.unknownUnicast),
        String(t.flood.toGroup),
        relativeTime(t.firstTime, start),
        relativeTime(t.lastTime, start),
        t.vteps.join(', '),
      ]),
      [false, true, true, true, true, true, true, true, true, true, false],
    ),
  );
  for (const t of report.tenants) {
    out.push('');
    out.push(`${t.name}: ${t.conversations.length} conversation(s)${t.groups.length > 0 ? `, groups ${t.groups.join(', ')}` : ''}`);
    appendLines(
      out,
      table(
        ['LAYER', 'A', 'B', 'PACKETS', 'BYTES', 'A->B', 'B->A', 'FRAMES'],
        t.conversations.map((c) => [
          c.layer,
          c.a,
          c.b,
          String(c.packets),
          humanBytes(c.bytes),
          String(c.packetsAtoB),
          String(c.packetsBtoA),
          `${c.firstFrame}-${c.lastFrame}`,
        ]),
        [false, false, false, true, true, true, true, false],
        '  ',
      ),
    );
  }
  return out;
}
