// The Forwarding subtree of a frame's details: why an overlay frame was sent where it went, from the
// sending VTEP's forwarding database just before the frame ("unicast: 192.168.100.1's FDB had
// fa:16:3e:00:65:02 behind 192.168.100.2 since frame 5"), or why it was flooded. Runs in the analysis worker.
import type { FrameSource } from '../capture/frame-source';
import { macText } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { formatTenant } from '../dissect/tenant-id';
import { dissectFrame } from '../dissect/engine';
import { PROTO } from '../dissect/protocol-ids';
import { ipv4Text } from '../report/ipv4-text';
import type { VtepEvents } from './vtep-events';
import type { VtepTables } from './vtep-tables';

export function explainForwarding(file: FrameSource, events: VtepEvents, tables: VtepTables, frame: number): string[] {
  const ix = file.index;
  const i = frame - 1;
  if (i < 0 || i >= ix.count) return [`frame ${frame} does not exist`];
  if (ix.tenantType[i] === 0) return ['Not in an overlay: the underlay forwards it by its own addresses.'];
  const tenant = formatTenant(ix.tenantType[i], ix.tenantId[i]);
  const sender = ipv4Text(ix.outerSrc[i]);
  const ctx = new Dissection();
  const bytes = file.readFrame(i);
  dissectFrame(ctx, bytes, 0, bytes.length, ix.origLen[i], file.linkType(i));
  let inner = -1;
  for (let k = 1; k < ctx.layerCount; k++) if (ctx.layerProto[k] === PROTO.eth) inner = k;
  const lines: string[] = [];
  if (inner < 0) lines.push(`${tenant} carries no inner Ethernet frame (IP in the tunnel): the VTEP routes it, no MAC learning applies.`);
  else {
    const at = ctx.layerStart[inner];
    const destination = macText(bytes, at);
    const source = macText(bytes, at + 6);
    if ((bytes[at] & 1) !== 0) {
      const what = destination === 'ff:ff:ff:ff:ff:ff' ? 'broadcast' : 'multicast';
      lines.push(`${what}: ${destination} is flooded by ${sender} to every VTEP of ${tenant} (${ipv4Text(ix.outerDst[i])})`);
    } else {
      const macHi = (bytes[at] << 8) | bytes[at + 1];
      const macLo = ((bytes[at + 2] << 24) | (bytes[at + 3] << 16) | (bytes[at + 4] << 8) | bytes[at + 5]) >>> 0;
      const learner = events.endpoint(sender);
      const tenantNumber = events.tenant(tenant);
      // The sender's database just before this frame: after frame - 1 (1-based), i.e. frame - 2 counted from 0.
      const entry = frame > 1 && learner >= 0 && tenantNumber >= 0 ? tables.fdbEntryAt(frame - 2, learner, tenantNumber, macHi, macLo) : null;
      if (entry) lines.push(`unicast: ${sender}'s FDB had ${destination} behind ${events.endpointText(entry.remote)} since frame ${entry.since + 1}`);
      else lines.push(`unknown unicast: ${sender}'s FDB had no entry for ${destination} in ${tenant}, so it was flooded (to ${ipv4Text(ix.outerDst[i])})`);
    }
    const here = events.at(frame);
    if (!here.some((e) => e.kind === 'learn' || e.kind === 'move')) lines.push(`learning: nothing new; receivers already had ${source} (${tenant}) behind ${sender}`);
  }
  for (const e of events.at(frame)) lines.push(e.text);
  return lines;
}
