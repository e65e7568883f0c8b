// tunnelscope info FILE: what a capture holds, from one full dissection pass (like capinfos plus
// tshark's -z io,phs): format, interfaces, frames, time span, tenants, malformed frames, protocol hierarchy.
// The work behind `tunnelscope info`, loaded only when that command runs (see info.ts).
import { FrameFlags, INDEX_BYTES_PER_FRAME } from '../../capture/frame-index';
import { CaptureIndexer } from '../../dissect/indexer';
import { HierarchyNode, ProtocolHierarchy } from '../../stats/protocol-hierarchy';
import { decodeAsOverrides } from '../decode-as-overrides';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
export interface InfoOptions {
  format: 'text' | 'json';
  decodeAs: string[];
  reassemble: boolean;
}


export function runInfo(path: string, options: InfoOptions): void {
  const file = openCaptureOrFail(path);
  const indexer = new CaptureIndexer(file, { reassemble: options.reassemble });
  indexer.ctx.decodeAs = decodeAsOverrides(options.decodeAs);
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
  const summary = {
    file: path,
    format: file.format,
    interfaces: file.interfaces.map((i) => ({ name: i.name, linkType: i.linkType, snapLen: i.snapLen })),
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
  };
  file.close();
  if (options.format === 'json') process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(infoText(summary));
  reportCaptureProblem(file);
}

function infoText(s: { file: string; format: string; interfaces: { name: string; linkType: number }[]; frames: number; bytes: number; firstTime: number; lastTime: number; durationSeconds: number; tenants: number; malformedFrames: number; dissectSeconds: number; protocolHierarchy: HierarchyNode[] }): string {
  const lines = [
    `File:        ${s.file} (${s.format})`,
    `Interfaces:  ${s.interfaces.map((i, n) => `#${n} ${i.name || '(unnamed)'} link type ${i.linkType}`).join(', ')}`,
    `Frames:      ${s.frames.toLocaleString('en-US')} (${s.bytes.toLocaleString('en-US')} bytes)`,
    `Time span:   ${s.frames ? `${new Date(s.firstTime * 1000).toISOString()} .. ${new Date(s.lastTime * 1000).toISOString()} (${s.durationSeconds.toFixed(3)} s)` : '-'}`,
    `Tenants:     ${s.tenants}`,
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
  return lines.join('\n') + '\n';
}
