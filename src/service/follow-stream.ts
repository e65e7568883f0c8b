// Follow Stream for an overlay frame's innermost TCP or UDP conversation, within its tenant: the
// payloads of both directions in capture order (TCP: each sequence range once, so retransmissions do
// not repeat). Frames are first narrowed by the index's tenant columns, then dissected on the fast
// path. This is the one place the app follows a stream; the engine's TCP stream reassembly can replace
// the loop below without changing the call.
import type { FrameSource } from '../capture/frame-source';
import { ipv4Text, ipv6Text } from '../dissect/bytes';
import { Dissection } from '../dissect/dissection';
import { formatTenant } from '../dissect/tenant-id';
import { dissectFrame } from '../dissect/engine';
import { PROTO } from '../dissect/protocol-ids';
import type { FollowedStream } from './api';

const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

interface Endpoints {
  protocol: 'tcp' | 'udp';
  a: string;
  b: string;
  /** "10.0.0.1|1234|10.0.0.2|80": direction-sensitive key. */
  key: string;
  reverseKey: string;
  payloadStart: number;
  payloadEnd: number;
  seq: number;
}

/** The innermost TCP/UDP layer's endpoints and payload bounds, or null. */
function endpointsOf(ctx: Dissection, buf: Uint8Array): Endpoints | null {
  let l4 = -1;
  for (let i = 0; i < ctx.layerCount; i++) if (ctx.layerProto[i] === PROTO.tcp || ctx.layerProto[i] === PROTO.udp) l4 = i;
  if (l4 < 1) return null;
  const ipLayer = l4 - 1;
  const ipAt = ctx.layerStart[ipLayer];
  let src: string;
  let dst: string;
  if (ctx.layerProto[ipLayer] === PROTO.ip) [src, dst] = [ipv4Text(buf, ipAt + 12), ipv4Text(buf, ipAt + 16)];
  else if (ctx.layerProto[ipLayer] === PROTO.ipv6) [src, dst] = [ipv6Text(buf, ipAt + 8), ipv6Text(buf, ipAt + 24)];
  else return null;
  const at = ctx.layerStart[l4];
  // The payload runs to the end of the IP packet as its header gives it (padding after it is not payload).
  const ipLength = ctx.layerProto[ipLayer] === PROTO.ip ? (buf[ipAt + 2] << 8) | buf[ipAt + 3] : 40 + ((buf[ipAt + 4] << 8) | buf[ipAt + 5]);
  const end = Math.min(ipAt + ipLength, ctx.capLen);
  const sport = (buf[at] << 8) | buf[at + 1];
  const dport = (buf[at + 2] << 8) | buf[at + 3];
  const protocol = ctx.layerProto[l4] === PROTO.tcp ? 'tcp' : 'udp';
  const header = protocol === 'tcp' ? (buf[at + 12] >> 4) * 4 : 8;
  const seq = protocol === 'tcp' ? ((buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) >>> 0 : 0;
  const show = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  return { protocol, a: show(src, sport), b: show(dst, dport), key: `${src}|${sport}|${dst}|${dport}`, reverseKey: `${dst}|${dport}|${src}|${sport}`, payloadStart: at + header, payloadEnd: end, seq };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** `linkType` of a frame as the session knows it (its interfaces come from the index worker). */
export function followStream(file: FrameSource, frames: number, frame: number, linkType: (frame: number) => number): FollowedStream {
  const ix = file.index;
  const i = frame - 1;
  if (i < 0 || i >= frames) throw new Error(`frame ${frame} does not exist`);
  const ctx = new Dissection();
  const read = (f: number) => {
    const buf = file.readFrame(f);
    dissectFrame(ctx, buf, 0, buf.length, ix.origLen[f], linkType(f));
    return buf;
  };
  const first = read(i);
  const tenantType = ix.tenantType[i];
  const tenantId = ix.tenantId[i];
  const start = endpointsOf(ctx, first);
  if (start === null) throw new Error(`frame ${frame} carries no TCP or UDP to follow`);
  const tenant = tenantType === 0 ? '' : formatTenant(tenantType, tenantId);
  const segments: FollowedStream['segments'] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let truncated = false;
  for (let f = 0; f < frames; f++) {
    if (ix.tenantType[f] !== tenantType || ix.tenantId[f] !== tenantId) continue;
    const buf = read(f);
    const e = endpointsOf(ctx, buf);
    if (e === null || e.protocol !== start.protocol) continue;
    const fromA = e.key === start.key;
    if (!fromA && e.key !== start.reverseKey) continue;
    const length = e.payloadEnd - e.payloadStart;
    if (length <= 0) continue;
    if (e.protocol === 'tcp') {
      const range = `${fromA ? 'a' : 'b'}|${e.seq}|${length}`;
      if (seen.has(range)) continue;
      seen.add(range);
    }
    if (bytes + length > MAX_PAYLOAD_BYTES) {
      truncated = true;
      break;
    }
    bytes += length;
    segments.push({ frame: f + 1, fromA, bytesHex: hex(buf.subarray(e.payloadStart, e.payloadEnd)) });
  }
  const [aAddr, aPort] = splitEndpoint(start.a);
  const [bAddr, bPort] = splitEndpoint(start.b);
  const addr = (x: string) => `${x.includes(':') ? 'ipv6' : 'ip'}.addr == ${x}`;
  const filter = `${tenant ? `tenant == ${tenant} && ` : ''}${addr(aAddr)} && ${addr(bAddr)} && ${start.protocol}.port == ${aPort} && ${start.protocol}.port == ${bPort}`;
  return { protocol: start.protocol, tenant, a: start.a, b: start.b, filter, segments, truncated };
}

function splitEndpoint(endpoint: string): [string, string] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at).replace(/^\[|\]$/g, ''), endpoint.slice(at + 1)];
}
