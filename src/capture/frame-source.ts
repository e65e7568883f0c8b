// What the commands read frames from: one capture file, or several merged into one frame order
// (CaptureSet). Frame numbers are 0-based positions in that order.
import type { CaptureInterface, CaptureSection } from './format-parser';
import type { FrameIndex } from './frame-index';

/** Called for every newly indexed frame with its bytes still in the read buffer. */
export type FrameVisitor = (buf: Buffer, dataOffset: number, capLen: number, frame: number) => void;

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
