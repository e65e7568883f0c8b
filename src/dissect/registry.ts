// The dissector registry, built once like Wireshark's epan: every module's register phase (protocols
// and fields), then every module's handoff phase (dispatch table entries). Modules have no import
// side effects, so nothing depends on the order they load in; the list below is the whole registry.
import type { DissectorModule } from './tables';
import { frameModule } from './dissectors/frame';
import { commonModule } from './dissectors/common';
import { ethernetModule } from './dissectors/ethernet';
import { linkOtherModule } from './dissectors/link-other';
import { arpModule } from './dissectors/arp';
import { ipv4Module } from './dissectors/ipv4';
import { ipv6Module } from './dissectors/ipv6';
import { icmpModule } from './dissectors/icmp';
import { igmpModule } from './dissectors/igmp';
import { transportModule } from './dissectors/transport';
import { tunnelsModule } from './dissectors/tunnels';
import { erspanModule } from './dissectors/erspan';
import { mplsModule } from './dissectors/mpls';
import { gtpModule } from './dissectors/gtp';
import { nshModule } from './dissectors/nsh';
import { pppModule } from './dissectors/ppp';
import { teredoModule } from './dissectors/teredo';

const DISSECTOR_MODULES: readonly DissectorModule[] = [
  frameModule,
  commonModule,
  ethernetModule,
  linkOtherModule,
  arpModule,
  ipv4Module,
  ipv6Module,
  icmpModule,
  igmpModule,
  transportModule,
  tunnelsModule,
  erspanModule,
  mplsModule,
  gtpModule,
  nshModule,
  pppModule,
  teredoModule,
];

let built = false;

export function dissectorRegistryBuilt(): boolean {
  return built;
}

/**
 * Registers every protocol and field, then fills the dispatch tables. Runs once per process (or
 * worker thread); later calls return at once. Dissection calls it before its first frame; code that
 * looks fields or dissectors up by name without dissecting (filter compiler, decode-as) calls it first.
 */
export function buildDissectorRegistry(): void {
  if (built) return;
  built = true;
  for (const module of DISSECTOR_MODULES) module.register();
  for (const module of DISSECTOR_MODULES) module.handoff();
}
