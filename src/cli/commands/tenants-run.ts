// tunnelscope tenants FILE: tenants, their traffic, flooding and conversations, and findings.
// The work behind `tunnelscope tenants`, loaded only when that command runs (see tenants.ts).
import { CaptureAnalysis, expectedFlowCount } from '../../analysis/analyze-capture';
import { tenantsPipelined, worthPipelining } from '../../analysis/pipeline';
import { buildTenantsReport } from '../../tenants/report';
import { writeTenantsReportJson } from '../../tenants/json';
import { tenantsReportText } from '../../tenants/text';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
import { ByteWriter } from '../../analysis/byte-writer';
import { LineWriter } from '../output';
import { decodeAsOverrides } from '../decode-as-overrides';

export interface TenantsOptions {
  format: 'text' | 'json';
  mtu: number;
  decodeAs: string[];
}


export function runTenants(path: string, options: TenantsOptions): void | Promise<void> {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCaptureOrFail(path);
  if (worthPipelining(file)) {
    // A large capture: reading on this thread, analysis and report on a worker (src/analysis/pipeline.ts).
    const done = tenantsPipelined(file, { mtu: options.mtu, decodeAs, format: options.format, expectedFlows: expectedFlowCount(file) });
    return done.then(
      () => {
        file.close();
        reportCaptureProblem(file);
      },
      (err: unknown) => {
        file.close();
        throw err;
      },
    );
  }
  const analysis = new CaptureAnalysis(file, { mtu: options.mtu, decodeAs });
  analysis.update(true);
  file.close();
  if (options.format === 'json') {
    const out = new ByteWriter();
    writeTenantsReportJson(analysis.analyzer, file.problem, out);
    out.byte(0x0a);
    out.flush();
  } else {
    const out = new LineWriter();
    for (const line of tenantsReportText(buildTenantsReport(analysis.analyzer, file.problem))) out.line(line);
    out.flush();
  }
  reportCaptureProblem(file);
}
