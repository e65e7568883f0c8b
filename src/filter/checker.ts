// Type checking against the field registry: resolves field names, converts every literal once for
// its field's type, and reduces each test to a Plan. All errors point at the offending source text.
import { parseTenant, TenantSpec, TenantSpecError, tenantMatches } from '../dissect/tenant-id';
import { allFieldNames, FieldType, FieldValue, fieldDef, protocolByName } from '../dissect/fields';
import { buildDissectorRegistry } from '../dissect/registry';
import { FilterNode, Operand, Quantifier, RelationOp, SetOperand, Span, TestNode, WordOperand } from './ast';
import { closestName, FilterError } from './errors';
import {
  boolKey,
  bytesKey,
  bytesToColonHex,
  colonHexToBytes,
  etherKey,
  ipv4Key,
  ipv6Key,
  ipv6PrefixMatches,
  parseBytes,
  parseEther,
  parseInteger,
  parseIPv4Network,
  parseIPv6Network,
  parseNumber,
  stringKey,
  uintKey,
} from './literals';
import { BytesTest, FieldAccess, PairTest, Plan, ValueTest } from './plan';

/**
 * Wireshark's combined fields. Dissectors may or may not add them as hidden nodes; reading the
 * component fields as well makes `ip.addr == x` work either way (a duplicate value changes nothing).
 */
const ALIASES: Record<string, string[]> = {
  'eth.addr': ['eth.src', 'eth.dst'],
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
};

/** The pseudo-field for the frame's overlay tenant, `tenant == vxlan:101`. */
const TENANT = 'tenant';

const TYPE_DESCRIPTIONS: Record<FieldType, string> = {
  uint: 'unsigned integer',
  bool: 'boolean',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  ether: 'Ethernet address',
  bytes: 'byte sequence',
  string: 'character string',
  protocol: 'protocol',
  label: 'label',
};

const ORDERED_TYPES = new Set<FieldType>(['uint', 'ipv4', 'ipv6', 'ether', 'bytes', 'string']);
const ORDERING_OPS = new Set<RelationOp>(['lt', 'le', 'gt', 'ge']);
const EQUALITY_OPS = new Set<RelationOp>(['eq', 'ne', 'all_eq', 'any_ne']);
/** For `10.0.0.1 == ip.src`: the same test with the field on the left. */
const MIRRORED: Partial<Record<RelationOp, RelationOp>> = { eq: 'eq', ne: 'ne', all_eq: 'all_eq', any_ne: 'any_ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
const OP_SYMBOLS: Record<RelationOp, string> = {
  // Stryker disable next-line StringLiteral: never shown (the messages quoting an operator are about ordering, sets, protocols and tenants, which refuse or accept every equality operator alike)
  eq: '==',
  // Stryker disable next-line StringLiteral: never shown (the messages quoting an operator are about ordering, sets, protocols and tenants, which refuse or accept every equality operator alike)
  ne: '!=',
  // Stryker disable next-line StringLiteral: never shown (the messages quoting an operator are about ordering, sets, protocols and tenants, which refuse or accept every equality operator alike)
  all_eq: '===',
  // Stryker disable next-line StringLiteral: never shown (the messages quoting an operator are about ordering, sets, protocols and tenants, which refuse or accept every equality operator alike)
  any_ne: '!==',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  matches: 'matches',
  in: 'in',
  not_in: 'not in',
};

type Key = number | string;
type KeyOf = (value: FieldValue) => Key | null;

/** A literal converted for one field type: an exact key, or an address prefix. */
type Literal =
  | { kind: 'scalar'; key: Key }
  | { kind: 'ipv4net'; network: number; mask: number; bits: number }
  | { kind: 'ipv6net'; address: string; bits: number };

function keyFunction(type: FieldType): KeyOf {
  switch (type) {
    case 'uint':
      return uintKey;
    case 'bool':
      return boolKey;
    case 'ipv4':
      return ipv4Key;
    case 'ipv6':
      return ipv6Key;
    case 'ether':
      return etherKey;
    case 'bytes':
      return bytesKey;
    default:
      return stringKey;
  }
}

/** `ne` and `===` look at every occurrence; the rest are satisfied by any one (Wireshark 4). */
function wantsAll(op: RelationOp, quantifier: Quantifier | undefined): boolean {
  if (quantifier !== undefined) return quantifier === 'all';
  return op === 'ne' || op === 'all_eq';
}

function isNegated(op: RelationOp): boolean {
  return op === 'ne' || op === 'any_ne';
}

function describeField(field: FieldAccess): string {
  return `${field.name} (${TYPE_DESCRIPTIONS[field.type]})`;
}

/** Occurrences of `needle` in colon hex that start on a byte boundary. */
function hexIncludes(haystack: string, needle: string): boolean {
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) if (i % 3 === 0) return true;
  return false;
}

function bytesIncludes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0];
  // Stryker disable next-line ArithmeticOperator: a bound only; past it the needle's later bytes read undefined and never match
  const last = haystack.length - needle.length;
  outer: for (let i = haystack.indexOf(first); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

export function checkFilter(node: FilterNode, filter: string): Plan {
  buildDissectorRegistry();
  return new Checker(filter).check(node);
}

class Checker {
  constructor(private readonly filter: string) {}

  private error(reason: string, span: Span): FilterError {
    return new FilterError(reason, this.filter, span.pos, span.end - span.pos);
  }

  check(node: FilterNode): Plan {
    switch (node.kind) {
      case 'and':
      case 'or':
      case 'xor':
        return { kind: node.kind, left: this.check(node.left), right: this.check(node.right) };
      case 'not':
        return { kind: 'not', operand: this.check(node.operand) };
      case 'test':
        return this.checkTest(node);
    }
  }

  private checkTest(test: TestNode): Plan {
    const { lhs, rhs, op } = test;
    const opSpan = test.opSpan ?? lhs;
    if (lhs.kind === 'word' && lhs.text === TENANT && fieldDef(TENANT) === undefined) return this.checkTenant(lhs, op, opSpan, rhs);
    const field = lhs.kind === 'word' ? this.resolve(lhs) : undefined;
    if (field !== undefined) {
      if (op === undefined) return { kind: 'present', field };
      return this.checkRelation(field, op, opSpan, rhs!, test.quantifier);
    }
    // `10.0.0.1 == ip.src` reads as `ip.src == 10.0.0.1`.
    const mirrored = op !== undefined ? MIRRORED[op] : undefined;
    if (mirrored !== undefined && rhs !== undefined && rhs.kind === 'word') {
      const rhsField = this.resolve(rhs);
      if (rhsField !== undefined) return this.checkRelation(rhsField, mirrored, opSpan, lhs, test.quantifier, OP_SYMBOLS[op!]);
    }
    if (lhs.kind !== 'word') throw this.error('a test must start with a field or a protocol, not a literal', lhs);
    throw this.unknownField(lhs);
  }

  /** The field a word names, or undefined when it is not a field (a leading ':' forces a literal). */
  private resolve(word: WordOperand): FieldAccess | undefined {
    if (word.text.startsWith(':') && !word.text.startsWith('::')) return undefined;
    // A leading '.' marks a field explicitly, as in Wireshark 4.
    const name = word.text.startsWith('.') ? word.text.slice(1) : word.text;
    const def = fieldDef(name);
    // Own entries only: "constructor" or "__proto__" is not an alias.
    const aliasSources = (Object.hasOwn(ALIASES, name) ? ALIASES[name] : []).filter((source) => fieldDef(source) !== undefined);
    if (def === undefined && aliasSources.length === 0) return undefined;
    const type = def !== undefined ? def.type : fieldDef(aliasSources[0])!.type;
    const sources = def !== undefined ? [name, ...aliasSources] : aliasSources;
    // "frame" and the _ws problem markers are added to the tree, never as layers, so they need the tree.
    const protocol = type === 'protocol' && sources.length === 1 && name !== 'frame' && !name.startsWith('_ws.') ? protocolByName(name) : undefined;
    return { name, sources, type, layer: word.layer?.ranges, protocol };
  }

  private knownNames(): string[] {
    const names = allFieldNames();
    // Stryker disable next-line all: the aliases are registered as (hidden) fields too, so allFieldNames lists them already
    for (const [alias, sources] of Object.entries(ALIASES)) if (sources.some((s) => fieldDef(s) !== undefined)) names.push(alias);
    if (fieldDef(TENANT) === undefined) names.push(TENANT);
    return names;
  }

  private suggestion(name: string): string {
    const close = closestName(name, this.knownNames());
    return close !== undefined ? `; did you mean "${close}"?` : '';
  }

  private unknownField(word: WordOperand): FilterError {
    const name = word.text.startsWith('.') ? word.text.slice(1) : word.text;
    const what = name.includes('.') ? 'field' : 'protocol or field';
    return this.error(`"${name}" is not a valid ${what}${this.suggestion(name)}`, { pos: word.pos, end: word.pos + word.text.length });
  }

  /** `symbol`: the operator as the user wrote it, when `op` is its mirror (a literal on the left). */
  private checkRelation(field: FieldAccess, op: RelationOp, opSpan: Span, rhs: Operand | SetOperand, quantifier: Quantifier | undefined, symbol = OP_SYMBOLS[op]): Plan {
    if (field.type === 'label') throw this.error(`${field.name} has no value: it can only be tested for presence`, opSpan);
    if (field.type === 'protocol') return this.checkProtocolRelation(field, op, opSpan, rhs, quantifier, symbol);
    if (ORDERING_OPS.has(op) && !ORDERED_TYPES.has(field.type)) throw this.error(`"${symbol}" cannot be used with ${describeField(field)}: it has no order; use == or !=`, opSpan);
    if (op === 'contains' && !['string', 'bytes', 'ether'].includes(field.type)) {
      throw this.error(`"contains" cannot be used with ${describeField(field)}: it needs a string, byte or protocol field`, opSpan);
    }
    if (op === 'matches' && !['string', 'bytes'].includes(field.type)) {
      throw this.error(`"matches" cannot be used with ${describeField(field)}: it needs a string, byte or protocol field`, opSpan);
    }

    if (rhs.kind === 'set') {
      const plan: Plan = { kind: 'values', field, all: quantifier === 'all', test: this.setTest(field, rhs) };
      return op === 'not_in' ? { kind: 'not', operand: plan } : plan;
    }
    if (rhs.kind === 'word') {
      const other = this.resolve(rhs);
      if (other !== undefined) return this.fieldRelation(field, op, other, rhs, quantifier);
      if (rhs.layer !== undefined) throw this.unknownField(rhs);
    }

    const all = wantsAll(op, quantifier);
    if (op === 'contains') return { kind: 'values', field, all, test: this.containsTest(field, rhs) };
    if (op === 'matches') {
      const regex = this.regex(rhs);
      // A value that cannot be read as bytes matches nothing, as in every other test.
      const bytesMatch: ValueTest = (v) => {
        const k = bytesKey(v);
        return k !== null && regex.test(latin1(colonHexToBytes(k)));
      };
      const test: ValueTest = field.type === 'bytes' ? bytesMatch : (v) => regex.test(stringKey(v));
      return { kind: 'values', field, all, test };
    }
    return { kind: 'values', field, all, test: this.comparisonTest(field, op, rhs) };
  }

  private comparisonTest(field: FieldAccess, op: RelationOp, rhs: Operand): ValueTest {
    const literal = this.literal(field, rhs);
    if (literal.kind !== 'scalar') {
      if (!EQUALITY_OPS.has(op)) throw this.error(`a network prefix can only be compared with == or !=, not "${OP_SYMBOLS[op]}"`, rhs);
      const inNetwork = this.networkTest(literal);
      return isNegated(op) ? (v) => !inNetwork(v) : inNetwork;
    }
    const key = keyFunction(field.type);
    // Both sides are of the same runtime kind (number, or fixed-width hex / text), so < is the type's order.
    const wanted = literal.key as number;
    switch (op) {
      case 'eq':
      case 'all_eq':
        return (v) => key(v) === wanted;
      case 'ne':
      case 'any_ne':
        return (v) => key(v) !== wanted;
      case 'lt':
        return (v) => {
          const k = key(v);
          return k !== null && (k as number) < wanted;
        };
      case 'le':
        return (v) => {
          const k = key(v);
          return k !== null && (k as number) <= wanted;
        };
      case 'gt':
        return (v) => {
          const k = key(v);
          return k !== null && (k as number) > wanted;
        };
      default:
        return (v) => {
          const k = key(v);
          return k !== null && (k as number) >= wanted;
        };
    }
  }

  private networkTest(literal: Exclude<Literal, { kind: 'scalar' }>): ValueTest {
    if (literal.kind === 'ipv4net') {
      const { network, mask } = literal;
      return (v) => {
        const k = ipv4Key(v);
        return k !== null && (k & mask) >>> 0 === network;
      };
    }
    const { address, bits } = literal;
    return (v) => {
      const k = ipv6Key(v);
      return k !== null && ipv6PrefixMatches(k, address, bits);
    };
  }

  private containsTest(field: FieldAccess, rhs: Operand): ValueTest {
    if (field.type === 'string') {
      const needle = String((this.literal(field, rhs) as { key: Key }).key);
      return (v) => stringKey(v).includes(needle);
    }
    const needle = this.bytesLiteral(rhs, `${field.name} contains`);
    if (needle === '') return () => true;
    const key = keyFunction(field.type) as (value: FieldValue) => string | null;
    return (v) => {
      const k = key(v);
      return k !== null && hexIncludes(k, needle);
    };
  }

  private regex(rhs: Operand): RegExp {
    if (rhs.kind === 'char') throw this.error('"matches" needs a regular expression in double quotes', rhs);
    let source = rhs.kind === 'string' ? rhs.value : rhs.text;
    // Wireshark's "matches" is case-insensitive unless the pattern starts with (?-i).
    let flags = 'i';
    if (source.startsWith('(?-i)')) {
      flags = '';
      source = source.slice(5);
    } else if (source.startsWith('(?i)')) source = source.slice(4);
    try {
      return new RegExp(source, flags);
    } catch (err) {
      // V8 says "Invalid regular expression: /(/i: Unterminated group": keep only the last part.
      const detail = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
      throw this.error(`invalid regular expression: ${detail}`, rhs);
    }
  }

  /** Byte-sequence literal as colon hex: aa:bb:cc, a quoted string's bytes, or a character. */
  private bytesLiteral(rhs: Operand, context: string): string {
    if (rhs.kind === 'string') return bytesToColonHex(rhs.bytes);
    if (rhs.kind === 'char') {
      if (rhs.code > 255) throw this.error('a character used as a byte must be below 256', rhs);
      return rhs.code.toString(16).padStart(2, '0');
    }
    const bytes = parseBytes(literalText(rhs));
    if (bytes === null) throw this.error(`"${rhs.text}" is not a valid byte sequence for ${context} (write aa:bb:cc or "text")${this.fieldHint(rhs.text)}`, rhs);
    return bytes;
  }

  /** For a word that failed as a literal but looks like a field name: suggest the field meant. */
  private fieldHint(text: string): string {
    if (!/^\.?[A-Za-z_][\w.-]*$/.test(text) || !/[A-Za-z]{2}/.test(text)) return '';
    const suggestion = this.suggestion(text.replace(/^\./, ''));
    return suggestion !== '' || text.includes('.') ? `, nor a known field${suggestion}` : '';
  }

  /** Converts a literal for the field's type, or throws an error pointing at it. */
  private literal(field: FieldAccess, rhs: Operand): Literal {
    const where = `for ${field.name}`;
    const text = rhs.kind === 'word' ? literalText(rhs) : rhs.kind === 'string' ? rhs.value : '';
    const shown = rhs.kind === 'word' ? `"${rhs.text}"` : rhs.kind === 'string' ? JSON.stringify(rhs.value) : `'${String.fromCodePoint(rhs.code)}'`;
    const hint = rhs.kind === 'word' ? this.fieldHint(rhs.text) : '';
    switch (field.type) {
      case 'uint': {
        if (rhs.kind === 'char') return { kind: 'scalar', key: rhs.code };
        if (rhs.kind === 'string') throw this.error(`a string cannot be compared with ${describeField(field)}; write a number`, rhs);
        const n = parseNumber(text);
        if (n === null) throw this.error(`"${rhs.text}" is not a valid unsigned integer ${where}${hint}`, rhs);
        if (n < 0) throw this.error(`"${rhs.text}" is negative but ${field.name} is unsigned`, rhs);
        return { kind: 'scalar', key: n };
      }
      case 'bool': {
        const lower = text.toLowerCase();
        const n = rhs.kind === 'char' ? null : lower === 'true' ? 1 : lower === 'false' ? 0 : parseInteger(text);
        if (n !== 0 && n !== 1) throw this.error(`${shown} is not a valid boolean ${where}; use True, False, 1 or 0${hint}`, rhs);
        return { kind: 'scalar', key: n };
      }
      case 'ipv4': {
        if (rhs.kind === 'char') throw this.error(`${shown} is not a valid IPv4 address ${where}`, rhs);
        const network = parseIPv4Network(text);
        if (typeof network === 'string') throw this.error(`${network} ${where}${hint}`, rhs);
        if (network.bits === 32) return { kind: 'scalar', key: network.address };
        return { kind: 'ipv4net', network: network.network, mask: network.mask, bits: network.bits };
      }
      case 'ipv6': {
        if (rhs.kind === 'char') throw this.error(`${shown} is not a valid IPv6 address ${where}`, rhs);
        const network = parseIPv6Network(text);
        if (typeof network === 'string') throw this.error(`${network} ${where}${hint}`, rhs);
        if (network.bits === 128) return { kind: 'scalar', key: network.address };
        // Stryker disable next-line StringLiteral: networkTest treats every non-IPv4 network as IPv6
        return { kind: 'ipv6net', address: network.address, bits: network.bits };
      }
      case 'ether': {
        const ether = rhs.kind === 'char' ? null : parseEther(text);
        if (ether === null) throw this.error(`${shown} is not a valid Ethernet address ${where} (write aa:bb:cc:dd:ee:ff)${hint}`, rhs);
        return { kind: 'scalar', key: ether };
      }
      case 'bytes':
        return { kind: 'scalar', key: this.bytesLiteral(rhs, field.name) };
      default:
        // string
        if (rhs.kind === 'char') return { kind: 'scalar', key: String.fromCodePoint(rhs.code) };
        return { kind: 'scalar', key: text };
    }
  }

  private setTest(field: FieldAccess, set: SetOperand): ValueTest {
    const key = keyFunction(field.type);
    const exact = new Set<Key>();
    const ranges: Array<[Key, Key]> = [];
    const networks: ValueTest[] = [];
    for (const element of set.elements) {
      const low = this.literal(field, element.low);
      if (element.high === undefined) {
        if (low.kind === 'scalar') exact.add(low.key);
        else networks.push(this.networkTest(low));
        continue;
      }
      if (!ORDERED_TYPES.has(field.type)) throw this.error(`a range cannot be used with ${describeField(field)}: it has no order`, element);
      const high = this.literal(field, element.high);
      if (low.kind !== 'scalar') throw this.error('a range bound must be a single value, not a network', element.low);
      if (high.kind !== 'scalar') throw this.error('a range bound must be a single value, not a network', element.high);
      if ((low.key as number) > (high.key as number)) throw this.error('empty range: the lower bound is greater than the upper bound', element);
      ranges.push([low.key, high.key]);
    }
    return (v) => {
      const k = key(v);
      if (k === null) return false;
      if (exact.has(k)) return true;
      for (const [lo, hi] of ranges) if ((k as number) >= (lo as number) && (k as number) <= (hi as number)) return true;
      for (const inNetwork of networks) if (inNetwork(v)) return true;
      return false;
    };
  }

  private fieldRelation(left: FieldAccess, op: RelationOp, right: FieldAccess, rightSpan: Span, quantifier: Quantifier | undefined): Plan {
    const numeric = (t: FieldType): boolean => t === 'uint' || t === 'bool';
    if (right.type === 'protocol' || right.type === 'label' || !(left.type === right.type || (numeric(left.type) && numeric(right.type)))) {
      throw this.error(`${describeField(left)} cannot be compared with ${describeField(right)}`, rightSpan);
    }
    if (op === 'matches') throw this.error('"matches" needs a regular expression in double quotes, not a field', rightSpan);
    // (`in` always has a set: the parser requires the braces.)
    const leftKey = keyFunction(left.type);
    const rightKey = keyFunction(right.type);
    let test: PairTest;
    const ordered = (compare: (a: number, b: number) => boolean): PairTest => (a, b) => {
      const ka = leftKey(a);
      const kb = rightKey(b);
      return ka !== null && kb !== null && compare(ka as number, kb as number);
    };
    switch (op) {
      case 'eq':
      case 'all_eq':
        test = (a, b) => leftKey(a) === rightKey(b) && leftKey(a) !== null;
        break;
      case 'ne':
      case 'any_ne':
        test = (a, b) => leftKey(a) !== rightKey(b);
        break;
      case 'lt':
        test = ordered((a, b) => a < b);
        break;
      case 'le':
        test = ordered((a, b) => a <= b);
        break;
      case 'gt':
        test = ordered((a, b) => a > b);
        break;
      case 'ge':
        test = ordered((a, b) => a >= b);
        break;
      default:
        // contains
        test =
          left.type === 'string'
            ? (a, b) => stringKey(a).includes(stringKey(b))
            : (a, b) => {
                const ka = leftKey(a) as string | null;
                const kb = rightKey(b) as string | null;
                return ka !== null && kb !== null && hexIncludes(ka, kb);
              };
    }
    return { kind: 'fields', left, right, all: wantsAll(op, quantifier), test };
  }

  /** A protocol compares as its raw bytes, as in Wireshark (`udp contains 81:60:03`). */
  private checkProtocolRelation(field: FieldAccess, op: RelationOp, opSpan: Span, rhs: Operand | SetOperand, quantifier: Quantifier | undefined, symbol: string): Plan {
    if (!EQUALITY_OPS.has(op) && op !== 'contains' && op !== 'matches') {
      throw this.error(`"${symbol}" cannot be used with the protocol ${field.name}; a protocol can be tested for presence, ==, contains or matches`, opSpan);
    }
    if (rhs.kind === 'set') throw this.error(`"${symbol}" needs a value`, rhs);
    if (rhs.kind === 'word' && this.resolve(rhs) !== undefined) throw this.error(`the protocol ${field.name} cannot be compared with a field`, rhs);
    const all = wantsAll(op, quantifier);
    let test: BytesTest;
    if (op === 'matches') {
      const regex = this.regex(rhs);
      test = (bytes) => regex.test(latin1(bytes));
    } else {
      const wanted = colonHexToBytes(this.bytesLiteral(rhs, field.name));
      if (op === 'contains') test = (bytes) => bytesIncludes(bytes, wanted);
      else if (isNegated(op)) test = (bytes) => !bytesEqual(bytes, wanted);
      else test = (bytes) => bytesEqual(bytes, wanted);
    }
    return { kind: 'protocolBytes', field, all, test };
  }

  private checkTenant(lhs: WordOperand, op: RelationOp | undefined, opSpan: Span, rhs: Operand | SetOperand | undefined): Plan {
    if (lhs.layer !== undefined) throw this.error('"tenant" has no layers: it is the innermost encapsulation\'s tenant', lhs.layer);
    if (op === undefined) return { kind: 'tenant', test: (type) => type !== 0 };
    if (!EQUALITY_OPS.has(op) && op !== 'in' && op !== 'not_in') throw this.error(`"${OP_SYMBOLS[op]}" cannot be used with tenant; use ==, != or in`, opSpan);
    let matches: (type: number, id: number) => boolean;
    if (rhs!.kind === 'set') {
      const tests = rhs!.elements.map((element) => (element.high === undefined ? this.tenantLiteral(element.low) : this.tenantRange(element.low, element.high, element)));
      matches = (type, id) => tests.some((t) => t.test(type, id));
    } else {
      // `tenant == vxlan:100..200` reads as `tenant in {vxlan:100..200}`.
      const range = rhs!.kind === 'word' ? /^(.+?)\.\.(.+)$/.exec(rhs!.text) : null;
      if (range) {
        const lowEnd = rhs!.pos + range[1].length;
        const low: WordOperand = { kind: 'word', text: range[1], pos: rhs!.pos, end: lowEnd };
        const high: WordOperand = { kind: 'word', text: range[2], pos: lowEnd + 2, end: rhs!.end };
        matches = this.tenantRange(low, high, rhs!).test;
      } else matches = this.tenantLiteral(rhs! as Operand).test;
    }
    if (op === 'not_in') return { kind: 'not', operand: { kind: 'tenant', test: matches } };
    // A frame without a tenant fails every comparison, != included (Wireshark's rule for absent fields).
    return { kind: 'tenant', test: isNegated(op) ? (type, id) => type !== 0 && !matches(type, id) : matches };
  }

  /** `vxlan:100..200`: one type, two IDs, both ends included. */
  private tenantRange(lowOperand: Operand, highOperand: Operand, span: Span): { type: number; id: undefined; test: (type: number, id: number) => boolean } {
    const low = this.tenantLiteral(lowOperand);
    const high = this.tenantLiteral(highOperand, low.type);
    if (low.id === undefined || high.id === undefined || high.type !== low.type) throw this.error('a tenant range needs one type and two IDs, e.g. vxlan:100..200', span);
    const [type, from, to] = [low.type, low.id, high.id];
    if (from > to) throw this.error('empty range: the lower bound is greater than the upper bound', span);
    return { type, id: undefined, test: (t: number, id: number) => t === type && id >= from && id <= to };
  }

  /** `vxlan:101`, `nvgre:0x1234`, `gre:1`, `geneve:5`, or a type alone (`vxlan`: any VXLAN tenant). */
  private tenantLiteral(operand: Operand, impliedType?: number): { type: number; id: number | undefined; test: (type: number, id: number) => boolean } {
    // A character constant is shown as the character the user wrote.
    const text = operand.kind === 'word' ? operand.text : operand.kind === 'string' ? operand.value : String.fromCodePoint(operand.code);
    let spec: TenantSpec;
    try {
      spec = parseTenant(text, { kindAlone: true, impliedType });
    } catch (err) {
      if (!(err instanceof TenantSpecError)) throw err;
      if (err.problem !== 'id') throw this.error(`${JSON.stringify(text)} is not a valid tenant; write vxlan:ID, nvgre:ID, gre:ID or geneve:ID`, operand);
      const span = operand.kind === 'word' && text.endsWith(err.part) ? { pos: operand.end - err.part.length, end: operand.end } : operand;
      const why = err.message.includes('go up to') ? err.message : 'write a number such as 101 or 0x65';
      throw this.error(`"${err.part}" is not a valid tenant ID (${why})`, span);
    }
    const type = spec.type;
    if (spec.low === undefined) return { type, id: undefined, test: (t) => t === type };
    return { type, id: spec.low, test: (t, i) => tenantMatches(spec, t, i) };
  }
}

/** A word's literal text; a leading ':' (Wireshark 4's "this is a literal" marker) is dropped. */
function literalText(word: WordOperand): string {
  return word.text.startsWith(':') && !word.text.startsWith('::') ? word.text.slice(1) : word.text;
}
