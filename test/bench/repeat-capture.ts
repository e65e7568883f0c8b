// Makes a long capture by repetition: a classic pcap written `times` over into one file, each copy's
// timestamps shifted past the previous copy's last one, so that time goes forward as in one long
// capture. Records are copied in large chunks with only their seconds rewritten.
//
//   node dist/test/bench/repeat-capture.js IN.pcap OUT.pcap TIMES
import * as fs from 'node:fs';

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const CHUNK = 16 * 1024 * 1024;

interface PcapLayout {
  littleEndian: boolean;
  /** Timestamp fraction units per second (1e6 or 1e9). */
  fractionsPerSecond: number;
}

function layoutOf(header: Buffer, file: string): PcapLayout {
  const magic = header.readUInt32LE(0);
  if (magic === 0xa1b2c3d4) return { littleEndian: true, fractionsPerSecond: 1e6 };
  if (magic === 0xa1b23c4d) return { littleEndian: true, fractionsPerSecond: 1e9 };
  const big = header.readUInt32BE(0);
  if (big === 0xa1b2c3d4) return { littleEndian: false, fractionsPerSecond: 1e6 };
  if (big === 0xa1b23c4d) return { littleEndian: false, fractionsPerSecond: 1e9 };
  throw new Error(`${file}: not a classic pcap file`);
}

/** Calls `each` for every record header position in `buf[0..end)`; returns the bytes of whole records. */
function forRecords(buf: Buffer, end: number, layout: PcapLayout, each: (at: number) => void): number {
  let at = 0;
  while (at + RECORD_HEADER <= end) {
    const capLen = layout.littleEndian ? buf.readUInt32LE(at + 8) : buf.readUInt32BE(at + 8);
    if (at + RECORD_HEADER + capLen > end) break;
    each(at);
    at += RECORD_HEADER + capLen;
  }
  return at;
}

/** First and last timestamp seconds of the capture. */
function secondsSpan(file: string, layout: PcapLayout): { first: number; last: number } {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let first = -1;
  let last = 0;
  let offset = PCAP_HEADER;
  try {
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, offset);
      if (got <= 0) break;
      const used = forRecords(buf, got, layout, (at) => {
        const sec = layout.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
        if (first < 0) first = sec;
        last = Math.max(last, sec);
      });
      if (used === 0) break;
      offset += used;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { first: Math.max(first, 0), last };
}

/** Writes `input` `times` over into `output`, time going forward; returns the seconds each copy is shifted by. */
export function repeatCapture(input: string, output: string, times: number): number {
  const header = Buffer.alloc(PCAP_HEADER);
  const inFd = fs.openSync(input, 'r');
  fs.readSync(inFd, header, 0, PCAP_HEADER, 0);
  const layout = layoutOf(header, input);
  const span = secondsSpan(input, layout);
  const shift = span.last - span.first + 1;
  const outFd = fs.openSync(output, 'w');
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    fs.writeSync(outFd, header);
    for (let copy = 0; copy < times; copy++) {
      let offset = PCAP_HEADER;
      for (;;) {
        const got = fs.readSync(inFd, buf, 0, buf.length, offset);
        if (got <= 0) break;
        const used = forRecords(buf, got, layout, (at) => {
          if (copy === 0) return;
          const sec = (layout.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at)) + copy * shift;
          if (layout.littleEndian) buf.writeUInt32LE(sec, at);
          else buf.writeUInt32BE(sec, at);
        });
        if (used === 0) break;
        fs.writeSync(outFd, buf, 0, used);
        offset += used;
      }
    }
  } finally {
    fs.closeSync(inFd);
    fs.closeSync(outFd);
  }
  return shift;
}

if (require.main === module) {
  const [input, output, times] = process.argv.slice(2);
  if (input === undefined || output === undefined || !(Number(times) >= 1)) {
    console.error('usage: repeat-capture IN.pcap OUT.pcap TIMES');
    process.exit(2);
  }
  const shift = repeatCapture(input, output, Number(times));
  console.log(`wrote ${output}: ${times} copies of ${input}, each ${shift} s after the previous`);
}
