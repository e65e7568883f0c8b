// What the corpus tests expect of particular files of ../shared/corpus/tcpdump, each with its reason.

/**
 * Files whose link type tshark does not support ("network type N unknown or unsupported"): tshark reads
 * no frame of them, Tunnelscope reads every frame (as data after the link layer it cannot decode).
 * The tests check tshark still reads none, so the list cannot go stale silently.
 */
export const TSHARK_UNSUPPORTED_LINK_TYPE: Record<string, number> = {
  'brcm-tag-prepend.pcap': 282,
  'brcm-tag.pcap': 281,
  'dsa-high-vid.pcap': 284,
  'dsa.pcap': 284,
  'edsa-high-vid.pcap': 285,
  'edsa.pcap': 285,
  'frf16_magic_ie-oobr.pcap': 182,
  'hoobr_juniper3.pcap': 132,
  'juniper_es_oobr.pcap': 132,
  'juniper_monitor_invalid_cookie_length.pcap': 164,
  'kday6.pcap': 182,
  'vtp_asan-2.pcap': 182,
  'vtp_asan-3.pcap': 182,
  'vtp_asan.pcap': 182,
};

/**
 * Corpus files that are not captures Tunnelscope reads, each with the error that opening it must give.
 * Every other file must open. (Today every corpus file opens.)
 */
export const EXPECTED_UNREADABLE: Record<string, RegExp> = {};

/** Frame count check for one file: null when it holds, else what is wrong. */
export function frameCountProblem(name: string, ours: number, tshark: number, linkTypes: number[]): string | null {
  const unsupported = TSHARK_UNSUPPORTED_LINK_TYPE[name];
  if (unsupported !== undefined) {
    if (tshark !== 0) return `${name}: listed as a link type tshark cannot read (${unsupported}), but tshark reads ${tshark} frames`;
    if (!linkTypes.every((t) => t === unsupported)) return `${name}: listed with link type ${unsupported}, but holds ${linkTypes.join(', ')}`;
    return ours > 0 ? null : `${name}: no frames read`;
  }
  return ours === tshark ? null : `${name}: ${ours} frames, tshark reads ${tshark}`;
}
