/** The fields a select group's selection_method=hash may hash, and the reader of its fields(...) list (no dependency on the flow file, which uses it). */
import { Prereq, Slot } from './fields';

/** Fields selection_method=hash may hash, in Open vSwitch's field order, with their width in bytes and prerequisite. */
export const HASH_FIELDS: readonly { names: string[]; slot: Slot; bytes: number; prereq: Prereq }[] = [
  { names: ['eth_src', 'dl_src'], slot: Slot.DlSrc, bytes: 6, prereq: 'none' },
  { names: ['eth_dst', 'dl_dst'], slot: Slot.DlDst, bytes: 6, prereq: 'none' },
  { names: ['eth_type', 'dl_type'], slot: Slot.DlType, bytes: 2, prereq: 'none' },
  { names: ['ip_src', 'nw_src'], slot: Slot.NwSrc, bytes: 4, prereq: 'ip' },
  { names: ['ip_dst', 'nw_dst'], slot: Slot.NwDst, bytes: 4, prereq: 'ip' },
  { names: ['ipv6_src'], slot: Slot.Ipv6Src, bytes: 16, prereq: 'ipv6' },
  { names: ['ipv6_dst'], slot: Slot.Ipv6Dst, bytes: 16, prereq: 'ipv6' },
  { names: ['ip_proto', 'nw_proto'], slot: Slot.NwProto, bytes: 1, prereq: 'ip_any' },
  { names: ['tcp_src'], slot: Slot.TpSrc, bytes: 2, prereq: 'tcp' },
  { names: ['tcp_dst'], slot: Slot.TpDst, bytes: 2, prereq: 'tcp' },
  { names: ['udp_src'], slot: Slot.TpSrc, bytes: 2, prereq: 'udp' },
  { names: ['udp_dst'], slot: Slot.TpDst, bytes: 2, prereq: 'udp' },
  { names: ['sctp_src'], slot: Slot.TpSrc, bytes: 2, prereq: 'sctp' },
  { names: ['sctp_dst'], slot: Slot.TpDst, bytes: 2, prereq: 'sctp' },
];

/** A `fields(...)` list as dump-groups prints it: names, each with an optional mask in the field's own notation. */
export function parseHashFields(text: string): { index: number; mask: bigint }[] {
  const chosen: { index: number; mask: bigint }[] = [];
  for (const item of text.split(',').map((t) => t.trim()).filter((t) => t !== '')) {
    const [name, maskText] = item.split('=');
    const index = HASH_FIELDS.findIndex((f) => f.names.includes(name.toLowerCase()));
    if (index < 0) throw new Error(`selection_method=hash: field '${name}' is not emulated (${HASH_FIELDS.map((f) => f.names[0]).join(', ')} are)`);
    const f = HASH_FIELDS[index];
    const full = (1n << BigInt(f.bytes * 8)) - 1n;
    let mask = full;
    if (maskText !== undefined) {
      if (/^\d+\.\d+\.\d+\.\d+$/.test(maskText)) mask = maskText.split('.').reduce((v, o) => (v << 8n) | BigInt(Number(o)), 0n);
      else if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(maskText)) mask = BigInt(`0x${maskText.replace(/:/g, '')}`);
      else if (/^(0x[0-9a-f]+|\d+)$/i.test(maskText)) mask = BigInt(maskText);
      else throw new Error(`selection_method=hash: cannot read the mask '${maskText}' of ${name}`);
    }
    chosen.push({ index, mask: mask & full });
  }
  // OVS keeps the fields as a bitmap, so they are hashed in its field order whatever the order written.
  return chosen.sort((a, b) => a.index - b.index);
}
