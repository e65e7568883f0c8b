// What a session reads: one capture file, or several hosts' captures (files, folders, FILE@NAME)
// merged into one CaptureSet by the CLI's own code (src/overlay/captures.ts: hosts, correlation,
// clock offsets, merged order, repeated sightings). Every worker opens the session's source from the
// same list of paths; the service thread holds the set's members unindexed and takes the merged order
// from the index worker (SetLayout), so it never indexes or correlates anything itself.
import * as path from 'node:path';
import { CaptureFile } from '../capture/capture-file';
import { CaptureSet } from '../capture/capture-set';
import type { CaptureInterface } from '../capture/format-parser';
import type { IndexColumns } from '../capture/frame-index';
import type { FrameSource } from '../capture/frame-source';
import { decodeAsOverrides } from '../dissect/decode-as';
import { captureSpecs, openCaptures, openMemberFiles } from '../overlay/captures';
import type { CaptureSetMember } from './api';

/** A worker's view of the source: exactly what `tunnelscope tenants CAPTURE...` reads. */
export function openSource(paths: readonly string[], decodeAs: string[] = []): FrameSource {
  return openCaptures(paths, decodeAs.length > 0 ? decodeAsOverrides(decodeAs) : null);
}

/** Whether the paths name several captures (a folder, several files, or a FILE@NAME). */
export function isCaptureSet(paths: readonly string[]): boolean {
  const specs = captureSpecs(paths);
  return specs.length !== 1 || specs[0].name !== null;
}

/** What the index worker tells the service about a set once it is merged. */
export interface SetLayout {
  members: CaptureSetMember[];
  captureOf: Uint16Array<ArrayBuffer>;
  memberFrame: Uint32Array<ArrayBuffer>;
  repeated: Uint8Array | null;
  /** Every member's interfaces, in the set's numbering (a pcapng member's are known only once it is read). */
  interfaces: CaptureInterface[];
}

export function setLayoutOf(set: CaptureSet): SetLayout {
  return {
    members: set.members.map((m) => ({ path: m.file.path, name: m.name, host: m.host, clockOffset: m.clockOffset, frames: m.file.frameCount })),
    captureOf: set.captureOf.slice(),
    memberFrame: set.memberFrame.slice(),
    repeated: set.repeated?.slice() ?? null,
    interfaces: set.interfaces.map((i) => ({ ...i })),
  };
}

/**
 * The service thread's source: a CaptureFile (its index filled by the index worker's batches), or a
 * CaptureSet of the member files, unindexed here (frames are re-read by the merged index's offsets)
 * until `applySetLayout` gives it the names, hosts and merged order the worker computed.
 */
export function openUnindexed(paths: readonly string[]): FrameSource {
  const specs = captureSpecs(paths);
  if (specs.length === 1 && specs[0].name === null) return CaptureFile.open(specs[0].path);
  const files = openMemberFiles(specs);
  return new CaptureSet(files.map((file, c) => ({ file, name: specs[c].name ?? path.basename(file.path), host: null, clockOffset: 0, interfaceBase: 0 })));
}

export function applySetLayout(set: CaptureSet, layout: SetLayout): void {
  layout.members.forEach((m, c) => {
    const member = set.members[c];
    member.name = m.name;
    member.host = m.host;
    member.clockOffset = m.clockOffset;
  });
  set.captureOf = layout.captureOf;
  set.memberFrame = layout.memberFrame;
  set.repeated = layout.repeated;
  set.interfaces.splice(0, set.interfaces.length, ...layout.interfaces);
}

/** A set already merged (the session's index and layout), so a filter pass need not index and correlate it again. */
export interface MergedSet {
  layout: SetLayout;
  columns: IndexColumns;
  count: number;
}

export function mergedSetOf(set: CaptureSet): MergedSet {
  return { layout: setLayoutOf(set), columns: set.index.slice(0, set.index.count), count: set.index.count };
}

/** The same set in another thread: its members reopened, its merged index and layout taken as they are. */
export function openMerged(paths: readonly string[], merged: MergedSet): CaptureSet {
  const set = openUnindexed(paths) as CaptureSet;
  applySetLayout(set, merged.layout);
  set.index.append(merged.columns, merged.count);
  return set;
}

/** A set's name in the header and title: its folder, or its first capture "and N more". */
export function sourceName(paths: readonly string[]): string {
  const specs = captureSpecs(paths);
  if (specs.length === 1) return specs[0].name ?? path.basename(specs[0].path);
  if (paths.length === 1) return `${path.basename(paths[0].replace(/\/+$/, ''))}/ (${specs.length} captures)`;
  return `${specs[0].name ?? path.basename(specs[0].path)} and ${specs.length - 1} more`;
}
