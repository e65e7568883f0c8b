// The app's Follow Stream (service call) is the engine's: TCP segments in sequence order with a
// retransmission shown once (followTcpConversation's reassembly), only the frame's tenant although
// another tenant reuses the same addresses, and UDP datagrams of one conversation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ETHERTYPE_IPV4, TCP_ACK, TCP_PSH, ethernet, ipv4, tcp, udp, vxlan } from '../../src/craft';
import { createCaptureWriter } from '../../src/capture/writer';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types';
import { TunnelscopeService } from '../../src/service/service';

const outer = { srcMac: '02:00:00:00:00:a1', dstMac: '02:00:00:00:00:a2', srcIp: '192.168.100.1', dstIp: '192.168.100.2' };
const text = (s: string) => new TextEncoder().encode(s);

function tcpFrame(vni: number, fromClient: boolean, seq: number, payload: string): Uint8Array {
  const [src, dst, sport, dport] = fromClient ? ['10.0.0.1', '10.0.0.2', 43210, 80] : ['10.0.0.2', '10.0.0.1', 80, 43210];
  const segment = tcp({ srcPort: sport, dstPort: dport, seq, ack: 1, flags: TCP_PSH | TCP_ACK, payload: text(payload) });
  return vxlan({ outer, vni, inner: ethernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', etherType: ETHERTYPE_IPV4, payload: ipv4({ src, dst, payload: segment }) }) });
}

function udpFrame(vni: number, payload: string): Uint8Array {
  return vxlan({ outer, vni, inner: ethernet({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', etherType: ETHERTYPE_IPV4, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.3', payload: udp({ srcPort: 5000, dstPort: 53, payload: text(payload) }) }) }) });
}

test('Follow Stream in the app: engine reassembly, the frame tenant only, UDP too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-follow-'));
  const file = path.join(dir, 'follow.pcapng');
  const frames = [
    tcpFrame(101, true, 1, 'GET '), // 1
    tcpFrame(101, true, 12, 'HTTP/1.1\n'), // 2: arrives before the bytes it follows
    tcpFrame(101, true, 5, '/index '), // 3: fills the gap
    tcpFrame(101, true, 5, '/index '), // 4: retransmission
    tcpFrame(102, true, 1, 'OTHER TENANT'), // 5: same addresses, tenant 102
    tcpFrame(101, false, 1, '200 OK'), // 6
    udpFrame(101, 'query'), // 7
    udpFrame(101, 'again'), // 8
  ];
  const writer = createCaptureWriter(file, { format: 'pcapng', nanosecond: true });
  const iface = writer.addInterface({ linkType: LINKTYPE_ETHERNET });
  frames.forEach((f, i) => writer.writePacket(iface, 1704067200, i * 1000, f));
  writer.close();
  const service = new TunnelscopeService({ configDir: dir });
  try {
    const info = service.open(file);
    await new Promise<void>((resolve) => {
      const check = () => (service.call('sessionInfo', { sessionId: info.sessionId }).then((s) => (s.indexing ? setTimeout(check, 20) : resolve())), undefined);
      check();
    });
    const tcpStream = await service.call('followStream', { sessionId: info.sessionId, frame: 1 });
    const fromA = tcpStream.segments.filter((s) => s.fromA).map((s) => Buffer.from(s.bytesHex, 'hex').toString()).join('');
    const fromB = tcpStream.segments.filter((s) => !s.fromA).map((s) => Buffer.from(s.bytesHex, 'hex').toString()).join('');
    assert.equal(fromA, 'GET /index HTTP/1.1\n');
    assert.equal(fromB, '200 OK');
    assert.equal(tcpStream.tenant, 'vxlan:101');
    assert.equal(tcpStream.a, '10.0.0.1:43210');

    const other = await service.call('followStream', { sessionId: info.sessionId, frame: 5 });
    assert.deepEqual(other.segments.map((s) => Buffer.from(s.bytesHex, 'hex').toString()), ['OTHER TENANT']);

    const udpStream = await service.call('followStream', { sessionId: info.sessionId, frame: 8 });
    assert.equal(udpStream.protocol, 'udp');
    assert.deepEqual(udpStream.segments.map((s) => [s.frame, Buffer.from(s.bytesHex, 'hex').toString()]), [[7, 'query'], [8, 'again']]);
  } finally {
    await service.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
