// The tenants and VTEP analysis as the report consumes it: the JSON shapes of `tunnelscope tenants`
// and `tunnelscope vteps` (issue 3), defined in src/analysis/types.ts.
import type { TenantsReport, VtepReport } from '../analysis/types';

export type {
  Conversation,
  Finding,
  LearningEvent,
  TenantRef,
  TenantSummary,
  TenantTypeName,
  TenantsReport,
  VtepReport,
} from '../analysis/types';

export interface OverlayAnalysis {
  tenants: TenantsReport;
  vteps: VtepReport;
}
