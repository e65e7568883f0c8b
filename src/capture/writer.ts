// Capture writers for classic pcap and pcapng that tshark reads back unchanged. They stream: records
// are laid out in one big buffer that goes to disk with fs.writeSync only when it is full, so a
// million packets take about a second. Used by the sample generator, the benchmark generator and
// `tunnelscope export` (frames copied from another capture, in the same order).
//
//   const writer = createCaptureWriter('out.pcapng', { format: 'pcapng', nanosecond: true });
//   const eth0 = writer.addInterface({ linkType: LINKTYPE_ETHERNET, snapLen: 65535, name: 'eth0' });
//   writer.writePacket(eth0, 1704067200, 0, frameBytes, undefined, PACKET_INBOUND, 'first frame');
//   writer.close(); // flushes and fsyncs
import { PcapWriter } from './pcap-writer';
import { PcapngWriter } from './pcapng-writer';
import { CaptureWriter, CaptureWriterOptions } from './writer-common';

export * from './writer-common';

export function createCaptureWriter(path: string, options: CaptureWriterOptions): CaptureWriter {
  const nanosecond = options.nanosecond ?? false;
  switch (options.format) {
    case 'pcap':
      return new PcapWriter(path, nanosecond, options.bufferBytes);
    case 'pcapng':
      return new PcapngWriter(path, nanosecond, options.application ?? 'Tunnelscope', options.bufferBytes);
    default:
      throw new Error(`unknown capture format ${String(options.format)} (expected pcap or pcapng)`);
  }
}
