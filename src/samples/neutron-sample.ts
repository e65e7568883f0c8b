// neutron-compute/: one OpenStack compute node (Neutron's Open vSwitch agent with the openvswitch
// firewall driver) as an operator would paste it: flows.txt (br-int and br-tun, each after a
// `# bridge` line), bridges.txt (`ovs-vsctl show` + `ovs-ofctl show` of both bridges) and
// vm1.pcapng, captured on VM1's tap and on the underlay (eth0), every frame with its direction.
// `tunnelscope replay` runs it end to end: br-int's security groups with connection tracking, the
// patch ports, br-tun's VXLAN ports, learning and ARP responder.
import { PACKET_INBOUND, PACKET_OUTBOUND } from '../capture/writer';
import { TCP_ACK, TCP_SYN } from '../craft';
import { INNER_ARP, INNER_TCP, vxlanChain } from './chains';
import { arpRequest, Host, tcpFrame } from './inner-frames';
import { BR_INT_FLOWS, BR_TUN_FLOWS } from './neutron-flows';
import { SampleCapture } from './sample-capture';
import { OuterIds, Vtep, vxlanUnicast } from './vxlan-samples';

const VM1: Host = { mac: 'fa:16:3e:00:01:01', ip: '10.0.0.1' };
const VM9: Host = { mac: 'fa:16:3e:00:02:09', ip: '10.0.0.9' };
const THIS_NODE: Vtep = { name: 'compute-1', mac: '52:54:00:ac:10:01', ip: '172.16.1.1' };
const NODE_B: Vtep = { name: 'compute-3', mac: '52:54:00:ac:10:0b', ip: '172.16.1.11' };
const VNI = 0x64;

/** The flow file: both bridges, each introduced the way the loader recognises. */
export const NEUTRON_FLOWS = `# bridge br-int\n${BR_INT_FLOWS}# bridge br-tun\n${BR_TUN_FLOWS}`;

/** What `ovs-vsctl show`, `ovs-ofctl show br-int` and `ovs-ofctl show br-tun` print on this node. */
export const NEUTRON_BRIDGES = `4b9f0c2e-1c6d-4e7a-9d8a-0f3c2b1a6e55
    Manager "ptcp:6640:127.0.0.1"
        is_connected: true
    Bridge br-int
        Controller "tcp:127.0.0.1:6633"
            is_connected: true
        fail_mode: secure
        datapath_type: system
        Port br-int
            Interface br-int
                type: internal
        Port tap-vm1
            Interface tap-vm1
        Port tap-vm2
            Interface tap-vm2
        Port patch-tun
            Interface patch-tun
                type: patch
                options: {peer=patch-int}
    Bridge br-tun
        Controller "tcp:127.0.0.1:6633"
            is_connected: true
        fail_mode: secure
        datapath_type: system
        Port patch-int
            Interface patch-int
                type: patch
                options: {peer=patch-tun}
        Port vxlan-ac10010a
            Interface vxlan-ac10010a
                type: vxlan
                options: {df_default="true", egress_pkt_mark="0", in_key=flow, local_ip="172.16.1.1", out_key=flow, remote_ip="172.16.1.10"}
        Port vxlan-ac10010b
            Interface vxlan-ac10010b
                type: vxlan
                options: {df_default="true", egress_pkt_mark="0", in_key=flow, local_ip="172.16.1.1", out_key=flow, remote_ip="172.16.1.11"}
        Port br-tun
            Interface br-tun
                type: internal
    ovs_version: "3.1.0"
OFPT_FEATURES_REPLY (xid=0x2): dpid:00006a1c5d3e4f41
n_tables:254, n_buffers:0
capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst
 2(patch-tun): addr:d2:3a:77:1f:0e:62
     config:     0
     state:      0
     speed: 0 Mbps now, 0 Mbps max
 5(tap-vm1): addr:fe:16:3e:00:01:01
     config:     0
     state:      0
     current:    10MB-FD COPPER
     speed: 10 Mbps now, 0 Mbps max
 6(tap-vm2): addr:fe:16:3e:00:01:02
     config:     0
     state:      0
     current:    10MB-FD COPPER
     speed: 10 Mbps now, 0 Mbps max
 LOCAL(br-int): addr:6a:1c:5d:3e:4f:41
     config:     PORT_DOWN
     state:      LINK_DOWN
     speed: 0 Mbps now, 0 Mbps max
OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0
OFPT_FEATURES_REPLY (xid=0x2): dpid:0000a65b2c1d0e44
n_tables:254, n_buffers:0
capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst
 1(patch-int): addr:8e:10:c4:52:7b:0d
     config:     0
     state:      0
     speed: 0 Mbps now, 0 Mbps max
 3(vxlan-ac10010a): addr:62:6f:0c:1e:9d:3a
     config:     0
     state:      0
     speed: 0 Mbps now, 0 Mbps max
 4(vxlan-ac10010b): addr:9a:51:23:8c:4e:71
     config:     0
     state:      0
     speed: 0 Mbps now, 0 Mbps max
 LOCAL(br-tun): addr:a6:5b:2c:1d:0e:44
     config:     PORT_DOWN
     state:      LINK_DOWN
     speed: 0 Mbps now, 0 Mbps max
OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0
`;

/** Text files written beside the capture. */
export const NEUTRON_TEXT_FILES: Record<string, string> = {
  'neutron-compute/flows.txt': NEUTRON_FLOWS,
  'neutron-compute/bridges.txt': NEUTRON_BRIDGES,
};

/**
 * vm1.pcapng: VM1 (10.0.0.1 on tap-vm1, VLAN 1 / VNI 0x64 inside the node) talks to VM9 (10.0.0.9
 * on compute-3, 172.16.1.11). Security groups: VM1 accepts TCP 80 only; egress is open.
 */
export function neutronCompute(): SampleCapture {
  const s = new SampleCapture('neutron-compute/vm1.pcapng', 'pcapng', false);
  const tap = s.addInterface('tap-vm1');
  const eth0 = s.addInterface('eth0');
  const ids = new OuterIds();
  const out = (inner: Uint8Array) => vxlanUnicast(ids, THIS_NODE, NODE_B, VNI, inner);
  const back = (inner: Uint8Array) => vxlanUnicast(ids, NODE_B, THIS_NODE, VNI, inner);
  const tcp = (from: Host, to: Host, srcPort: number, dstPort: number, flags: number, seq: number, ack: number) => tcpFrame({ from, to, srcPort, dstPort, seq, ack, flags });
  const vx = vxlanChain(INNER_TCP);
  s.add({ iface: tap, flags: PACKET_INBOUND, bytes: arpRequest(VM1, VM9.ip), chain: INNER_ARP, note: 'VM1 asks for 10.0.0.9: NORMAL floods it into br-tun, whose ARP responder (table 21) answers', key: 'arpRequest' }, 0);
  s.add({ iface: tap, flags: PACKET_OUTBOUND, bytes: arpReplyFromResponder(), chain: INNER_ARP, note: "br-tun's ARP responder: 10.0.0.9 is at fa:16:3e:00:02:09", key: 'arpReply' }, 200);
  s.add({ iface: tap, flags: PACKET_INBOUND, bytes: tcp(VM1, VM9, 40000, 22, TCP_SYN, 100, 0), chain: INNER_TCP, note: 'VM1 opens SSH to VM9: egress conntrack new, committed in zone 1', key: 'sshSyn' }, 1000);
  s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: out(tcp(VM1, VM9, 40000, 22, TCP_SYN, 100, 0)), chain: vx, note: 'br-tun table 20: unicast VXLAN to compute-3, VNI 0x64' }, 60);
  s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: back(tcp(VM9, VM1, 22, 40000, TCP_SYN | TCP_ACK, 900, 101)), chain: vx, note: 'SYN/ACK from VM9: br-tun learns VM9 behind vxlan-ac10010b', key: 'sshSynAck' }, 400);
  s.add({ iface: tap, flags: PACKET_OUTBOUND, bytes: tcp(VM9, VM1, 22, 40000, TCP_SYN | TCP_ACK, 900, 101), chain: INNER_TCP, note: 'ingress conntrack: established reply, delivered', key: 'sshSynAckDelivered' }, 60);
  s.add({ iface: tap, flags: PACKET_INBOUND, bytes: tcp(VM1, VM9, 40000, 22, TCP_ACK, 101, 901), chain: INNER_TCP, note: 'ACK: established', key: 'sshAck' }, 100);
  s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: out(tcp(VM1, VM9, 40000, 22, TCP_ACK, 101, 901)), chain: vx }, 60);
  s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: back(tcp(VM9, VM1, 50000, 22, TCP_SYN, 300, 0)), chain: vx, note: 'VM9 tries SSH to VM1: no security-group rule allows it, dropped', key: 'sshBlocked' }, 2000);
  s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: back(tcp(VM9, VM1, 50002, 80, TCP_SYN, 500, 0)), chain: vx, note: "VM9 opens HTTP to VM1: allowed by VM1's TCP 80 rule, committed", key: 'httpSyn' }, 1000);
  s.add({ iface: tap, flags: PACKET_OUTBOUND, bytes: tcp(VM9, VM1, 50002, 80, TCP_SYN, 500, 0), chain: INNER_TCP, key: 'httpSynDelivered' }, 60);
  s.add({ iface: tap, flags: PACKET_INBOUND, bytes: tcp(VM1, VM9, 80, 50002, TCP_SYN | TCP_ACK, 7000, 501), chain: INNER_TCP, note: "VM1 answers: egress conntrack sees the reply of the ingress connection", key: 'httpSynAck' }, 100);
  s.add({ iface: eth0, flags: PACKET_OUTBOUND, bytes: out(tcp(VM1, VM9, 80, 50002, TCP_SYN | TCP_ACK, 7000, 501)), chain: vx }, 60);
  s.add({ iface: eth0, flags: PACKET_INBOUND, bytes: back(tcp(VM9, VM1, 50001, 80, TCP_SYN | TCP_ACK, 42, 42)), chain: vx, note: 'a SYN/ACK that answers no connection: conntrack invalid, dropped', key: 'straySynAck' }, 1000);
  return s;
}

/** The reply br-tun's ARP responder builds from VM1's request (table 21's moves and loads). */
function arpReplyFromResponder(): Uint8Array {
  const frame = arpRequest(VM1, VM9.ip).slice();
  const mac = (text: string) => text.split(':').map((h) => parseInt(h, 16));
  frame.set(mac(VM1.mac), 0);
  frame.set(mac(VM9.mac), 6);
  frame[21] = 2;
  frame.set(mac(VM9.mac), 22);
  frame.set([10, 0, 0, 9], 28);
  frame.set(mac(VM1.mac), 32);
  frame.set([10, 0, 0, 1], 38);
  return frame;
}
