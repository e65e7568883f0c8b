// Whether this user may capture with a given program: root, file capabilities (getcap), setuid root,
// and the group that owns the program (Debian's wireshark group). Nothing here needs privileges.
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { CaptureProgram, findExecutable } from './programs';

export interface CapturePermission {
  permitted: boolean;
  /** Why it is (or is not) permitted, e.g. "cap_net_raw on /usr/bin/dumpcap". */
  reason: string;
  /** What to do when it is not permitted. */
  advice?: string;
}

/** Group names by id, read from /etc/group (no shell, no getent). */
function groupNames(): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const [name, , gid] = line.split(':');
      if (name && gid !== undefined) names.set(Number(gid), name);
    }
  } catch {
    // no /etc/group: groups are shown by number
  }
  return names;
}

/** The capabilities getcap reports for a file ("cap_net_admin,cap_net_raw=eip"), '' when none, null when unknown. */
export function fileCapabilities(file: string): string | null {
  const getcap = findExecutable('getcap');
  if (getcap === null) return null;
  try {
    const out = execFileSync(getcap, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    // "/usr/bin/dumpcap cap_net_admin,cap_net_raw=eip" (libcap 2.x) or "/usr/bin/dumpcap = cap_net_raw+eip"
    return out.slice(file.length).replace(/^\s*=?\s*/, '').trim();
  } catch {
    return null;
  }
}

export function permissionAdvice(program: CaptureProgram): string {
  const group = programGroup(program.path);
  const groupHint = group !== null && group !== 'root' ? `add yourself to the ${group} group (sudo usermod -aG ${group} $USER, then log in again), or ` : '';
  return `${groupHint}give the program the capture capabilities: sudo setcap cap_net_raw,cap_net_admin=eip ${program.path}`;
}

function programGroup(file: string): string | null {
  try {
    const gid = fs.statSync(file).gid;
    return groupNames().get(gid) ?? String(gid);
  } catch {
    return null;
  }
}

export function capturePermission(program: CaptureProgram): CapturePermission {
  if (process.getuid?.() === 0) return { permitted: true, reason: 'running as root' };
  try {
    fs.accessSync(program.path, fs.constants.X_OK);
  } catch {
    const group = programGroup(program.path);
    return {
      permitted: false,
      reason: `${program.path} is not executable by you${group !== null ? ` (it belongs to group ${group})` : ''}`,
      advice: permissionAdvice(program),
    };
  }
  const st = fs.statSync(program.path);
  if (st.uid === 0 && (st.mode & 0o4000) !== 0) return { permitted: true, reason: `${program.path} is setuid root` };
  const caps = fileCapabilities(program.path);
  if (caps !== null && /cap_net_raw/.test(caps) && /[=+][a-z]*e/.test(caps)) return { permitted: true, reason: `${caps} on ${program.path}` };
  if (caps === null) return { permitted: true, reason: `unknown (getcap is not installed): the capture program will tell` };
  return { permitted: false, reason: `${program.path} has no cap_net_raw and you are not root`, advice: permissionAdvice(program) };
}
