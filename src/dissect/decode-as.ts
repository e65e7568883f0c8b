// "Decode as": map another key of a dispatch table to a named dissector, e.g. udp.port==9999,vxlan
// (the syntax of tshark's -d option).
import { DecodeAsOverrides } from './dissection';
import { dissectorByName, dissectorNames, tableByName } from './tables';
import { buildDissectorRegistry } from './registry';

export function parseDecodeAs(spec: string, into: DecodeAsOverrides = new Map()): DecodeAsOverrides {
  buildDissectorRegistry();
  const m = /^\s*([a-z0-9_.]+)\s*==\s*(0x[0-9a-f]+|\d+)\s*,\s*([a-z0-9_.]+)\s*$/i.exec(spec);
  if (!m) throw new Error(`bad decode-as "${spec}": expected TABLE==VALUE,PROTOCOL, e.g. udp.port==9999,vxlan`);
  const [, tableName, keyText, dissector] = m;
  if (!tableByName(tableName)) throw new Error(`bad decode-as "${spec}": unknown table "${tableName}" (try udp.port, tcp.port, ethertype, ip.proto, gre.proto)`);
  if (!dissectorByName(dissector)) throw new Error(`bad decode-as "${spec}": unknown protocol "${dissector}" (one of ${dissectorNames().join(', ')})`);
  const key = Number(keyText);
  if (!into.has(tableName)) into.set(tableName, new Map());
  into.get(tableName)!.set(key, dissector);
  return into;
}

/** The overrides of a list of -d/--decode-as values (null for none); throws on the first bad one. */
export function decodeAsOverrides(specs: readonly string[]): DecodeAsOverrides | null {
  if (specs.length === 0) return null;
  const overrides: DecodeAsOverrides = new Map();
  for (const spec of specs) parseDecodeAs(spec, overrides);
  return overrides;
}
