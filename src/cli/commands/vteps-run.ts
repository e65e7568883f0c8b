// tunnelscope vteps FILE: VTEPs, group membership, the learning timeline and forwarding databases.
// The work behind `tunnelscope vteps`, loaded only when that command runs (see vteps.ts).
import { STDOUT } from '../output';
import type { VtepsOptions } from './options';
import { startPipelineFor } from '../../overlay/pipeline/start';
import { DEFAULT_MTU } from '../../overlay/defaults';

export function runVteps(paths: string[], options: VtepsOptions): void | Promise<void> {
  // A large capture: reading on this thread, analysis on a worker started first (see tenants-run.ts).
  // Several captures are merged and correlated first, on this thread.
  const started = paths.length !== 1 ? null : startPipelineFor(paths[0], { command: 'vteps', outputFd: STDOUT, format: options.format, mtu: DEFAULT_MTU, decodeAs: options.decodeAs, reassemble: options.reassemble, lastFrame: options.at, ageing: options.ageing });
  try {
    const analyse = require('./vteps-analyse') as typeof import('./vteps-analyse');
    return analyse.analyseVteps(paths, options, started);
  } catch (err) {
    void started?.worker.terminate();
    throw err;
  }
}
