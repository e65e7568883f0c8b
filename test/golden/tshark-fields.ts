// Runs tshark as an independent reader for the capture tests: one row of fields per frame, with
// checksum validation switched on. Tests skip (with a clear reason) when tshark is not installed.
import { execFileSync } from 'node:child_process';
import { tsharkOutputCached, tsharkVersion } from '../helpers/tshark';

export const TSHARK_AVAILABLE = tsharkVersion() !== '';

export const TSHARK_SKIP_REASON = TSHARK_AVAILABLE
  ? false
  : 'tshark is not installed (scripts/install-test-peers.sh installs it); skipping the tshark cross-check';

const CHECKSUM_PREFERENCES = ['ip.check_checksum:TRUE', 'tcp.check_checksum:TRUE', 'udp.check_checksum:TRUE'];

/** Checksum status fields tshark fills in; 1 = good, 3 = not present (UDP 0), 0 = bad. */
export const CHECKSUM_STATUS_FIELDS = [
  'ip.checksum.status',
  'tcp.checksum.status',
  'udp.checksum.status',
  'icmp.checksum.status',
  'icmpv6.checksum.status',
  'igmp.checksum.status',
  'gre.checksum.status',
];

/**
 * Each frame's values of `fields`; a field repeated in a frame (inner and outer) is joined by ','. `cached`
 * keeps tshark's answer in test-output/tshark-cache by the file's bytes (for tests that mutation testing
 * reruns per mutant).
 */
export function tsharkFields(file: string, fields: readonly string[], { cached = false } = {}): Record<string, string>[] {
  const args = ['-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const pref of CHECKSUM_PREFERENCES) args.push('-o', pref);
  for (const field of fields) args.push('-e', field);
  const output = cached ? tsharkOutputCached(args, file) : execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  return output
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const values = line.split('\t');
      return Object.fromEntries(fields.map((field, i) => [field, values[i] ?? '']));
    });
}

/** Checksum statuses other than good or not present, as "frame N: field=value" lines. */
export function badChecksums(rows: Record<string, string>[]): string[] {
  const bad: string[] = [];
  rows.forEach((row, i) => {
    for (const field of CHECKSUM_STATUS_FIELDS) {
      const value = row[field];
      if (value === undefined || value === '') continue;
      if (value.split(',').some((v) => v !== '1' && v !== '3')) bad.push(`frame ${i + 1}: ${field}=${value}`);
    }
  });
  return bad;
}

/** frame.time_epoch as [seconds, nanoseconds], whatever number of decimals this tshark prints. */
export function epochParts(value: string): [number, number] {
  const [seconds, fraction = ''] = value.split('.');
  return [Number(seconds), Number(fraction.padEnd(9, '0').slice(0, 9))];
}
