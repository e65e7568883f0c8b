// Display filters, a Wireshark 4.x subset with Wireshark's field names: compiled once (parse, type
// check against the field registry, literals converted) into closures evaluated per frame.
//
// Supported: == != === !== ~= < <= > >= (and eq ne all_eq any_ne lt le gt ge), contains, matches/~,
// in {..} / not in {..} with values, ranges (1..10) and networks; && || ^^ ! (and or xor not) and
// parentheses; presence tests; `any`/`all` quantifiers; layers (ip.src#2, #-1, #[1-2], #[2:1]);
// field-to-field comparisons; protocols compared as raw bytes (udp contains 81:60:03); and the
// pseudo-field `tenant` (tenant, tenant == vxlan:101 / nvgre:0x1234 / gre:1 / geneve:5 / vxlan).
// Not supported: slices (eth.src[0:3]), functions (len()), arithmetic, macros, value-string names
// (ip.proto == udp), hostnames and date strings as literals.
import type { Dissection } from '../dissect/dissection';
import { checkFilter } from './checker';
import { FilterError } from './errors';
import { compilePlan, FrameFields, planNeedsTree } from './evaluator';
import { parseFilter } from './parser';
import { Plan } from './plan';

export { FilterError, formatFilterErrorCaret, formatFilterErrorLine } from './errors';

export interface CompiledFilter {
  /** The filter as given. */
  readonly text: string;
  /**
   * Names the filter reads: fields and protocols as they appear in the tree (an alias such as
   * ip.addr also lists ip.src and ip.dst), plus "tenant" when it tests the tenant.
   */
  readonly fields: ReadonlySet<string>;
  /**
   * False when the filter needs only protocol presence and the tenant, which the fast path fills
   * without building the tree. Otherwise the dissection must run with `wantTree = true`.
   */
  readonly needsTree: boolean;
  /** Does the (already dissected) frame pass? */
  matches(dissection: Dissection): boolean;
}

/**
 * Compiles a display filter, or throws a FilterError pointing at the first problem.
 * An empty (or blank) filter matches every frame, as in Wireshark.
 */
export function compileFilter(text: string): CompiledFilter {
  if (text.trim() === '') return { text, fields: new Set(), needsTree: false, matches: () => true };
  const plan = checkFilter(parseFilter(text), text);
  const frame = new FrameFields();
  const test = compilePlan(plan, frame);
  const needsTree = planNeedsTree(plan);
  return {
    text,
    fields: referencedNames(plan),
    needsTree,
    matches(dissection: Dissection): boolean {
      if (needsTree && !dissection.wantTree) {
        throw new Error(`display filter "${text}" reads fields: dissect with wantTree = true`);
      }
      frame.begin(dissection);
      return test(frame);
    },
  };
}

/** Checks a filter without keeping it: null when valid, else the error (for a filter bar's colour). */
export function validateFilter(text: string): FilterError | null {
  try {
    compileFilter(text);
    return null;
  } catch (err) {
    if (err instanceof FilterError) return err;
    throw err;
  }
}

function referencedNames(plan: Plan, names = new Set<string>()): Set<string> {
  switch (plan.kind) {
    case 'and':
    case 'or':
    case 'xor':
      referencedNames(plan.left, names);
      referencedNames(plan.right, names);
      break;
    case 'not':
      referencedNames(plan.operand, names);
      break;
    case 'tenant':
      names.add('tenant');
      break;
    case 'fields':
      for (const name of [plan.left.name, ...plan.left.sources, plan.right.name, ...plan.right.sources]) names.add(name);
      break;
    default:
      for (const name of [plan.field.name, ...plan.field.sources]) names.add(name);
  }
  return names;
}
