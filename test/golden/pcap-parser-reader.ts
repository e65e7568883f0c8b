// The pcap-parser npm package as a second, independent reader of classic pcap files (microsecond
// magic only: it does not know the nanosecond variant).
export interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}

export interface PcapParserGlobalHeader {
  magicNumber: number;
  snapshotLength: number;
  linkLayerType: number;
}

interface PcapParser {
  on(event: 'globalHeader', listener: (header: PcapParserGlobalHeader) => void): this;
  on(event: 'packet', listener: (packet: PcapParserPacket) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

// pcap-parser ships no type declarations.
const pcapParser: { parse(input: string): PcapParser } = require('pcap-parser');

export function readWithPcapParser(file: string): Promise<{ header: PcapParserGlobalHeader; packets: PcapParserPacket[] }> {
  return new Promise((resolve, reject) => {
    const packets: PcapParserPacket[] = [];
    let header: PcapParserGlobalHeader | undefined;
    pcapParser
      .parse(file)
      .on('globalHeader', (h) => (header = h))
      .on('packet', (p) => packets.push(p))
      .on('error', reject)
      .on('end', () => (header ? resolve({ header, packets }) : reject(new Error('no pcap header'))));
  });
}
