// The JSON shapes of `tunnelscope tenants` and `tunnelscope vteps`. The CLI prints these objects as
// they are; the reports, the UI and the live capture consume the same types.

import type { TenantRef } from '../dissect/tenant-id';

export type { TenantRef, TenantTypeName } from '../dissect/tenant-id';

export type ConversationLayer = 'eth' | 'ip' | 'tcp' | 'udp';

export interface Conversation {
  layer: ConversationLayer;
  /** MAC, IP address, or "ip:port" ("[ipv6]:port"); `a` is the source of the conversation's first frame. */
  a: string;
  b: string;
  packets: number;
  /** Bytes of the encapsulated frame: the inner Ethernet frame, or the inner IP packet for IP-in-GRE. */
  bytes: number;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  /** 1-based frame numbers. */
  firstFrame: number;
  lastFrame: number;
  /** Seconds since the epoch. */
  firstTime: number;
  lastTime: number;
}

export interface FloodShare {
  /** Frames flooded: an inner broadcast/multicast destination, or sent to an underlay group. */
  packets: number;
  broadcast: number;
  multicast: number;
  /** Unicast inner destination sent to a group: the VTEP did not know where it lives. */
  unknownUnicast: number;
  /** Frames whose outer destination is a multicast group. */
  toGroup: number;
  /** packets / tenant packets, 0..1. */
  share: number;
}

export interface TenantSummary extends TenantRef {
  /** "vxlan 101", "nvgre 0x001234", "gre key 1". */
  name: string;
  packets: number;
  /** Outer frame bytes as on the wire (frame.len). */
  bytes: number;
  /** Bytes of the encapsulated frames. */
  innerBytes: number;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
  /** Outer addresses that sent or received this tenant's frames (groups excluded), sorted. */
  vteps: string[];
  /** Multicast groups this tenant's frames were sent to. */
  groups: string[];
  flood: FloodShare;
  conversations: Conversation[];
}

export type FindingKind = 'duplicate-ip' | 'mac-in-two-tenants' | 'vxlan-no-i-flag' | 'mtu-exceeded' | 'underlay-fragmentation';

export interface Finding {
  kind: FindingKind;
  severity: 'warning' | 'error';
  /** One line a network engineer reads. */
  message: string;
  tenant?: TenantRef;
  /** Tenants involved when more than one (mac-in-two-tenants). */
  tenants?: TenantRef[];
  address?: string;
  /** duplicate-ip: each MAC that claimed the address and the first frame it did (1-based). */
  claims?: { mac: string; firstFrame: number }[];
  /** mac-in-two-tenants: the MAC. */
  mac?: string;
  /** Frames affected (vxlan-no-i-flag, mtu-exceeded); underlay-fragmentation: tunnel packets fragmented. */
  frames?: number;
  /** First frame showing the problem (1-based). */
  firstFrame: number;
  /** mtu-exceeded: the MTU assumed and the largest outer IP packet. */
  mtu?: number;
  largest?: number;
  /** underlay-fragmentation: the VTEP pair, the fragments seen, and the underlay MTU that would carry every packet whole. */
  vteps?: string[];
  fragments?: number;
  mtuNeeded?: number;
}

export interface TenantsReport {
  /** Frames analysed. */
  frames: number;
  /** Time of frame 1, seconds since the epoch (what the text output's relative times count from). */
  startTime: number;
  /** Underlay MTU the findings assume (outer IP packet bytes). */
  mtu: number;
  /** Un-encapsulated frames: the underlay, not a tenant. */
  underlay: { packets: number; bytes: number };
  tenants: TenantSummary[];
  findings: Finding[];
  /** Set when the file is cut short or corrupt: the report covers the frames before it. */
  problem?: string;
}

/**
 * learn/move: remote learning by a VTEP that received a frame; local: a VTEP encapsulated a frame from
 * this MAC; migrate: a local MAC that was behind another VTEP (the VM moved here); age: the entry was
 * idle for the ageing time and is removed; flood: a frame to every VTEP of the tenant.
 */
export type EventKind = 'learn' | 'move' | 'flood' | 'local' | 'migrate' | 'age';
export type FloodReason = 'broadcast' | 'multicast' | 'unknown-unicast';

export interface LearningEvent {
  frame: number;
  ts: number;
  kind: EventKind;
  /** learn/move/local/migrate/age: the learning VTEP; flood: the sending VTEP. */
  vtep: string;
  tenant: TenantRef;
  /** Inner source MAC. */
  mac: string;
  /** learn/move: where the MAC now lives; age: where it lived (the VTEP itself for a local MAC). */
  remoteVtep?: string;
  /** move/migrate: where it lived before (for a move, the VTEP itself when the MAC was local there). */
  previousVtep?: string;
  /** flood: the inner destination MAC, why it floods, the group it went to (if any) and who received it. */
  destination?: string;
  reason?: FloodReason;
  group?: string;
  receivers?: string[];
  /** flood to a group with no membership report seen: receivers are the VTEPs seen with the tenant so far. */
  membersAssumed?: true;
}

export interface VtepSummary {
  ip: string;
  tenants: TenantRef[];
  /** Groups it is a member of (at the report's frame). */
  groups: string[];
  firstFrame: number;
}

export interface GroupMembershipChange {
  frame: number;
  vtep: string;
  action: 'join' | 'leave';
  /** igmpv1, igmpv2, igmpv3, mldv1, mldv2 */
  via: string;
}

export interface GroupSummary {
  group: string;
  /** Members at the report's frame, from IGMP/MLD reports in join order. */
  members: string[];
  /** False when no IGMP/MLD report for this group was seen: floods assumed the tenant's VTEPs. */
  reported: boolean;
  tenants: TenantRef[];
  history: GroupMembershipChange[];
}

export interface FdbEntry {
  tenant: TenantRef;
  mac: string;
  /** The VTEP the MAC is behind; the FDB's own VTEP for a local MAC. */
  remoteVtep: string;
  /** Frame of the learn, move, local or migrate event that set this entry. */
  since: number;
  /** The MAC is local to this VTEP (it encapsulated frames from it). */
  local?: true;
}

export interface VtepFdb {
  vtep: string;
  entries: FdbEntry[];
}

export interface VtepReport {
  frames: number;
  /** The report describes the state after this frame (1-based; `--at`). */
  atFrame: number;
  vteps: VtepSummary[];
  groups: GroupSummary[];
  events: LearningEvent[];
  /** Forwarding database of every VTEP after atFrame. */
  fdb: VtepFdb[];
  /** Assumptions made, e.g. groups without membership reports. */
  notes: string[];
  problem?: string;
}
