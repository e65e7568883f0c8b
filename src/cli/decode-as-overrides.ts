// Turns the repeatable -d/--decode-as option values into the dissectors' "decode as" overrides; a bad
// value is a usage error (exit 2).
import { decodeAsOverrides as parseAll } from '../dissect/decode-as';
import { DecodeAsOverrides } from '../dissect/dissection';
import { UserError } from './errors';

export function decodeAsOverrides(specs: string[]): DecodeAsOverrides | null {
  try {
    return parseAll(specs);
  } catch (err) {
    throw new UserError((err as Error).message, 2);
  }
}
