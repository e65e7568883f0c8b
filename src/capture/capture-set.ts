// Several captures as one: each member file keeps its own index, and the set presents one frame order
// over all of them, merged by corrected time (each member's clock offset subtracted), as a
// (capture, frame) permutation in typed arrays. The set's own FrameIndex holds the merged columns
// (times corrected), so everything that reads a FrameSource works on it unchanged.
import { CaptureError } from './capture-error';
import { CaptureFile } from './capture-file';
import { CaptureInterface, CaptureSection } from './format-parser';
import { FrameIndex } from './frame-index';
import type { FrameSource, FrameVisitor, VisitedFrame } from './frame-source';

export interface CaptureMember {
  file: CaptureFile;
  /** Shown in the capture column and matched by the frame.capture filter field. */
  name: string;
  /** The capture's host: the VTEP address it was taken on (inferred or given), or null. */
  host: string | null;
  /** This capture's clock minus the first capture's, seconds (subtracted from its timestamps). */
  clockOffset: number;
  /** Index of its first interface in the set's interface list. */
  interfaceBase: number;
}

export class CaptureSet implements FrameSource {
  readonly index = new FrameIndex();
  /** Member of each merged frame. */
  captureOf = new Uint16Array(0);
  /** Frame (0-based) inside its member of each merged frame. */
  memberFrame = new Uint32Array(0);
  repeated: Uint8Array | null = null;
  readonly interfaces: CaptureInterface[] = [];
  readonly visiting: VisitedFrame = { time: 0, capLen: 0, origLen: 0, linkType: -1 };
  /** The merged order is an index: a set always keeps it. */
  readonly keepIndex = true;
  private visited = 0;
  /** Per member, its frames' merged numbers (built on first use). */
  private reverse: Uint32Array[] | null = null;
  private readonly buf = Buffer.allocUnsafe(65536);

  constructor(readonly members: CaptureMember[]) {
    for (const m of members) {
      m.interfaceBase = this.interfaces.length;
      this.interfaces.push(...m.file.interfaces);
    }
  }

  get path(): string {
    return this.members[0].file.path;
  }

  get sections(): CaptureSection[] {
    return this.members.flatMap((m) => m.file.sections);
  }

  get descriptors(): readonly number[] {
    return this.members.flatMap((m) => m.file.descriptors);
  }

  get format(): 'pcap' | 'pcapng' {
    return this.members.every((m) => m.file.format === 'pcap') ? 'pcap' : 'pcapng';
  }

  get frameCount(): number {
    return this.index.count;
  }

  /** Every member's problem, prefixed with its name; null when all are whole. */
  get problem(): string | null {
    const problems = this.members.filter((m) => m.file.problem !== null).map((m) => `${m.name}: ${m.file.problem}`);
    return problems.length > 0 ? problems.join('; ') : null;
  }

  /**
   * Builds the merged order from the members' indexes (scanned beforehand) and their clock offsets:
   * frames sorted by corrected time, ties kept in capture order then frame order.
   */
  merge(): void {
    const total = this.members.reduce((n, m) => n + m.file.frameCount, 0);
    const corrected = new Float64Array(total);
    const order = new Uint32Array(total);
    const captureOf = new Uint16Array(total);
    const memberFrame = new Uint32Array(total);
    let at = 0;
    this.members.forEach((m, c) => {
      const idx = m.file.index;
      for (let f = 0; f < idx.count; f++, at++) {
        corrected[at] = idx.tsSec[f] - m.clockOffset + idx.tsNsec[f] / 1e9;
        captureOf[at] = c;
        memberFrame[at] = f;
        order[at] = at;
      }
    });
    order.sort((a, b) => corrected[a] - corrected[b] || a - b);
    const index = this.index;
    index.count = 0;
    index.reserve(total);
    this.captureOf = new Uint16Array(total);
    this.memberFrame = new Uint32Array(total);
    for (let i = 0; i < total; i++) {
      const g = order[i];
      const m = this.members[captureOf[g]];
      const f = memberFrame[g];
      const idx = m.file.index;
      // Correct in whole nanoseconds so the merged time stays exact.
      const shiftNs = Math.round(m.clockOffset * 1e9);
      let nsec = idx.tsNsec[f] - (shiftNs % 1e9);
      let sec = idx.tsSec[f] - Math.trunc(shiftNs / 1e9);
      if (nsec < 0) {
        nsec += 1e9;
        sec -= 1;
      } else if (nsec >= 1e9) {
        nsec -= 1e9;
        sec += 1;
      }
      const n = index.add(idx.fileOffset[f], sec, nsec, idx.capLen[f], idx.origLen[f], idx.iface[f] + m.interfaceBase, idx.flags[f]);
      index.tenantType[n] = idx.tenantType[f];
      index.tenantId[n] = idx.tenantId[f];
      index.topProto[n] = idx.topProto[f];
      index.outerSrc[n] = idx.outerSrc[f];
      index.outerDst[n] = idx.outerDst[f];
      this.captureOf[i] = captureOf[g];
      this.memberFrame[i] = f;
    }
    this.visited = 0;
    this.reverse = null;
  }

  /** Merged frame number (0-based) of a member's frame. */
  mergedFrameOf(capture: number, frame: number): number {
    if (this.reverse === null) {
      this.reverse = this.members.map((m) => new Uint32Array(m.file.frameCount));
      for (let i = 0; i < this.index.count; i++) this.reverse[this.captureOf[i]][this.memberFrame[i]] = i;
    }
    return this.reverse[capture][frame];
  }

  linkType(frame: number): number {
    return this.interfaces[this.index.iface[frame]]?.linkType ?? -1;
  }

  /** Hands on the merged frames not visited yet, each read from its member file. */
  scan(visit: FrameVisitor | null = null): number {
    const start = this.visited;
    for (let i = start; i < this.index.count; i++) {
      if (visit !== null) {
        const bytes = this.readFrame(i, this.buf);
        this.visiting.time = this.index.time(i);
        this.visiting.capLen = this.index.capLen[i];
        this.visiting.origLen = this.index.origLen[i];
        this.visiting.linkType = this.linkType(i);
        visit(bytes, 0, bytes.length, i);
      }
    }
    this.visited = this.index.count;
    return this.visited - start;
  }

  /** Read by the merged index's offset, so a member file need not be indexed in this thread (the app's session). */
  readFrame(frame: number, into?: Buffer): Buffer {
    if (frame < 0 || frame >= this.index.count) throw new CaptureError(`frame ${frame + 1} does not exist (the captures have ${this.index.count})`);
    const member = this.members[this.captureOf[frame]];
    return member.file.readAt(this.index.fileOffset[frame], this.index.capLen[frame], this.memberFrame[frame], into);
  }

  close(): void {
    for (const m of this.members) m.file.close();
  }
}
