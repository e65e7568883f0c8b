// The report's sections as HTML fragments, each from ReportData alone.
import { linkTypeName } from './link-type-names';
import { ANALYSIS_UNAVAILABLE } from '../analysis-source';
import { Conversation, LearningEvent, TenantRef } from '../analysis-types';
import { ReportData } from '../report-data';
import { readableDuration, readableTime, timeOfDay } from '../time-format';
import { tenantRows } from '../tenant-rows';
import { byteSize, count, escapeHtml, percent, tenantIdText, tenantLabel } from './escape';
import { timeChartSvg } from './time-chart';
import { vtepMatrixTable } from './vtep-matrix';

/** Caps that keep a million-packet report readable; the JSON report has every row. */
export const LIMITS = { matrixTenants: 12, conversations: 25, events: 200, findings: 200 };

function section(id: string, title: string, lead: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${lead ? `<p class="lead">${lead}</p>` : ''}\n${body}\n</section>`;
}

function missingAnalysis(): string {
  return `<p class="note">${escapeHtml(ANALYSIS_UNAVAILABLE)}</p>`;
}

function moreRows(shown: number, total: number, what: string): string {
  return total > shown ? `<p class="lead">Showing ${count(shown)} of ${count(total)} ${what}; the JSON report (<span class="mono">--out FILE.json</span>) lists all.</p>` : '';
}

export function summarySection(data: ReportData): string {
  const { capture, traffic } = data;
  const covered = capture.filter === null ? `all ${count(capture.frames)} frames` : `${count(traffic.frames)} of ${count(capture.frames)} frames, those matching the filter <span class="mono">${escapeHtml(capture.filter)}</span>`;
  const vteps = new Set(traffic.tenants.flatMap((t) => t.vteps));
  const tenantBytes = traffic.bytes - traffic.underlayBytes;
  const facts: [string, string][] = [
    ['Capture file', `<span class="mono">${escapeHtml(capture.file)}</span> (${capture.format}, ${byteSize(capture.fileBytes)})`],
    ['Frames in this report', covered],
    ['Time span', traffic.frames > 0 ? `${escapeHtml(readableTime(traffic.startTime))} to ${escapeHtml(readableTime(traffic.endTime))} (${escapeHtml(readableDuration(traffic.endTime - traffic.startTime))})` : '–'],
    ['Interfaces', capture.interfaces.map((i) => `${escapeHtml(i.name)} (${escapeHtml(linkTypeName(i.linkType))})`).join(', ') || '–'],
    ['Tenant traffic', `${count(traffic.frames - traffic.underlayFrames)} encapsulated frames, ${byteSize(tenantBytes)}, in ${count(traffic.tenants.length)} tenant${traffic.tenants.length === 1 ? '' : 's'} between ${count(vteps.size)} VTEP${vteps.size === 1 ? '' : 's'}`],
    ['Underlay only', `${count(traffic.underlayFrames)} frames, ${byteSize(traffic.underlayBytes)} not encapsulated (e.g. IGMP membership reports, routing, management)`],
  ];
  if (capture.problem !== null) facts.push(['Problem', `<strong>${escapeHtml(capture.problem)}</strong>`]);
  const body = `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>${data.analysis === null ? missingAnalysis() : ''}`;
  return section('summary', 'Capture summary', '', body);
}

export function tenantsSection(data: ReportData): string {
  const rows = tenantRows(data);
  if (rows.length === 0) return section('tenants', 'Tenants', 'No encapsulated traffic: every frame belongs to the underlay.', '');
  const body = `<table><thead><tr><th>Type</th><th class="num">ID</th><th class="num">Packets</th><th class="num">Bytes</th><th>First seen</th><th>Last seen</th><th>VTEPs</th><th class="num">Flood share</th><th class="num">Conversations</th></tr></thead><tbody>
${rows
  .map(
    (r) =>
      `<tr><td>${r.type}</td><td class="num mono">${escapeHtml(tenantIdText(r))}</td><td class="num">${count(r.packets)}</td><td class="num" title="${r.bytes} bytes">${byteSize(r.bytes)}</td><td class="mono">${escapeHtml(readableTime(r.firstTime))}</td><td class="mono">${escapeHtml(readableTime(r.lastTime))}</td><td class="mono">${r.vteps.map(escapeHtml).join('<br>')}</td><td class="num">${percent(r.floodPackets, r.packets)}</td><td class="num">${r.conversations === undefined ? '–' : count(r.conversations)}</td></tr>`,
  )
  .join('\n')}</tbody></table>`;
  const lead = 'A tenant is one virtual network: a VXLAN or Geneve VNI, an NVGRE VSID or a GRE key (a GRE tunnel without a key counts as one tenant). Bytes count the outer frames as captured. VTEPs are the underlay addresses that sent or received the tenant\'s frames. Flood share: broadcast, unknown-unicast and multicast frames.';
  return section('tenants', 'Tenants', escapeHtml(lead), body);
}

export function trafficSection(data: ReportData): string {
  return section('traffic', 'Traffic over time', 'Packets per tenant, encapsulated frames only.', timeChartSvg(data.traffic));
}

export function matrixSection(data: ReportData): string {
  const tenants = data.traffic.tenants;
  const shown = tenants.slice(0, LIMITS.matrixTenants);
  const body = shown.map((t) => `<div class="keep"><h3>${escapeHtml(tenantLabel(t))}</h3>${vtepMatrixTable(t)}</div>`).join('\n') + moreRows(shown.length, tenants.length, 'tenants');
  const lead = 'Packets (and bytes) from the VTEP that encapsulated (row) to the outer destination (column). A group column is a flood to a multicast group: every VTEP that joined it receives the frame.';
  return section('vteps', 'VTEP-to-VTEP traffic per tenant', escapeHtml(lead), tenants.length > 0 ? body : '<p class="lead">No tenant traffic.</p>');
}

function conversationRow(tenant: TenantRef, c: Conversation): string {
  const frames = c.firstFrame === c.lastFrame ? `${c.firstFrame}` : `${c.firstFrame}–${c.lastFrame}`;
  return `<tr><td class="nowrap">${escapeHtml(tenantLabel(tenant))}</td><td>${escapeHtml(c.layer)}</td><td class="mono">${escapeHtml(c.a)}</td><td class="mono">${escapeHtml(c.b)}</td><td class="num">${count(c.packets)}</td><td class="num" title="${c.bytes} bytes">${byteSize(c.bytes)}</td><td class="num">${frames}</td></tr>`;
}

export function conversationsSection(data: ReportData): string {
  const lead = 'The busiest conversations inside the tenants, by bytes of the encapsulated frames: MAC pairs (eth), address pairs (ip) and address:port pairs (tcp, udp). Equal inner addresses in different tenants are different conversations.';
  if (data.analysis === null) return section('conversations', 'Top conversations', escapeHtml(lead), missingAnalysis());
  const all = data.analysis.tenants.tenants.flatMap((t) => t.conversations.map((c) => ({ tenant: { type: t.type, id: t.id }, c })));
  all.sort((x, y) => y.c.bytes - x.c.bytes || y.c.packets - x.c.packets || x.c.firstFrame - y.c.firstFrame);
  const shown = all.slice(0, LIMITS.conversations);
  const body = `<table><thead><tr><th>Tenant</th><th>Layer</th><th>A</th><th>B</th><th class="num">Packets</th><th class="num">Bytes</th><th class="num">Frames</th></tr></thead><tbody>
${shown.map(({ tenant, c }) => conversationRow(tenant, c)).join('\n')}</tbody></table>${moreRows(shown.length, all.length, 'conversations')}`;
  return section('conversations', 'Top conversations', escapeHtml(lead), all.length > 0 ? body : '<p class="lead">No conversations.</p>');
}

function eventDetails(e: LearningEvent): string {
  switch (e.kind) {
    case 'learn':
      return `this MAC is behind ${e.remoteVtep ?? '?'}`;
    case 'move':
      return `this MAC moved from ${e.previousVtep ?? '?'} to ${e.remoteVtep ?? '?'}`;
    case 'flood': {
      const to = e.group !== undefined ? `sent to group ${e.group}` : 'sent to every VTEP';
      const receivers = e.receivers && e.receivers.length > 0 ? `, received by ${e.receivers.join(', ')}${e.membersAssumed ? ' (members assumed: no IGMP/MLD report seen)' : ''}` : '';
      return `${e.reason ?? 'flood'} to ${e.destination ?? '?'}, ${to}${receivers}`;
    }
    case 'local':
      return 'this MAC is local: this VTEP encapsulated its frames';
    case 'migrate':
      return `this MAC is now local, it was behind ${e.previousVtep ?? '?'}`;
    case 'age':
      return `entry removed after the ageing time (it was ${e.remoteVtep === e.vtep ? 'local' : `behind ${e.remoteVtep ?? '?'}`})`;
  }
}

export function eventsSection(data: ReportData): string {
  const lead = 'What each VTEP learned from the frames it received, in capture order (RFC 7348 flood-and-learn). learn: a first entry (tenant, MAC) → remote VTEP; move: the MAC now sits behind another VTEP (a VM migrated, or something is wrong); flood: a frame sent to a group, or to a broadcast, multicast or unknown destination. Refreshes of an unchanged entry are not events.';
  if (data.analysis === null) return section('learning', 'VTEP learning events', escapeHtml(lead), missingAnalysis());
  const { events, groups } = data.analysis.vteps;
  const shown = events.slice(0, LIMITS.events);
  const groupRows = groups.map(
    (g) =>
      `<tr><td class="mono">${escapeHtml(g.group)}</td><td>${g.tenants.map((t) => escapeHtml(tenantLabel(t))).join(', ')}</td><td class="mono">${g.members.map(escapeHtml).join(', ')}</td><td>${g.reported ? 'IGMP/MLD reports' : 'none seen: assumed the tenant\'s VTEPs'}</td></tr>`,
  );
  const groupTable = groups.length > 0
    ? `<h3>Multicast groups</h3><table class="keep"><thead><tr><th>Group</th><th>Tenants</th><th>Members</th><th>Membership from</th></tr></thead><tbody>${groupRows.join('')}</tbody></table>`
    : '';
  const rows = shown.map(
    (e) =>
      `<tr><td class="num">${e.frame}</td><td class="mono nowrap" title="${escapeHtml(readableTime(e.ts))}">${escapeHtml(timeOfDay(e.ts))}</td><td class="kind-${escapeHtml(e.kind)}">${escapeHtml(e.kind)}</td><td class="mono">${escapeHtml(e.vtep)}</td><td class="nowrap">${escapeHtml(tenantLabel(e.tenant))}</td><td class="mono">${escapeHtml(e.mac)}</td><td>${escapeHtml(eventDetails(e))}</td></tr>`,
  );
  const table = events.length > 0
    ? `<table><thead><tr><th class="num">Frame</th><th>Time (UTC)</th><th>Event</th><th>VTEP (learner; sender of a flood)</th><th>Tenant</th><th>MAC</th><th>Details</th></tr></thead><tbody>
${rows.join('\n')}</tbody></table>${moreRows(shown.length, events.length, 'events')}`
    : '<p class="lead">No learning events.</p>';
  return section('learning', 'VTEP learning events', escapeHtml(lead), groupTable + '<h3>Events</h3>' + table);
}

export function findingsSection(data: ReportData): string {
  const lead = 'Things a network engineer should look at: an inner IP claimed by two MACs inside one tenant, one MAC in two tenants, VXLAN frames without the I flag, inner frames too big for the underlay MTU.';
  if (data.analysis === null) return section('findings', 'Findings', escapeHtml(lead), missingAnalysis());
  const findings = data.analysis.tenants.findings;
  if (findings.length === 0) return section('findings', 'Findings', escapeHtml(lead), '<p><strong>No findings.</strong></p>');
  const shown = findings.slice(0, LIMITS.findings);
  const rows = shown.map((f) => {
    const tenants = f.tenants ?? (f.tenant ? [f.tenant] : []);
    return `<tr><td class="severity severity-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</td><td class="mono">${escapeHtml(f.kind)}</td><td>${tenants.map((t) => escapeHtml(tenantLabel(t))).join(', ')}</td><td>${escapeHtml(f.message)}</td><td class="num">${f.firstFrame}</td><td class="num">${f.frames === undefined ? '' : count(f.frames)}</td></tr>`;
  });
  const body = `<table><thead><tr><th>Severity</th><th>Finding</th><th>Tenant</th><th>Details</th><th class="num">First frame</th><th class="num">Frames</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>${moreRows(shown.length, findings.length, 'findings')}`;
  return section('findings', 'Findings', escapeHtml(lead), body);
}
