// The tenants report: per tenant totals, VTEPs, flood share and conversations, plus findings.
import { OverlayAnalyzer } from '../analyzer';
import { FlowNum, FlowRare, FlowRef } from '../flow-columns';
import { ipv6FromWords, macFromWords } from '../endpoints';
import { KEY_PREFIX, KeyBits, sideLayout } from '../flow-key';
import { Finding, TenantSummary, TenantsReport } from '../report-types';
import { ipv4FromNumber } from '../../dissect/bytes';
import { minFrame } from '../conversations';

interface TenantTotals {
  packets: number;
  bytes: number;
  innerBytes: number;
  first: number;
  last: number;
  firstTime: number;
  lastTime: number;
  broadcast: number;
  multicast: number;
  unknownUnicast: number;
  toGroup: number;
  flood: number;
  mtuFrames: number;
  mtuFirst: number;
  mtuLargest: number;
  noIFrames: number;
  noIFirst: number;
  groups: Set<number>;
}

export function buildTenantsReport(analyzer: OverlayAnalyzer, problem?: string | null): TenantsReport {
  const { report, tenantOrder } = tenantsReportHead(analyzer, problem);
  const byTenant = analyzer.conversationTotals().byTenant();
  report.tenants.forEach((tenant, i) => {
    tenant.conversations = byTenant.get(tenantOrder[i]) ?? [];
  });
  return report;
}

/**
 * The report with empty conversation lists, and `tenantOrder`: the analyzer's tenant number of each
 * report.tenants entry. A writer fills the lists from a ConversationTable, streaming them (json.ts).
 */
export function tenantsReportHead(analyzer: OverlayAnalyzer, problem?: string | null): { report: TenantsReport; tenantOrder: number[] } {
  const totals = tenantTotals(analyzer);
  const { tenants, endpoints } = analyzer;
  const sorted = Array.from({ length: tenants.count }, (_, t) => t).sort((a, b) => tenants.compare(a, b));
  const summaries: TenantSummary[] = sorted.map((t) => {
    const s = totals[t];
    const summary: TenantSummary = {
      ...tenants.ref(t),
      name: tenants.name(t),
      packets: s.packets,
      bytes: s.bytes,
      innerBytes: s.innerBytes,
      firstFrame: s.first + 1,
      lastFrame: s.last + 1,
      firstTime: s.firstTime,
      lastTime: s.lastTime,
      vteps: endpoints.sorted(tenants.vteps[t]).map((v) => endpoints.text(v)),
      groups: endpoints.sorted(s.groups).map((g) => endpoints.text(g)),
      flood: {
        packets: s.flood,
        broadcast: s.broadcast,
        multicast: s.multicast,
        unknownUnicast: s.unknownUnicast,
        toGroup: s.toGroup,
        share: s.packets > 0 ? s.flood / s.packets : 0,
      },
      conversations: [],
    };
    return summary;
  });
  const report: TenantsReport = {
    frames: analyzer.frames,
    startTime: analyzer.startTime,
    mtu: analyzer.mtu,
    underlay: { packets: analyzer.underlayPackets, bytes: analyzer.underlayBytes },
    tenants: summaries,
    findings: findings(analyzer, totals),
  };
  if (problem) report.problem = problem;
  return { report, tenantOrder: sorted };
}

function tenantTotals(analyzer: OverlayAnalyzer): TenantTotals[] {
  const { flows, flowNum, flowRare, flowRef, endpoints } = analyzer;
  const totals: TenantTotals[] = Array.from({ length: analyzer.tenants.count }, () => ({
    packets: 0, bytes: 0, innerBytes: 0, first: -1, last: -1, firstTime: 0, lastTime: 0, broadcast: 0, multicast: 0, unknownUnicast: 0, toGroup: 0, flood: 0,
    mtuFrames: 0, mtuFirst: -1, mtuLargest: 0, noIFrames: 0, noIFirst: -1, groups: new Set<number>(),
  }));
  for (let flow = 0; flow < flows.count; flow++) {
    const header = flows.word(flow, 0);
    const layout = sideLayout(header);
    const o = flow * FlowNum.Stride;
    const io = flow * FlowRef.Stride;
    const s = totals[flowRef[io + FlowRef.Tenant]];
    const packets12 = flowNum[o + FlowNum.PacketsFirstToSecond];
    const packets21 = flowNum[o + FlowNum.PacketsSecondToFirst];
    const packets = packets12 + packets21;
    const first = minFrame(flowNum[o + FlowNum.FirstFrameFromFirst], flowNum[o + FlowNum.FirstFrameFromSecond]);
    s.packets += packets;
    s.bytes += flowNum[o + FlowNum.OuterBytes];
    s.innerBytes += flowNum[o + FlowNum.BytesFirstToSecond] + flowNum[o + FlowNum.BytesSecondToFirst];
    // Each frame slot's time sits FlowNum.TimeOfFrame after it: the time follows the frame chosen.
    for (let from = 0; from < 2; from++) {
      if ((from === 0 ? packets12 : packets21) === 0) continue;
      const firstSlot = o + FlowNum.FirstFrameFromFirst + from * 2;
      if (s.first < 0 || flowNum[firstSlot] < s.first) {
        s.first = flowNum[firstSlot];
        s.firstTime = flowNum[firstSlot + FlowNum.TimeOfFrame];
      }
      if (flowNum[firstSlot + 1] > s.last) {
        s.last = flowNum[firstSlot + 1];
        s.lastTime = flowNum[firstSlot + 1 + FlowNum.TimeOfFrame];
      }
    }
    if (header & KeyBits.NoIFlag) {
      s.noIFrames += packets;
      s.noIFirst = minFrame(s.noIFirst, first);
    }
    // Frames towards each side flood when that side is a group or a broadcast/multicast MAC.
    const start = flows.keyStart[flow] + KEY_PREFIX;
    for (let towards = 0; towards < 2; towards++) {
      const count = towards === 0 ? packets21 : packets12;
      if (count === 0) continue;
      const endpoint = flowRef[io + FlowRef.EndpointFirst + towards];
      const toGroup = endpoints.isGroup(endpoint);
      let kind = -1;
      if (layout.mac >= 0) {
        const hi = flows.arena[start + towards * layout.sideLength + layout.mac];
        const lo = flows.arena[start + towards * layout.sideLength + layout.mac + 1];
        kind = hi === 0xffff && lo === 0xffffffff ? 0 : (hi & 0x100) !== 0 ? 1 : toGroup ? 2 : -1;
      }
      if (toGroup) {
        s.toGroup += count;
        s.groups.add(endpoint);
      }
      if (kind === 0) s.broadcast += count;
      else if (kind === 1) s.multicast += count;
      else if (kind === 2) s.unknownUnicast += count;
      if (kind >= 0 || toGroup) s.flood += count;
    }
  }
  for (const flow of analyzer.rareFlows) {
    const r = flow * FlowRare.Stride;
    if (flowRare[r + FlowRare.MtuFrames] === 0) continue;
    const s = totals[flowRef[flow * FlowRef.Stride + FlowRef.Tenant]];
    s.mtuFrames += flowRare[r + FlowRare.MtuFrames];
    s.mtuFirst = minFrame(s.mtuFirst, flowRare[r + FlowRare.MtuFirstFrame]);
    s.mtuLargest = Math.max(s.mtuLargest, flowRare[r + FlowRare.MtuLargest]);
  }
  return totals;
}

function findings(analyzer: OverlayAnalyzer, totals: TenantTotals[]): Finding[] {
  const { tenants } = analyzer;
  const out: Finding[] = [];
  for (const dup of analyzer.claims.duplicateIps()) {
    const address = dup.words.length === 1 ? ipv4FromNumber(dup.words[0]) : ipv6FromWords(Uint32Array.from(dup.words), 0);
    const claims = dup.claims.map((c) => ({ mac: macFromWords(c.macHi, c.macLo), firstFrame: c.frame + 1 }));
    out.push({
      kind: 'duplicate-ip',
      severity: 'error',
      message: `${tenants.name(dup.tenant)}: ${address} is claimed by ${claims.map((c) => `${c.mac} (frame ${c.firstFrame})`).join(' and ')}`,
      tenant: tenants.ref(dup.tenant),
      address,
      claims,
      firstFrame: claims[claims.length - 1].firstFrame,
    });
  }
  for (const mac of analyzer.claims.macsInTenants()) {
    const text = macFromWords(mac.macHi, mac.macLo);
    out.push({
      kind: 'mac-in-two-tenants',
      severity: 'warning',
      message: `${text} appears in ${mac.tenants.map((t) => tenants.name(t)).join(' and ')} (second tenant from frame ${mac.frame + 1})`,
      mac: text,
      tenants: mac.tenants.map((t) => tenants.ref(t)),
      firstFrame: mac.frame + 1,
    });
  }
  totals.forEach((s, t) => {
    if (s.noIFrames > 0) {
      out.push({
        kind: 'vxlan-no-i-flag',
        severity: 'warning',
        message: `${tenants.name(t)}: ${s.noIFrames} frame(s) without the VXLAN I flag (RFC 7348: the VNI is not valid), first at frame ${s.noIFirst + 1}`,
        tenant: tenants.ref(t),
        frames: s.noIFrames,
        firstFrame: s.noIFirst + 1,
      });
    }
    if (s.mtuFrames > 0) {
      out.push({
        kind: 'mtu-exceeded',
        severity: 'error',
        message: `${tenants.name(t)}: ${s.mtuFrames} frame(s) need outer IP packets up to ${s.mtuLargest} bytes, over the ${analyzer.mtu}-byte underlay MTU (assumed; --mtu), first at frame ${s.mtuFirst + 1}`,
        tenant: tenants.ref(t),
        frames: s.mtuFrames,
        firstFrame: s.mtuFirst + 1,
        mtu: analyzer.mtu,
        largest: s.mtuLargest,
      });
    }
  });
  out.push(...fragmentationFindings(analyzer));
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.firstFrame - b.firstFrame);
}

/**
 * Tunnel packets the underlay fragmented (seen as IP fragments and reassembled), per tenant and VTEP
 * pair: the underlay MTU is smaller than what the tunnel sends, and the finding names the MTU that
 * would carry every one of them whole (the largest reassembled outer IP packet).
 */
function fragmentationFindings(analyzer: OverlayAnalyzer): Finding[] {
  const { flowRare, flowRef, endpoints, tenants } = analyzer;
  const byPair = new Map<string, { tenant: number; a: number; b: number; packets: number; fragments: number; first: number; largest: number }>();
  // In flow order, as the findings are listed.
  const rareFlows = [...analyzer.rareFlows].sort((x, y) => x - y);
  for (const flow of rareFlows) {
    const o = flow * FlowRare.Stride;
    if (flowRare[o + FlowRare.FragPackets] === 0) continue;
    const io = flow * FlowRef.Stride;
    const tenant = flowRef[io + FlowRef.Tenant];
    const e1 = flowRef[io + FlowRef.EndpointFirst];
    const e2 = flowRef[io + FlowRef.EndpointSecond];
    const [a, b] = e1 <= e2 ? [e1, e2] : [e2, e1];
    const key = `${tenant} ${a} ${b}`;
    let s = byPair.get(key);
    if (s === undefined) byPair.set(key, (s = { tenant, a, b, packets: 0, fragments: 0, first: -1, largest: 0 }));
    s.packets += flowRare[o + FlowRare.FragPackets];
    s.fragments += flowRare[o + FlowRare.FragFragments];
    s.first = minFrame(s.first, flowRare[o + FlowRare.FragFirstFrame]);
    s.largest = Math.max(s.largest, flowRare[o + FlowRare.FragLargest]);
  }
  return [...byPair.values()].map((s) => {
    const vteps = [endpoints.text(s.a), endpoints.text(s.b)];
    return {
      kind: 'underlay-fragmentation' as const,
      severity: 'error' as const,
      message:
        `${tenants.name(s.tenant)} between ${vteps[0]} and ${vteps[1]}: ${s.packets} tunnel packet(s) fragmented by the underlay ` +
        `into ${s.fragments} IP fragments (outer IP packets up to ${s.largest} bytes); an underlay MTU of ${s.largest} bytes would carry them whole, first at frame ${s.first + 1}`,
      tenant: tenants.ref(s.tenant),
      vteps,
      frames: s.packets,
      fragments: s.fragments,
      firstFrame: s.first + 1,
      largest: s.largest,
      mtuNeeded: s.largest,
    };
  });
}
