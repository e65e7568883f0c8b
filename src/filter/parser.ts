// Recursive-descent parser for the display-filter grammar. Precedence, loosest first, as in
// Wireshark's grammar: || then ^^ then && then ! (so `!a && b || c` is `((!a) && b) || c`).
import { FilterNode, LayerRange, LayerSpec, Operand, Quantifier, RelationOp, SetElement, SetOperand, Span, TestNode } from './ast';
import { FilterError } from './errors';
import { Token, tokenize } from './lexer';

const SYMBOL_RELATIONS: Record<string, RelationOp> = {
  '==': 'eq',
  '!=': 'ne',
  '===': 'all_eq',
  '!==': 'any_ne',
  '~=': 'any_ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  '~': 'matches',
};

const WORD_RELATIONS: Record<string, RelationOp> = {
  eq: 'eq',
  any_eq: 'eq',
  ne: 'ne',
  all_ne: 'ne',
  all_eq: 'all_eq',
  any_ne: 'any_ne',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
  contains: 'contains',
  matches: 'matches',
  in: 'in',
};

const LOGICAL_WORDS = new Set(['and', 'or', 'xor', 'not']);

/** The relation a word or symbol names: own entries only, so "constructor" or "__proto__" is no operator. */
function relation(table: Record<string, RelationOp>, text: string): RelationOp | undefined {
  return Object.hasOwn(table, text) ? table[text] : undefined;
}

function keyword(token: Token): string | undefined {
  return token.kind === 'word' ? token.text.toLowerCase() : undefined;
}

function isReservedWord(token: Token): boolean {
  const k = keyword(token);
  return k !== undefined && (LOGICAL_WORDS.has(k) || relation(WORD_RELATIONS, k) !== undefined);
}

// Punctuation and operators are recognised by their text alone: a word never contains them, and a
// string's or character's text starts with its quote.

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the filter' : `"${token.text}"`;
}

/**
 * How deep a filter may nest: parentheses and "!" (each a level of the parser's recursion) and the
 * length of an "&&"/"||" chain (a level of the checker's and evaluator's). Far beyond what a person
 * writes, well inside the stack.
 */
export const MAX_FILTER_DEPTH = 256;
export const MAX_FILTER_CHAIN = 1000;

export function parseFilter(filter: string): FilterNode {
  return new Parser(filter).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** Open parentheses and "!" around the current token. */
  private depth = 0;
  /** Binary operators so far: a chain of them makes the tree as deep as the chain is long. */
  private chainLength = 0;

  constructor(private readonly filter: string) {
    this.tokens = tokenize(filter);
  }

  parseAll(): FilterNode {
    if (this.peek().kind === 'end') throw this.error('the filter is empty', this.peek());
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (next.text === ')') throw this.error('unbalanced ")": no matching "("', next);
      throw this.error(`unexpected ${describe(next)}: expected "&&", "||" or the end of the filter`, next);
    }
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private error(reason: string, at: Span, end = at.end): FilterError {
    return new FilterError(reason, this.filter, at.pos, end - at.pos);
  }

  private isLogical(symbol: string, word: string): boolean {
    const token = this.peek();
    return token.text === symbol || keyword(token) === word;
  }

  private parseOr(): FilterNode {
    let left = this.parseXor();
    while (this.isLogical('||', 'or')) {
      const op = this.chainOperator();
      const right = this.parseOperand(op, () => this.parseXor());
      left = { kind: 'or', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseXor(): FilterNode {
    let left = this.parseAnd();
    while (this.isLogical('^^', 'xor')) {
      const op = this.chainOperator();
      const right = this.parseOperand(op, () => this.parseAnd());
      left = { kind: 'xor', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isLogical('&&', 'and')) {
      const op = this.chainOperator();
      const right = this.parseOperand(op, () => this.parseUnary());
      left = { kind: 'and', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  /** Consumes "&&", "||" or "^^", refusing a chain longer than the evaluator can nest. */
  private chainOperator(): Token {
    const op = this.next();
    if (++this.chainLength > MAX_FILTER_CHAIN) throw this.error(`too deeply nested: more than ${MAX_FILTER_CHAIN} "&&", "||" and "^^"`, op);
    return op;
  }

  /** Enters a parenthesis or "!", refusing more levels than MAX_FILTER_DEPTH. */
  private enter(token: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) throw this.error(`too deeply nested: more than ${MAX_FILTER_DEPTH} levels of "(" and "!"`, token);
  }

  /** Parses the right operand of `op`, reporting a missing one at the operator's right. */
  private parseOperand(op: Token, parse: () => FilterNode): FilterNode {
    const token = this.peek();
    if (token.kind === 'end' || token.text === ')' || ['&&', '||', '^^'].includes(token.text) || (isReservedWord(token) && keyword(token) !== 'not')) {
      throw this.error(`missing operand after "${op.text}"`, token);
    }
    return parse();
  }

  private parseUnary(): FilterNode {
    if (this.isLogical('!', 'not')) {
      const op = this.next();
      this.enter(op);
      const operand = this.parseOperand(op, () => this.parseUnary());
      this.depth--;
      return { kind: 'not', operand, pos: op.pos, end: operand.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.text === '(') {
      this.next();
      this.enter(token);
      if (this.peek().text === ')') throw this.error('empty parentheses: expected a filter expression', token, this.peek().end);
      // A chain inside parentheses nests in the chain around them: both count.
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind === 'end') throw this.error('unclosed "(": missing ")"', token);
      if (close.text !== ')') throw this.error(`unexpected ${describe(close)}: expected "&&", "||" or ")"`, close);
      this.next();
      this.depth--;
      // Keep the parenthesised span so errors about the whole group point at all of it.
      return { ...inner, pos: token.pos, end: close.end };
    }
    return this.parseTest();
  }

  private parseTest(): TestNode {
    let quantifier: Quantifier | undefined;
    const first = this.peek();
    const firstWord = keyword(first);
    if ((firstWord === 'any' || firstWord === 'all') && this.peek(1).kind === 'word' && !isReservedWord(this.peek(1))) {
      quantifier = firstWord;
      this.next();
    }
    const lhsToken = this.peek();
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable (empty filters, missing operands and a lone quantifier are refused earlier); kept as a guard
    if (lhsToken.kind === 'end') throw this.error('missing expression at the end of the filter', lhsToken);
    if (lhsToken.kind === 'op' || lhsToken.kind === 'punct' || isReservedWord(lhsToken)) {
      const text = lhsToken.text;
      const isBinary = ['&&', '||', '^^', 'and', 'or', 'xor'].includes(text.toLowerCase()) || relation(SYMBOL_RELATIONS, text) !== undefined || relation(WORD_RELATIONS, keyword(lhsToken) ?? '') !== undefined;
      if (isBinary) throw this.error(`missing operand before "${text}"`, lhsToken);
      if (text === '=') throw this.error('"=" is not a comparison; use "=="', lhsToken);
      throw this.error(`unexpected ${describe(lhsToken)}: expected a field, a protocol or "("`, lhsToken);
    }
    const lhs = this.parseValue();
    const test: TestNode = { kind: 'test', lhs, quantifier, pos: first.pos, end: lhs.end };

    const opToken = this.peek();
    let op: RelationOp | undefined;
    if (relation(SYMBOL_RELATIONS, opToken.text) !== undefined) op = relation(SYMBOL_RELATIONS, opToken.text);
    else if (relation(WORD_RELATIONS, keyword(opToken) ?? '') !== undefined) op = relation(WORD_RELATIONS, keyword(opToken)!);
    else if (keyword(opToken) === 'not' && keyword(this.peek(1)) === 'in') op = 'not_in';
    else if (opToken.text === '=') throw this.error('"=" is not a comparison; use "=="', opToken);
    else return test;

    this.next();
    let opEnd = opToken.end;
    if (op === 'not_in') opEnd = this.next().end;
    test.op = op;
    test.opSpan = { pos: opToken.pos, end: opEnd };

    if (op === 'in' || op === 'not_in') {
      test.rhs = this.parseSet(opToken);
    } else {
      const valueToken = this.peek();
      if (valueToken.kind === 'end' || valueToken.kind === 'op' || valueToken.kind === 'punct' || isReservedWord(valueToken)) {
        throw this.error(`missing value after "${this.filter.slice(opToken.pos, opEnd)}"`, valueToken);
      }
      test.rhs = this.parseValue();
    }
    test.end = test.rhs.end;
    return test;
  }

  /** A word (optionally with a layer selection), a quoted string or a character constant. */
  private parseValue(): Operand {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'string', value: token.value, bytes: token.bytes!, pos: token.pos, end: token.end };
    if (token.kind === 'char') return { kind: 'char', code: Number(token.value), pos: token.pos, end: token.end };
    const operand: Operand = { kind: 'word', text: token.text, pos: token.pos, end: token.end };
    const after = this.peek();
    if (after.text === '#') {
      this.next();
      operand.layer = this.parseLayer(after);
      operand.end = operand.layer.end;
    } else if (after.text === '[' && after.pos === token.end) {
      throw this.error('slices ("field[0:2]") are not supported', after);
    } else if (after.text === '(' && after.pos === token.end) {
      throw this.error(`functions ("${token.text}(...)") are not supported`, token, after.end);
    }
    return operand;
  }

  /** After '#': `2`, `-1` (innermost), or `[1-2,4]` / `[2:3]` (start:count) as in Wireshark 4.2. */
  private parseLayer(hash: Token): LayerSpec {
    const token = this.next();
    if (token.kind === 'word') {
      return { ranges: [this.layerRange(token)], pos: hash.pos, end: token.end };
    }
    if (token.text === '[') {
      const ranges: LayerRange[] = [];
      for (;;) {
        const item = this.next();
        if (item.kind !== 'word') throw this.error(`expected a layer number in "[...]" but found ${describe(item)}`, item);
        ranges.push(this.layerRange(item));
        const sep = this.next();
        if (sep.text === ']') return { ranges, pos: hash.pos, end: sep.end };
        if (sep.text !== ',') throw this.error(`expected "," or "]" in the layer selection but found ${describe(sep)}`, sep);
      }
    }
    throw this.error(`expected a layer number after "#" but found ${describe(token)}`, token);
  }

  private layerRange(token: Token): LayerRange {
    const m = /^(-?\d+)(?:([-:])(-?\d+))?$/.exec(token.text);
    if (!m) throw this.error(`"${token.text}" is not a layer number or range`, token);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === '-' ? Number(m[3]) : from + Number(m[3]) - 1;
    if (from === 0 || to === 0) throw this.error('layers are counted from 1 (the outermost); use -1 for the innermost', token);
    if (m[2] === ':' && Number(m[3]) < 1) throw this.error('a layer count after ":" must be at least 1', token);
    return { from, to };
  }

  /** `{80 443}`, `{80, 443}`, `{1..10}`, `{10.0.0.1..10.0.0.9 192.168.0.0/16}`, `{"a" "b"}`. */
  private parseSet(after: Token): SetOperand {
    const open = this.next();
    if (open.text !== '{') {
      throw this.error(`expected "{" after "${after.text}" but found ${describe(open)}`, open);
    }
    const elements: SetElement[] = [];
    for (;;) {
      const token = this.peek();
      if (token.text === '}') {
        this.next();
        if (elements.length === 0) throw this.error('empty set "{}"', open, token.end);
        return { kind: 'set', elements, pos: open.pos, end: token.end };
      }
      if (token.kind === 'end') throw this.error('unclosed "{": missing "}"', open);
      if (token.text === ',') {
        if (elements.length === 0 || this.peek(-1).text === ',') throw this.error('missing set element before ","', token);
        this.next();
        continue;
      }
      if (token.kind === 'op' || token.kind === 'punct') throw this.error(`unexpected ${describe(token)} in a set`, token);
      elements.push(this.parseSetElement());
    }
  }

  private parseSetElement(): SetElement {
    const low = this.parseValue();
    if (low.kind === 'word' && low.text.includes('..') && low.layer === undefined) {
      const cut = low.text.indexOf('..');
      const lowText = low.text.slice(0, cut);
      const highText = low.text.slice(cut + 2);
      if (lowText === '') throw this.error('missing lower bound of the range', low);
      const lowPart: Operand = { kind: 'word', text: lowText, pos: low.pos, end: low.pos + cut };
      if (highText !== '') {
        return { low: lowPart, high: { kind: 'word', text: highText, pos: low.pos + cut + 2, end: low.end }, pos: low.pos, end: low.end };
      }
      // "1.. 10": the upper bound is the next token
      return this.rangeUpperBound(lowPart);
    }
    const next = this.peek();
    if (next.text.startsWith('..')) {
      if (next.text === '..') {
        this.next();
        return this.rangeUpperBound(low);
      }
      this.next();
      return { low, high: { kind: 'word', text: next.text.slice(2), pos: next.pos + 2, end: next.end }, pos: low.pos, end: next.end };
    }
    return { low, pos: low.pos, end: low.end };
  }

  private rangeUpperBound(low: Operand): SetElement {
    const token = this.peek();
    if (token.kind === 'end' || token.kind === 'op' || token.kind === 'punct') {
      throw this.error('missing upper bound of the range', token);
    }
    const high = this.parseValue();
    return { low, high, pos: low.pos, end: high.end };
  }
}
