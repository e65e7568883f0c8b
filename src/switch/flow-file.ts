// Reads flow tables in `ovs-ofctl add-flows` syntax and in `ovs-ofctl dump-flows` output. Statistics
// that dump-flows adds (duration, n_packets, n_bytes, idle_age, hard_age) are read and ignored.
import { Action, parseActions } from './actions';
import { Match } from './flow';
import { MatchBuilder, splitTopLevel } from './match-syntax';
import { OFP_DEFAULT_PRIORITY } from './match-format';
import { parseInteger, parseSmallInt, PortNameResolver, SyntaxProblem } from './values';

export interface FlowEntry {
  table: number;
  priority: number;
  cookie: bigint;
  idleTimeout: number;
  hardTimeout: number;
  match: Match;
  actions: Action[];
  /** 1-based line in the flow file (0 for learned flows). */
  line: number;
}

/** A flow line that cannot be read; `line` is 1-based. */
export class FlowSyntaxError extends Error {
  constructor(readonly line: number, readonly problem: string) {
    super(`line ${line}: ${problem}`);
  }
}

const IGNORED_KEYS = new Set(['duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age', 'importance', 'out_port', 'out_group']);
const IGNORED_FLAGS = new Set(['send_flow_rem', 'check_overlap', 'reset_counts', 'no_packet_counts', 'no_byte_counts', 'no_readonly_table', 'allow_hidden_fields']);

/** Finds where "actions=" starts at a token boundary. */
function findActions(line: string): number {
  const re = /(^|[\s,])actions\s*=/gi;
  const m = re.exec(line);
  return m ? m.index + m[1].length : -1;
}

export function parseFlowLine(text: string, lineNumber: number, resolvePort?: PortNameResolver): FlowEntry {
  const at = findActions(text);
  if (at < 0) throw new SyntaxProblem('no actions= (every flow needs one, e.g. actions=drop)');
  const matchText = text.slice(0, at);
  const actionsText = text.slice(text.indexOf('=', at) + 1).trim();
  if (actionsText === '') throw new SyntaxProblem('actions= is empty (write actions=drop to drop)');
  const entry: FlowEntry = {
    table: 0,
    priority: OFP_DEFAULT_PRIORITY,
    cookie: 0n,
    idleTimeout: 0,
    hardTimeout: 0,
    match: new Match(),
    actions: [],
    line: lineNumber,
  };
  const builder = new MatchBuilder(resolvePort);
  for (const token of splitTopLevel(matchText, ', \t')) {
    const eq = token.indexOf('=');
    const key = (eq < 0 ? token : token.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : token.slice(eq + 1).trim();
    const lower = key.toLowerCase();
    if (IGNORED_KEYS.has(lower) || (value === undefined && IGNORED_FLAGS.has(lower))) continue;
    if (value !== undefined && value === '') throw new SyntaxProblem(`${key}= has no value`);
    switch (lower) {
      case 'table':
        entry.table = parseSmallInt(value ?? '', 'table', 254);
        continue;
      case 'priority':
        entry.priority = parseSmallInt(value ?? '', 'priority', 65535);
        continue;
      case 'cookie':
        entry.cookie = parseInteger((value ?? '').split('/')[0], 'cookie');
        continue;
      case 'idle_timeout':
        entry.idleTimeout = parseSmallInt(value ?? '', 'idle_timeout', 65535);
        continue;
      case 'hard_timeout':
        entry.hardTimeout = parseSmallInt(value ?? '', 'hard_timeout', 65535);
        continue;
    }
    if (!builder.add(key, value)) {
      throw new SyntaxProblem(value === undefined ? `unknown keyword '${key}'` : `unknown match field '${key}'`);
    }
  }
  entry.match = builder.build();
  entry.actions = parseActions(actionsText, resolvePort);
  return entry;
}

/** Reads a whole flow file. Blank lines, `#` comments and dump-flows reply headers are skipped. */
export function parseFlowFile(text: string, resolvePort?: PortNameResolver): FlowEntry[] {
  const entries: FlowEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(NXST|OFPST)_FLOW reply\b/.test(line)) continue;
    try {
      entries.push(parseFlowLine(line, i + 1, resolvePort));
    } catch (err) {
      if (err instanceof SyntaxProblem) throw new FlowSyntaxError(i + 1, err.message);
      throw err;
    }
  }
  return entries;
}
