// Command lines for dumpcap and tcpdump, and the statistics each prints on stderr when it stops.
import { CaptureOptions } from './capture-options';
import { CaptureProgramName } from './programs';

export interface ProgramStats {
  /** Packets the program wrote to the file. */
  captured?: number;
  /** Packets the kernel handed over (tcpdump "received by filter", dumpcap "received"). */
  received?: number;
  /** Packets dropped by the kernel or the program. */
  dropped?: number;
}

export interface ProgramInvocation {
  args: string[];
  /** Stop conditions the program cannot apply itself; the supervisor applies them. */
  supervisorDurationSeconds?: number;
  supervisorFileKilobytes?: number;
}

/** The program writes to its standard output (a file we created): see capture-output.ts. */
export const TO_STDOUT = '-';

/**
 * Arguments for the chosen program, writing to `output` (TO_STDOUT, or a ring buffer's file name).
 * Every stop condition the program can apply itself is given to it, so it ends on time even if we
 * cannot tell it to. `runningAsRoot`: tcpdump writing files by name keeps root (its own user could
 * not write where asked); writing to our descriptor it drops to that user once the device is open.
 */
export function captureArguments(program: CaptureProgramName, options: CaptureOptions, output: string, runningAsRoot: boolean): ProgramInvocation {
  return program === 'dumpcap' ? dumpcapArguments(options, output) : tcpdumpArguments(options, output, runningAsRoot);
}

function dumpcapArguments(options: CaptureOptions, outputPath: string): ProgramInvocation {
  // -q: no packet counts on stderr while capturing, so a closed stderr pipe (the app died) cannot kill it.
  // To standard output dumpcap also flushes every packet (to a named file about once a second).
  const args = ['-i', options.iface, '-q', '-w', outputPath];
  if (options.snaplen) args.push('-s', String(options.snaplen));
  if (options.durationSeconds !== undefined) args.push('-a', `duration:${Math.ceil(options.durationSeconds)}`);
  if (options.packetCount !== undefined) args.push('-c', String(options.packetCount));
  if (options.fileKilobytes !== undefined) args.push('-a', `filesize:${options.fileKilobytes}`);
  if (options.ring !== undefined) args.push('-b', `files:${options.ring.files}`, '-b', `filesize:${options.ring.fileMegabytes * 1000}`);
  if (options.filter) args.push('-f', options.filter);
  return { args };
}

function tcpdumpArguments(options: CaptureOptions, outputPath: string, runningAsRoot: boolean): ProgramInvocation {
  // -U with --immediate-mode: every packet reaches the file as it arrives, so a kill loses nothing.
  const args = ['-i', options.iface, '-U', '--immediate-mode', '-n', '-w', outputPath];
  // Debian's tcpdump switches to user "tcpdump" when started as root, which may not write where asked.
  if (runningAsRoot && outputPath !== TO_STDOUT) args.push('-Z', 'root');
  if (options.snaplen) args.push('-s', String(options.snaplen));
  if (options.packetCount !== undefined) args.push('-c', String(options.packetCount));
  if (options.ring !== undefined) args.push('-C', String(options.ring.fileMegabytes), '-W', String(options.ring.files));
  // -G N -W 1: exit once N seconds have passed (checked when a packet arrives, so we stop it on time too).
  else if (options.durationSeconds !== undefined) args.push('-G', String(Math.ceil(options.durationSeconds)), '-W', '1');
  if (options.filter) args.push('--', options.filter);
  // tcpdump's -C wraps instead of stopping: the file size limit is ours to apply.
  return { args, supervisorDurationSeconds: options.durationSeconds, supervisorFileKilobytes: options.fileKilobytes };
}

/** Reads the closing statistics from a program's stderr text. */
export function parseProgramStats(program: CaptureProgramName, stderr: string): ProgramStats {
  const stats: ProgramStats = {};
  const num = (re: RegExp) => {
    const m = re.exec(stderr);
    return m === null ? undefined : Number(m[1]);
  };
  if (program === 'tcpdump') {
    stats.captured = num(/^(\d+) packets? captured/m);
    stats.received = num(/^(\d+) packets? received by filter/m);
    stats.dropped = num(/^(\d+) packets? dropped by kernel/m);
  } else {
    stats.captured = num(/^Packets captured: (\d+)/m);
    const m = /^Packets received\/dropped on interface '[^']*': (\d+)\/(\d+)/m.exec(stderr);
    if (m !== null) {
      stats.received = Number(m[1]);
      stats.dropped = Number(m[2]);
    }
  }
  return stats;
}
