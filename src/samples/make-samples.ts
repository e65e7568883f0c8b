// Writes the sample captures into a directory (default: samples/):
//   node dist/src/samples/make-samples.js samples
// Everything is deterministic (fixed MACs, timestamps from 2024-01-01T00:00:00Z), so the files only
// change when this generator does. Key frames (also in samples/README.md; the golden test checks both):
//
// vxlan-three-hosts.pcapng (33 frames, ns timestamps; VTEPs 192.168.100.1/.2/.3, UDP 4789)
//   1-3    IGMPv3 reports: VTEP1, VTEP2, VTEP3 join 239.1.1.1 (VNI 101) and 239.1.1.2 (VNI 102)
//   4      VNI 101 flood: VM1's ARP request, VTEP1 -> 239.1.1.1 (VTEP2, VTEP3 learn VM1 @ VTEP1)
//   5      VNI 101 unicast reply: VM2's ARP reply, VTEP2 -> VTEP1 (VTEP1 learns VM2 @ VTEP2)
//   6-9    VNI 101 ping VM1 <-> VM2 (2 requests, 2 replies)
//   10-17  VNI 101 TCP VM1:43210 -> VM2:9000 (SYN, SYN/ACK, ACK, data, ACK, FIN, FIN, ACK)
//   18-19  VNI 101 UDP VM1:50000 <-> VM2:7000
//   20     VNI 101 flood: VM3's ARP request, VTEP3 -> 239.1.1.1 (VTEP1, VTEP2 learn VM3 @ VTEP3)
//   21     VNI 101 unicast reply VTEP1 -> VTEP3 (refresh: VTEP3 knew VM1 since frame 4)
//   22-23  VNI 101 ping VM3 <-> VM1
//   24     VNI 102 flood: VM1's ARP request, VTEP1 -> 239.1.1.2 (VTEP2, VTEP3 learn VM1 @ VTEP1)
//   25     VNI 102 unicast reply VTEP2 -> VTEP1 (VTEP1 learns VM2 @ VTEP2)
//   26-29  VNI 102 ping VM1 <-> VM2, same inner IPs as VNI 101
//   30     VNI 102 flood: VM3's ARP request for 10.0.0.2, VTEP3 -> 239.1.1.2 (VTEP1, VTEP2 learn VM3)
//   31     VNI 102 unicast reply VTEP2 -> VTEP3 (VTEP3 learns VM2 @ VTEP2)
//   32-33  VNI 102 ping VM3 <-> VM2
// vxlan-vm-migration.pcapng (13 frames, VNI 101)
//   1-3    IGMPv2 reports for 239.1.1.1
//   4      VM2 boots behind VTEP2: gratuitous ARP to the group (VTEP1, VTEP3 learn VM2 @ VTEP2)
//   5      VM1's ARP request flooded by VTEP1 (VTEP2, VTEP3 learn VM1 @ VTEP1)
//   6      VM2's reply VTEP2 -> VTEP1 (refresh);  7-8 ping VM1 <-> VM2 via VTEP2
//   9      VM2 migrated: gratuitous ARP from VTEP3 to the group (VTEP1: move VTEP2 -> VTEP3;
//          VTEP2: learn VM2 @ VTEP3)
//   10     VM2 talks unicast VTEP3 -> VTEP1;  11-13 more ping via VTEP3
// gre-two-routers.pcap (16 frames, classic pcap, microseconds; outer 172.17.10.10 <-> 172.16.11.10)
//   1-4    ping A 192.168.1.102 <-> B 192.168.2.115 in GRE without key
//   5-12   TCP A:51000 -> B:9000 in GRE without key
//   13-14  ping in GRE with key 1;  15-16 ping in GRE with checksum, key 1 and sequence
// nvgre.pcapng (9 frames; hypervisors 198.51.100.1/.2)
//   1-4    VSID 0x001234: ARP request/reply, ping (flow ids 0x11, 0x2a)
//   5-8    VSID 0x005678: the same with the same inner IPs (flow ids 0x12, 0x3b)
//   9      key 0x00000001 with 0x6558: reserved VSID range = plain GRE key tenant 1
// geneve.pcapng (4 frames, VNI 5001, one OVN option TLV): ARP request/reply, ping request/reply
// ovs-gre/host1.pcapng (18 frames; if 0 "vm-side", if 1 "eth0"; every frame has a direction)
//   VLAN 1 / tun_id 0x1: 1 ARP request in (vm-side) -> 2, 3 flood to 172.16.0.2 and .3 (eth0 out)
//   -> 4 reply in from 172.16.0.2 -> 5 delivered tagged (vm-side out) -> 6 ping in (vm-side)
//   -> 7 unicast GRE to 172.16.0.2 only -> 8 reply in from 172.16.0.2 -> 9 delivered (vm-side out)
//   VLAN 2 / tun_id 0x2: frames 10-18, the same story.
// vxlan-erspan-mirror.pcapng (9 frames; switch 10.20.0.1 mirrors to collector 10.20.0.100)
//   1-4    ERSPAN type II session 100: VNI 101 ARP request/reply, ping request/reply (VTEP1 <-> VTEP2)
//   5-8    ERSPAN type III session 200 (timestamps): the same;  9 ERSPAN type I (no header): a ping
// vxlan-underlay-fragmented.pcapng (10 frames; VTEP1 <-> VTEP2, VNI 101, underlay MTU 1000)
//   1-2    ARP request/reply (small: not fragmented)
//   3-4    a 1550-byte VXLAN ping request (outer IP) in two IP fragments (reassembled at 4); 5-6 its
//          reply; 7-10 the second ping, the same. Finding: underlay fragmentation, MTU 1550 avoids it
// mpls-over-gre.pcapng (5 frames; PE 203.0.113.1 <-> 203.0.113.2, GRE without key)
//   1-4    ping 10.1.0.1 <-> 10.2.0.1 with two labels (16001/24 and 16002/25);  5 UDP with one label (24)
// neutron-compute/vm1.pcapng (14 frames; if 0 "tap-vm1", if 1 "eth0"), with flows.txt and bridges.txt
//   1-2 VM1's ARP for 10.0.0.9 answered by br-tun's ARP responder; 3-8 SSH VM1 -> VM9 over VXLAN
//   (egress conntrack new, reply established); 9 SSH VM9 -> VM1 dropped by the security group;
//   10-13 HTTP VM9 -> VM1 allowed and answered; 14 an ACK of no connection, invalid, dropped.
// three-hypervisors/host1-3.pcapng + truth.json: one overlay seen from three hypervisors, clocks
//   offset, host 3 starting late, four transmissions lost (see hypervisor-samples.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { geneveSample } from './geneve-sample';
import { hypervisorSamples } from './hypervisor-samples';
import { greTwoRouters, nvgreSample, ovsGreHost1 } from './gre-samples';
import { NEUTRON_TEXT_FILES, neutronCompute } from './neutron-sample';
import { SampleCapture } from './sample-capture';
import { erspanMirror, mplsOverGre, vxlanUnderlayFragmented } from './transport-samples';
import { vxlanThreeHosts, vxlanVmMigration } from './vxlan-samples';

/** Every sample, freshly built (cheap: a few dozen frames each). */
export function buildSamples(): SampleCapture[] {
  return [vxlanThreeHosts(), vxlanVmMigration(), greTwoRouters(), nvgreSample(), geneveSample(), ovsGreHost1(), neutronCompute(), ...hypervisorSamples().captures, erspanMirror(), vxlanUnderlayFragmented(), mplsOverGre()];
}

/** Writes every sample under `directory`; returns the paths written. */
export function writeSamples(directory: string): string[] {
  const written = buildSamples().map((sample) => {
    const file = path.join(directory, sample.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    sample.write(file);
    return file;
  });
  // The flow tables and bridge descriptions that go with the neutron-compute capture.
  const neutronFiles = Object.entries(NEUTRON_TEXT_FILES).map(([name, text]) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, text);
    return file;
  });
  const { truth, truthFile } = hypervisorSamples();
  const truthPath = path.join(directory, truthFile);
  fs.writeFileSync(truthPath, JSON.stringify(truth, null, 2) + '\n');
  return [...written, ...neutronFiles, truthPath];
}

if (require.main === module) {
  const directory = process.argv[2] ?? 'samples';
  for (const file of writeSamples(directory)) console.log(`wrote ${file}`);
}
