// Copies the frames that pass a display filter into a new capture, in order, keeping each frame's
// timestamp, captured and original lengths, interface and direction; with `decap`, writes only the
// encapsulated (inner) frames. Frames are never dropped silently: every frame that matched but was
// not written is counted under a reason.
import { CaptureFile } from '../capture/capture-file';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../capture/link-types';
import { CaptureFileFormat, CaptureWriter, createCaptureWriter } from '../capture/writer';
import { CompiledFilter } from '../filter';
import { forEachMatchingFrame } from '../dissect/filtered-pass';
import { Progress } from '../report/progress';
import { innerFrame } from './inner-frame';
import { TenantSelector } from './tenant-spec';

export interface ExportOptions {
  /** Frames to keep; null keeps every frame. */
  filter: CompiledFilter | null;
  /** Only this tenant's frames (and the filter's, when both are given). */
  tenant?: TenantSelector | null;
  /** Write only the inner frames (Ethernet, or raw IP for IP-in-GRE). */
  decap: boolean;
  format: CaptureFileFormat;
  progress?: Progress;
  /** Reassemble IP fragments (default true). */
  reassemble?: boolean;
}

export interface ExportSummary {
  /** Frames in the input capture. */
  frames: number;
  /** Frames that passed the filter. */
  matched: number;
  written: number;
  /** Captured bytes written (of the whole frames, or of the inner frames with decap). */
  bytesWritten: number;
  /** IP fragments written because a matched frame completed their datagram (they did not match by themselves). */
  fragments: number;
  /** Matched frames that could not be written, by reason. */
  skipped: Record<string, number>;
  /** The input was cut short or corrupt (frames before the problem were exported). */
  problem: string | null;
}

const LINK_TYPE_LABELS: Record<number, string> = { [LINKTYPE_ETHERNET]: 'inner Ethernet', [LINKTYPE_RAW]: 'inner IP' };

/** Output interfaces created on first use, keyed by source interface and link type. */
class InterfaceMap {
  private readonly ids = new Map<number, number>();
  private pcapLinkType = -1;

  constructor(private readonly writer: CaptureWriter, private readonly file: CaptureFile) {}

  /**
   * The output interface for frames of source interface `iface` written with `linkType`, or a reason
   * why classic pcap cannot hold them (it has a single link type).
   */
  idFor(iface: number, linkType: number, decap: boolean): number | string {
    const key = iface * 65536 + linkType;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.writer.format === 'pcap') {
      if (this.pcapLinkType >= 0 && this.pcapLinkType !== linkType) {
        return `link type ${linkType} does not fit a classic pcap of link type ${this.pcapLinkType} (write .pcapng)`;
      }
      this.pcapLinkType = linkType;
    }
    const source = this.file.interfaces[iface];
    const name = source?.name || `interface ${iface}`;
    const id = this.writer.addInterface({
      linkType,
      snapLen: source?.snapLen ?? 0,
      name: decap ? `${name} (${LINK_TYPE_LABELS[linkType] ?? 'inner'}, decapsulated)` : name,
    });
    this.ids.set(key, id);
    return id;
  }

  /** Without decap the output interfaces mirror the input's one for one, so interface ids stay equal. */
  mirrorUpTo(iface: number): void {
    for (let i = 0; i <= iface && i < this.file.interfaces.length; i++) this.idFor(i, this.file.interfaces[i].linkType, false);
  }
}

export function exportFrames(file: CaptureFile, outPath: string, options: ExportOptions): ExportSummary {
  const { filter, decap, progress } = options;
  const tenant = options.tenant ?? null;
  const writer = createCaptureWriter(outPath, { format: options.format, nanosecond: true });
  const interfaces = new InterfaceMap(writer, file);
  const index = file.index;
  const summary: ExportSummary = { frames: 0, matched: 0, written: 0, bytesWritten: 0, fragments: 0, skipped: {}, problem: null };
  const skip = (reason: string) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);
  const pcapng = options.format === 'pcapng';
  /** Fragments written as they came, so the frame completing their datagram does not write them again. */
  const writtenFragments = new Set<number>();

  try {
    summary.matched = forEachMatchingFrame(file, filter, (ctx, frame) => {
      const iface = index.iface[frame];
      const direction = index.flags[frame] & 3;
      let start = ctx.base;
      let linkType = file.linkType(frame);
      if (decap) {
        const inner = innerFrame(ctx);
        if (typeof inner === 'string') return void skip(inner);
        start = inner.start;
        linkType = inner.linkType;
      } else if (pcapng) {
        interfaces.mirrorUpTo(iface);
      }
      const id = interfaces.idFor(iface, linkType, decap);
      if (typeof id === 'string') return void skip(id);
      if (!decap && ctx.absorbedFragments !== null) {
        // The frame completed an IP datagram: its earlier fragments belong to the export too, and
        // come first (they were passed over as fragments when read).
        for (const f of ctx.absorbedFragments) {
          if (writtenFragments.delete(f)) continue; // matched the selection by itself: already written
          const fragment = file.readFrame(f);
          writer.writePacket(id, index.tsSec[f], index.tsNsec[f], fragment, index.origLen[f], pcapng && (index.flags[f] & 3) !== 0 ? index.flags[f] & 3 : undefined);
          summary.written++;
          summary.fragments++;
          summary.bytesWritten += fragment.length;
        }
      }
      // Whole frames are written as captured; a decapsulated one is the inner frame (of the
      // reassembled datagram when the frame completed one).
      const bytes = decap ? ctx.buf.subarray(start, ctx.end) : ctx.frameBytes();
      const reassembled = ctx.absorbedFragments !== null;
      const origLen = !decap ? index.origLen[frame] : reassembled ? bytes.length : index.origLen[frame] - (start - ctx.base);
      if (!decap && ctx.heldFragment) writtenFragments.add(frame);
      writer.writePacket(id, index.tsSec[frame], index.tsNsec[frame], bytes, origLen, pcapng && direction !== 0 ? direction : undefined);
      summary.written++;
      summary.bytesWritten += bytes.length;
    }, { progress, prefilter: tenant === null ? undefined : (ctx) => tenant.matches(ctx), reassemble: options.reassemble });
    // Interfaces that carried no exported frame still belong to the capture's description.
    if (!decap && pcapng && file.interfaces.length > 0) interfaces.mirrorUpTo(file.interfaces.length - 1);
  } finally {
    writer.close();
  }
  summary.frames = index.count;
  summary.problem = file.problem;
  return summary;
}

/** "wrote 10 of 33 frames (1234 bytes) to OUT; 23 did not match the selection; 2 matched but skipped: 2 not encapsulated". */
export function describeExport(summary: ExportSummary, outPath: string, filtered: boolean): string {
  const parts = [`wrote ${summary.written} of ${summary.frames} frames (${summary.bytesWritten} bytes) to ${outPath}`];
  const unmatched = summary.frames - summary.matched - summary.fragments;
  if (summary.fragments > 0) parts.push(`${summary.fragments} of them IP fragments of matched packets`);
  if (filtered) parts.push(`${unmatched} did not match the selection`);
  const reasons = Object.entries(summary.skipped);
  if (reasons.length > 0) {
    const skipped = reasons.reduce((n, [, count]) => n + count, 0);
    parts.push(`${skipped} matched but skipped: ${reasons.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  return parts.join('; ');
}
