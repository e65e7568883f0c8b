// One row per tenant for the tables and the CSV. Figures come from the tenants analysis when it is
// available and from the report's own traffic accounting otherwise; both count outer frames as captured.
import { TenantRef } from './analysis-types';
import { ReportData } from './report-data';

export interface TenantRow extends TenantRef {
  packets: number;
  bytes: number;
  firstTime: number;
  lastTime: number;
  vteps: string[];
  /** Unknown (undefined) without the tenants analysis. */
  conversations?: number;
  floodPackets?: number;
}

export function tenantRows(data: ReportData): TenantRow[] {
  const analysed = new Map((data.analysis?.tenants.tenants ?? []).map((t) => [`${t.type}:${t.id}`, t]));
  return data.traffic.tenants.map((t) => {
    const a = analysed.get(`${t.type}:${t.id}`);
    return {
      type: t.type,
      id: t.id,
      packets: a?.packets ?? t.packets,
      bytes: a?.bytes ?? t.bytes,
      firstTime: a?.firstTime ?? t.firstTime,
      lastTime: a?.lastTime ?? t.lastTime,
      vteps: a?.vteps ?? t.vteps,
      conversations: a?.conversations.length,
      floodPackets: a?.flood.packets,
    };
  });
}
