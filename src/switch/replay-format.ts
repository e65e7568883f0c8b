// One text line (plus an indented path line) per replayed frame.
import { ReplayRecord, describeBrief } from './replay';

function agreement(r: ReplayRecord): string {
  if (r.agrees === true) return r.seenIn && r.seenIn.length > 0 ? `capture agrees (frame${r.seenIn.length > 1 ? 's' : ''} ${r.seenIn.join(', ')})` : 'capture agrees';
  if (r.agrees === false) return `CAPTURE DISAGREES${r.missing && r.missing.length > 0 ? `: not seen ${r.missing.join(', ')}` : ''}`;
  return 'not visible in the capture';
}

export function formatReplayText(r: ReplayRecord): string {
  const head = `${String(r.frame).padStart(5)} ${r.time.toFixed(6).padStart(11)} `;
  if (r.role === 'other') return `${head}-   ${r.note ?? ''}`;
  if (r.role === 'egress') {
    const e = r.egress!;
    const what = e.vlan !== null ? `VLAN ${e.vlan}` : e.tunId ? `key 0x${e.tunId.toString(16)}` : 'untagged';
    const verdict = e.agrees === true ? `as predicted by frame ${e.predictedBy}` : e.agrees === false ? `NOT PREDICTED: ${e.note}` : `unexplained: ${e.note}`;
    return `${head}out port ${e.port} (${e.portName}) ${what}: ${verdict}`;
  }
  const tun = r.tunId !== undefined ? ` tun_id 0x${r.tunId.toString(16)}` : '';
  const outs = r.outputs!.length > 0 ? ' -> ' + r.outputs!.map(describeBrief).join(', ') : '';
  const lines = [`${head}in  port ${r.inPort} (${r.portName})${tun}: ${r.decision}${outs}; ${agreement(r)}`];
  lines.push(`${' '.repeat(19)}flow: ${r.microflow}`);
  lines.push(`${' '.repeat(19)}path: ${r.path!.map((s) => `${s.bridge ? `${s.bridge}:` : ''}${s.table}${s.priority === null ? ' (miss)' : `[${s.match || '*'}, priority ${s.priority}]`}`).join(' -> ')}`);
  for (const l of r.learned ?? []) lines.push(`${' '.repeat(19)}learned: ${l}`);
  for (const x of r.expired ?? []) lines.push(`${' '.repeat(19)}expired: ${x}`);
  if (r.error) lines.push(`${' '.repeat(19)}error: ${r.error}`);
  return lines.join('\n');
}
