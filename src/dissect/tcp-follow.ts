// Follow TCP Stream: one stream's payload in each direction, in sequence order (retransmitted bytes
// once, segments that arrive early held until the gap before them fills), as chunks in the order the
// capture delivers them, the way Wireshark's Follow TCP Stream shows a conversation.
import { CaptureFile } from '../capture/capture-file';
import type { Dissection } from './dissection';
import { CaptureIndexer } from './indexer';
import { innermostTransport } from './stream-sides';
import { TcpStreams } from './tcp-streams';
import { ipv4Text, ipv6Text } from './bytes';
import { PROTO } from './protocol-ids';

export interface StreamChunk {
  /** 0: from the side that sent first (endpoints[0]); 1: from the other. */
  direction: number;
  /** Frame (1-based) whose segment completed this chunk. */
  frame: number;
  bytes: Uint8Array;
}

export interface FollowedStream {
  stream: number;
  /** "address:port" of each side ("[v6]:port" for IPv6). */
  endpoints: [string, string];
  chunks: StreamChunk[];
  /** Payload bytes delivered per direction. */
  bytes: [number, number];
  /** Bytes never seen per direction (gaps the capture missed). */
  missing: [number, number];
  /** Segments (or parts) seen again and left out. */
  retransmittedBytes: number;
}

interface Direction {
  next: number;
  pending: Map<number, { frame: number; bytes: Uint8Array }>;
}

/**
 * Reads the capture at `path` once (its own pass, whatever else has the file open) and returns
 * stream `stream` (tcp.stream), or null when there is no such stream. Throws CaptureError.
 */
export function followTcpStream(path: string, stream: number, options: { reassemble?: boolean } = {}): FollowedStream | null {
  const file = CaptureFile.open(path);
  try {
    return follow(file, options, (c) => c.tcpStream === stream);
  } finally {
    file.close();
  }
}

/** One conversation of the capture: its two sides ("address:port", as `endpoints` gives them) and its tenant. */
export interface TcpConversationKey {
  a: string;
  b: string;
  /** The tenant its frames belong to (TenantType.None and 0 for traffic outside any overlay). */
  tenantType: number;
  tenantId: number;
}

/**
 * The stream between `key.a` and `key.b` within one tenant (the app's Follow Stream of an inner TCP
 * segment): the same reassembly as followTcpStream, over the frames of that stream whose tenant is
 * the key's (two tenants may reuse the same addresses). Null when the capture has no such stream.
 */
export function followTcpConversation(path: string, key: TcpConversationKey, options: { reassemble?: boolean } = {}): FollowedStream | null {
  const wanted = [key.a, key.b].sort().join(' ');
  let stream = -1;
  let checked = 0;
  const file = CaptureFile.open(path);
  try {
    return follow(file, options, (c) => {
      // tcp.stream numbers streams by first appearance: look at each new stream's sides once.
      if (stream < 0 && c.tcpStream >= checked) {
        checked = c.tcpStream + 1;
        const sides = innermostTransport(c);
        if (sides !== null && [sides.src, sides.dst].sort().join(' ') === wanted) stream = c.tcpStream;
      }
      return c.tcpStream === stream && c.tenantType === key.tenantType && c.tenantId === key.tenantId;
    }, rawSeq);
  } finally {
    file.close();
  }
}

/** `seqOf`: the segment's sequence number the reassembly orders by (relative by default). */
/**
 * The segment's own sequence number: tcp.stream joins the tenants that reuse the same addresses, so its
 * relative numbers count from another tenant's first segment; one tenant's raw numbers are its own.
 */
function rawSeq(c: Dissection): number {
  for (let i = c.layerCount - 1; i >= 0; i--) {
    if (c.layerProto[i] !== PROTO.tcp) continue;
    const at = c.layerStart[i] + 4;
    return ((c.buf[at] << 24) | (c.buf[at + 1] << 16) | (c.buf[at + 2] << 8) | c.buf[at + 3]) >>> 0;
  }
  return c.tcpRelativeSeq;
}

function follow(file: CaptureFile, options: { reassemble?: boolean }, belongs: (c: Dissection) => boolean, seqOf: (c: Dissection) => number = (c) => c.tcpRelativeSeq): FollowedStream | null {
  const indexer = new CaptureIndexer(file, { reassemble: options.reassemble });
  const ctx = indexer.ctx;
  ctx.tcpStreams = new TcpStreams();
  const result: FollowedStream = { stream: -1, endpoints: ['', ''], chunks: [], bytes: [0, 0], missing: [0, 0], retransmittedBytes: 0 };
  const sides: Direction[] = [
    { next: -1, pending: new Map() },
    { next: -1, pending: new Map() },
  ];
  let found = false;
  indexer.run((c, frame) => {
    if (c.tcpStream < 0 || !belongs(c)) return;
    const dir = c.tcpDirection;
    if (!found) {
      found = true;
      result.stream = c.tcpStream;
      result.endpoints = endpointsOf(c, dir);
    }
    // A copy: the reader reuses its buffer (a Buffer's slice would be a view of it).
    const payload = new Uint8Array(c.buf.subarray(c.tcpPayloadStart, c.tcpPayloadEnd));
    if (payload.length === 0) return;
    accept(result, sides[dir], dir, frame + 1, seqOf(c), payload);
  });
  if (!found) return null;
  // What is still held waits behind bytes the capture never saw: deliver it after the gap.
  sides.forEach((side, dir) => {
    for (const seq of [...side.pending.keys()].sort((a, b) => a - b)) {
      const held = side.pending.get(seq)!;
      side.pending.delete(seq);
      if (seq + held.bytes.length <= side.next) continue;
      if (seq > side.next) result.missing[dir] += seq - side.next;
      deliver(result, side, dir, held.frame, seq, held.bytes);
    }
  });
  return result;
}

function accept(result: FollowedStream, side: Direction, dir: number, frame: number, seq: number, bytes: Uint8Array): void {
  if (side.next < 0) side.next = seq;
  if (seq > side.next) {
    side.pending.set(seq, { frame, bytes });
    return;
  }
  deliver(result, side, dir, frame, seq, bytes);
  for (let held = side.pending.get(side.next); held !== undefined; held = side.pending.get(side.next)) {
    side.pending.delete(side.next);
    deliver(result, side, dir, held.frame, side.next, held.bytes);
  }
  // Held segments that now overlap what was delivered.
  for (const [at, held] of side.pending) {
    if (at < side.next) {
      side.pending.delete(at);
      deliver(result, side, dir, held.frame, at, held.bytes);
    }
  }
}

/** Appends the part of bytes (starting at seq) past what was delivered; a repeat is counted, not shown. */
function deliver(result: FollowedStream, side: Direction, dir: number, frame: number, seq: number, bytes: Uint8Array): void {
  const skip = Math.max(0, side.next - seq);
  if (skip > 0) result.retransmittedBytes += Math.min(skip, bytes.length);
  if (skip >= bytes.length) return;
  const fresh = bytes.subarray(skip);
  const last = result.chunks[result.chunks.length - 1];
  if (last !== undefined && last.direction === dir) {
    const joined = new Uint8Array(last.bytes.length + fresh.length);
    joined.set(last.bytes);
    joined.set(fresh, last.bytes.length);
    last.bytes = joined;
    last.frame = frame;
  } else result.chunks.push({ direction: dir, frame, bytes: fresh.slice() });
  result.bytes[dir] += fresh.length;
  side.next = Math.max(side.next, seq + bytes.length);
}

function endpointsOf(ctx: Dissection, dir: number): [string, string] {
  for (let i = ctx.layerCount - 1; i >= 0; i--) {
    const proto = ctx.layerProto[i];
    if (proto !== PROTO.tcp) continue;
    for (let j = i - 1; j >= 0; j--) {
      const ip = ctx.layerProto[j];
      if (ip !== PROTO.ip && ip !== PROTO.ipv6) continue;
      const at = ctx.layerStart[j];
      const tcp = ctx.layerStart[i];
      const buf = ctx.buf;
      const v6 = ip === PROTO.ipv6;
      const src = v6 ? `[${ipv6Text(buf, at + 8)}]` : ipv4Text(buf, at + 12);
      const dst = v6 ? `[${ipv6Text(buf, at + 24)}]` : ipv4Text(buf, at + 16);
      const a = `${src}:${(buf[tcp] << 8) | buf[tcp + 1]}`;
      const b = `${dst}:${(buf[tcp + 2] << 8) | buf[tcp + 3]}`;
      return dir === 0 ? [a, b] : [b, a];
    }
  }
  return ['', ''];
}
