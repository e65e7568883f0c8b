// Statistics limited to a display filter (Wireshark's "Limit to display filter"): Conversations and
// Endpoints, Protocol Hierarchy, Expert Info and the I/O graph over the matching frames only, from
// the same pass as `tunnelscope report --filter` (collectReportData's: filtered dissection feeding
// the overlay analysis and the traffic bins). Built in the analysis worker, once per filter.
import { openSource } from './capture-source';
import { compileFilter } from '../filter';
import { decodeAsOverrides } from '../dissect/decode-as';
import { forEachMatchingFrame } from '../filter/filtered-pass';
import { startOverlayAnalysis } from '../report/analysis-source';
import { frameTenantCode } from '../report/frame-tenant';
import type { Progress } from '../report/progress';
import { TrafficCollector } from '../report/traffic';
import type { CaptureStatistics, TenantsReport } from './api';
import { CaptureStatisticsCollector } from './capture-statistics';
import { CHART_BINS, tenantsView } from './overlay-views';
import { StatisticsTables } from './statistics-tables';

export class FilteredViews {
  readonly tenants: TenantsReport;
  readonly statistics: StatisticsTables;
  readonly captureStatistics: CaptureStatistics;

  /** `onFrame`: frames read so far of `total` (progress). */
  constructor(paths: string[], filterText: string, decodeAs: string[], total: number, onFrame: (frames: number, total: number) => void) {
    const filter = compileFilter(filterText);
    const file = openSource(paths, decodeAs);
    try {
      const analysis = startOverlayAnalysis(file);
      const traffic = new TrafficCollector();
      const collector = new CaptureStatisticsCollector();
      const id = new Uint32Array(1);
      const progress: Progress = {
        frame: (frame) => ((frame & 0xffff) === 0 ? onFrame(frame, total) : undefined),
        done: () => undefined,
      };
      forEachMatchingFrame(
        file,
        filter,
        (ctx, frame) => {
          traffic.add(frame, frameTenantCode(ctx, id), id[0]);
          analysis.addFrame(ctx, frame);
          collector.add(ctx, frame);
        },
        { progress, decodeAs: decodeAsOverrides(decodeAs) },
      );
      const { tenants } = analysis.finish();
      this.tenants = tenantsView(tenants, traffic.summarize(file.index, CHART_BINS), false);
      this.statistics = StatisticsTables.fromReport(tenants);
      this.captureStatistics = collector.finish(tenants, analysis.analyzer);
    } finally {
      file.close();
    }
  }
}
