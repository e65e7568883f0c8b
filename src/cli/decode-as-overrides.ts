// Turns the repeatable -d/--decode-as option values into the dissectors' "decode as" overrides.
import { parseDecodeAs } from '../dissect/decode-as';
import { DecodeAsOverrides } from '../dissect/dissection';
import { UserError } from './errors';

export function decodeAsOverrides(specs: string[]): DecodeAsOverrides | null {
  if (specs.length === 0) return null;
  const overrides: DecodeAsOverrides = new Map();
  for (const spec of specs) {
    try {
      parseDecodeAs(spec, overrides);
    } catch (err) {
      throw new UserError((err as Error).message, 2);
    }
  }
  return overrides;
}
