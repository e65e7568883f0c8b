// Follow Stream for a frame's innermost TCP or UDP conversation, within its tenant: the engine's
// followTcpConversation (reassembled, each byte once) or followUdpConversation, run in a scan worker
// over the file so the service keeps answering; here only the frame's sides are read and the
// engine's chunks shaped for the app.
import type { CaptureFile } from '../capture/capture-file';
import { Dissection } from '../dissect/dissection';
import { dissectFrame } from '../dissect/engine';
import { innermostTransport } from '../dissect/stream-sides';
import { formatTenant } from '../dissect/tenant-id';
import type { FollowedStream as EngineStream } from '../dissect/tcp-follow';
import type { FollowedStream } from './api';
import { scanWorker, UserFacingError } from './capture-session';
import type { FollowJob, ScanMessage } from './scan-protocol';

const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** `linkType` of a frame as the session knows it (its interfaces come from the index worker). */
export async function followStream(file: CaptureFile, frames: number, frame: number, linkType: (frame: number) => number): Promise<FollowedStream> {
  const i = frame - 1;
  if (i < 0 || i >= frames) throw new UserFacingError(`frame ${frame} does not exist`);
  const ctx = new Dissection();
  const buf = file.readFrame(i);
  dissectFrame(ctx, buf, 0, buf.length, file.index.origLen[i], linkType(i));
  const sides = innermostTransport(ctx);
  if (sides === null) throw new UserFacingError(`frame ${frame} carries no TCP or UDP to follow`);
  const job: FollowJob = { protocol: sides.protocol, key: { a: sides.src, b: sides.dst, tenantType: file.index.tenantType[i], tenantId: file.index.tenantId[i] } };
  const stream = await runFollow(file.path, job);
  if (stream === null) throw new UserFacingError(`frame ${frame}: no ${sides.protocol.toUpperCase()} stream found`);
  return shape(job, stream);
}

function runFollow(capture: string, job: FollowJob): Promise<EngineStream | null> {
  return new Promise((resolve, reject) => {
    const worker = scanWorker({ task: 'follow', path: capture, job });
    worker.on('message', (m: ScanMessage) => {
      if (m.kind === 'follow-done') resolve(m.stream);
      else if (m.kind === 'error') reject(new UserFacingError(`Follow Stream failed: ${m.message}`));
      void worker.terminate();
    });
    worker.on('error', (err) => reject(new UserFacingError(`Follow Stream failed: ${err.message}`)));
  });
}

function shape(job: FollowJob, stream: EngineStream): FollowedStream {
  const { key } = job;
  const tenant = key.tenantType === 0 ? '' : formatTenant(key.tenantType, key.tenantId);
  const segments: FollowedStream['segments'] = [];
  let bytes = 0;
  let truncated = false;
  for (const chunk of stream.chunks) {
    if (bytes + chunk.bytes.length > MAX_PAYLOAD_BYTES) {
      truncated = true;
      break;
    }
    bytes += chunk.bytes.length;
    segments.push({ frame: chunk.frame, fromA: stream.endpoints[chunk.direction] === key.a, bytesHex: Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength).toString('hex') });
  }
  const [aAddr, aPort] = splitEndpoint(key.a);
  const [bAddr, bPort] = splitEndpoint(key.b);
  const addr = (x: string) => `${x.includes(':') ? 'ipv6' : 'ip'}.addr == ${x}`;
  const filter = `${tenant ? `tenant == ${tenant} && ` : ''}${addr(aAddr)} && ${addr(bAddr)} && ${job.protocol}.port == ${aPort} && ${job.protocol}.port == ${bPort}`;
  return { protocol: job.protocol, tenant, a: key.a, b: key.b, filter, segments, truncated };
}

function splitEndpoint(endpoint: string): [string, string] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at).replace(/^\[|\]$/g, ''), endpoint.slice(at + 1)];
}
