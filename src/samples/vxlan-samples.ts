// The VXLAN stories of docs/overlay.md: three hosts with two tenants that reuse the same inner IPs, and a
// VM that migrates from one VTEP to another. Frame numbers are listed in make-samples.ts and
// samples/README.md.
import {
  ETHERTYPE_IPV4,
  IGMPV3_REPORT_GROUP,
  IPV4_OPTION_ROUTER_ALERT,
  IpPayload,
  ethernet,
  igmpv2Report,
  igmpv3Report,
  ipv4,
  ipv4MulticastMac,
  vxlan,
} from '../craft';
import { IGMP, INNER_ARP, INNER_ICMP, INNER_UDP_DATA, tcpChain, vxlanChain } from './chains';
import { Host, arpReply, arpRequest, gratuitousArp, ping, tcpConversation, tcpFrame, text, udpFrame } from './inner-frames';
import { SampleCapture } from './sample-capture';

export interface Vtep {
  name: string;
  mac: string;
  ip: string;
}

export const VTEPS: readonly Vtep[] = [1, 2, 3].map((n) => ({
  name: `VTEP${n}`,
  mac: `52:54:00:64:00:0${n}`,
  ip: `192.168.100.${n}`,
}));

export interface VxlanTenant {
  vni: number;
  group: string;
  /** VM1, VM2, VM3, behind VTEP1, VTEP2, VTEP3. */
  vms: readonly Host[];
}

/** Both tenants use 10.0.0.1-3; only the VNI and the MACs tell them apart. */
export const TENANTS: readonly VxlanTenant[] = [
  { vni: 101, group: '239.1.1.1', vms: [1, 2, 3].map((n) => ({ mac: `fa:16:3e:00:65:0${n}`, ip: `10.0.0.${n}` })) },
  { vni: 102, group: '239.1.1.2', vms: [1, 2, 3].map((n) => ({ mac: `fa:16:3e:00:66:0${n}`, ip: `10.0.0.${n}` })) },
];

/** Sends the IP ids of outer headers up per capture, like a kernel's counter. */
export class OuterIds {
  private next = 0x1000;
  take(): number {
    return this.next++ & 0xffff;
  }
}

export function vxlanUnicast(ids: OuterIds, from: Vtep, to: Vtep, vni: number, inner: Uint8Array): Uint8Array {
  return vxlan({ outer: { srcMac: from.mac, dstMac: to.mac, srcIp: from.ip, dstIp: to.ip, ipId: ids.take() }, vni, inner });
}

export function vxlanToGroup(ids: OuterIds, from: Vtep, group: string, vni: number, inner: Uint8Array): Uint8Array {
  // Linux sends VXLAN multicast with TTL 1 unless told otherwise.
  return vxlan({
    outer: { srcMac: from.mac, dstMac: ipv4MulticastMac(group), srcIp: from.ip, dstIp: group, ttl: 1, ipId: ids.take() },
    vni,
    inner,
  });
}

function igmpFrame(from: Vtep, dst: string, message: IpPayload): Uint8Array {
  return ethernet({
    src: from.mac,
    dst: ipv4MulticastMac(dst),
    etherType: ETHERTYPE_IPV4,
    payload: ipv4({ src: from.ip, dst, ttl: 1, tos: 0xc0, options: IPV4_OPTION_ROUTER_ALERT, payload: message }),
  });
}

export function igmpv3Join(from: Vtep, groups: readonly string[]): Uint8Array {
  return igmpFrame(from, IGMPV3_REPORT_GROUP, igmpv3Report(groups.map((group) => ({ group }))));
}

export function igmpv2Join(from: Vtep, group: string): Uint8Array {
  return igmpFrame(from, group, igmpv2Report(group));
}

/** vxlan-three-hosts.pcapng: see the frame table in make-samples.ts. */
export function vxlanThreeHosts(): SampleCapture {
  const s = new SampleCapture('vxlan-three-hosts.pcapng', 'pcapng', true);
  s.addInterface('underlay');
  const ids = new OuterIds();
  const [vtep1, vtep2, vtep3] = VTEPS;
  const groups = TENANTS.map((t) => t.group);
  for (const vtep of VTEPS) {
    s.add(
      { bytes: igmpv3Join(vtep, groups), chain: IGMP, note: `${vtep.name} joins ${groups.join(' and ')} (IGMPv3)`, key: `igmp${vtep.name}` },
      10_000,
    );
  }
  s.advance(1_000_000);

  for (const tenant of TENANTS) {
    const { vni, group } = tenant;
    const [vm1, vm2, vm3] = tenant.vms;
    const tag = `vni${vni}`;
    const id = vni; // ping identifier

    s.add({
      bytes: vxlanToGroup(ids, vtep1, group, vni, arpRequest(vm1, vm2.ip)),
      chain: vxlanChain(INNER_ARP),
      note: `VNI ${vni}: VM1 asks for 10.0.0.2; VTEP1 floods it to ${group}; VTEP2 and VTEP3 learn VM1 behind VTEP1`,
      key: `${tag}Flood`,
    }, 250);
    s.add({
      bytes: vxlanUnicast(ids, vtep2, vtep1, vni, arpReply(vm2, vm1)),
      chain: vxlanChain(INNER_ARP),
      note: `VNI ${vni}: VM2's ARP reply, unicast VTEP2 -> VTEP1; VTEP1 learns VM2 behind VTEP2`,
      key: `${tag}UnicastReply`,
    });
    for (let seq = 1; seq <= 2; seq++) {
      s.add({ bytes: vxlanUnicast(ids, vtep1, vtep2, vni, ping(vm1, vm2, 'request', id, seq)), chain: vxlanChain(INNER_ICMP), key: seq === 1 ? `${tag}FirstPing` : undefined }, 300);
      s.add({ bytes: vxlanUnicast(ids, vtep2, vtep1, vni, ping(vm2, vm1, 'reply', id, seq)), chain: vxlanChain(INNER_ICMP) }, 1_000_000);
    }

    if (vni === 101) {
      const conversation = tcpConversation(vm1, vm2, 43210, 9000, text('GET /status tenant-101\n'));
      conversation.forEach(({ label, segment }, i) => {
        const [from, to] = segment.from === vm1 ? [vtep1, vtep2] : [vtep2, vtep1];
        s.add({
          bytes: vxlanUnicast(ids, from, to, vni, tcpFrame(segment)),
          chain: vxlanChain(tcpChain(segment.payload)),
          note: i === 0 ? 'VNI 101: TCP VM1:43210 -> VM2:9000' : undefined,
          key: i === 0 ? 'vni101TcpSyn' : undefined,
        }, label === 'SYN' || label === 'SYN/ACK' ? 200 : 500);
      });
      s.add({
        bytes: vxlanUnicast(ids, vtep1, vtep2, vni, udpFrame(vm1, vm2, 50000, 7000, text('udp request tenant-101'))),
        chain: vxlanChain(INNER_UDP_DATA),
        note: 'VNI 101: UDP VM1:50000 -> VM2:7000',
        key: 'vni101Udp',
      }, 400);
      s.add({ bytes: vxlanUnicast(ids, vtep2, vtep1, vni, udpFrame(vm2, vm1, 7000, 50000, text('udp reply tenant-101'))), chain: vxlanChain(INNER_UDP_DATA) });
      s.advance(500_000);

      // VM3 looks for VM1: a second flood, from VTEP3, then a unicast reply VTEP1 -> VTEP3.
      s.add({
        bytes: vxlanToGroup(ids, vtep3, group, vni, arpRequest(vm3, vm1.ip)),
        chain: vxlanChain(INNER_ARP),
        note: `VNI 101: VM3 asks for 10.0.0.1; VTEP3 floods it to ${group}; VTEP1 and VTEP2 learn VM3 behind VTEP3`,
        key: 'vni101Vm3Flood',
      }, 250);
      s.add({
        bytes: vxlanUnicast(ids, vtep1, vtep3, vni, arpReply(vm1, vm3)),
        chain: vxlanChain(INNER_ARP),
        note: 'VNI 101: VM1 replies unicast VTEP1 -> VTEP3 (VTEP3 already knew VM1: a refresh)',
        key: 'vni101Vm3UnicastReply',
      });
      s.add({ bytes: vxlanUnicast(ids, vtep3, vtep1, vni, ping(vm3, vm1, 'request', 0x301, 1)), chain: vxlanChain(INNER_ICMP) }, 300);
      s.add({ bytes: vxlanUnicast(ids, vtep1, vtep3, vni, ping(vm1, vm3, 'reply', 0x301, 1)), chain: vxlanChain(INNER_ICMP) });
    } else {
      // VM3 looks for VM2: a flood from VTEP3, answered unicast VTEP2 -> VTEP3.
      s.add({
        bytes: vxlanToGroup(ids, vtep3, group, vni, arpRequest(vm3, vm2.ip)),
        chain: vxlanChain(INNER_ARP),
        note: `VNI 102: VM3 asks for 10.0.0.2; VTEP3 floods it to ${group}; VTEP1 and VTEP2 learn VM3 behind VTEP3`,
        key: 'vni102Vm3Flood',
      }, 250);
      s.add({
        bytes: vxlanUnicast(ids, vtep2, vtep3, vni, arpReply(vm2, vm3)),
        chain: vxlanChain(INNER_ARP),
        note: 'VNI 102: VM2 replies unicast VTEP2 -> VTEP3; VTEP3 learns VM2 behind VTEP2',
        key: 'vni102Vm3UnicastReply',
      });
      s.add({ bytes: vxlanUnicast(ids, vtep3, vtep2, vni, ping(vm3, vm2, 'request', 0x302, 1)), chain: vxlanChain(INNER_ICMP) }, 300);
      s.add({ bytes: vxlanUnicast(ids, vtep2, vtep3, vni, ping(vm2, vm3, 'reply', 0x302, 1)), chain: vxlanChain(INNER_ICMP) });
    }
    s.advance(1_000_000);
  }
  return s;
}

/** vxlan-vm-migration.pcapng: VM2 (VNI 101) moves from VTEP2 to VTEP3. */
export function vxlanVmMigration(): SampleCapture {
  const s = new SampleCapture('vxlan-vm-migration.pcapng', 'pcapng', false);
  s.addInterface('underlay');
  const ids = new OuterIds();
  const [vtep1, vtep2, vtep3] = VTEPS;
  const { vni, group, vms } = TENANTS[0];
  const [vm1, vm2] = vms;

  for (const vtep of VTEPS) {
    s.add({ bytes: igmpv2Join(vtep, group), chain: IGMP, note: `${vtep.name} joins ${group} (IGMPv2)` }, 10_000);
  }
  s.advance(1_000_000);
  s.add({
    bytes: vxlanToGroup(ids, vtep2, group, vni, gratuitousArp(vm2)),
    chain: vxlanChain(INNER_ARP),
    note: 'VM2 boots behind VTEP2 and announces itself (gratuitous ARP) to the group; VTEP1 and VTEP3 learn VM2 behind VTEP2',
    key: 'bootAnnounce',
  }, 2_000_000);
  s.add({
    bytes: vxlanToGroup(ids, vtep1, group, vni, arpRequest(vm1, vm2.ip)),
    chain: vxlanChain(INNER_ARP),
    note: 'VM1 asks for 10.0.0.2, flooded by VTEP1; VTEP2 and VTEP3 learn VM1 behind VTEP1',
    key: 'vm1Flood',
  }, 250);
  s.add({
    bytes: vxlanUnicast(ids, vtep2, vtep1, vni, arpReply(vm2, vm1)),
    chain: vxlanChain(INNER_ARP),
    note: 'VM2 replies unicast VTEP2 -> VTEP1 (VTEP1 already knows VM2 behind VTEP2: a refresh)',
    key: 'replyFromVtep2',
  });
  s.add({ bytes: vxlanUnicast(ids, vtep1, vtep2, vni, ping(vm1, vm2, 'request', 0x65, 1)), chain: vxlanChain(INNER_ICMP) }, 300);
  s.add({ bytes: vxlanUnicast(ids, vtep2, vtep1, vni, ping(vm2, vm1, 'reply', 0x65, 1)), chain: vxlanChain(INNER_ICMP) });
  s.advance(10_000_000);

  s.add({
    bytes: vxlanToGroup(ids, vtep3, group, vni, gratuitousArp(vm2)),
    chain: vxlanChain(INNER_ARP),
    note: 'VM2 migrated to host 3: gratuitous ARP flooded by VTEP3; VTEP1 moves VM2 from VTEP2 to VTEP3, VTEP2 learns VM2 behind VTEP3',
    key: 'migrationAnnounce',
  }, 5_000);
  s.add({
    bytes: vxlanUnicast(ids, vtep3, vtep1, vni, ping(vm2, vm1, 'request', 0x66, 1)),
    chain: vxlanChain(INNER_ICMP),
    note: 'VM2 now talks unicast from VTEP3 -> VTEP1',
    key: 'unicastFromVtep3',
  }, 300);
  s.add({ bytes: vxlanUnicast(ids, vtep1, vtep3, vni, ping(vm1, vm2, 'reply', 0x66, 1)), chain: vxlanChain(INNER_ICMP) }, 1_000_000);
  s.add({ bytes: vxlanUnicast(ids, vtep1, vtep3, vni, ping(vm1, vm2, 'request', 0x65, 2)), chain: vxlanChain(INNER_ICMP) }, 300);
  s.add({ bytes: vxlanUnicast(ids, vtep3, vtep1, vni, ping(vm2, vm1, 'reply', 0x65, 2)), chain: vxlanChain(INNER_ICMP) });
  return s;
}
