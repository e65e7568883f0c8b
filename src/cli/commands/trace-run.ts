// tunnelscope trace: runs microflows through a flow table, explaining each step like ofproto/trace.
// The work behind `tunnelscope trace`, loaded only when that command runs (see trace.ts).
import { Bridge } from '../../switch/bridge';
import { FlowTables, formatRule } from '../../switch/flow-tables';
import { loadBridge, loadFlows, portResolver, SwitchInputError } from '../../switch/load';
import { parseMicroflow } from '../../switch/match-syntax';
import { formatTraceText, traceJson } from '../../switch/trace-format';
import { SyntaxProblem } from '../../switch/values';
import { MacTable, translate } from '../../switch/xlate';
import { UserError } from '../errors';
export interface TraceOptions {
  flows: string;
  bridge?: string;
  generate?: boolean;
  dumpTable?: string;
  format: 'text' | 'json';
}


function parseTableNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 254) throw new UserError(`--dump-table: '${text}' is not a table number (0..254)`, 2);
  return Number(text);
}

export function runTrace(microflows: string[], options: TraceOptions): void {
  const dumpTable = options.dumpTable === undefined ? undefined : parseTableNumber(options.dumpTable);
  let bridge: Bridge | undefined;
  let tables: FlowTables;
  try {
    bridge = options.bridge ? loadBridge(options.bridge) : undefined;
    tables = new FlowTables(loadFlows(options.flows, bridge));
  } catch (e) {
    if (e instanceof SwitchInputError) throw new UserError(e.message);
    throw e;
  }
  const resolve = portResolver(bridge);
  const packets = microflows.map((text, i) => {
    try {
      return parseMicroflow(text, resolve);
    } catch (e) {
      if (e instanceof SyntaxProblem) throw new UserError(`microflow ${i + 1} '${text}': ${e.message}`, 2);
      throw e;
    }
  });
  const macTable: MacTable = new Map();
  const chunks: string[] = [];
  packets.forEach((packet, i) => {
    const result = translate({ tables, bridge, now: 0, sideEffects: options.generate === true, macTable }, packet);
    chunks.push(options.format === 'json' ? JSON.stringify(traceJson(microflows[i], result)) : formatTraceText(result, bridge) + '\n');
  });
  if (dumpTable !== undefined) {
    const flows = tables.rulesOf(dumpTable).map((r) => formatRule(r));
    chunks.push(options.format === 'json' ? JSON.stringify({ table: dumpTable, flows }) : [`table=${dumpTable}:`, ...flows.map((f) => ` ${f}`)].join('\n'));
  }
  process.stdout.write(chunks.join('\n') + '\n');
}
