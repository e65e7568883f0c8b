// Option declarations shared by several commands. Only commander is imported here: every command is
// declared at start-up, so nothing heavy may load from this module.
import { InvalidArgumentError, Option } from 'commander';

export function decodeAsOption(): Option {
  return new Option('-d, --decode-as <TABLE==VALUE,PROTO>', 'decode a port or type as a protocol, e.g. udp.port==9999,vxlan (repeatable)')
    .argParser((value: string, previous: string[] = []) => previous.concat(value))
    .default([]);
}

/** --no-reassemble: IP fragments stay fragments (reassembly is on by default, like Wireshark's ip.defragment). */
export function reassembleOption(): Option {
  return new Option('--no-reassemble', 'do not reassemble IP fragments (each fragment is then a frame of its own, counted as underlay)');
}

export function positiveInteger(what: string, max = 2 ** 31) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    return n;
  };
}

/** A positive number of seconds (fractions allowed), at most a year. */
export function positiveSeconds(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 31_536_000) throw new InvalidArgumentError(`${what} must be a number of seconds above 0, at most 31536000`);
    return n;
  };
}

/** The options of `tunnelscope tenants`. */
export interface TenantsOptions {
  format: 'text' | 'json';
  mtu: number;
  decodeAs: string[];
  /** false with --no-reassemble. */
  reassemble: boolean;
}

/** The options of `tunnelscope vteps`. */
export interface VtepsOptions {
  format: 'text' | 'json';
  at?: number;
  ageing: number;
  decodeAs: string[];
  /** false with --no-reassemble. */
  reassemble: boolean;
}
