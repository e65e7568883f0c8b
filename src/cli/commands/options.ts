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
