// The service's own one-pass overlay analysis: tenants, their conversations and traffic over time,
// VTEP learning by the RFC 7348 rule (DOMAIN.md), group membership from IGMP reports, and findings.
// Reads only layer offsets of the fast dissection; never builds trees.
import type { Dissection } from '../dissect/dissection';
import type { FrameIndex } from '../capture/frame-index';
import { protocolByName } from '../dissect/fields';
import { u16, u32 } from '../dissect/bytes';
import type { Conversation, Finding, TenantSummary, TenantsReport, VtepEvent, VtepTimeline } from './api';
import { ipv4Text, isMulticastIpv4, macText, tenantLabel } from './row-format';

const ETH = protocolByName('eth')!.id;
const IP = protocolByName('ip')!.id;
const TCP = protocolByName('tcp')!.id;
const UDP = protocolByName('udp')!.id;
const IGMP = protocolByName('igmp')!.id;

const MAX_CONVERSATIONS_PER_KIND = 5000;
const MAX_SHOWN_EVENTS = 20_000;
const MAX_FINDINGS = 500;
const TOP_TENANTS_IN_CHART = 8;
const CHART_BUCKETS = 200;

interface ConversationAcc extends Conversation {}

interface TenantAcc {
  label: string;
  frames: number;
  bytes: number;
  firstTime: number;
  lastTime: number;
  vteps: Set<string>;
}

export interface AnalysisResult {
  tenants: TenantsReport;
  timeline: VtepTimeline;
  /** Every learn and move, in frame order (the FDB at any frame is replayed from these). */
  fdbEvents: VtepEvent[];
}

export class OverlayAnalyser {
  private readonly tenants = new Map<string, TenantAcc>();
  private readonly conversations = new Map<string, ConversationAcc>();
  private readonly conversationCounts = { eth: 0, ip: 0, tcp: 0, udp: 0 };
  private readonly groups = new Map<string, Set<string>>();
  private readonly fdb = new Map<string, string>(); // vtep|tenant|mac -> remote vtep
  private readonly vteps = new Set<string>();
  private readonly shownEvents: VtepEvent[] = [];
  private readonly fdbEvents: VtepEvent[] = [];
  private readonly findings: Finding[] = [];
  private readonly innerIpTenants = new Map<string, Set<string>>();
  private readonly frameTenant: string[] = [];
  private truncated = false;
  private malformedCount = 0;
  private firstTime = 0;
  private lastTime = 0;
  private frames = 0;
  private readonly frameTimes: number[] = [];
  private readonly frameTenantIds: number[] = [];
  private readonly tenantIds = new Map<string, number>();

  visit(ctx: Dissection, frame: number, index: FrameIndex): void {
    const time = index.time(frame);
    if (frame === 0) this.firstTime = time;
    this.lastTime = time;
    this.frames++;
    const rel = time - this.firstTime;
    const tenant = tenantLabel(ctx.tenantType, ctx.tenantId);
    if (ctx.malformed !== null) this.malformed(frame, tenant, ctx.malformed);
    const outerSrc = index.outerSrc[frame];
    const outerDst = index.outerDst[frame];
    if (ctx.findLayer(IGMP) >= 0 && tenant === '') this.igmp(ctx, frame, rel, outerSrc);
    this.chartSample(rel, tenant);
    if (tenant === '') return;
    const src = ipv4Text(outerSrc);
    const dst = ipv4Text(outerDst);
    let acc = this.tenants.get(tenant);
    if (!acc) this.tenants.set(tenant, (acc = { label: tenant, frames: 0, bytes: 0, firstTime: rel, lastTime: rel, vteps: new Set() }));
    acc.frames++;
    acc.bytes += index.origLen[frame];
    acc.lastTime = rel;
    if (outerSrc !== 0) acc.vteps.add(src);
    if (outerDst !== 0 && !isMulticastIpv4(outerDst)) acc.vteps.add(dst);
    this.conversationsOf(ctx, frame, tenant, index.origLen[frame]);
    if (outerSrc !== 0) this.learning(ctx, frame, rel, tenant, src, outerDst);
  }

  private malformed(frame: number, tenant: string, reason: string): void {
    this.malformedCount++;
    if (this.malformedCount <= 20) this.finding({ severity: 'error', frame: frame + 1, tenant, message: `malformed: ${reason}`, filter: `frame.number == ${frame + 1}` });
  }

  private finding(f: Finding): void {
    if (this.findings.length < MAX_FINDINGS) this.findings.push(f);
  }

  private chartSample(rel: number, tenant: string): void {
    let id = this.tenantIds.get(tenant);
    if (id === undefined) this.tenantIds.set(tenant, (id = this.tenantIds.size));
    // Float32 times are plenty for a 200-bucket chart; keeps 1M frames small.
    this.frameTimes.push(rel);
    this.frameTenantIds.push(id);
  }

  private igmp(ctx: Dissection, frame: number, rel: number, outerSrc: number): void {
    const layer = ctx.findLayer(IGMP);
    const at = ctx.layerStart[layer];
    const end = ctx.layerEnd[layer];
    const buf = ctx.buf;
    if (end - at < 8 || outerSrc === 0) return;
    const member = ipv4Text(outerSrc);
    const type = buf[at];
    const change = (group: number, join: boolean): void => {
      const name = ipv4Text(group);
      let set = this.groups.get(name);
      if (!set) this.groups.set(name, (set = new Set()));
      if (join) set.add(member);
      else set.delete(member);
      this.vteps.add(member);
      this.event({ frame: frame + 1, time: rel, vtep: member, kind: 'join', tenant: '', mac: null, remote: name, text: `${member} ${join ? 'joins' : 'leaves'} ${name}` }, false);
    };
    if (type === 0x16 || type === 0x12) change(u32(buf, at + 4), true);
    else if (type === 0x17) change(u32(buf, at + 4), false);
    else if (type === 0x22) {
      let pos = at + 8;
      const records = u16(buf, at + 6);
      for (let r = 0; r < records && pos + 8 <= end; r++) {
        const recordType = buf[pos];
        const sources = u16(buf, pos + 2);
        const group = u32(buf, pos + 4);
        const join = recordType === 2 || recordType === 4 || ((recordType === 1 || recordType === 5) && sources > 0);
        const leave = recordType === 3 && sources === 0;
        if (join || leave) change(group, join);
        pos += 8 + sources * 4 + buf[pos + 1] * 4;
      }
    }
  }

  private learning(ctx: Dissection, frame: number, rel: number, tenant: string, sender: string, outerDst: number): void {
    const innerEth = ctx.findLastLayer(ETH);
    if (innerEth < 0 || innerEth < ctx.tenantLayer) return;
    const mac = macText(ctx.buf, ctx.layerStart[innerEth] + 6);
    this.vteps.add(sender);
    let receivers: string[];
    if (isMulticastIpv4(outerDst)) {
      const group = ipv4Text(outerDst);
      const members = this.groups.get(group);
      receivers = members ? [...members].filter((m) => m !== sender) : [];
      this.event({ frame: frame + 1, time: rel, vtep: sender, kind: 'flood', tenant, mac, remote: group, text: `${sender} floods ${tenant} frame from ${mac} to ${group} (${receivers.length} receivers)` }, false);
      if (!members || receivers.length === 0) {
        this.finding({ severity: 'warning', frame: frame + 1, tenant, message: `flood to ${group} which no other VTEP joined (no IGMP report seen): nobody receives it`, filter: `frame.number == ${frame + 1}` });
      }
    } else {
      receivers = [ipv4Text(outerDst)];
      this.vteps.add(receivers[0]);
    }
    for (const vtep of receivers) {
      const key = `${vtep}|${tenant}|${mac}`;
      const before = this.fdb.get(key);
      if (before === sender) continue;
      this.fdb.set(key, sender);
      const kind = before === undefined ? 'learn' : 'move';
      const text = kind === 'learn' ? `${vtep} learns ${mac} (${tenant}) behind ${sender}` : `${vtep} moves ${mac} (${tenant}) from ${before} to ${sender}`;
      const event: VtepEvent = { frame: frame + 1, time: rel, vtep, kind, tenant, mac, remote: sender, text };
      this.fdbEvents.push(event);
      this.event(event, true);
      if (kind === 'move') this.finding({ severity: 'warning', frame: frame + 1, tenant, message: `MAC move: ${text} (VM migration, or a duplicate MAC)`, filter: `frame.number == ${frame + 1}` });
    }
  }

  private event(event: VtepEvent, important: boolean): void {
    if (this.shownEvents.length < MAX_SHOWN_EVENTS || (important && this.shownEvents.length < MAX_SHOWN_EVENTS * 2)) this.shownEvents.push(event);
    else this.truncated = true;
  }

  private conversationsOf(ctx: Dissection, frame: number, tenant: string, bytes: number): void {
    const eth = ctx.findLastLayer(ETH);
    if (eth >= 0 && eth > ctx.tenantLayer) {
      const at = ctx.layerStart[eth];
      const a = macText(ctx.buf, at + 6);
      const b = macText(ctx.buf, at);
      this.conversation('eth', tenant, a, b, frame, bytes, (x, y) => `tenant == ${tenant} && eth.addr == ${x} && eth.addr == ${y}`);
    }
    const ip = ctx.findLastLayer(IP);
    if (ip < 0 || ip < ctx.tenantLayer) return;
    const at = ctx.layerStart[ip];
    const src = ipv4Text(u32(ctx.buf, at + 12));
    const dst = ipv4Text(u32(ctx.buf, at + 16));
    const tenantClause = `tenant == ${tenant}`;
    this.conversation('ip', tenant, src, dst, frame, bytes, (x, y) => `${tenantClause} && ip.addr == ${x} && ip.addr == ${y}`);
    for (const [proto, name] of [[TCP, 'tcp'], [UDP, 'udp']] as const) {
      const l4 = ctx.findLastLayer(proto);
      if (l4 < 0 || l4 < ip || ctx.layerEnd[l4] - ctx.layerStart[l4] < 4) continue;
      const sp = u16(ctx.buf, ctx.layerStart[l4]);
      const dp = u16(ctx.buf, ctx.layerStart[l4] + 2);
      this.conversation(name, tenant, `${src}:${sp}`, `${dst}:${dp}`, frame, bytes, (x, y) => {
        const [xa, xp] = x.split(':');
        const [ya, yp] = y.split(':');
        return `${tenantClause} && ip.addr == ${xa} && ip.addr == ${ya} && ${name}.port == ${xp} && ${name}.port == ${yp}`;
      });
    }
    const ipKey = `${src}`;
    let set = this.innerIpTenants.get(ipKey);
    if (!set) this.innerIpTenants.set(ipKey, (set = new Set()));
    set.add(tenant);
  }

  private conversation(kind: Conversation['kind'], tenant: string, x: string, y: string, frame: number, bytes: number, filter: (a: string, b: string) => string): void {
    const [a, b] = x <= y ? [x, y] : [y, x];
    const key = `${kind}|${tenant}|${a}|${b}`;
    const acc = this.conversations.get(key);
    if (acc) {
      acc.frames++;
      acc.bytes += bytes;
      return;
    }
    if (this.conversationCounts[kind] >= MAX_CONVERSATIONS_PER_KIND) return;
    this.conversationCounts[kind]++;
    this.conversations.set(key, { kind, tenant, a, b, frames: 1, bytes, firstFrame: frame + 1, filter: filter(a, b) });
  }

  result(): AnalysisResult {
    const tenants: TenantSummary[] = [...this.tenants.values()]
      .sort((x, y) => y.frames - x.frames)
      .map((t) => ({ tenant: t.label, frames: t.frames, bytes: t.bytes, firstTime: t.firstTime, lastTime: t.lastTime, vteps: [...t.vteps].sort() }));
    for (const [ip, set] of this.innerIpTenants) {
      if (set.size > 1) {
        const list = [...set].sort();
        this.finding({ severity: 'info', frame: null, tenant: list.join(', '), message: `inner IP ${ip} is used by ${set.size} tenants (${list.join(', ')}): separate address spaces, not a duplicate`, filter: `ip.addr == ${ip}` });
      }
    }
    if (this.malformedCount > 20) this.finding({ severity: 'error', frame: null, tenant: '', message: `${this.malformedCount} malformed frames in all`, filter: '_ws.malformed' });
    const groups = [...this.groups.entries()].map(([group, members]) => ({ group, members: [...members].sort() })).sort((a, b) => (a.group < b.group ? -1 : 1));
    return {
      tenants: {
        tenants,
        conversations: [...this.conversations.values()].sort((a, b) => b.frames - a.frames),
        findings: this.findings,
        traffic: this.traffic(tenants),
        source: 'service overlay analysis (RFC 7348 learning rule)',
      },
      timeline: {
        vteps: [...this.vteps].sort(compareIp),
        events: this.shownEvents,
        groups,
        firstTime: 0,
        lastTime: this.lastTime - this.firstTime,
        truncated: this.truncated,
      },
      fdbEvents: this.fdbEvents,
    };
  }

  private traffic(tenants: TenantSummary[]): TenantsReport['traffic'] {
    const span = Math.max(this.lastTime - this.firstTime, 1e-6);
    const bucketSeconds = niceBucket(span / CHART_BUCKETS);
    const buckets = Math.max(1, Math.ceil(span / bucketSeconds) + 1);
    const shown = tenants.slice(0, TOP_TENANTS_IN_CHART).map((t) => t.tenant);
    const seriesIndex = new Map<number, number>();
    for (const [label, id] of this.tenantIds) {
      const i = shown.indexOf(label);
      seriesIndex.set(id, i >= 0 ? i : shown.length);
    }
    const rows = [...shown, 'other / not tunnelled'].map(() => new Array<number>(buckets).fill(0));
    for (let i = 0; i < this.frameTimes.length; i++) rows[seriesIndex.get(this.frameTenantIds[i])!][Math.floor(this.frameTimes[i] / bucketSeconds)]++;
    const series = [...shown, 'other / not tunnelled'].map((tenant, i) => ({ tenant, frames: rows[i] })).filter((s) => s.frames.some((n) => n > 0));
    return { times: Array.from({ length: buckets }, (_, i) => i * bucketSeconds), bucketSeconds, series };
  }
}

function niceBucket(seconds: number): number {
  const steps = [1e-6, 1e-5, 1e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 3600];
  return steps.find((s) => s >= seconds) ?? 3600;
}

function compareIp(a: string, b: string): number {
  const n = (s: string) => s.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  return n(a) - n(b);
}
