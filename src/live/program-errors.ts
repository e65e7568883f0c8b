// Turns what dumpcap or tcpdump print when they refuse to start into one clear line.
import { LiveCaptureError } from './errors';
import { CaptureProgram } from './programs';
import { permissionAdvice } from './permissions';

/** The meaningful lines of a program's stderr (without banners, statistics and blank lines). */
function reasonLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(Capturing on|File:|Packets|tcpdump: listening on|Running as user|See the User's Guide|\d+ packets? )/.test(l));
}

export function programFailure(program: CaptureProgram, iface: string, filter: string | undefined, stderr: string, exitCode: number | null): LiveCaptureError {
  const text = stderr;
  if (/No such device exists|There is no device named|No such device/i.test(text)) {
    return new LiveCaptureError('no-interface', `no interface named '${iface}' (\`tunnelscope capture -D\` lists them)`);
  }
  const filterReason = /can't parse filter expression: ([^\n)]*)|(?:isn't a valid capture filter) \(([^\n]*)\)/.exec(text);
  if (filterReason !== null || /Invalid capture filter/.test(text)) {
    const why = (filterReason?.[1] ?? filterReason?.[2] ?? 'rejected by the capture program').replace(/^can't parse filter expression: /, '');
    return new LiveCaptureError('bad-filter', `invalid capture filter "${filter ?? ''}": ${why}`);
  }
  if (/don't have permission|Operation not permitted|socket: Permission denied|Attempt to create packet socket failed/i.test(text)) {
    return new LiveCaptureError('permission', `not permitted to capture on '${iface}' with ${program.path}: ${permissionAdvice(program)}`);
  }
  const lines = reasonLines(text);
  const detail = lines.length > 0 ? lines.join(' ') : `exit code ${exitCode}`;
  return new LiveCaptureError('capture-failed', `${program.name} failed: ${detail}`);
}
