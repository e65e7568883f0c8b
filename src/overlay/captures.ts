// Opening what a command was given: one capture file (read as ever), or several files and folders
// merged into one CaptureSet. Each member is indexed, its host inferred (or given as FILE@NAME), its
// tunnel frames matched into transmissions across captures, clock offsets estimated and applied, and
// the repeated sightings of a transmission marked so that analyses count it once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../capture/capture-error';
import { CaptureFile } from '../capture/capture-file';
import { CaptureMember, CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import { ipv4FromNumber } from '../dissect/bytes';
import { DecodeAsOverrides } from '../dissect/dissection';
import { Correlation, correlate, indexMember, inferHost } from './correlation';

export interface CaptureSpec {
  path: string;
  /** FILE@NAME: the capture's name; when NAME is an IPv4 address it is also the host's VTEP. */
  name: string | null;
}

const CAPTURE_EXTENSIONS = /\.(pcapng|pcap|cap|ntar)$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Expands the command's arguments: a folder gives its capture files (sorted by name); FILE@NAME names one. */
export function captureSpecs(args: readonly string[]): CaptureSpec[] {
  const specs: CaptureSpec[] = [];
  for (const arg of args) {
    let file = arg;
    let name: string | null = null;
    const at = arg.lastIndexOf('@');
    if (at > 0 && !fs.existsSync(arg)) {
      file = arg.slice(0, at);
      name = arg.slice(at + 1) || null;
    }
    const stat = statOrNull(file);
    if (stat !== null && stat.isDirectory()) {
      const inside = fs.readdirSync(file).filter((f) => CAPTURE_EXTENSIONS.test(f)).sort();
      if (inside.length === 0) throw new CaptureError(`${file}: the folder holds no capture files (.pcap, .pcapng, .cap)`);
      for (const f of inside) specs.push({ path: path.join(file, f), name: null });
    } else {
      specs.push({ path: file, name });
    }
  }
  return specs;
}

/** A path that cannot be read is not a folder: CaptureFile.open then says why. */
function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** What correlating several captures found, for the commands that report it (paths, records). */
export interface CaptureSetInfo {
  set: CaptureSet;
  correlation: Correlation;
  /** Per member, its host's VTEP as an IPv4 number, or null. */
  hosts: (number | null)[];
}

const infos = new WeakMap<CaptureSet, CaptureSetInfo>();

/** The correlation behind a set opened by openCaptures. */
export function captureSetInfo(set: CaptureSet): CaptureSetInfo {
  const info = infos.get(set);
  if (info === undefined) throw new Error('the capture set was not opened by openCaptures');
  return info;
}

function ipv4Number(text: string): number | null {
  const m = IPV4.exec(text);
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Every capture of a set opened (none left open if one fails), without indexing them. */
export function openMemberFiles(specs: readonly CaptureSpec[]): CaptureFile[] {
  if (specs.length > 0xffff) throw new CaptureError(`too many captures (${specs.length}); at most 65535`);
  const files: CaptureFile[] = [];
  try {
    for (const spec of specs) files.push(CaptureFile.open(spec.path));
  } catch (err) {
    for (const f of files) f.close();
    throw err;
  }
  return files;
}

/**
 * One file: that CaptureFile, unscanned, exactly as before. Several: a CaptureSet, already indexed,
 * correlated and merged (a `scan` then hands its frames on in merged order).
 * `forceSet` makes a set even of one file (for commands whose output is per capture).
 */
export function openCaptures(args: readonly string[], decodeAs: DecodeAsOverrides | null = null, forceSet = false): FrameSource {
  const specs = captureSpecs(args);
  if (specs.length === 1 && specs[0].name === null && !forceSet) return CaptureFile.open(specs[0].path);
  const files = openMemberFiles(specs);
  const keys = files.map((file) => indexMember(file, decodeAs));
  const hosts = files.map((file, c) => {
    const given = specs[c].name !== null ? ipv4Number(specs[c].name!) : null;
    return given ?? inferHost(file);
  });
  const correlation = correlate(files, keys, hosts);
  const names = uniqueNames(specs);
  const members: CaptureMember[] = files.map((file, c) => ({
    file,
    name: names[c],
    host: hosts[c] !== null ? ipv4FromNumber(hosts[c]!) : null,
    clockOffset: correlation.clockOffsets[c],
    interfaceBase: 0,
  }));
  const set = new CaptureSet(members);
  set.merge();
  set.repeated = repeatedSightings(set, correlation);
  infos.set(set, { set, correlation, hosts });
  return set;
}

/** Names shown per capture: the given name, else the file name (with its folder when two collide). */
function uniqueNames(specs: CaptureSpec[]): string[] {
  const base = specs.map((s) => s.name ?? path.basename(s.path));
  return base.map((name, i) => (base.indexOf(name) !== i || base.lastIndexOf(name) !== i) && specs[i].name === null ? specs[i].path : name);
}

/** In merged order, every sighting of a transmission after its first is a repeat. */
function repeatedSightings(set: CaptureSet, k: Correlation): Uint8Array {
  const repeated = new Uint8Array(set.frameCount);
  const counted = new Uint8Array(k.transmissions);
  for (let i = 0; i < set.frameCount; i++) {
    const t = k.transmissionOf[set.captureOf[i]][set.memberFrame[i]];
    if (t < 0) continue;
    if (counted[t] === 1) repeated[i] = 1;
    counted[t] = 1;
  }
  return repeated;
}
