// Reads flow tables in `ovs-ofctl add-flows` syntax and in `ovs-ofctl dump-flows` output. Statistics
// that dump-flows adds (duration, n_packets, n_bytes, idle_age, hard_age) are read and ignored.
import { Action, parseActions } from './actions';
import { parseHashFields } from './group-hash-fields';
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
  /** Learned flows: the learn action that made it (its limit= counts them). */
  learnedBy?: object;
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
      throw new SyntaxProblem(value === undefined ? `unknown keyword '${key}'` : `unknown match field '${key}': it is not emulated (or misspelt); remove it from the match to trace the rest`);
    }
  }
  entry.match = builder.build();
  entry.actions = parseActions(actionsText, resolvePort);
  return entry;
}

/** A group from pasted `ovs-ofctl dump-groups` output (or add-groups syntax). */
export interface GroupEntry {
  id: number;
  type: 'all' | 'select' | 'indirect' | 'ff';
  buckets: GroupBucket[];
  /** Select groups: '' (Open vSwitch's default), 'dp_hash' or 'hash'. */
  selectionMethod: string;
  selectionMethodParam: bigint;
  /** selection_method=hash: the fields hashed (indexes in OVS's field order) with their masks. */
  hashFields?: { index: number; mask: bigint }[];
  line: number;
}

export interface GroupBucket {
  /** bucket_id (dump-groups prints it; otherwise the bucket's position). */
  id: number;
  /** Select groups weigh buckets (default 100). */
  weight: number;
  actions: Action[];
}

/** Reads `group_id=1,type=all,bucket=bucket_id:0,actions=output:1,bucket=...`. */
export function parseGroupLine(text: string, lineNumber: number, resolvePort?: PortNameResolver): GroupEntry {
  const pieces = text.split(/,\s*bucket=/);
  const head = pieces.shift()!;
  const group: GroupEntry = { id: -1, type: 'all', buckets: [], selectionMethod: '', selectionMethodParam: 0n, line: lineNumber };
  for (const token of splitTopLevel(head, ', \t')) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? '' : token.slice(eq + 1);
    if (key === 'group_id') group.id = parseSmallInt(value, 'group_id', 0xffffff00);
    else if (key === 'type') {
      const type = value.toLowerCase();
      if (type === 'fast_failover') group.type = 'ff';
      else if (type === 'all' || type === 'select' || type === 'indirect' || type === 'ff') group.type = type;
      else throw new SyntaxProblem(`group type '${value}' is not all, select, indirect or ff`);
    } else if (key === 'selection_method') {
      if (!['dp_hash', 'hash'].includes(value)) throw new SyntaxProblem(`group: selection_method '${value}' is not dp_hash or hash`);
      group.selectionMethod = value;
    } else if (key === 'selection_method_param') group.selectionMethodParam = parseInteger(value, 'selection_method_param');
    else if (/^fields\(/.test(token)) {
      try {
        group.hashFields = parseHashFields(token.slice('fields('.length, token.lastIndexOf(')')));
      } catch (e) {
        throw new SyntaxProblem((e as Error).message);
      }
    }
    else throw new SyntaxProblem(`group: '${key}' is not understood`);
  }
  if (group.id < 0) throw new SyntaxProblem('group line without group_id=');
  pieces.forEach((raw, position) => {
    let bucket = raw.trim();
    const b: GroupBucket = { id: position, weight: 100, actions: [] };
    // dump-groups prints the bucket's properties before its actions.
    for (let m = /^(bucket_id|weight|watch_port|watch_group)[:=]([^,]*),?/.exec(bucket); m; m = /^(bucket_id|weight|watch_port|watch_group)[:=]([^,]*),?/.exec(bucket)) {
      if (m[1] === 'bucket_id') b.id = parseSmallInt(m[2], 'bucket_id', 0xffffffff);
      if (m[1] === 'weight') b.weight = parseSmallInt(m[2], 'weight', 0xffff);
      bucket = bucket.slice(m[0].length);
    }
    bucket = bucket.replace(/^actions=/, '');
    b.actions = bucket === '' ? [] : parseActions(bucket, resolvePort);
    group.buckets.push(b);
  });
  return group;
}

/** The flows and groups of one bridge in a flow file (bridge null: the file names no bridge). */
export interface FlowSection {
  bridge: string | null;
  entries: FlowEntry[];
  groups: GroupEntry[];
}

/**
 * A line that starts one bridge's part of a pasted file: the command that printed it
 * (`$ ovs-ofctl dump-flows br-int`, also dump-groups) or a comment `# bridge br-int`.
 */
function sectionBridge(line: string): string | null {
  const command = /^(?:[$#]\s*)?(?:sudo\s+)?ovs-ofctl\s+(?:-O\s+\S+\s+|-\S+\s+)*dump-(?:flows|groups)\s+(?:-\S+\s+)*"?([^\s"]+)"?/.exec(line);
  if (command) return command[1];
  const comment = /^#+\s*bridge[:=\s]\s*"?([^\s"]+)"?\s*$/i.exec(line);
  return comment ? comment[1] : null;
}

/**
 * Reads a flow file that may hold several bridges' flows and groups, each part introduced by the
 * command that printed it or a `# bridge NAME` comment. `resolverFor` gives each bridge's port names.
 */
export function parseFlowSections(text: string, resolverFor: (bridge: string | null) => PortNameResolver | undefined): FlowSection[] {
  const sections: FlowSection[] = [];
  let current: FlowSection | null = null;
  let resolvePort = resolverFor(null);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const named = sectionBridge(line);
    if (named !== null) {
      current = sections.find((s) => s.bridge === named) ?? null;
      if (!current) sections.push((current = { bridge: named, entries: [], groups: [] }));
      resolvePort = resolverFor(named);
      continue;
    }
    if (line.startsWith('#')) continue;
    if (/^(NXST|OFPST)_(FLOW|GROUP_DESC|GROUP) reply\b/.test(line)) continue;
    if (!current) sections.push((current = { bridge: null, entries: [], groups: [] }));
    try {
      if (/^group_id=/.test(line)) current.groups.push(parseGroupLine(line, i + 1, resolvePort));
      else current.entries.push(parseFlowLine(line, i + 1, resolvePort));
    } catch (err) {
      if (err instanceof SyntaxProblem) throw new FlowSyntaxError(i + 1, err.message);
      throw err;
    }
  }
  return sections;
}

/** Reads a whole flow file of one bridge. Blank lines, `#` comments and dump-flows reply headers are skipped. */
export function parseFlowFile(text: string, resolvePort?: PortNameResolver): FlowEntry[] {
  return parseFlowSections(text, () => resolvePort).flatMap((s) => s.entries);
}
