// tunnelscope tenants FILE: tenants, their traffic, flooding and conversations, and findings.
// The work behind `tunnelscope tenants`, loaded only when that command runs (see tenants.ts).
import { startPipelineFor } from '../../analysis/pipeline-start';

export interface TenantsOptions {
  format: 'text' | 'json';
  mtu: number;
  decodeAs: string[];
  reassemble: boolean;
}

export function runTenants(path: string, options: TenantsOptions): void | Promise<void> {
  // A large capture: reading on this thread, analysis on a worker (src/analysis/pipeline.ts). The
  // worker starts before the reading and analysis modules load, so that its start-up overlaps theirs.
  const started = startPipelineFor(path, { command: 'tenants', format: options.format, mtu: options.mtu, decodeAs: options.decodeAs, reassemble: options.reassemble });
  try {
    const analyse = require('./tenants-analyse') as typeof import('./tenants-analyse');
    return analyse.analyseTenants(path, options, started);
  } catch (err) {
    void started?.worker.terminate();
    throw err;
  }
}
