// tunnelscope info FILE: what a capture holds, from one full dissection pass (like capinfos plus
// tshark's -z io,phs): format, interfaces, frames, time span, tenants, malformed frames, protocol hierarchy.
// The work behind `tunnelscope info`, loaded only when that command runs (see info.ts).
import { FrameFlags, INDEX_BYTES_PER_FRAME } from '../../capture/frame-index';
import { CaptureSet } from '../../capture/capture-set';
import type { FrameSource } from '../../capture/frame-source';
import type { DecodeAsOverrides } from '../../dissect/dissection';
import { CaptureIndexer } from '../../dissect/indexer';
import { HierarchyNode, ProtocolHierarchy } from '../../dissect/protocol-hierarchy';
import type { CaptureSection } from '../../capture/format-parser';
import { isoTime } from '../../report/time-format';
import { terminalSafe } from '../../overlay/output/terminal-text';
import { decodeAsOverrides } from '../decode-as-overrides';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';
export interface InfoOptions {
  format: 'text' | 'json';
  decodeAs: string[];
  reassemble: boolean;
}


export function runInfo(paths: string[], options: InfoOptions): void {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const file = openCapturesOrFail(paths, decodeAs);
  const summary = captureInfo(file, decodeAs, paths, options.reassemble);
  file.close();
  if (options.format === 'json') process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(infoText(summary));
  reportCaptureProblem(file);
}

/** Everything `info` reports, from one full dissection pass over open captures. */
export function captureInfo(file: FrameSource, decodeAs: DecodeAsOverrides | null, paths: readonly string[] = [file.path], reassemble = true) {
  const indexer = new CaptureIndexer(file, { reassemble });
  indexer.ctx.decodeAs = decodeAs;
  const hierarchy = new ProtocolHierarchy();
  const started = process.hrtime.bigint();
  indexer.run((ctx) => hierarchy.add(ctx));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const index = file.index;
  const n = index.count;
  let bytes = 0;
  let malformed = 0;
  const tenants = new Set<number>();
  for (let i = 0; i < n; i++) {
    bytes += index.origLen[i];
    if (index.flags[i] & FrameFlags.Malformed) malformed++;
    if (index.tenantType[i] !== 0) tenants.add(index.tenantType[i] * 0x100000000 + index.tenantId[i]);
  }
  const first = n > 0 ? index.time(0) : 0;
  const last = n > 0 ? index.time(n - 1) : 0;
  return {
    file: paths.join(', '),
    format: file.format,
    sections: file.sections,
    interfaces: file.interfaces.map((i) => ({ name: i.name, description: i.description ?? '', linkType: i.linkType, snapLen: i.snapLen })),
    frames: n,
    bytes,
    firstTime: first,
    lastTime: last,
    durationSeconds: last - first,
    tenants: tenants.size,
    malformedFrames: malformed,
    indexBytesPerFrame: INDEX_BYTES_PER_FRAME,
    dissectSeconds: seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    protocolHierarchy: hierarchy.tree(),
    problem: file.problem,
    ...(file instanceof CaptureSet ? { captures: captureRows(file) } : {}),
  };
}

/** Several captures: each one's name, host, clock offset and frames. */
function captureRows(set: CaptureSet): { name: string; file: string; host: string | null; clockOffset: number; frames: number }[] {
  return set.members.map((m) => ({ name: m.name, file: m.file.path, host: m.host, clockOffset: m.clockOffset, frames: m.file.frameCount }));
}

export function infoText(s: { file: string; format: string; sections: readonly CaptureSection[]; interfaces: { name: string; description: string; linkType: number }[]; frames: number; bytes: number; firstTime: number; lastTime: number; durationSeconds: number; tenants: number; malformedFrames: number; dissectSeconds: number; protocolHierarchy: HierarchyNode[]; captures?: ReturnType<typeof captureRows> }): string {
  const lines = [
    `File:        ${s.file} (${s.format})`,
    ...s.sections.map((section, n) => sectionLine(section, s.sections.length > 1 ? n : -1)).filter((line) => line !== ''),
    `Interfaces:  ${s.interfaces.map((i, n) => `#${n} ${i.name || '(unnamed)'}${i.description ? ` (${i.description})` : ''} link type ${i.linkType}`).join(', ')}`,
    `Frames:      ${s.frames.toLocaleString('en-US')} (${s.bytes.toLocaleString('en-US')} bytes)`,
    `Time span:   ${s.frames ? `${isoTime(s.firstTime, 3)} .. ${isoTime(s.lastTime, 3)} (${s.durationSeconds.toFixed(3)} s)` : '-'}`,
    `Tenants:     ${s.tenants}`,
    ...(s.captures ?? []).map((c) => `Capture:     ${c.name} host ${c.host ?? '(unknown)'}, ${c.frames} frames, clock ${c.clockOffset >= 0 ? '+' : ''}${c.clockOffset.toFixed(6)} s`),
    `Malformed:   ${s.malformedFrames} frame(s)`,
    `Dissected in ${s.dissectSeconds.toFixed(3)} s`,
    '',
    'Protocol hierarchy:',
  ];
  const walk = (nodes: HierarchyNode[], depth: number) => {
    for (const node of nodes) {
      lines.push(`${'  '.repeat(depth + 1)}${node.protocol.padEnd(Math.max(1, 34 - depth * 2))} frames:${node.frames} bytes:${node.bytes}`);
      walk(node.children, depth + 1);
    }
  };
  walk(s.protocolHierarchy, 0);
  // Names and comments come from the file: escaped, line by line, before they reach a terminal.
  return lines.map(terminalSafe).join('\n') + '\n';
}

/** "Captured by: dumpcap (Wireshark) 4.0 on Linux 6.1, hardware x86_64; comment: ..." for a section header. */
function sectionLine(section: CaptureSection, number: number): string {
  const parts: string[] = [];
  if (section.application) parts.push(section.application);
  if (section.os) parts.push(`on ${section.os}`);
  if (section.hardware) parts.push(`hardware ${section.hardware}`);
  if (section.comment) parts.push(`comment: ${section.comment}`);
  if (parts.length === 0) return '';
  return `${number >= 0 ? `Section ${number + 1}:   ` : 'Captured by: '}${parts.join(', ')}`;
}
