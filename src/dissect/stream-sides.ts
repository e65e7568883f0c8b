// The innermost TCP or UDP segment of a dissected frame: its two sides as "address:port" ("[v6]:port")
// and where its payload lies. Follow Stream keys conversations by these sides (and the tenant).
import { ipv4Text, ipv6Text } from './bytes';
import type { Dissection } from './dissection';
import { PROTO } from './protocol-ids';

export interface TransportSides {
  protocol: 'tcp' | 'udp';
  /** Sender and receiver of this frame. */
  src: string;
  dst: string;
  payloadStart: number;
  payloadEnd: number;
}

export function innermostTransport(ctx: Dissection): TransportSides | null {
  let l4 = -1;
  for (let i = 0; i < ctx.layerCount; i++) if (ctx.layerProto[i] === PROTO.tcp || ctx.layerProto[i] === PROTO.udp) l4 = i;
  if (l4 < 1) return null;
  const buf = ctx.buf;
  const ipLayer = l4 - 1;
  const ipAt = ctx.layerStart[ipLayer];
  const v4 = ctx.layerProto[ipLayer] === PROTO.ip;
  if (!v4 && ctx.layerProto[ipLayer] !== PROTO.ipv6) return null;
  const src = v4 ? ipv4Text(buf, ipAt + 12) : `[${ipv6Text(buf, ipAt + 8)}]`;
  const dst = v4 ? ipv4Text(buf, ipAt + 16) : `[${ipv6Text(buf, ipAt + 24)}]`;
  const at = ctx.layerStart[l4];
  // The payload runs to the end of the IP packet as its header gives it (padding after it is not payload).
  const ipLength = v4 ? (buf[ipAt + 2] << 8) | buf[ipAt + 3] : 40 + ((buf[ipAt + 4] << 8) | buf[ipAt + 5]);
  const protocol = ctx.layerProto[l4] === PROTO.tcp ? 'tcp' : 'udp';
  const header = protocol === 'tcp' ? (buf[at + 12] >> 4) * 4 : 8;
  return {
    protocol,
    src: `${src}:${(buf[at] << 8) | buf[at + 1]}`,
    dst: `${dst}:${(buf[at + 2] << 8) | buf[at + 3]}`,
    payloadStart: at + header,
    payloadEnd: Math.min(ipAt + ipLength, ctx.base + ctx.capLen),
  };
}
