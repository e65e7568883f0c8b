// UDP (RFC 768) and TCP (RFC 9293). UDP hands its payload to the port table: the lower port first,
// then the higher, as Wireshark does; that is where VXLAN and Geneve are found.
import { u16, u32 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ipProtoTable, tcpPortTable, udpPortTable, DissectorModule } from '../tables';
import { dissectData, haveHeader } from './common';
import { PROTO } from '../protocol-ids';
import type { TcpSegmentInfo, TcpStreams } from '../tcp-streams';

const UDP = defineProtocol('udp', 'User Datagram Protocol', 'UDP');
const TCP = defineProtocol('tcp', 'Transmission Control Protocol', 'TCP');

function udpInfo(buf: Uint8Array, at: number): string {
  const length = u16(buf, at + 4);
  return `${u16(buf, at)} → ${u16(buf, at + 2)} Len=${length >= 8 ? length - 8 : 0}`;
}

function dissectUdp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(UDP, offset, end);
  if (!haveHeader(ctx, 'UDP', offset, end, 8)) return;
  const buf = ctx.buf;
  const src = u16(buf, offset);
  const dst = u16(buf, offset + 2);
  const length = u16(buf, offset + 4);
  ctx.setLayerEnd(layer, offset + 8);
  if (ctx.detail) {
    ctx.setLayerLabel(`User Datagram Protocol, Src Port: ${src}, Dst Port: ${dst}`);
    ctx.field('udp.srcport', offset, 2, src);
    ctx.field('udp.dstport', offset + 2, 2, dst);
    ctx.hiddenField('udp.port', offset, 2, src);
    ctx.hiddenField('udp.port', offset + 2, 2, dst);
    ctx.field('udp.length', offset + 4, 2, length);
    ctx.field('udp.checksum', offset + 6, 2, u16(buf, offset + 6));
  }
  if (ctx.wantColumns) ctx.setInfo(udpInfo, offset);
  if (length < 8) {
    ctx.setMalformed(`UDP length ${length} is less than its 8-byte header`);
    return;
  }
  const payloadEnd = Math.min(end, offset + length);
  const payload = offset + 8;
  if (payload >= payloadEnd) return;
  const low = src < dst ? src : dst;
  const high = src < dst ? dst : src;
  if (udpPortTable.dispatch(ctx, low, payload, payloadEnd)) return;
  if (udpPortTable.dispatch(ctx, high, payload, payloadEnd)) return;
  dissectData(ctx, payload, payloadEnd);
}

const TCP_FLAG_NAMES: [number, string][] = [[0x02, 'SYN'], [0x01, 'FIN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR']];

function dissectTcp(ctx: Dissection, offset: number, end: number): void {
  const layer = ctx.pushLayer(TCP, offset, end);
  if (!haveHeader(ctx, 'TCP', offset, end, 20)) return;
  const buf = ctx.buf;
  const src = u16(buf, offset);
  const dst = u16(buf, offset + 2);
  const hdrLen = (buf[offset + 12] >> 4) * 4;
  const flags = ((buf[offset + 12] & 1) << 8) | buf[offset + 13];
  if (hdrLen < 20) {
    ctx.setMalformed(`TCP header length ${hdrLen} is shorter than 20 bytes`);
    return;
  }
  if (!haveHeader(ctx, 'TCP', offset, end, hdrLen)) return;
  ctx.setLayerEnd(layer, offset + hdrLen);
  const segLen = end - offset - hdrLen;
  const seq = u32(buf, offset + 4);
  const ack = u32(buf, offset + 8);
  const window = u16(buf, offset + 14);
  const streams = ctx.tcpStreams;
  const segment = streams !== null && ctx.quoting === 0 ? classifySegment(ctx, streams, layer, offset) : null;
  if (ctx.detail) {
    ctx.setLayerLabel(`Transmission Control Protocol, Src Port: ${src}, Dst Port: ${dst}, Seq: ${seq}, Len: ${segLen}`);
    ctx.field('tcp.srcport', offset, 2, src);
    ctx.field('tcp.dstport', offset + 2, 2, dst);
    ctx.hiddenField('tcp.port', offset, 2, src);
    ctx.hiddenField('tcp.port', offset + 2, 2, dst);
    if (segment !== null) ctx.field('tcp.stream', offset, 0, segment.stream);
    ctx.field('tcp.len', offset, 0, segLen);
    ctx.field('tcp.seq', offset + 4, 4, segment !== null ? segment.relativeSeq : seq);
    ctx.field('tcp.seq_raw', offset + 4, 4, seq);
    if (segment !== null) ctx.field('tcp.nxtseq', offset, 0, (segment.relativeSeq + segLen + (flags & 0x03 ? 1 : 0)) >>> 0);
    ctx.field('tcp.ack', offset + 8, 4, segment !== null ? Math.max(segment.relativeAck, 0) : flags & 0x10 ? ack : 0);
    ctx.field('tcp.ack_raw', offset + 8, 4, ack);
    ctx.field('tcp.hdr_len', offset + 12, 1, hdrLen, `${hdrLen} bytes (${hdrLen / 4})`);
    const flagsNode = ctx.field('tcp.flags', offset + 12, 2, flags, `0x${flags.toString(16).padStart(3, '0')} (${flagText(flags)})`);
    ctx.beginSubtree(flagsNode);
    ctx.field('tcp.flags.cwr', offset + 13, 1, (flags & 0x80) !== 0);
    ctx.field('tcp.flags.ece', offset + 13, 1, (flags & 0x40) !== 0);
    ctx.field('tcp.flags.urg', offset + 13, 1, (flags & 0x20) !== 0);
    ctx.field('tcp.flags.ack', offset + 13, 1, (flags & 0x10) !== 0);
    ctx.field('tcp.flags.push', offset + 13, 1, (flags & 0x08) !== 0);
    ctx.field('tcp.flags.reset', offset + 13, 1, (flags & 0x04) !== 0);
    ctx.field('tcp.flags.syn', offset + 13, 1, (flags & 0x02) !== 0);
    ctx.field('tcp.flags.fin', offset + 13, 1, (flags & 0x01) !== 0);
    ctx.endSubtree();
    ctx.field('tcp.window_size_value', offset + 14, 2, window);
    ctx.field('tcp.checksum', offset + 16, 2, u16(buf, offset + 16));
    ctx.field('tcp.urgent_pointer', offset + 18, 2, u16(buf, offset + 18));
  }
  if (segment !== null) {
    ctx.tcpStream = segment.stream;
    ctx.tcpDirection = segment.direction;
    ctx.tcpRelativeSeq = segment.relativeSeq + (flags & 0x02 ? 1 : 0);
    ctx.tcpPayloadStart = offset + hdrLen;
    ctx.tcpPayloadEnd = end;
  }
  if (ctx.wantColumns) {
    if (segment === null) ctx.setInfo(tcpInfo, offset);
    else {
      const relSeq = segment.relativeSeq;
      const relAck = segment.relativeAck;
      ctx.setInfo((b, at, c) => tcpInfoWith(b, at, c, relSeq, relAck), offset);
    }
  }
  const payload = offset + hdrLen;
  if (payload >= end) return;
  const low = src < dst ? src : dst;
  const high = src < dst ? dst : src;
  if (tcpPortTable.dispatch(ctx, low, payload, end)) return;
  if (tcpPortTable.dispatch(ctx, high, payload, end)) return;
  dissectData(ctx, payload, end);
}

function tcpInfo(buf: Uint8Array, at: number, ctx: Dissection): string {
  return tcpInfoWith(buf, at, ctx, u32(buf, at + 4), buf[at + 13] & 0x10 ? u32(buf, at + 8) : -1);
}

/** tshark's TCP Info, with the sequence numbers given (relative when the pass follows streams). */
function tcpInfoWith(buf: Uint8Array, at: number, ctx: Dissection, seq: number, ack: number): string {
  const flags = ((buf[at + 12] & 1) << 8) | buf[at + 13];
  const segLen = ctx.end - at - (buf[at + 12] >> 4) * 4;
  const ackText = flags & 0x10 ? ` Ack=${ack}` : '';
  return `${u16(buf, at)} → ${u16(buf, at + 2)} [${flagText(flags)}] Seq=${seq}${ackText} Win=${u16(buf, at + 14)} Len=${segLen}`;
}

const segmentInfo: TcpSegmentInfo = { stream: 0, direction: 0, relativeSeq: 0, relativeAck: 0 };

/** The segment's stream and relative numbers, from the IP header that carries it; null without one. */
function classifySegment(ctx: Dissection, streams: TcpStreams, tcpLayer: number, tcpAt: number): TcpSegmentInfo | null {
  for (let i = tcpLayer - 1; i >= 0; i--) {
    const proto = ctx.layerProto[i];
    if (proto === PROTO.ip) {
      const ip = ctx.layerStart[i];
      streams.segment(ctx.buf, ip + 12, ip + 16, 4, tcpAt, segmentInfo);
      return segmentInfo;
    }
    if (proto === PROTO.ipv6) {
      const ip = ctx.layerStart[i];
      streams.segment(ctx.buf, ip + 8, ip + 24, 16, tcpAt, segmentInfo);
      return segmentInfo;
    }
  }
  return null;
}

function flagText(flags: number): string {
  let text = '';
  for (const [bit, name] of TCP_FLAG_NAMES) if (flags & bit) text += (text ? ', ' : '') + name;
  return text || '<None>';
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(UDP, TCP);
  defineFields('udp', {
    srcport: ['Source Port', 'uint'],
    dstport: ['Destination Port', 'uint'],
    port: ['Source or Destination Port', 'uint'],
    length: ['Length', 'uint'],
    checksum: ['Checksum', 'uint', 'hex'],
  });
  defineFields('tcp', {
    srcport: ['Source Port', 'uint'],
    dstport: ['Destination Port', 'uint'],
    port: ['Source or Destination Port', 'uint'],
    stream: ['Stream index', 'uint'],
    seq: ['Sequence Number', 'uint'],
    nxtseq: ['Next Sequence Number', 'uint'],
    ack: ['Acknowledgment Number', 'uint'],
    seq_raw: ['Sequence Number (raw)', 'uint'],
    ack_raw: ['Acknowledgment number (raw)', 'uint'],
    hdr_len: ['Header Length', 'uint'],
    flags: ['Flags', 'uint', 'hex'],
    'flags.cwr': ['Congestion Window Reduced', 'bool'],
    'flags.ece': ['ECN-Echo', 'bool'],
    'flags.urg': ['Urgent', 'bool'],
    'flags.ack': ['Acknowledgment', 'bool'],
    'flags.push': ['Push', 'bool'],
    'flags.reset': ['Reset', 'bool'],
    'flags.syn': ['Syn', 'bool'],
    'flags.fin': ['Fin', 'bool'],
    window_size_value: ['Window', 'uint'],
    checksum: ['Checksum', 'uint', 'hex'],
    urgent_pointer: ['Urgent Pointer', 'uint'],
    len: ['TCP Segment Len', 'uint'],
  });
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
  ipProtoTable.register(17, dissectUdp);
  ipProtoTable.register(6, dissectTcp);
}

export const transportModule: DissectorModule = { name: 'transport', register, handoff };
