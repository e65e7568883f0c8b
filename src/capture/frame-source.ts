// What the commands read frames from: one capture file, or several merged into one frame order
// (CaptureSet). Frame numbers are 0-based positions in that order.
import type { CaptureInterface, CaptureSection } from './format-parser';
import type { FrameIndex } from './frame-index';

/** Called for every newly read frame with its bytes still in the read buffer (its other fields in `visiting`). */
export type FrameVisitor = (buf: Buffer, dataOffset: number, capLen: number, frame: number) => void;

/** The frame a scan is handing to its visitor: what the visitor needs besides its bytes, with or without an index. */
export interface VisitedFrame {
  /** Seconds since the epoch (as FrameIndex.time). */
  time: number;
  capLen: number;
  origLen: number;
  linkType: number;
}

export interface FrameSource {
  /** The file, or the first file of a set (for size-based choices and messages). */
  readonly path: string;
  readonly index: FrameIndex;
  readonly problem: string | null;
  readonly format: 'pcap' | 'pcapng';
  readonly interfaces: CaptureInterface[];
  /** pcapng section headers (application, OS, hardware, comment), of every file. */
  readonly sections: readonly CaptureSection[];
  /** The open files' descriptors (to tell whether an output path is one of them). */
  readonly descriptors: readonly number[];
  readonly frameCount: number;
  /** False when frames are counted but not indexed (a one-pass read): the index columns stay empty. */
  readonly keepIndex: boolean;
  /** The frame being visited, valid inside a scan's visitor. */
  readonly visiting: VisitedFrame;
  /**
   * 1 for a frame that another capture of the set already holds (the same transmission seen at
   * both ends): analyses count each transmission once. Null for a single file.
   */
  readonly repeated: Uint8Array | null;
  linkType(frame: number): number;
  /** Hands on the frames not yet visited, in order; returns how many. */
  scan(visit?: FrameVisitor | null, final?: boolean): number;
  readFrame(frame: number, into?: Buffer): Buffer;
  close(): void;
}
