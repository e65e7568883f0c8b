// Flow tables of a Neutron-like compute node, written the way Neutron's Open vSwitch agent installs
// them (by port name): br-int with the openvswitch firewall driver (security groups as flows and
// conntrack: tables 60, 71-73, 81-82, 94), joined by patch ports to br-tun (VXLAN, VLAN 1 <-> VNI
// 0x64, learning in table 10, ARP responder in table 21). Used by the neutron-compute sample and by
// the test that compares trace with a real Open vSwitch.
//
// Ports: br-int tap-vm1 (5, VM1 fa:16:3e:00:01:01 10.0.0.1), tap-vm2 (6, VM2 fa:16:3e:00:01:02
// 10.0.0.2), patch-tun (2); br-tun patch-int (1), vxlan-ac10010a (3, to 172.16.1.10),
// vxlan-ac10010b (4, to 172.16.1.11, where VM9 fa:16:3e:00:02:09 10.0.0.9 lives). Security group of
// VM2: TCP 22 and ICMP from 10.0.0.0/24 (a conjunction); of VM1: TCP 80 from anywhere; egress open.

export const BR_INT_FLOWS = `table=0,priority=65535,dl_vlan=4095,actions=drop
table=0,priority=10,icmp6,in_port=tap-vm1,icmp_type=136,actions=resubmit(,24)
table=0,priority=10,arp,in_port=tap-vm1,actions=resubmit(,24)
table=0,priority=3,in_port=patch-tun,dl_vlan=1,actions=resubmit(,60)
table=0,priority=3,in_port=tap-vm1,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:1,resubmit(,60)
table=0,priority=3,in_port=tap-vm2,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:1,resubmit(,60)
table=0,priority=2,in_port=tap-vm1,actions=drop
table=0,priority=0,actions=resubmit(,60)
table=23,priority=0,actions=drop
table=24,priority=2,icmp6,in_port=tap-vm1,icmp_type=136,nd_target=fe80::f816:3eff:fe00:101,actions=mod_vlan_vid:1,resubmit(,60)
table=24,priority=2,arp,in_port=tap-vm1,arp_spa=10.0.0.1,actions=resubmit(,25)
table=24,priority=0,actions=drop
table=25,priority=2,in_port=tap-vm1,dl_src=fa:16:3e:00:01:01,actions=mod_vlan_vid:1,resubmit(,60)
table=60,priority=100,in_port=tap-vm1,actions=load:0x5->NXM_NX_REG5[],load:0x1->NXM_NX_REG6[],resubmit(,71)
table=60,priority=100,in_port=tap-vm2,actions=load:0x6->NXM_NX_REG5[],load:0x1->NXM_NX_REG6[],resubmit(,71)
table=60,priority=90,dl_vlan=1,dl_dst=fa:16:3e:00:01:01,actions=load:0x5->NXM_NX_REG5[],load:0x1->NXM_NX_REG6[],strip_vlan,resubmit(,81)
table=60,priority=90,dl_vlan=1,dl_dst=fa:16:3e:00:01:02,actions=load:0x6->NXM_NX_REG5[],load:0x1->NXM_NX_REG6[],strip_vlan,resubmit(,81)
table=60,priority=3,actions=NORMAL
table=71,priority=95,icmp6,reg5=0x5,in_port=tap-vm1,icmp_type=135,nd_target=fe80::f816:3eff:fe00:101,actions=resubmit(,94)
table=71,priority=95,arp,reg5=0x5,in_port=tap-vm1,dl_src=fa:16:3e:00:01:01,arp_spa=10.0.0.1,actions=resubmit(,94)
table=71,priority=95,arp,reg5=0x6,in_port=tap-vm2,dl_src=fa:16:3e:00:01:02,arp_spa=10.0.0.2,actions=resubmit(,94)
table=71,priority=80,udp,reg5=0x5,in_port=tap-vm1,udp_src=68,udp_dst=67,actions=resubmit(,73)
table=71,priority=65,ip,reg5=0x5,in_port=tap-vm1,dl_src=fa:16:3e:00:01:01,nw_src=10.0.0.1,actions=ct(table=72,zone=NXM_NX_REG6[0..15])
table=71,priority=65,ip,reg5=0x6,in_port=tap-vm2,dl_src=fa:16:3e:00:01:02,nw_src=10.0.0.2,actions=ct(table=72,zone=NXM_NX_REG6[0..15])
table=71,priority=10,reg5=0x5,in_port=tap-vm1,actions=resubmit(,93)
table=71,priority=10,reg5=0x6,in_port=tap-vm2,actions=resubmit(,93)
table=71,priority=0,actions=drop
table=72,priority=77,ct_state=+inv+trk,actions=resubmit(,93)
table=72,priority=77,ct_state=+est-rel+rpl,ip,reg5=0x5,actions=resubmit(,73)
table=72,priority=77,ct_state=+est-rel+rpl,ip,reg5=0x6,actions=resubmit(,73)
table=72,priority=75,ct_state=+est-rel-rpl,ip,reg5=0x5,actions=resubmit(,73)
table=72,priority=75,ct_state=+est-rel-rpl,ip,reg5=0x6,actions=resubmit(,73)
table=72,priority=70,ct_state=+new-est,ip,reg5=0x5,actions=resubmit(,73)
table=72,priority=70,ct_state=+new-est,ip,reg5=0x6,actions=resubmit(,73)
table=72,priority=50,ct_state=+inv+trk,actions=resubmit(,93)
table=72,priority=40,ct_state=-est,ip,reg5=0x5,actions=resubmit(,93)
table=72,priority=40,ct_state=-est,ip,reg5=0x6,actions=resubmit(,93)
table=72,priority=0,actions=drop
table=73,priority=100,reg6=0x1,dl_dst=fa:16:3e:00:01:01,actions=load:0x5->NXM_NX_REG5[],strip_vlan,ct_clear,resubmit(,81)
table=73,priority=100,reg6=0x1,dl_dst=fa:16:3e:00:01:02,actions=load:0x6->NXM_NX_REG5[],strip_vlan,ct_clear,resubmit(,81)
table=73,priority=90,ct_state=+new-est,ip,reg5=0x5,actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,94)
table=73,priority=90,ct_state=+new-est,ip,reg5=0x6,actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,94)
table=73,priority=80,reg5=0x5,actions=resubmit(,94)
table=73,priority=80,reg5=0x6,actions=resubmit(,94)
table=81,priority=100,arp,reg5=0x5,actions=output:tap-vm1
table=81,priority=100,arp,reg5=0x6,actions=output:tap-vm2
table=81,priority=100,icmp6,reg5=0x5,icmp_type=135,actions=output:tap-vm1
table=81,priority=90,ct_state=-trk,ip,reg5=0x5,actions=ct(table=82,zone=NXM_NX_REG6[0..15])
table=81,priority=90,ct_state=-trk,ip,reg5=0x6,actions=ct(table=82,zone=NXM_NX_REG6[0..15])
table=81,priority=80,ct_state=+trk,reg5=0x5,actions=resubmit(,82)
table=81,priority=80,ct_state=+trk,reg5=0x6,actions=resubmit(,82)
table=81,priority=0,actions=drop
table=82,priority=77,ct_state=+inv+trk,actions=drop
table=82,priority=72,ct_state=+est-rel+rpl,ip,reg5=0x5,actions=output:tap-vm1
table=82,priority=72,ct_state=+est-rel+rpl,ip,reg5=0x6,actions=output:tap-vm2
table=82,priority=70,ct_state=+new-est,ip,reg5=0x6,nw_src=10.0.0.0/24,actions=conjunction(18,1/2)
table=82,priority=70,ct_state=+new-est,tcp,reg5=0x6,tp_dst=22,actions=conjunction(18,2/2)
table=82,priority=70,ct_state=+new-est,icmp,reg5=0x6,actions=conjunction(18,2/2)
table=82,priority=70,conj_id=18,ct_state=+new-est,ip,reg5=0x6,actions=load:0x12->NXM_NX_REG7[],ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])),output:tap-vm2
table=82,priority=70,ct_state=+new-est,tcp,reg5=0x5,tp_dst=80,actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:tap-vm1
table=82,priority=50,ct_state=+est-rel-rpl,ct_mark=0x1,ip,reg5=0x6,actions=output:tap-vm2
table=82,priority=50,ct_state=+est-rel-rpl,ip,reg5=0x5,actions=output:tap-vm1
table=82,priority=40,ct_state=-est,ip,reg5=0x6,actions=drop
table=82,priority=0,actions=drop
table=93,priority=0,actions=drop
table=94,priority=12,reg6=0x1,dl_dst=fa:16:3e:00:01:01,actions=output:tap-vm1
table=94,priority=10,dl_src=fa:16:3e:00:01:01,actions=clone(note:6e.65.75),NORMAL
table=94,priority=1,actions=NORMAL
`;

export const BR_TUN_FLOWS = `table=0,priority=1,in_port=patch-int,actions=resubmit(,2)
table=0,priority=1,in_port=vxlan-ac10010a,actions=resubmit(,4)
table=0,priority=1,in_port=vxlan-ac10010b,actions=resubmit(,4)
table=0,priority=0,actions=drop
table=2,priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff,actions=resubmit(,21)
table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,20)
table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,22)
table=3,priority=0,actions=drop
table=4,priority=1,tun_id=0x64,actions=mod_vlan_vid:1,resubmit(,10)
table=4,priority=0,actions=drop
table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x4e,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:patch-int
table=20,priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:02:09,actions=strip_vlan,load:0x64->NXM_NX_TUN_ID[],output:vxlan-ac10010b
table=20,priority=0,actions=resubmit(,22)
table=21,priority=1,arp,dl_vlan=1,arp_tpa=10.0.0.9,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:00:02:09,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xfa163e000209->NXM_NX_ARP_SHA[],load:0xa000009->NXM_OF_ARP_SPA[],in_port
table=21,priority=0,actions=resubmit(,22)
table=22,priority=1,dl_vlan=1,actions=strip_vlan,load:0x64->NXM_NX_TUN_ID[],output:vxlan-ac10010a,output:vxlan-ac10010b
table=22,priority=0,actions=drop
`;
