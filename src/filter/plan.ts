// The checked filter: field names resolved, literals converted once, each comparison reduced to a
// test on one dissected value. The evaluator turns this into closures over a frame.
import type { FieldType, FieldValue, ProtocolDef } from '../dissect/fields';
import type { LayerRange } from './ast';

export interface FieldAccess {
  /** As written, without the layer ("ip.addr"). */
  name: string;
  /** Tree node names that supply values: an alias such as ip.addr also reads ip.src and ip.dst. */
  sources: string[];
  type: FieldType;
  /** Wireshark 4.2 layer selection (`#2`, `#[1-2]`, `#-1`); undefined = every layer. */
  layer?: LayerRange[];
  /** Set for a registered protocol, which can be tested from the layer list without a tree. */
  protocol?: ProtocolDef;
}

export type ValueTest = (value: FieldValue) => boolean;
export type PairTest = (left: FieldValue, right: FieldValue) => boolean;
export type BytesTest = (bytes: Uint8Array) => boolean;

/**
 * `all` = every occurrence must pass (and there must be one), otherwise any occurrence passing is
 * enough. Either way a field absent from the frame makes the comparison false, as in Wireshark.
 */
export type Plan =
  | { kind: 'and' | 'or' | 'xor'; left: Plan; right: Plan }
  | { kind: 'not'; operand: Plan }
  | { kind: 'present'; field: FieldAccess }
  | { kind: 'values'; field: FieldAccess; all: boolean; test: ValueTest }
  | { kind: 'fields'; left: FieldAccess; right: FieldAccess; all: boolean; test: PairTest }
  | { kind: 'protocolBytes'; field: FieldAccess; all: boolean; test: BytesTest }
  /** tenantType is Dissection.tenantType (0 = not encapsulated). */
  | { kind: 'tenant'; test: (tenantType: number, tenantId: number) => boolean };
