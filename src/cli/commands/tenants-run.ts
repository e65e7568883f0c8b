// tunnelscope tenants FILE: tenants, their traffic, flooding and conversations, and findings.
// The work behind `tunnelscope tenants`, loaded only when that command runs (see tenants.ts).
import { STDOUT } from '../output';
import { DEFAULT_AGEING_SECONDS } from '../../overlay/defaults';
import type { TenantsOptions } from './options';
import { startPipelineFor } from '../../overlay/pipeline/start';

export function runTenants(paths: string[], options: TenantsOptions): void | Promise<void> {
  // A large capture: reading on this thread, analysis on a worker (src/overlay/pipeline). The
  // worker starts before the reading and analysis modules load, so that its start-up overlaps theirs.
  // Several captures are merged and correlated first, on this thread.
  const started = paths.length !== 1 ? null : startPipelineFor(paths[0], { command: 'tenants', outputFd: STDOUT, format: options.format, mtu: options.mtu, decodeAs: options.decodeAs, reassemble: options.reassemble, ageing: DEFAULT_AGEING_SECONDS });
  try {
    const analyse = require('./tenants-analyse') as typeof import('./tenants-analyse');
    return analyse.analyseTenants(paths, options, started);
  } catch (err) {
    void started?.worker.terminate();
    throw err;
  }
}
