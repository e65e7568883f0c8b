// Compares Tunnelscope's protocol chain of a frame with tshark's frame.protocols.
import { protocolByName } from '../../src/dissect/fields';
import { buildDissectorRegistry } from '../../src/dissect/registry';

export type Agreement = 'exact' | 'consistent' | 'differs';

/**
 * tshark's chain without the "ethertype" entries and its expert pseudo-protocols (_ws.*). tshark 4.0
 * lists IGMP twice ("igmp:igmp": the version-specific dissector adds the protocol again); one layer is meant.
 */
export function normaliseTshark(chain: string): string[] {
  const layers = chain.split(':').filter((p) => p !== 'ethertype' && !p.startsWith('_ws.') && p !== '');
  return layers.filter((p, i) => !(p === 'igmp' && layers[i - 1] === 'igmp'));
}

/**
 * exact: the same chain. consistent: ours stops (as "data") where tshark goes on into a protocol
 * Tunnelscope does not dissect (dns, bgp...). differs: anything else, e.g. a layer we should know.
 */
export function compareChains(ours: string, tshark: string): Agreement {
  const a = ours.split(':').filter((p) => p !== '');
  const b = normaliseTshark(tshark);
  if (a.join(':') === b.join(':')) return 'exact';
  const known = a[a.length - 1] === 'data' ? a.slice(0, -1) : a;
  // tshark may take a segment's payload into a reassembly and show no layer for it where we say data.
  if (known.join(':') === b.join(':')) return 'consistent';
  if (known.length >= b.length) return 'differs';
  for (let i = 0; i < known.length; i++) if (known[i] !== b[i]) return 'differs';
  buildDissectorRegistry();
  const next = b[known.length];
  return protocolByName(next) === undefined || next === 'data' ? 'consistent' : 'differs';
}
