// Multicast group membership of the VTEPs, from the IGMP (v1/v2/v3) and MLD (v1/v2) reports in the
// capture: who receives a frame a VTEP sends to a group.
import { Dissection } from '../dissect/dissection';
import { PROTO_IDS } from './flow-key';
import { EndpointTable } from './endpoints';
import { WordTable } from './word-table';

export interface MembershipChange {
  frame: number;
  vtep: number;
  join: boolean;
  via: string;
}

export interface GroupState {
  group: number;
  /** Current members in join order. */
  members: number[];
  /** Whether any IGMP/MLD report named this group. */
  reported: boolean;
  history: MembershipChange[];
  /** Tenants whose frames were sent to this group, and the frame each was first seen at. */
  tenants: number[];
  tenantFrames: number[];
}

// IGMPv3 / MLDv2 record types (RFC 3376 4.2.12): 1 IS_INCLUDE, 2 IS_EXCLUDE, 3 TO_INCLUDE,
// 4 TO_EXCLUDE, 5 ALLOW_NEW_SOURCES, 6 BLOCK_OLD_SOURCES. EXCLUDE means "any source but": a join;
// INCLUDE with an empty source list means "no source": a leave.
function recordJoins(recordType: number, sources: number): boolean | null {
  if (recordType === 2 || recordType === 4) return true;
  if (recordType === 1 || recordType === 3) return sources > 0;
  if (recordType === 5) return sources > 0 ? true : null;
  return null;
}

export class GroupMembership {
  private readonly groups = new Map<number, GroupState>();
  /** The (group, tenant) pairs noted so far. */
  private readonly groupTenants = new WordTable(256, 2);
  /** Bumped on every membership change: lets callers cache who receives a group's frames. */
  version = 0;

  constructor(private readonly endpoints: EndpointTable) {}

  get all(): GroupState[] {
    return [...this.groups.values()];
  }

  state(group: number): GroupState {
    let state = this.groups.get(group);
    if (state === undefined) {
      state = { group, members: [], reported: false, history: [], tenants: [], tenantFrames: [] };
      this.groups.set(group, state);
    }
    return state;
  }

  /** Records that a tenant's frame went to a group. */
  noteTenant(group: number, tenant: number, frame: number): void {
    // A group can carry thousands of tenants and this comes with every new pair: a hash lookup, not a scan.
    const key = this.groupTenants.key;
    key[0] = group;
    key[1] = tenant;
    this.groupTenants.intern(2);
    if (!this.groupTenants.added) return;
    const state = this.state(group);
    state.tenants.push(tenant);
    state.tenantFrames.push(frame);
  }

  /**
   * Reads an IGMP or MLD report in an underlay frame; `resolveSender` maps the report's source
   * address to the VTEP it speaks for (MLD reports come from link-local addresses).
   * Returns true when the frame was one.
   */
  readReport(ctx: Dissection, frame: number, resolveSender: (source: number) => number): boolean {
    for (let layer = ctx.layerCount - 1; layer > 0; layer--) {
      const proto = ctx.layerProto[layer];
      if (proto === PROTO_IDS.igmp) {
        const ip = this.ipLayerBefore(ctx, layer);
        if (ip < 0 || ctx.layerProto[ip] !== PROTO_IDS.IP) return false;
        const sender = resolveSender(this.endpoints.internBytes(ctx.buf, ctx.layerStart[ip] + 12, 4));
        this.readIgmp(ctx, ctx.layerStart[layer], ctx.base + ctx.capLen, frame, sender);
        return true;
      }
      if (proto === PROTO_IDS.icmpv6) {
        const ip = this.ipLayerBefore(ctx, layer);
        if (ip < 0 || ctx.layerProto[ip] !== PROTO_IDS.IPV6) return false;
        const at = ctx.layerStart[layer];
        const type = ctx.buf[at];
        if (type !== 131 && type !== 132 && type !== 143) return false;
        const sender = resolveSender(this.endpoints.internBytes(ctx.buf, ctx.layerStart[ip] + 8, 16));
        this.readMld(ctx, at, ctx.base + ctx.capLen, frame, sender);
        return true;
      }
    }
    return false;
  }

  /** Members of a group after `frame` (0-based), replaying its history. */
  membersAt(state: GroupState, frame: number): number[] {
    const members: number[] = [];
    for (const change of state.history) {
      if (change.frame > frame) break;
      const at = members.indexOf(change.vtep);
      if (change.join && at < 0) members.push(change.vtep);
      else if (!change.join && at >= 0) members.splice(at, 1);
    }
    return members;
  }

  private ipLayerBefore(ctx: Dissection, layer: number): number {
    for (let i = layer - 1; i >= 0; i--) if (ctx.layerProto[i] === PROTO_IDS.IP || ctx.layerProto[i] === PROTO_IDS.IPV6) return i;
    return -1;
  }

  private readIgmp(ctx: Dissection, at: number, end: number, frame: number, sender: number): void {
    const buf = ctx.buf;
    if (at + 8 > end) return;
    const type = buf[at];
    if (type === 0x12 || type === 0x16 || type === 0x17) {
      const group = this.endpoints.internBytes(buf, at + 4, 4);
      this.change(frame, group, sender, type !== 0x17, type === 0x12 ? 'igmpv1' : 'igmpv2');
      return;
    }
    if (type !== 0x22) return;
    const records = (buf[at + 6] << 8) | buf[at + 7];
    let pos = at + 8;
    for (let i = 0; i < records && pos + 8 <= end; i++) {
      const sources = (buf[pos + 2] << 8) | buf[pos + 3];
      const joins = recordJoins(buf[pos], sources);
      if (joins !== null) this.change(frame, this.endpoints.internBytes(buf, pos + 4, 4), sender, joins, 'igmpv3');
      pos += 8 + sources * 4 + buf[pos + 1] * 4;
    }
  }

  private readMld(ctx: Dissection, at: number, end: number, frame: number, sender: number): void {
    const buf = ctx.buf;
    const type = buf[at];
    if (type === 131 || type === 132) {
      if (at + 24 > end) return;
      this.change(frame, this.endpoints.internBytes(buf, at + 8, 16), sender, type === 131, 'mldv1');
      return;
    }
    if (at + 8 > end) return;
    const records = (buf[at + 6] << 8) | buf[at + 7];
    let pos = at + 8;
    for (let i = 0; i < records && pos + 20 <= end; i++) {
      const sources = (buf[pos + 2] << 8) | buf[pos + 3];
      const joins = recordJoins(buf[pos], sources);
      if (joins !== null) this.change(frame, this.endpoints.internBytes(buf, pos + 4, 16), sender, joins, 'mldv2');
      pos += 20 + sources * 16 + buf[pos + 1] * 4;
    }
  }

  private change(frame: number, group: number, vtep: number, join: boolean, via: string): void {
    const state = this.state(group);
    if (!state.reported) this.version++;
    state.reported = true;
    const at = state.members.indexOf(vtep);
    // A repeated report only refreshes the membership: not a change.
    if (join === at >= 0) return;
    if (join) state.members.push(vtep);
    else state.members.splice(at, 1);
    state.history.push({ frame, vtep, join, via });
    this.version++;
  }
}
