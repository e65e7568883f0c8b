// Follow UDP Stream: the datagrams between two sides within one tenant, each one chunk, in capture
// order (Wireshark's Follow UDP Stream). The TCP counterpart, with reassembly, is tcp-follow.ts.
import { CaptureFile } from '../capture/capture-file';
import { CaptureIndexer } from './indexer';
import { innermostTransport } from './stream-sides';
import type { FollowedStream, TcpConversationKey } from './tcp-follow';

export type ConversationKey = TcpConversationKey;

/** Null when no frame of the capture carries UDP between the key's sides in its tenant. */
export function followUdpConversation(path: string, key: ConversationKey): FollowedStream | null {
  const file = CaptureFile.open(path);
  const result: FollowedStream = { stream: -1, endpoints: ['', ''], chunks: [], bytes: [0, 0], missing: [0, 0], retransmittedBytes: 0 };
  let found = false;
  try {
    new CaptureIndexer(file).run((c, frame) => {
      if (c.tenantType !== key.tenantType || c.tenantId !== key.tenantId) return;
      const sides = innermostTransport(c);
      if (sides === null || sides.protocol !== 'udp') return;
      const forward = sides.src === key.a && sides.dst === key.b;
      if (!forward && !(sides.src === key.b && sides.dst === key.a)) return;
      if (!found) {
        found = true;
        result.endpoints = [sides.src, sides.dst];
      }
      const direction = sides.src === result.endpoints[0] ? 0 : 1;
      if (sides.payloadEnd <= sides.payloadStart) return;
      const bytes = new Uint8Array(c.buf.subarray(sides.payloadStart, sides.payloadEnd)); // a copy: the reader reuses its buffer
      result.chunks.push({ direction, frame: frame + 1, bytes });
      result.bytes[direction] += bytes.length;
    });
  } finally {
    file.close();
  }
  return found ? result : null;
}
