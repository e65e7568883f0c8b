// The one replay driver: sets a replay up from the user's files (flow tables on a bridge, or a
// flood-and-learn VTEP), feeds it every frame in capture order and settles it. The CLI and the
// service differ only in where frames come from and how the records are shown.
import { ipv4FromNumber } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { loadBridge, loadSwitch, SwitchInputError } from './load';
import { FrameInfo, ReplayRecord, SwitchReplay } from './replay';
import { VtepModel, VtepRecord } from './vtep-model';
import { SwitchBridge } from './xlate';

export interface ReplaySetup {
  /** Flow tables (add-flows syntax or dump-flows output); needs bridgePath. */
  flowsPath?: string;
  /** Bridge description (JSON or `ovs-vsctl show` + `ovs-ofctl show`). */
  bridgePath?: string;
  /** Without flows: the VTEP whose flood-and-learn decisions to explain (else the bridge's localVtep). */
  localVtep?: string;
}

/** A setup that cannot run as given (which option is missing), as opposed to a file that cannot be read. */
export class ReplaySetupError extends SwitchInputError {}

export type FrameVisitor = (ctx: Dissection, info: FrameInfo) => void;
/** Calls the visitor once per frame, in capture order, with the frame dissected into ctx. */
export type FrameSource = (visit: FrameVisitor) => void;

export type ReplayOutcome =
  | { mode: 'flows'; bridges: SwitchBridge[]; records: ReplayRecord[] }
  | { mode: 'vtep'; localVtep: string; records: VtepRecord[] };

/** Loads the files and runs the capture through the switch (or the VTEP). Throws SwitchInputError. */
export function runReplay(setup: ReplaySetup, frames: FrameSource): ReplayOutcome {
  if (setup.flowsPath && !setup.bridgePath) throw new ReplaySetupError('replay with flow tables needs a bridge description (which port is which tunnel)');
  if (setup.flowsPath && setup.bridgePath) {
    const { bridges } = loadSwitch(setup.flowsPath, setup.bridgePath);
    const replay = new SwitchReplay(bridges);
    frames((ctx, info) => replay.onFrame(ctx, info));
    return { mode: 'flows', bridges, records: replay.finish() };
  }
  const bridge = setup.bridgePath ? loadBridge(setup.bridgePath) : undefined;
  const localVtep = setup.localVtep || bridge?.localVtep;
  if (!localVtep) throw new ReplaySetupError('without flow tables, give the local VTEP address (or a bridge description with localVtep)');
  const vtep = new VtepModel(localVtep);
  frames((ctx, info) => vtep.onFrame(ctx, info, ipv4FromNumber));
  return { mode: 'vtep', localVtep, records: vtep.records };
}
