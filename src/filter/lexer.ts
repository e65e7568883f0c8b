// Splits a display filter into tokens. Like Wireshark's scanner, field names and unquoted literals
// (10.0.0.0/8, aa:bb:cc, fe80::1, vxlan:101, 1..10) are one "word" kind: only the parser knows, from
// the field's type, what a word means.
import { FilterError } from './errors';

export type TokenKind = 'word' | 'string' | 'char' | 'op' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: with the quotes). */
  text: string;
  /** Decoded string / character for 'string' and 'char'; equals text otherwise. */
  value: string;
  /** A string literal's bytes: UTF-8 for plain characters, raw for \x.. and octal escapes. */
  bytes?: Uint8Array;
  pos: number;
  end: number;
}

const WORD_CHAR = /[A-Za-z0-9_.:\-/]/;
// Longest first, so "===" wins over "==" and "<=" over "<".
const OPERATORS = ['===', '!==', '==', '!=', '~=', '<=', '>=', '&&', '||', '^^', '<', '>', '!', '~', '='];
const PUNCTUATION = '(){}[],#';

export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '"' || ((ch === 'r' || ch === 'R') && filter[i + 1] === '"')) {
      const token = readString(filter, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (ch === "'") {
      const token = readChar(filter, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      let end = i + 1;
      while (end < filter.length && WORD_CHAR.test(filter[end])) end++;
      const text = filter.slice(i, end);
      tokens.push({ kind: 'word', text, value: text, pos: i, end });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => filter.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, value: op, pos: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, pos: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '&' || ch === '|') throw new FilterError(`"${ch}" is not an operator; use "${ch}${ch}"`, filter, i, 1);
    throw new FilterError(`unexpected character "${ch}"`, filter, i, 1);
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: filter.length, end: filter.length });
  return tokens;
}

function readString(filter: string, start: number): Token {
  const raw = filter[start] !== '"';
  let i = start + (raw ? 2 : 1);
  let value = '';
  const bytes: number[] = [];
  const addChar = (c: string): void => {
    value += c;
    // Stryker disable next-line StringLiteral: UTF-8 is Buffer.from's default encoding
    for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  };
  while (i < filter.length) {
    const ch = filter[i];
    if (ch === '"') {
      return { kind: 'string', text: filter.slice(start, i + 1), value, bytes: Uint8Array.from(bytes), pos: start, end: i + 1 };
    }
    if (ch === '\\' && raw) {
      // Raw strings keep the backslash, but \" still does not end the string (as in Wireshark and Python).
      addChar('\\');
      if (filter[i + 1] === '"' || filter[i + 1] === '\\') addChar(filter[i + 1]);
      i += filter[i + 1] === '"' || filter[i + 1] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === '\\') {
      const escape = readEscape(filter, i);
      if (escape.byte !== undefined) {
        value += String.fromCharCode(escape.byte);
        bytes.push(escape.byte);
      } else addChar(escape.text);
      i = escape.end;
      continue;
    }
    const cp = filter.codePointAt(i)!;
    const c = String.fromCodePoint(cp);
    addChar(c);
    i += c.length;
  }
  throw new FilterError('unterminated string: missing closing \'"\'', filter, start, filter.length - start);
}

function readChar(filter: string, start: number): Token {
  let i = start + 1;
  let code: number;
  if (filter[i] === '\\') {
    const escape = readEscape(filter, i);
    code = escape.byte ?? escape.text.codePointAt(0)!;
    i = escape.end;
  } else if (i < filter.length && filter[i] !== "'") {
    code = filter.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
  } else {
    throw new FilterError('empty character literal', filter, start, Math.min(2, filter.length - start));
  }
  if (filter[i] !== "'") {
    throw new FilterError("unterminated character literal: missing closing \"'\"", filter, start, Math.max(1, i - start));
  }
  return { kind: 'char', text: filter.slice(start, i + 1), value: String(code), pos: start, end: i + 1 };
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39 };

/** Decodes the escape at filter[at] === '\\'. Byte escapes (\xHH, \ooo) give a raw byte, others text. */
function readEscape(filter: string, at: number): { byte?: number; text: string; end: number } {
  const next = filter[at + 1];
  if (next === undefined) throw new FilterError('unterminated string: missing closing \'"\'', filter, at, 1);
  // Stryker disable next-line StringLiteral: a byte escape's text is never read (callers take the byte)
  if (next in SIMPLE_ESCAPES) return { byte: SIMPLE_ESCAPES[next], text: '', end: at + 2 };
  if (next === 'x') {
    const hex = /^[0-9A-Fa-f]{1,2}/.exec(filter.slice(at + 2, at + 4));
    if (!hex) throw new FilterError('"\\x" must be followed by one or two hex digits', filter, at, 2);
    // Stryker disable next-line StringLiteral: a byte escape's text is never read (callers take the byte)
    return { byte: parseInt(hex[0], 16), text: '', end: at + 2 + hex[0].length };
  }
  if (next >= '0' && next <= '7') {
    const oct = /^[0-7]{1,3}/.exec(filter.slice(at + 1, at + 4))![0];
    const byte = parseInt(oct, 8);
    if (byte > 255) throw new FilterError(`octal escape "\\${oct}" is larger than one byte`, filter, at, oct.length + 1);
    // Stryker disable next-line StringLiteral: a byte escape's text is never read (callers take the byte)
    return { byte, text: '', end: at + 1 + oct.length };
  }
  if (next === 'u' || next === 'U') {
    const digits = next === 'u' ? 4 : 8;
    const hex = filter.slice(at + 2, at + 2 + digits);
    const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
    if (!(cp <= 0x10ffff)) throw new FilterError(`"\\${next}" must be followed by ${digits} hex digits of a code point`, filter, at, 2 + hex.length);
    return { text: String.fromCodePoint(cp), end: at + 2 + digits };
  }
  throw new FilterError(`unknown escape sequence "\\${next}"`, filter, at, 2);
}
