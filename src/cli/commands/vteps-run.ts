// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
// The work behind `tunnelscope vteps`, loaded only when that command runs (see vteps.ts).
import { startPipelineFor } from '../../analysis/pipeline-start';
import { DEFAULT_MTU } from '../../analysis/defaults';

export interface VtepsOptions {
  format: 'text' | 'json';
  at?: number;
  decodeAs: string[];
  reassemble: boolean;
}

export function runVteps(path: string, options: VtepsOptions): void | Promise<void> {
  // A large capture: reading on this thread, analysis on a worker started first (see tenants-run.ts).
  const started = startPipelineFor(path, { command: 'vteps', format: options.format, mtu: DEFAULT_MTU, decodeAs: options.decodeAs, reassemble: options.reassemble, lastFrame: options.at });
  try {
    const analyse = require('./vteps-analyse') as typeof import('./vteps-analyse');
    return analyse.analyseVteps(path, options, started);
  } catch (err) {
    void started?.worker.terminate();
    throw err;
  }
}
