// One tenant's VTEP-to-VTEP traffic as a table: rows are the encapsulating VTEP (outer source),
// columns the outer destination (VTEPs, then multicast groups, which every member receives).
import { TenantTraffic } from '../traffic';
import { compareAddresses } from '../ipv4-text';
import { byteSize, count, escapeHtml } from './escape';

export function vtepMatrixTable(tenant: TenantTraffic): string {
  if (tenant.matrix.length === 0) return '<p class="lead">No IPv4 underlay addresses for this tenant.</p>';
  const senders = [...new Set(tenant.matrix.map((c) => c.from))].sort(compareAddresses);
  const groups = new Set(tenant.matrix.filter((c) => c.toGroup).map((c) => c.to));
  const receivers = [...new Set(tenant.matrix.map((c) => c.to))].sort((a, b) => Number(groups.has(a)) - Number(groups.has(b)) || compareAddresses(a, b));
  const cells = new Map(tenant.matrix.map((c) => [`${c.from}>${c.to}`, c]));
  const head = receivers
    .map((to) => (groups.has(to) ? `<th class="num to-group">${escapeHtml(to)}<br><small>group (flood)</small></th>` : `<th class="num">${escapeHtml(to)}</th>`))
    .join('');
  const rows = senders.map((from) => {
    const tds = receivers.map((to) => {
      const cell = cells.get(`${from}>${to}`);
      if (cell === undefined) return '<td class="num zero">·</td>';
      return `<td class="num${groups.has(to) ? ' to-group' : ''}">${count(cell.packets)}<br><small>${byteSize(cell.bytes)}</small></td>`;
    });
    return `<tr><th class="row mono">${escapeHtml(from)}</th>${tds.join('')}</tr>`;
  });
  return `<table class="matrix keep"><thead><tr><th>from \\ to</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
