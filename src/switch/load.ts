// Loads a bridge description and a flow file from disk into a ready switch, naming the file (and line)
// in every problem so the CLI can print it as one line. A flow file may hold several bridges' flows
// (each part introduced by the `ovs-ofctl dump-flows BRIDGE` command that printed it); port names,
// quoted or not, resolve through the bridge description, or without one are numbered from the dump.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { notRegularFile } from '../capture/file-kind';
import { Bridge, BridgeError, parseBridge, parseBridges, portByName, requireNumbered, TUNNEL_TYPES } from './bridge';
import { FlowEntry, FlowSyntaxError, parseFlowFile, parseFlowSections } from './flow-file';
import { FlowTables } from './flow-tables';
import { PortNameResolver } from './values';
import { SwitchBridge } from './xlate';

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

/** The bridges of a host with their flow tables; `ingress` is where trace starts (the first one given). */
export interface LoadedSwitch {
  bridges: SwitchBridge[];
  ingress: SwitchBridge;
  /** Resolves port names of the ingress bridge (for microflows). */
  resolvePort: PortNameResolver | undefined;
}

/**
 * Without a bridge description, a dump printed with port names still loads: each name gets the
 * lowest OpenFlow number the dump does not use, and the bridge is marked partial (ports it does not
 * name are not known to be missing).
 */
function namingBridge(name: string, flowsText: string): { bridge: Bridge; resolve: PortNameResolver } {
  const used = new Set<number>();
  for (const m of flowsText.matchAll(/(?:in_port=|output:|resubmit:|resubmit\()(\d+)/g)) used.add(Number(m[1]));
  const bridge: Bridge = { name, ports: [], partial: true };
  let next = 1;
  const resolve: PortNameResolver = (portName) => {
    const known = portByName(bridge, portName);
    if (known) return known.ofport;
    while (used.has(next)) next++;
    bridge.ports.push({ ofport: next, name: portName, type: 'vm' });
    return next++;
  };
  return { bridge, resolve };
}

export function loadSwitch(flowsPath: string, bridgePath?: string, ingressName?: string): LoadedSwitch {
  const flowsText = readText(flowsPath, 'flow file');
  let described: Bridge[] | undefined;
  if (bridgePath) {
    const text = readText(bridgePath, 'bridge description');
    try {
      described = parseBridges(text);
    } catch (e) {
      if (e instanceof BridgeError) throw new SwitchInputError(`${bridgePath}: ${e.message}`);
      throw e;
    }
  }
  const chosen = new Map<string | null, { bridge: Bridge | undefined; resolve: PortNameResolver | undefined }>();
  const defaultBridge = (): Bridge | undefined =>
    described && (described.find((b) => b.name === ingressName) ?? described.find((b) => b.ports.some((p) => TUNNEL_TYPES.has(p.type))) ?? described[0]);
  const resolverFor = (name: string | null): PortNameResolver | undefined => {
    let entry = chosen.get(name);
    if (!entry) {
      if (described) {
        const bridge = name === null ? defaultBridge() : described.find((b) => b.name === name);
        if (!bridge) throw new SwitchInputError(`${flowsPath}: flows for bridge '${name}', which ${bridgePath} does not describe (it has ${described.map((b) => b.name).join(', ')})`);
        try {
          requireNumbered(bridge);
        } catch (e) {
          if (e instanceof BridgeError) throw new SwitchInputError(`${bridgePath}: ${e.message}`);
          throw e;
        }
        entry = { bridge, resolve: portResolver(bridge) };
      } else {
        const naming = namingBridge(name ?? 'br0', flowsText);
        entry = { bridge: naming.bridge, resolve: naming.resolve };
      }
      chosen.set(name, entry);
    }
    return entry.resolve;
  };
  let sections;
  try {
    sections = parseFlowSections(flowsText, resolverFor);
  } catch (e) {
    if (e instanceof FlowSyntaxError) throw new SwitchInputError(`${flowsPath}:${e.line}: ${e.problem}`);
    throw e;
  }
  if (sections.length === 0) sections = [{ bridge: null, entries: [], groups: [] }];
  const bridges: SwitchBridge[] = sections.map((section) => {
    resolverFor(section.bridge);
    const { bridge } = chosen.get(section.bridge)!;
    const tables = new FlowTables(section.entries);
    for (const g of section.groups) tables.groups.set(g.id, g);
    return { bridge, tables, macTable: new Map() };
  });
  // Without a description and without names, the flows run on no particular ports (as before names were read).
  for (const b of bridges) if (!described && b.bridge?.partial && b.bridge.ports.length === 0 && sections.length === 1) delete b.bridge;
  const ingress = (ingressName ? bridges.find((b) => b.bridge?.name === ingressName) : undefined) ?? bridges[0];
  if (ingressName && ingress.bridge?.name !== ingressName) throw new SwitchInputError(`no flows for bridge '${ingressName}' in ${flowsPath}`);
  return { bridges, ingress, resolvePort: resolverFor(sections.find((s) => chosen.get(s.bridge)?.bridge === ingress.bridge)?.bridge ?? null) };
}
