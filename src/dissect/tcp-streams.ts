// TCP conversations of one sequential pass, as tshark numbers them: tcp.stream (in order of first
// appearance, both directions together, by addresses and ports as tshark keys them), and the
// base of each direction's sequence numbers for relative tcp.seq/tcp.ack (the SYN's sequence number,
// or one before the first one seen when the capture starts mid-stream).
interface Stream {
  index: number;
  /** Key of the side that sent first: its frames are direction 0. */
  first: string;
  /** Sequence number bases of directions 0 and 1; -1 until known. */
  base: [number, number];
}

export interface TcpSegmentInfo {
  stream: number;
  /** 0: from the side that was seen first; 1: from the other. */
  direction: number;
  relativeSeq: number;
  /** Relative acknowledgment number, or -1 when the ACK flag is not set. */
  relativeAck: number;
}

export class TcpStreams {
  private readonly byKey = new Map<string, Stream>();
  /** Streams seen so far. */
  count = 0;

  /** Classifies one segment in buf (its IP layer's addresses at srcAt/dstAt, `addressLength` bytes each). */
  segment(buf: Uint8Array, srcAt: number, dstAt: number, addressLength: number, tcpAt: number, out: TcpSegmentInfo): void {
    const src = endpointKey(buf, srcAt, addressLength, (buf[tcpAt] << 8) | buf[tcpAt + 1]);
    const dst = endpointKey(buf, dstAt, addressLength, (buf[tcpAt + 2] << 8) | buf[tcpAt + 3]);
    const key = src < dst ? src + dst : dst + src;
    let stream = this.byKey.get(key);
    if (stream === undefined) {
      stream = { index: this.count++, first: src, base: [-1, -1] };
      this.byKey.set(key, stream);
    }
    const direction = src === stream.first ? 0 : 1;
    const seq = u32(buf, tcpAt + 4);
    const ack = u32(buf, tcpAt + 8);
    const flags = buf[tcpAt + 13];
    const syn = (flags & 0x02) !== 0;
    const hasAck = (flags & 0x10) !== 0;
    if (stream.base[direction] < 0 || (syn && !hasAck && seq !== stream.base[direction])) stream.base[direction] = syn ? seq : (seq - 1) >>> 0;
    else if (syn && hasAck && stream.base[direction] !== seq) stream.base[direction] = seq;
    const other = 1 - direction;
    if (hasAck && stream.base[other] < 0) stream.base[other] = (ack - 1) >>> 0;
    out.stream = stream.index;
    out.direction = direction;
    out.relativeSeq = (seq - stream.base[direction]) >>> 0;
    out.relativeAck = hasAck ? (ack - stream.base[other]) >>> 0 : -1;
  }
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

function endpointKey(buf: Uint8Array, at: number, length: number, port: number): string {
  let key = '';
  for (let i = 0; i < length; i++) key += String.fromCharCode(buf[at + i]);
  return key + String.fromCharCode(port >> 8, port & 0xff);
}
