// CSV reports via csv-stringify: one row per tenant, or one row per conversation.
import { stringify } from 'csv-stringify/sync';
import { ReportData } from './report-data';
import { tenantRows } from './tenant-rows';
import { isoTime } from './time-format';

export const TENANT_CSV_COLUMNS = ['type', 'id', 'packets', 'bytes', 'first_seen', 'last_seen', 'vteps', 'conversations', 'flood_packets'];
export const CONVERSATION_CSV_COLUMNS = ['type', 'id', 'layer', 'a', 'b', 'packets', 'bytes', 'first_frame', 'last_frame', 'first_seen', 'last_seen'];

/** Thrown when the CSV asked for needs the tenants analysis and it is not available. */
export class MissingAnalysisError extends Error {}

/** Times are ISO 8601 UTC; VTEPs are space-separated; unknown figures are empty cells. */
export function tenantsCsv(data: ReportData): string {
  const rows = tenantRows(data).map((r) => [
    r.type,
    r.id,
    r.packets,
    r.bytes,
    isoTime(r.firstTime),
    isoTime(r.lastTime),
    r.vteps.join(' '),
    r.conversations ?? '',
    r.floodPackets ?? '',
  ]);
  return stringify(rows, { header: true, columns: TENANT_CSV_COLUMNS });
}

export function conversationsCsv(data: ReportData): string {
  if (data.analysis === null) throw new MissingAnalysisError('--conversations needs the tenants analysis (issue 3), which is not part of this build yet');
  const rows = data.analysis.tenants.tenants.flatMap((t) =>
    t.conversations.map((c) => [
      t.type,
      t.id,
      c.layer,
      c.a,
      c.b,
      c.packets,
      c.bytes,
      c.firstFrame,
      c.lastFrame,
      c.firstTime === undefined ? '' : isoTime(c.firstTime),
      c.lastTime === undefined ? '' : isoTime(c.lastTime),
    ]),
  );
  return stringify(rows, { header: true, columns: CONVERSATION_CSV_COLUMNS });
}
