// Protocol Hierarchy and Expert Info of a whole capture, as Wireshark's Statistics menu has them: one
// fast-path dissection pass (layer chains, malformed reasons, IPv4 fragments: the overlay analysis' own pass) plus what the overlay
// analysis found (its findings, MAC moves, unknown-unicast floods). Runs in the analysis worker.
import type * as A from '../overlay/report-types';
import type { Dissection } from '../dissect/dissection';
import { protocolByName } from '../dissect/fields';
import { PROTO } from '../dissect/protocol-ids';
import { HierarchyNode, ProtocolHierarchy } from '../dissect/protocol-hierarchy';
import type { CaptureStatistics, ExpertItem, HierarchyRow } from './api';
import { tenantText } from './overlay-views';
import type { OverlayAnalyzer } from '../overlay/analyzer';
import { macFromWords } from '../overlay/endpoints';
import { Ev, EventCode, FloodCode } from '../overlay/learning';

const SEVERITY: Record<A.Finding['severity'], ExpertItem['severity']> = { error: 'error', warning: 'warning' };
const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 };

function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Counts items by key, keeping the first frame of each. */
class ItemCounter {
  private readonly items = new Map<string, ExpertItem>();

  add(key: string, frame: number, make: () => Omit<ExpertItem, 'count' | 'firstFrame'>): void {
    const item = this.items.get(key);
    if (item) {
      item.count++;
      if (item.firstFrame === null || frame < item.firstFrame) item.firstFrame = frame;
    } else this.items.set(key, { ...make(), count: 1, firstFrame: frame });
  }

  list(): ExpertItem[] {
    return [...this.items.values()];
  }
}

function flatten(nodes: HierarchyNode[], depth: number, frames: number, bytes: number, out: HierarchyRow[]): void {
  for (const node of nodes) {
    out.push({
      protocol: node.protocol,
      name: protocolByName(node.protocol)?.label ?? node.protocol,
      depth,
      frames: node.frames,
      bytes: node.bytes,
      frameShare: frames > 0 ? node.frames / frames : 0,
      byteShare: bytes > 0 ? node.bytes / bytes : 0,
    });
    flatten(node.children, depth + 1, frames, bytes, out);
  }
}

/**
 * Protocol Hierarchy and Expert Info: `add` sees every frame of the overlay analysis' own pass (no
 * second read of the file); `finish` adds what that analysis found.
 */
export class CaptureStatisticsCollector {
  private readonly hierarchy = new ProtocolHierarchy();
  private readonly problems = new ItemCounter();
  private frames = 0;
  private bytes = 0;

  readonly add = (ctx: Dissection, frame: number): void => {
    this.hierarchy.add(ctx);
    this.frames++;
    this.bytes += ctx.origLen;
    const number = frame + 1;
    if (ctx.malformed !== null) {
      const reason = ctx.malformed;
      this.problems.add(`malformed|${reason}`, number, () => ({ severity: 'error', group: 'Malformed', summary: reason, tenant: '', filter: `_ws.expert.message == ${quoted(reason)}` }));
    }
    for (let i = 0; i < ctx.layerCount; i++) {
      if (ctx.layerProto[i] !== PROTO.ip) continue;
      const flags = (ctx.buf[ctx.layerStart[i] + 6] << 8) | ctx.buf[ctx.layerStart[i] + 7];
      if ((flags & 0x3fff) !== 0) {
        const inner = i > 0 ? 'inner ' : '';
        this.problems.add(`fragment|${inner}`, number, () => ({ severity: 'note', group: 'Fragmentation', summary: `${inner}IPv4 fragment (not reassembled)`, tenant: '', filter: 'ip.fragment' }));
      }
    }
  };

  finish(tenants: A.TenantsReport, analyzer: OverlayAnalyzer): CaptureStatistics {
    return statisticsOf(this.hierarchy, this.problems, this.frames, this.bytes, tenants, analyzer);
  }
}

function statisticsOf(hierarchy: ProtocolHierarchy, problems: ItemCounter, frames: number, bytes: number, tenants: A.TenantsReport, analyzer: OverlayAnalyzer): CaptureStatistics {
  const overlay = new ItemCounter();
  const { learning, endpoints } = analyzer;
  const tenantTexts = new Map<number, string>();
  // Only moves and unknown-unicast floods become items: the other events stay in the learning's arrays.
  for (let i = 0; i < learning.eventCount; i++) {
    const kind = learning.get(i, Ev.Kind);
    const move = kind === EventCode.Move;
    if (!move && !(kind === EventCode.Flood && learning.get(i, Ev.Reason) === FloodCode.UnknownUnicast)) continue;
    const t = learning.get(i, Ev.Tenant);
    let tenant = tenantTexts.get(t);
    if (tenant === undefined) tenantTexts.set(t, (tenant = tenantText(analyzer.tenants.ref(t))));
    const frame = learning.get(i, Ev.Frame) + 1;
    if (move) {
      const mac = macFromWords(learning.get(i, Ev.MacHi), learning.get(i, Ev.MacLo));
      const summary = () => `${mac} moved between VTEPs (first: ${endpoints.text(learning.get(i, Ev.Previous))} → ${endpoints.text(learning.get(i, Ev.Remote))}, seen by ${endpoints.text(learning.get(i, Ev.Vtep))})`;
      overlay.add(`move|${tenant}|${mac}`, frame, () => ({ severity: 'warning', group: 'MAC move', summary: summary(), tenant, filter: `tenant == ${tenant} && eth.src == ${mac}` }));
    } else {
      const destination = macFromWords(learning.get(i, Ev.DstHi), learning.get(i, Ev.DstLo));
      overlay.add(`uu|${tenant}|${destination}`, frame, () => ({ severity: 'note', group: 'Unknown unicast', summary: `${destination} flooded as unknown unicast (not yet learned)`, tenant, filter: `tenant == ${tenant} && eth.dst == ${destination}` }));
    }
  }
  const findings: ExpertItem[] = tenants.findings.map((f) => ({
    severity: SEVERITY[f.severity],
    group: 'Overlay',
    summary: f.message,
    tenant: (f.tenants ?? (f.tenant ? [f.tenant] : [])).map(tenantText).join(', '),
    count: 1,
    firstFrame: f.firstFrame > 0 ? f.firstFrame : null,
    filter: f.firstFrame > 0 ? `frame.number == ${f.firstFrame}` : null,
  }));
  const expert = [...problems.list(), ...overlay.list(), ...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.group.localeCompare(b.group) || (a.firstFrame ?? 0) - (b.firstFrame ?? 0));
  const rows: HierarchyRow[] = [];
  flatten(hierarchy.tree(), 0, frames, bytes, rows);
  return { frames, bytes, hierarchy: rows, expert };
}
