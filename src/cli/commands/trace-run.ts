// tunnelscope trace: runs microflows through a flow table, explaining each step like ofproto/trace.
// The work behind `tunnelscope trace`, loaded only when that command runs (see trace.ts).
import { ScriptedConntrack } from '../../switch/conntrack';
import { formatRule } from '../../switch/flow-tables';
import { LoadedSwitch, loadSwitch, SwitchInputError } from '../../switch/load';
import { parseMicroflow } from '../../switch/match-syntax';
import { formatTraceText, traceJson } from '../../switch/trace-format';
import { parseCtState, SyntaxProblem } from '../../switch/values';
import { translate } from '../../switch/xlate';
import { UserError } from '../errors';
export interface TraceOptions {
  flows: string;
  bridge?: string;
  generate?: boolean;
  dumpTable?: string;
  /** ct_state of each recirculation in turn (ofproto/trace --ct-next), e.g. "trk,est". */
  ctNext?: string[];
  /** With several bridges: where the microflows enter (default: the first bridge of the flow file). */
  inBridge?: string;
  format: 'text' | 'json';
}

function parseCtNext(text: string): bigint {
  try {
    return parseCtState(text.replace(/[,\s]+/g, '|')).value;
  } catch (e) {
    if (e instanceof SyntaxProblem) throw new UserError(`--ct-next '${text}': ${e.message}`, 2);
    throw e;
  }
}


function parseTableNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 254) throw new UserError(`--dump-table: '${text}' is not a table number (0..254)`, 2);
  return Number(text);
}

export function runTrace(microflows: string[], options: TraceOptions): void {
  const dumpTable = options.dumpTable === undefined ? undefined : parseTableNumber(options.dumpTable);
  const ctNext = (options.ctNext ?? []).map(parseCtNext);
  let sw: LoadedSwitch;
  try {
    sw = loadSwitch(options.flows, options.bridge, options.inBridge);
  } catch (e) {
    if (e instanceof SwitchInputError) throw new UserError(e.message);
    throw e;
  }
  const { ingress } = sw;
  const bridge = ingress.bridge;
  const tables = ingress.tables;
  const resolve = sw.resolvePort;
  const packets = microflows.map((text, i) => {
    try {
      return parseMicroflow(text, resolve);
    } catch (e) {
      if (e instanceof SyntaxProblem) throw new UserError(`microflow ${i + 1} '${text}': ${e.message}`, 2);
      throw e;
    }
  });
  const chunks: string[] = [];
  packets.forEach((packet, i) => {
    const conntrack = new ScriptedConntrack([...ctNext]);
    const env = { tables, bridge, now: 0, sideEffects: options.generate === true, macTable: ingress.macTable, bridges: sw.bridges, conntrack };
    const result = translate(env, packet);
    chunks.push(options.format === 'json' ? JSON.stringify(traceJson(microflows[i], result)) : formatTraceText(result, bridge) + '\n');
  });
  if (dumpTable !== undefined) {
    const flows = tables.rulesOf(dumpTable).map((r) => formatRule(r));
    chunks.push(options.format === 'json' ? JSON.stringify({ table: dumpTable, flows }) : [`table=${dumpTable}:`, ...flows.map((f) => ` ${f}`)].join('\n'));
  }
  process.stdout.write(chunks.join('\n') + '\n');
}
