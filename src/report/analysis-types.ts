// The tenants and VTEP analysis as the report consumes it: the JSON shapes of `tunnelscope tenants`
// and `tunnelscope vteps`, defined in src/overlay/report-types.ts.
import type { TenantsReport, VtepReport } from '../overlay/report-types';

export type {
  Conversation,
  Finding,
  LearningEvent,
  TenantRef,
  TenantSummary,
  TenantTypeName,
  TenantsReport,
  VtepReport,
} from '../overlay/report-types';

export interface OverlayAnalysis {
  tenants: TenantsReport;
  vteps: VtepReport;
}
