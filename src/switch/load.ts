// Loads a bridge description and a flow file from disk into a ready switch, naming the file (and line)
// in every problem so the CLI can print it as one line.
import { readFileSync } from 'node:fs';
import { Bridge, BridgeError, parseBridge, portByName } from './bridge';
import { FlowEntry, FlowSyntaxError, parseFlowFile } from './flow-file';
import { PortNameResolver } from './values';

export class SwitchInputError extends Error {}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SwitchInputError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export function loadBridge(path: string): Bridge {
  const text = readText(path, 'bridge description');
  try {
    return parseBridge(text);
  } catch (e) {
    if (e instanceof BridgeError) throw new SwitchInputError(`${path}: ${e.message}`);
    throw e;
  }
}

export function portResolver(bridge: Bridge | undefined): PortNameResolver | undefined {
  return bridge ? (name: string) => portByName(bridge, name)?.ofport : undefined;
}

export function loadFlows(path: string, bridge?: Bridge): FlowEntry[] {
  const text = readText(path, 'flow file');
  try {
    return parseFlowFile(text, portResolver(bridge));
  } catch (e) {
    if (e instanceof FlowSyntaxError) throw new SwitchInputError(`${path}:${e.line}: ${e.problem}`);
    throw e;
  }
}
