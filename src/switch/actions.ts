// OpenFlow / Nicira actions: their syntax (ovs-actions(7)) and how OVS prints them back.
import { fieldByName, FieldSpec, ones } from './fields';
import { formatSubfield, parseSubfield, Subfield } from './flow';
import { isShorthand, splitTopLevel } from './match-syntax';
import { formatNat, NatSpec, parseNat } from './nat';
import {
  formatFieldValue,
  formatHex,
  formatIpv4,
  formatMac,
  formatPort,
  OFPP_ALL,
  OFPP_CONTROLLER,
  OFPP_FLOOD,
  OFPP_IN_PORT,
  OFPP_LOCAL,
  OFPP_NORMAL,
  parseInteger,
  parseIpv4,
  parseMac,
  parseMaskedValue,
  parsePort,
  parseSmallInt,
  PortNameResolver,
  SyntaxProblem,
} from './values';

/** A learned-flow match or action template of learn(...). */
export type LearnSpec =
  | { kind: 'match-field'; dst: Subfield; src: Subfield }
  | { kind: 'match-value'; dst: Subfield; value: bigint }
  | { kind: 'load-field'; dst: Subfield; src: Subfield }
  | { kind: 'load-value'; dst: Subfield; value: bigint }
  | { kind: 'output'; src: Subfield };

export interface LearnAction {
  kind: 'learn';
  table: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  finIdleTimeout: number;
  finHardTimeout: number;
  cookie: bigint;
  flags: string[];
  limit: number;
  /** result_dst=FIELD[bit]: set to 1 when the flow was learned (or already there), 0 when limit stopped it. */
  resultDst: Subfield | null;
  specs: LearnSpec[];
}

export type Action =
  | { kind: 'output'; port: number }
  | { kind: 'output-field'; src: Subfield }
  | { kind: 'resubmit'; port: number | null; table: number | null }
  | { kind: 'goto_table'; table: number }
  | { kind: 'mod_vlan_vid'; vid: number }
  | { kind: 'mod_vlan_pcp'; pcp: number }
  | { kind: 'strip_vlan'; spelling: 'strip_vlan' | 'pop_vlan' }
  | { kind: 'push_vlan'; ethertype: number }
  | { kind: 'set_tunnel'; id: bigint; wide: boolean }
  | { kind: 'set_field'; field: FieldSpec; value: bigint; mask: bigint }
  | { kind: 'load'; dst: Subfield; value: bigint }
  | { kind: 'move'; src: Subfield; dst: Subfield }
  | { kind: 'mod_field'; name: string; field: FieldSpec; value: bigint }
  | { kind: 'dec_ttl' }
  | { kind: 'controller'; text: string }
  | { kind: 'exit' }
  | { kind: 'note'; text: string }
  | { kind: 'conjunction'; id: number; clause: number; clauses: number }
  | CtAction
  | { kind: 'ct_clear' }
  | { kind: 'clone'; actions: Action[] }
  | { kind: 'group'; id: number }
  | LearnAction;

/** ct(...): send the packet through connection tracking (ovs-actions(7) "ct"). */
export interface CtAction {
  kind: 'ct';
  commit: boolean;
  force: boolean;
  /** Table where the tracked copy resumes (recirculation), or null: no recirculation. */
  table: number | null;
  /** Zone: a constant or a subfield read at the time of the action. */
  zone: { value: number } | { src: Subfield };
  /** nat: null = none, 'restore' = bare `nat` (applies a connection's existing translation), or a new translation. */
  nat: null | 'restore' | NatSpec;
  exec: Action[];
  alg: string | null;
}

export const OFP_DEFAULT_PRIORITY = 32768;

const MOD_FIELDS: Record<string, string> = {
  mod_dl_src: 'dl_src',
  mod_dl_dst: 'dl_dst',
  mod_nw_src: 'nw_src',
  mod_nw_dst: 'nw_dst',
  mod_tp_src: 'tp_src',
  mod_tp_dst: 'tp_dst',
  mod_nw_tos: 'nw_tos',
  mod_nw_ecn: 'nw_ecn',
  mod_nw_ttl: 'nw_ttl',
};

const PORT_KEYWORDS: Record<string, number> = {
  normal: OFPP_NORMAL,
  flood: OFPP_FLOOD,
  all: OFPP_ALL,
  local: OFPP_LOCAL,
  in_port: OFPP_IN_PORT,
};

/** Splits `name:arg` or `name(arg)`. */
function splitAction(text: string): { name: string; arg: string | undefined; paren: boolean } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:([:=])(.*)|\((.*)\))?$/s.exec(text);
  if (!m) throw new SyntaxProblem(`cannot read action '${text}'`);
  if (m[4] !== undefined) return { name: m[1].toLowerCase(), arg: m[4], paren: true };
  return { name: m[1].toLowerCase(), arg: m[3], paren: false };
}

function requireArg(name: string, arg: string | undefined): string {
  if (arg === undefined || arg.trim() === '') throw new SyntaxProblem(`${name} needs an argument`);
  return arg.trim();
}

function parseArrow(name: string, arg: string): [string, string] {
  const i = arg.indexOf('->');
  if (i < 0) throw new SyntaxProblem(`${name}:${arg}: expected SOURCE->DESTINATION`);
  return [arg.slice(0, i).trim(), arg.slice(i + 2).trim()];
}

function looksLikeSubfield(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\[[0-9.]*\])?$/.test(text) && fieldByName(text.replace(/\[.*$/, '')) !== undefined;
}

export function parseActions(text: string, resolvePort?: PortNameResolver): Action[] {
  const actions: Action[] = [];
  for (const piece of splitTopLevel(text)) actions.push(...parseAction(piece, resolvePort));
  return actions;
}

function parseAction(text: string, resolvePort?: PortNameResolver): Action[] {
  // A bare port number or name is an output action.
  if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return [{ kind: 'output', port: parsePort(text) }];
  if (text.startsWith('"')) return [{ kind: 'output', port: parsePort(text, resolvePort) }];
  const { name, arg, paren } = splitAction(text);
  if (arg === undefined && !paren) {
    if (name === 'drop') return [];
    if (name in PORT_KEYWORDS) return [{ kind: 'output', port: PORT_KEYWORDS[name] }];
    if (name === 'strip_vlan' || name === 'pop_vlan') return [{ kind: 'strip_vlan', spelling: name }];
    if (name === 'dec_ttl') return [{ kind: 'dec_ttl' }];
    if (name === 'exit') return [{ kind: 'exit' }];
    if (name === 'controller') return [{ kind: 'controller', text: 'CONTROLLER:65535' }];
    if (name === 'pop_queue') return [];
    const byName = resolvePort?.(text);
    if (byName !== undefined) return [{ kind: 'output', port: byName }];
  }
  switch (name) {
    case 'output': {
      const a = requireArg(name, arg);
      if (a.includes('[')) return [{ kind: 'output-field', src: parseSubfield(a) }];
      return [{ kind: 'output', port: parsePort(a, resolvePort) }];
    }
    case 'enqueue': {
      const a = requireArg(name, arg);
      return [{ kind: 'output', port: parsePort(a.split(/[:,]/)[0], resolvePort) }];
    }
    case 'resubmit': {
      const a = requireArg(name, arg);
      if (!paren && !a.includes(',')) return [{ kind: 'resubmit', port: parsePort(a, resolvePort), table: null }];
      const [portText, tableText, extra] = a.split(',').map((s) => s.trim());
      if (extra !== undefined && extra !== 'ct') throw new SyntaxProblem(`resubmit(${a}): expected resubmit(PORT,TABLE)`);
      const port = portText ? parsePort(portText, resolvePort) : null;
      const table = tableText ? parseSmallInt(tableText, 'resubmit table', 254) : null;
      if (port === null && table === null) throw new SyntaxProblem('resubmit needs a port or a table');
      return [{ kind: 'resubmit', port, table }];
    }
    case 'goto_table':
      return [{ kind: 'goto_table', table: parseSmallInt(requireArg(name, arg), 'goto_table', 254) }];
    case 'mod_vlan_vid':
      return [{ kind: 'mod_vlan_vid', vid: parseSmallInt(requireArg(name, arg), 'mod_vlan_vid', 4095) }];
    case 'mod_vlan_pcp':
      return [{ kind: 'mod_vlan_pcp', pcp: parseSmallInt(requireArg(name, arg), 'mod_vlan_pcp', 7) }];
    case 'push_vlan': {
      const et = parseSmallInt(requireArg(name, arg), 'push_vlan', 0xffff);
      if (et !== 0x8100 && et !== 0x88a8) throw new SyntaxProblem(`push_vlan: ethertype ${requireArg(name, arg)} is not 0x8100 or 0x88a8`);
      return [{ kind: 'push_vlan', ethertype: et }];
    }
    case 'set_tunnel':
    case 'set_tunnel64': {
      const id = parseInteger(requireArg(name, arg), name);
      if (id > ones(64)) throw new SyntaxProblem(`${name}: ${arg} does not fit in 64 bits`);
      return [{ kind: 'set_tunnel', id, wide: name === 'set_tunnel64' || id > 0xffffffffn }];
    }
    case 'set_field': {
      const [valueText, fieldText] = parseArrow(name, requireArg(name, arg));
      const field = fieldByName(fieldText);
      if (!field) throw new SyntaxProblem(`set_field: unknown field '${fieldText}'`);
      const { value, mask } = parseMaskedValue(field, valueText, resolvePort);
      return [{ kind: 'set_field', field, value, mask }];
    }
    case 'load': {
      const [src, dstText] = parseArrow(name, requireArg(name, arg));
      const dst = parseSubfield(dstText);
      if (looksLikeSubfield(src)) return [{ kind: 'move', src: parseSubfield(src), dst }];
      const value = parseInteger(src, 'load');
      if (value > ones(dst.bits)) throw new SyntaxProblem(`load:${src} does not fit in ${formatSubfield(dst)} (${dst.bits} bits)`);
      return [{ kind: 'load', dst, value }];
    }
    case 'move': {
      const [srcText, dstText] = parseArrow(name, requireArg(name, arg));
      const src = parseSubfield(srcText);
      const dst = parseSubfield(dstText);
      if (src.bits !== dst.bits) throw new SyntaxProblem(`move: ${srcText} is ${src.bits} bits but ${dstText} is ${dst.bits}`);
      return [{ kind: 'move', src, dst }];
    }
    case 'learn':
      if (!paren) throw new SyntaxProblem('learn needs its arguments in parentheses: learn(...)');
      return [parseLearn(arg ?? '', resolvePort)];
    case 'controller':
      return [{ kind: 'controller', text: `CONTROLLER:${arg ?? '65535'}` }];
    case 'note':
      return [{ kind: 'note', text: arg ?? '' }];
    case 'set_queue':
      return [];
    case 'conjunction': {
      const m = /^\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(requireArg(name, arg));
      if (!m) throw new SyntaxProblem(`conjunction(${arg}): expected conjunction(ID,K/N)`);
      const [id, clause, clauses] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (clauses < 1 || clauses > 64 || clause < 1 || clause > clauses) throw new SyntaxProblem(`conjunction(${arg}): clause K must be 1..N and N 1..64`);
      return [{ kind: 'conjunction', id, clause, clauses }];
    }
    case 'ct':
      return [parseCt(paren ? arg ?? '' : '', resolvePort)];
    case 'ct_clear':
      return [{ kind: 'ct_clear' }];
    case 'clone':
      if (!paren) throw new SyntaxProblem('clone needs its actions in parentheses: clone(...)');
      return [{ kind: 'clone', actions: parseActions(arg ?? '', resolvePort) }];
    case 'group':
      return [{ kind: 'group', id: parseSmallInt(requireArg(name, arg), 'group', 0xffffff00) }];
    case 'fin_timeout':
      // Changes the timeouts of the rule on TCP FIN/RST; replay keeps idle timeouts from the flows as given.
      return [];
    case 'write_metadata': {
      const field = fieldByName('metadata')!;
      const { value, mask } = parseMaskedValue(field, requireArg(name, arg));
      return [{ kind: 'set_field', field, value, mask }];
    }
    default: {
      const modField = MOD_FIELDS[name];
      if (modField) {
        const field = fieldByName(modField)!;
        const a = requireArg(name, arg);
        const value = field.format === 'mac' ? parseMac(a, name) : field.format === 'ipv4' ? parseIpv4(a, name) : parseInteger(a, name);
        return [{ kind: 'mod_field', name, field, value }];
      }
      throw new SyntaxProblem(`action '${name}' is not emulated: remove it from the flow (or replace it with actions that do the same) to trace the rest`);
    }
  }
}

function parseCt(body: string, resolvePort?: PortNameResolver): CtAction {
  const ct: CtAction = { kind: 'ct', commit: false, force: false, table: null, zone: { value: 0 }, nat: null, exec: [], alg: null };
  for (const part of splitTopLevel(body)) {
    const m = /^([a-z_]+)\s*(?:=(.*)|\((.*)\))?$/is.exec(part);
    if (!m) throw new SyntaxProblem(`ct: cannot read '${part}'`);
    const key = m[1].toLowerCase();
    const value = m[2]?.trim();
    if (key === 'commit') ct.commit = true;
    else if (key === 'force') ct.force = true;
    else if (key === 'table') ct.table = parseSmallInt(value ?? '', 'ct table', 254);
    else if (key === 'zone') ct.zone = value !== undefined && /^[0-9]/.test(value) ? { value: parseSmallInt(value, 'ct zone', 0xffff) } : { src: parseSubfield(value ?? '') };
    else if (key === 'exec') ct.exec = parseActions(m[3] ?? '', resolvePort);
    else if (key === 'nat') ct.nat = m[3] === undefined || m[3].trim() === '' ? 'restore' : parseNat(m[3]);
    else if (key === 'alg') ct.alg = value ?? '';
    else throw new SyntaxProblem(`ct: '${key}' is not emulated: remove it to trace the rest`);
  }
  for (const a of ct.exec) {
    const target = a.kind === 'set_field' ? a.field.slot : a.kind === 'load' || a.kind === 'move' ? a.dst.field.slot : null;
    if (target === null || (target !== fieldByName('ct_mark')!.slot && target !== fieldByName('ct_label')!.slot)) {
      throw new SyntaxProblem(`ct(exec(${formatAction(a)})): exec may only set ct_mark or ct_label`);
    }
  }
  return ct;
}

function parseLearn(body: string, resolvePort?: PortNameResolver): LearnAction {
  const learn: LearnAction = {
    kind: 'learn',
    table: 1,
    priority: OFP_DEFAULT_PRIORITY,
    idleTimeout: 0,
    hardTimeout: 0,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    cookie: 0n,
    flags: [],
    limit: 0,
    resultDst: null,
    specs: [],
  };
  for (const part of splitTopLevel(body)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    const lower = key.toLowerCase();
    const num = (max: number): number => parseSmallInt(value ?? '', `learn ${key}`, max);
    if (lower === 'table') learn.table = num(254);
    else if (lower === 'priority') learn.priority = num(0xffff);
    else if (lower === 'idle_timeout') learn.idleTimeout = num(0xffff);
    else if (lower === 'hard_timeout') learn.hardTimeout = num(0xffff);
    else if (lower === 'fin_idle_timeout') learn.finIdleTimeout = num(0xffff);
    else if (lower === 'fin_hard_timeout') learn.finHardTimeout = num(0xffff);
    else if (lower === 'cookie') learn.cookie = parseInteger(value ?? '', 'learn cookie');
    else if (lower === 'limit') learn.limit = num(0xffffffff);
    else if (lower === 'send_flow_rem' || lower === 'delete_learned') learn.flags.push(lower);
    else if (lower === 'result_dst') {
      learn.resultDst = parseSubfield(value ?? '');
      if (learn.resultDst.bits !== 1) throw new SyntaxProblem(`learn result_dst=${value}: must be one bit, e.g. reg0[0]`);
    }
    else if (lower.startsWith('load:')) {
      const [src, dstText] = parseArrow('load', part.slice(5));
      const dst = parseSubfield(dstText);
      if (looksLikeSubfield(src)) {
        const s = parseSubfield(src);
        if (s.bits !== dst.bits) throw new SyntaxProblem(`learn load: ${src} is ${s.bits} bits but ${dstText} is ${dst.bits}`);
        learn.specs.push({ kind: 'load-field', dst, src: s });
      } else learn.specs.push({ kind: 'load-value', dst, value: parseInteger(src, 'learn load') & ones(dst.bits) });
    } else if (lower.startsWith('output:')) {
      learn.specs.push({ kind: 'output', src: parseSubfield(part.slice(7)) });
    } else if (eq < 0 && isShorthand(key)) {
      throw new SyntaxProblem(`learn: use dl_type=/nw_proto= fields rather than '${key}'`);
    } else if (value === undefined) {
      // NXM_OF_VLAN_TCI[0..11]: the learned flow matches this field's current value.
      const sf = parseSubfield(key);
      learn.specs.push({ kind: 'match-field', dst: sf, src: sf });
    } else {
      const dst = parseSubfield(key);
      if (looksLikeSubfield(value)) {
        const src = parseSubfield(value);
        if (src.bits !== dst.bits) throw new SyntaxProblem(`learn: ${value} is ${src.bits} bits but ${key} is ${dst.bits}`);
        learn.specs.push({ kind: 'match-field', dst, src });
      } else {
        const { value: v } = parseMaskedValue(dst.field, value, resolvePort);
        learn.specs.push({ kind: 'match-value', dst, value: v });
      }
    }
  }
  return learn;
}

function formatLearnSpec(spec: LearnSpec): string {
  switch (spec.kind) {
    case 'match-field':
      return spec.src === spec.dst ? formatSubfield(spec.dst) : `${formatSubfield(spec.dst)}=${formatSubfield(spec.src)}`;
    case 'match-value':
      return `${spec.dst.ofs === 0 && spec.dst.bits === spec.dst.field.bits ? spec.dst.field.name : formatSubfield(spec.dst)}=${formatFieldValue(spec.dst.field, spec.value)}`;
    case 'load-field':
      return `load:${formatSubfield(spec.src)}->${formatSubfield(spec.dst)}`;
    case 'load-value':
      return `load:${formatHex(spec.value)}->${formatSubfield(spec.dst)}`;
    case 'output':
      return `output:${formatSubfield(spec.src)}`;
  }
}

/** Prints one action the way ovs-ofctl dump-flows shows it. */
export function formatAction(a: Action): string {
  switch (a.kind) {
    case 'output':
      if (a.port === OFPP_CONTROLLER) return 'CONTROLLER:65535';
      return a.port >= 0xfff8 ? formatPort(a.port) : `output:${a.port}`;
    case 'output-field': return `output:${formatSubfield(a.src)}`;
    case 'resubmit':
      if (a.table === null) return `resubmit:${formatPort(a.port!)}`;
      return `resubmit(${a.port === null ? '' : formatPort(a.port)},${a.table})`;
    case 'goto_table': return `goto_table:${a.table}`;
    case 'mod_vlan_vid': return `mod_vlan_vid:${a.vid}`;
    case 'mod_vlan_pcp': return `mod_vlan_pcp:${a.pcp}`;
    case 'strip_vlan': return a.spelling;
    case 'push_vlan': return `push_vlan:0x${a.ethertype.toString(16)}`;
    case 'set_tunnel': return `${a.wide ? 'set_tunnel64' : 'set_tunnel'}:${formatHex(a.id)}`;
    case 'set_field': {
      const full = a.mask === ones(a.field.bits);
      return `set_field:${formatFieldValue(a.field, a.value)}${full ? '' : '/' + formatFieldValue(a.field, a.mask)}->${a.field.name}`;
    }
    case 'load': return `load:${formatHex(a.value)}->${formatSubfield(a.dst)}`;
    case 'move': return `move:${formatSubfield(a.src)}->${formatSubfield(a.dst)}`;
    case 'mod_field': {
      const v = a.field.format === 'mac' ? formatMac(a.value) : a.field.format === 'ipv4' ? formatIpv4(a.value) : a.value.toString();
      return `${a.name}:${v}`;
    }
    case 'dec_ttl': return 'dec_ttl';
    case 'controller': return a.text;
    case 'exit': return 'exit';
    case 'note': return `note:${a.text}`;
    case 'conjunction': return `conjunction(${a.id},${a.clause}/${a.clauses})`;
    case 'ct': {
      const parts: string[] = [];
      if (a.commit) parts.push('commit');
      if (a.force) parts.push('force');
      if (a.table !== null) parts.push(`table=${a.table}`);
      if ('src' in a.zone) parts.push(`zone=${formatSubfield(a.zone.src)}`);
      else if (a.zone.value) parts.push(`zone=${a.zone.value}`);
      if (a.exec.length > 0) parts.push(`exec(${a.exec.map(formatAction).join(',')})`);
      if (a.alg !== null) parts.push(`alg=${a.alg}`);
      if (a.nat !== null) parts.push(a.nat === 'restore' ? 'nat' : `nat(${formatNat(a.nat)})`);
      return parts.length > 0 ? `ct(${parts.join(',')})` : 'ct';
    }
    case 'ct_clear': return 'ct_clear';
    case 'clone': return `clone(${a.actions.map(formatAction).join(',')})`;
    case 'group': return `group:${a.id}`;
    case 'learn': {
      const parts = [`table=${a.table}`];
      if (a.idleTimeout) parts.push(`idle_timeout=${a.idleTimeout}`);
      if (a.hardTimeout) parts.push(`hard_timeout=${a.hardTimeout}`);
      if (a.finIdleTimeout) parts.push(`fin_idle_timeout=${a.finIdleTimeout}`);
      if (a.finHardTimeout) parts.push(`fin_hard_timeout=${a.finHardTimeout}`);
      if (a.priority !== OFP_DEFAULT_PRIORITY) parts.push(`priority=${a.priority}`);
      parts.push(...a.flags);
      if (a.cookie) parts.push(`cookie=${formatHex(a.cookie)}`);
      if (a.limit) parts.push(`limit=${a.limit}`);
      if (a.resultDst) parts.push(`result_dst=${formatSubfield(a.resultDst)}`);
      parts.push(...a.specs.map(formatLearnSpec));
      return `learn(${parts.join(',')})`;
    }
  }
}

export function formatActions(actions: readonly Action[]): string {
  return actions.length === 0 ? 'drop' : actions.map(formatAction).join(',');
}
