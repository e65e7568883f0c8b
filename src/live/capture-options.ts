// What a live capture is asked to do, checked once before anything is started.
import { LiveCaptureError } from './errors';
import { ProgramChoice } from './programs';

export interface RingOptions {
  /** Number of files kept. */
  files: number;
  /** Size of each file in megabytes (1,000,000 bytes, as tcpdump -C counts them). */
  fileMegabytes: number;
}

export interface CaptureOptions {
  iface: string;
  /** Capture filter (BPF syntax), applied by the capture program. */
  filter?: string;
  /** Bytes kept of each packet; 0 or absent means the whole packet. */
  snaplen?: number;
  /** Stop conditions: whichever comes first. */
  durationSeconds?: number;
  packetCount?: number;
  fileKilobytes?: number;
  /** Where to write; a new file in the temp directory when absent. */
  outputPath?: string;
  ring?: RingOptions;
  program?: ProgramChoice;
  /** How often the growing file is read (ms). */
  pollMs?: number;
}

const POSITIVE_INT = (value: number | undefined) => value === undefined || (Number.isInteger(value) && value > 0);

export function checkCaptureOptions(options: CaptureOptions): void {
  const bad = (message: string) => new LiveCaptureError('bad-options', message);
  if (!options.iface) throw bad('no interface given (-i IFACE; `tunnelscope capture -D` lists them)');
  if (options.snaplen !== undefined && !(Number.isInteger(options.snaplen) && options.snaplen >= 0 && options.snaplen <= 262144)) {
    throw bad(`snap length ${options.snaplen} is not a number of bytes from 0 to 262144`);
  }
  if (options.durationSeconds !== undefined && !(options.durationSeconds > 0 && Number.isFinite(options.durationSeconds))) {
    throw bad(`duration ${options.durationSeconds} is not a positive number of seconds`);
  }
  if (!POSITIVE_INT(options.packetCount)) throw bad(`packet count ${options.packetCount} is not a positive whole number`);
  if (!POSITIVE_INT(options.fileKilobytes)) throw bad(`file size ${options.fileKilobytes} is not a positive number of kilobytes`);
  if (options.ring !== undefined) {
    if (!POSITIVE_INT(options.ring.files) || !POSITIVE_INT(options.ring.fileMegabytes)) {
      throw bad(`ring buffer ${options.ring.files}:${options.ring.fileMegabytes} needs a positive number of files and of megabytes per file`);
    }
    if (options.fileKilobytes !== undefined) throw bad('a file size stop condition and a ring buffer exclude each other: the ring limits the size');
  }
}

/** Parses the CLI's `--ring N:MB`. */
export function parseRing(text: string): RingOptions {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (m === null) throw new LiveCaptureError('bad-options', `--ring '${text}' is not FILES:MEGABYTES, e.g. 10:100`);
  const ring = { files: Number(m[1]), fileMegabytes: Number(m[2]) };
  if (ring.files < 1 || ring.fileMegabytes < 1) throw new LiveCaptureError('bad-options', `--ring '${text}' needs at least 1 file of at least 1 MB`);
  return ring;
}
