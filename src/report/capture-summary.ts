// What the capture is: file, format, size, interfaces and time span, for the report's first section.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameSource } from '../capture/frame-source';
import { CaptureSet } from '../capture/capture-set';

export interface CaptureInterfaceSummary {
  name: string;
  linkType: number;
}

export interface CaptureSummary {
  file: string;
  format: 'pcap' | 'pcapng';
  fileBytes: number;
  /** Frames in the file (the report may cover fewer when filtered). */
  frames: number;
  interfaces: CaptureInterfaceSummary[];
  /** The display filter the report covers, or null for every frame. */
  filter: string | null;
  /** Cut short or corrupt: the frames before the problem are reported. */
  problem: string | null;
}

export function summarizeCapture(file: FrameSource, filter: string | null): CaptureSummary {
  const files = file instanceof CaptureSet ? file.members.map((m) => m.file.path) : [file.path];
  let fileBytes = 0;
  for (const f of files) {
    try {
      fileBytes += fs.statSync(f).size;
    } catch {
      // The size is informative only.
    }
  }
  return {
    // Several captures: their names, each transmission counted once in the figures.
    file: file instanceof CaptureSet ? file.members.map((m) => m.name).join(', ') : path.basename(file.path),
    format: file.format,
    fileBytes,
    frames: file.frameCount,
    interfaces: file.interfaces.map((iface, i) => ({ name: iface.name || `interface ${i}`, linkType: iface.linkType })),
    filter,
    problem: file.problem,
  };
}
