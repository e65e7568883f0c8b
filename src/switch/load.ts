// Loads a bridge description and a flow file from disk into a ready switch, naming the file (and line)
// in every problem so the CLI can print it as one line.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { notRegularFile } from '../capture/file-kind';
import { Bridge, BridgeError, parseBridge, portByName } from './bridge';
import { FlowEntry, FlowSyntaxError, parseFlowFile } from './flow-file';
import { PortNameResolver } from './values';

export class SwitchInputError extends Error {}

function readText(path: string, what: string): string {
  let fd = -1;
  try {
    // Non-blocking open and a regular-file check: a FIFO would block the read for ever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const kind = notRegularFile(fstatSync(fd));
    if (kind !== null) throw new SwitchInputError(`cannot read ${what} ${path}: ${kind}`);
    return readFileSync(fd, 'utf8');
  } catch (e) {
    if (e instanceof SwitchInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SwitchInputError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  } finally {
    if (fd >= 0) closeSync(fd);
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
