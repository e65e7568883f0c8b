// Syntax tree of a display filter as written, before field types are known. Every node keeps its
// source span so the checker can point at it.

export interface Span {
  pos: number;
  end: number;
}

/** One range of a layer selection: `#2` is {from: 2, to: 2}; `#[2-4]` is {from: 2, to: 4}; negative counts from the innermost. */
export interface LayerRange {
  from: number;
  to: number;
}

export interface LayerSpec extends Span {
  ranges: LayerRange[];
}

/** An unquoted word: a field name or a literal, decided by the checker. */
export interface WordOperand extends Span {
  kind: 'word';
  text: string;
  layer?: LayerSpec;
}

export interface StringOperand extends Span {
  kind: 'string';
  value: string;
  bytes: Uint8Array;
}

/** A character constant 'a', usable against integer fields. */
export interface CharOperand extends Span {
  kind: 'char';
  code: number;
}

export type Operand = WordOperand | StringOperand | CharOperand;

export interface SetElement extends Span {
  low: Operand;
  /** Present for a range `low..high`. */
  high?: Operand;
}

export interface SetOperand extends Span {
  kind: 'set';
  elements: SetElement[];
}

export type RelationOp =
  | 'eq' // ==, any value equal
  | 'ne' // !=, all values differ (Wireshark 4)
  | 'all_eq' // ===
  | 'any_ne' // !== or ~=
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'contains'
  | 'matches'
  | 'in'
  | 'not_in';

export type Quantifier = 'any' | 'all';

export interface TestNode extends Span {
  kind: 'test';
  lhs: Operand;
  quantifier?: Quantifier;
  /** Absent for a presence test (`arp`, `tcp.flags.syn`, `tenant`). */
  op?: RelationOp;
  opSpan?: Span;
  rhs?: Operand | SetOperand;
}

export interface BinaryNode extends Span {
  kind: 'and' | 'or' | 'xor';
  left: FilterNode;
  right: FilterNode;
}

export interface NotNode extends Span {
  kind: 'not';
  operand: FilterNode;
}

export type FilterNode = TestNode | BinaryNode | NotNode;
