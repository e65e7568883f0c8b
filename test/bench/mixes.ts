// The traffic mixes `npm run bench` times: each a set of generator options (generate-vxlan.ts) that
// stresses another part of reading, dissecting and the overlay analysis.
import type { GenerateVxlanOptions } from './generate-vxlan';

export interface TrafficMix {
  name: string;
  about: string;
  options: Omit<GenerateVxlanOptions, 'packets'>;
}

export const TRAFFIC_MIXES: readonly TrafficMix[] = [
  {
    name: 'current',
    about: '200 VNIs, 32 VTEPs, IGMP reports, ARP floods to the tenant group, mostly small TCP/UDP/ICMP',
    options: { vnis: 200, vteps: 32, seed: 7 },
  },
  {
    name: 'head-end',
    about: '256 VNIs, 16 VTEPs, no IGMP, a quarter of the frames inner broadcast ARP as unicast copies to each VTEP of the tenant, payloads up to 1.2 kB',
    options: { vnis: 256, vteps: 16, seed: 16, igmp: false, headEnd: true, broadcastShare: 0.25, maxPayload: 1200 },
  },
  {
    name: 'mtu',
    about: 'every TCP/UDP data payload 1400 bytes (1504-byte frames)',
    options: { vnis: 200, vteps: 32, seed: 8, fullPayloads: true },
  },
  {
    name: 'scale',
    about: '10,000 VTEPs, 4,000 VNIs x 250 VMs (1M MACs), half the frames broadcast ARP from MACs not seen before, no IGMP',
    options: { vnis: 4000, vmsPerVni: 250, vteps: 10000, seed: 9, igmp: false, broadcastShare: 0.5 },
  },
  {
    name: 'fragments',
    about: 'underlay MTU 600: every longer tunnel packet is sent as IPv4 fragments',
    options: { vnis: 200, vteps: 32, seed: 10, fragmentAbove: 600 },
  },
  {
    name: 'erspan',
    about: 'every frame mirrored: Ethernet/IPv4/GRE/ERSPAN type II around the VXLAN frame',
    options: { vnis: 200, vteps: 32, seed: 11, erspan: true },
  },
  {
    name: 'long',
    about: '1,000 VNIs x 100 VMs, 64 VTEPs, no IGMP, 15 ms mean gap (1M packets span about 4 hours): MACs age out of the FDB and come back',
    options: { vnis: 1000, vmsPerVni: 100, vteps: 64, seed: 12, igmp: false, meanGapNs: 15_000_000 },
  },
];

export function findMix(name: string): TrafficMix {
  const mix = TRAFFIC_MIXES.find((m) => m.name === name);
  if (mix === undefined) throw new Error(`no traffic mix '${name}' (mixes: ${TRAFFIC_MIXES.map((m) => m.name).join(', ')})`);
  return mix;
}
