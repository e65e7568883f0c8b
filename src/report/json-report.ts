// The JSON report: the tenants and vteps documents (issue 3's contracts) in one document, with the
// capture summary and the traffic accounting behind the HTML charts. report-schema.ts describes it.
import { ANALYSIS_UNAVAILABLE } from './analysis-source';
import { TenantsReport, VtepReport } from './analysis-types';
import { CaptureSummary } from './capture-summary';
import { ReportData } from './report-data';
import { TrafficSummary } from './traffic';

export const REPORT_JSON_VERSION = 1;

export interface ReportDocument {
  generator: 'tunnelscope report';
  version: typeof REPORT_JSON_VERSION;
  generatedAt: string;
  capture: CaptureSummary;
  /** What `tunnelscope tenants --format json` prints, for the same frames; null when unavailable. */
  tenants: TenantsReport | null;
  /** What `tunnelscope vteps --format json` prints; null when unavailable. */
  vteps: VtepReport | null;
  traffic: TrafficSummary;
  /** Why parts are null, so a reader never mistakes a missing analysis for "nothing found". */
  unavailable: string[];
}

export function reportDocument(data: ReportData): ReportDocument {
  return {
    generator: 'tunnelscope report',
    version: REPORT_JSON_VERSION,
    generatedAt: data.generatedAt,
    capture: data.capture,
    tenants: data.analysis?.tenants ?? null,
    vteps: data.analysis?.vteps ?? null,
    traffic: data.traffic,
    unavailable: data.analysis === null ? [ANALYSIS_UNAVAILABLE] : [],
  };
}

export function renderJsonReport(data: ReportData): string {
  return JSON.stringify(reportDocument(data), null, 2) + '\n';
}
