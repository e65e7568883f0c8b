// GRE samples: two routers joined by a GRE tunnel (IPv4 in GRE), NVGRE between two hypervisors,
// and host 1 of the Open vSwitch GRE topology (two interfaces, directions on every frame).
import { PACKET_INBOUND, PACKET_OUTBOUND } from '../capture/writer';
import { ETHERTYPE_IPV4, ETHERTYPE_TEB, Underlay, greFrame, nvgre } from '../craft';
import { INNER_ARP, INNER_ICMP, fromIp, greEthernetChain, greIpChain, tagged, tcpChain } from './chains';
import { Host, arpReply, arpRequest, ping, tcpConversation, tcpFrame, text } from './inner-frames';
import { SampleCapture } from './sample-capture';

/** Strips the 14-byte Ethernet header of a VM frame: what a router puts into an IP-in-GRE tunnel. */
function ipPacketOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(14);
}

/** Decrements the TTL of an IPv4 packet in place and fixes its checksum (the router's hop). */
function routed(packet: Uint8Array): Uint8Array {
  const out = packet.slice();
  out[8] -= 1;
  // RFC 1624 incremental update: the TTL is the high byte of its 16-bit word.
  let sum = ((out[10] << 8) | out[11]) + 0x0100;
  sum = (sum & 0xffff) + (sum >>> 16);
  out[10] = sum >> 8;
  out[11] = sum & 0xff;
  return out;
}

/**
 * gre-two-routers.pcap, captured on router R1's WAN link: host A 192.168.1.102 (behind R1) talks to
 * host B 192.168.2.115 (behind R2) through Tunnel0, outer 172.17.10.10 <-> 172.16.11.10.
 */
export function greTwoRouters(): SampleCapture {
  const s = new SampleCapture('gre-two-routers.pcap', 'pcap', false);
  const hostA: Host = { mac: '00:50:56:01:01:66', ip: '192.168.1.102' };
  const hostB: Host = { mac: '00:50:56:02:02:73', ip: '192.168.2.115' };
  const r1Wan = 'c2:01:0a:0a:00:01';
  const ispNextHop = 'c2:03:0a:0a:00:02';
  const r1ToR2: Underlay = { srcMac: r1Wan, dstMac: ispNextHop, srcIp: '172.17.10.10', dstIp: '172.16.11.10', ttl: 255 };
  // Arrives at R1 after one ISP hop.
  const r2ToR1: Underlay = { srcMac: ispNextHop, dstMac: r1Wan, srcIp: '172.16.11.10', dstIp: '172.17.10.10', ttl: 254 };
  let outerId = 0x2000;
  const tunnel = (fromA: boolean, frame: Uint8Array, gre: { key?: number; sequence?: number; checksum?: boolean } = {}) =>
    greFrame({
      outer: { ...(fromA ? r1ToR2 : r2ToR1), ipId: outerId++ },
      protocolType: ETHERTYPE_IPV4,
      payload: routed(ipPacketOf(frame)),
      ...gre,
    });

  for (let seq = 1; seq <= 2; seq++) {
    s.add({
      bytes: tunnel(true, ping(hostA, hostB, 'request', 1, seq)),
      chain: greIpChain(fromIp(INNER_ICMP)),
      note: seq === 1 ? 'A pings B through Tunnel0 (no key)' : undefined,
      key: seq === 1 ? 'firstPing' : undefined,
    }, 12_000);
    s.add({ bytes: tunnel(false, ping(hostB, hostA, 'reply', 1, seq)), chain: greIpChain(fromIp(INNER_ICMP)), key: seq === 1 ? 'firstReply' : undefined }, 1_000_000);
  }
  tcpConversation(hostA, hostB, 51000, 9000, text('hello from site A\n'), 3000, 8000).forEach(({ segment }, i) => {
    s.add({
      bytes: tunnel(segment.from === hostA, tcpFrame(segment)),
      chain: greIpChain(fromIp(tcpChain(segment.payload))),
      key: i === 0 ? 'tcpSyn' : undefined,
    }, 12_000);
  });
  s.advance(1_000_000);
  // The same hosts through a keyed tunnel (tunnel key 1): a GRE tenant with key 1, first with the
  // key alone, then with checksum and sequence numbers too.
  s.add({ bytes: tunnel(true, ping(hostA, hostB, 'request', 2, 1), { key: 1 }), chain: greIpChain(fromIp(INNER_ICMP)), key: 'keyedPing' }, 12_000);
  s.add({ bytes: tunnel(false, ping(hostB, hostA, 'reply', 2, 1), { key: 1 }), chain: greIpChain(fromIp(INNER_ICMP)) }, 1_000_000);
  s.add({ bytes: tunnel(true, ping(hostA, hostB, 'request', 2, 2), { key: 1, checksum: true, sequence: 1 }), chain: greIpChain(fromIp(INNER_ICMP)), key: 'keyedChecksumSequence' }, 12_000);
  s.add({ bytes: tunnel(false, ping(hostB, hostA, 'reply', 2, 2), { key: 1, checksum: true, sequence: 1 }), chain: greIpChain(fromIp(INNER_ICMP)) });
  return s;
}

/** nvgre.pcapng: two Hyper-V style hypervisors, two virtual subnets with the same inner IPs. */
export function nvgreSample(): SampleCapture {
  const s = new SampleCapture('nvgre.pcapng', 'pcapng', false);
  s.addInterface('underlay');
  const hv1 = { mac: '00:15:5d:00:00:01', ip: '198.51.100.1' };
  const hv2 = { mac: '00:15:5d:00:00:02', ip: '198.51.100.2' };
  let outerId = 0x3000;
  const outer = (fromHv1: boolean): Underlay => {
    const [a, b] = fromHv1 ? [hv1, hv2] : [hv2, hv1];
    return { srcMac: a.mac, dstMac: b.mac, srcIp: a.ip, dstIp: b.ip, ipId: outerId++ };
  };
  const subnets = [
    { vsid: 0x001234, flowIds: [0x11, 0x2a] },
    { vsid: 0x005678, flowIds: [0x12, 0x3b] },
  ];
  for (const { vsid, flowIds } of subnets) {
    const macPrefix = `00:1d:d8:${(vsid >> 8).toString(16).padStart(2, '0')}:${(vsid & 0xff).toString(16).padStart(2, '0')}`;
    const vmA: Host = { mac: `${macPrefix}:01`, ip: '10.10.0.1' };
    const vmB: Host = { mac: `${macPrefix}:02`, ip: '10.10.0.2' };
    const label = `VSID 0x${vsid.toString(16).padStart(6, '0')}`;
    const [arpFlow, pingFlow] = flowIds;
    s.add({ bytes: nvgre({ outer: outer(true), vsid, flowId: arpFlow, inner: arpRequest(vmA, vmB.ip) }), chain: greEthernetChain(INNER_ARP), note: `${label}: ARP request (broadcast, replicated to HV2)`, key: `arp${vsid.toString(16)}` }, 300);
    s.add({ bytes: nvgre({ outer: outer(false), vsid, flowId: arpFlow, inner: arpReply(vmB, vmA) }), chain: greEthernetChain(INNER_ARP) });
    s.add({ bytes: nvgre({ outer: outer(true), vsid, flowId: pingFlow, inner: ping(vmA, vmB, 'request', vsid & 0xffff, 1) }), chain: greEthernetChain(INNER_ICMP) }, 300);
    s.add({ bytes: nvgre({ outer: outer(false), vsid, flowId: pingFlow, inner: ping(vmB, vmA, 'reply', vsid & 0xffff, 1) }), chain: greEthernetChain(INNER_ICMP) }, 1_000_000);
  }
  // Key 0x00000001: its upper 24 bits are a reserved VSID, so this is a plain 32-bit GRE key tenant.
  const plainKeyVm: Host = { mac: '02:00:00:00:00:01', ip: '10.20.0.1' };
  s.add({
    bytes: greFrame({ outer: outer(true), protocolType: ETHERTYPE_TEB, key: 0x00000001, payload: arpRequest(plainKeyVm, '10.20.0.2') }),
    chain: greEthernetChain(INNER_ARP),
    note: 'GRE key 0x00000001 with 0x6558: reserved VSID range, so a plain GRE key tenant (key 1)',
    key: 'reservedVsidKey',
  });
  return s;
}

/**
 * ovs-gre/host1.pcapng: host 1 of the Open vSwitch topology of docs/overlay.md#open-vswitch-tunnel-bridges. Interface 0 "vm-side"
 * sees the VMs' 802.1Q-tagged frames on br1 port 1; interface 1 "eth0" is the underlay with the GRE
 * tunnels to host 2 (172.16.0.2) and host 3 (172.16.0.3).
 */
export function ovsGreHost1(): SampleCapture {
  const s = new SampleCapture('ovs-gre/host1.pcapng', 'pcapng', false);
  const vmSide = s.addInterface('vm-side');
  const eth0 = s.addInterface('eth0');
  const hosts = [1, 2, 3].map((n) => ({ mac: `52:54:00:10:00:0${n}`, ip: `172.16.0.${n}` }));
  const [host1] = hosts;
  let outerId = 0x4000;
  const tunnelTo = (peer: number, key: number, inner: Uint8Array) =>
    greFrame({
      outer: { srcMac: host1.mac, dstMac: hosts[peer - 1].mac, srcIp: host1.ip, dstIp: hosts[peer - 1].ip, ipId: outerId++, dontFragment: true },
      protocolType: ETHERTYPE_TEB,
      key,
      payload: inner,
    });
  const tunnelFrom = (peer: number, key: number, inner: Uint8Array) =>
    greFrame({
      outer: { srcMac: hosts[peer - 1].mac, dstMac: host1.mac, srcIp: hosts[peer - 1].ip, dstIp: host1.ip, ipId: 0x5000 + outerId++, dontFragment: true },
      protocolType: ETHERTYPE_TEB,
      key,
      payload: inner,
    });

  for (const vlan of [1, 2]) {
    const key = vlan; // table 3 / table 21: tun_id 0x1 <-> VLAN 1, 0x2 <-> VLAN 2
    const local: Host = { mac: `00:00:00:00:01:0${vlan}`, ip: '10.0.0.1' };
    const remote: Host = { mac: `00:00:00:00:02:0${vlan}`, ip: '10.0.0.2' };
    const tag = { vlans: [{ vid: vlan }] };
    const t = `vlan${vlan}`;
    s.add({ iface: vmSide, flags: PACKET_INBOUND, bytes: arpRequest(local, remote.ip, tag), chain: tagged(INNER_ARP), note: `VLAN ${vlan}: VM ${local.mac} broadcasts an ARP request`, key: `${t}ArpRequest` }, 40);
    s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: tunnelTo(2, key, arpRequest(local, remote.ip)), chain: greEthernetChain(INNER_ARP), note: `flood: tun_id 0x${key} to host 2`, key: `${t}FloodToHost2` }, 10);
    s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: tunnelTo(3, key, arpRequest(local, remote.ip)), chain: greEthernetChain(INNER_ARP), note: `flood: tun_id 0x${key} to host 3`, key: `${t}FloodToHost3` }, 350);
    s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: tunnelFrom(2, key, arpReply(remote, local)), chain: greEthernetChain(INNER_ARP), note: `ARP reply from ${remote.mac} via host 2 (learn: ${remote.mac} behind port to host 2)`, key: `${t}ReplyFromHost2` }, 30);
    s.add({ iface: vmSide, flags: PACKET_OUTBOUND, bytes: arpReply(remote, local, tag), chain: tagged(INNER_ARP), note: `delivered to VLAN ${vlan}`, key: `${t}ReplyDelivered` }, 500);
    s.add({ iface: vmSide, flags: PACKET_INBOUND, bytes: ping(local, remote, 'request', vlan, 1, tag), chain: tagged(INNER_ICMP), note: `VLAN ${vlan}: unicast ping to ${remote.mac}`, key: `${t}PingRequest` }, 10);
    s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: tunnelTo(2, key, ping(local, remote, 'request', vlan, 1)), chain: greEthernetChain(INNER_ICMP), note: 'unicast: learned flow, tunnel to host 2 only', key: `${t}UnicastToHost2` }, 400);
    s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: tunnelFrom(2, key, ping(remote, local, 'reply', vlan, 1)), chain: greEthernetChain(INNER_ICMP), key: `${t}PingReplyFromHost2` }, 30);
    s.add({ iface: vmSide, flags: PACKET_OUTBOUND, bytes: ping(remote, local, 'reply', vlan, 1, tag), chain: tagged(INNER_ICMP), key: `${t}PingReplyDelivered` }, 1_000_000);
  }
  return s;
}
