// IP reassembly (IPv4 RFC 791, IPv6 RFC 8200 fragment header), like Wireshark's ip.defragment: the
// fragments of a datagram are kept as they come, and the frame whose fragment completes it carries
// the reassembled datagram, dissected from there on. State lives beside one sequential pass (the
// index pass); memory stays bounded under a flood of fragments: limits on datagrams in progress, on
// bytes held, on fragments per datagram, and a timeout in capture time, evicting the oldest first.

export interface ReassemblyLimits {
  /** Datagrams waiting for fragments at once. */
  maxDatagrams: number;
  /** Fragment payload bytes held in all. */
  maxBytes: number;
  /** Fragments of one datagram. */
  maxFragments: number;
  /** A datagram whose first fragment is older than this (capture time) is given up. */
  timeoutSeconds: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxDatagrams: 4096, maxBytes: 32 * 1024 * 1024, maxFragments: 128, timeoutSeconds: 60 };

/** The largest IP datagram payload (IPv4's 16-bit total length; IPv6 without jumbograms). */
const MAX_DATAGRAM = 65535;

interface Pending {
  key: string;
  firstTime: number;
  /** Frames (0-based) of the fragments, in arrival order, with their payload and offset. */
  frames: number[];
  offsets: number[];
  parts: Uint8Array[];
  /** Wire bytes of the fragment frames. */
  wireBytes: number;
  held: number;
  /** Payload length, known once the last fragment (no "more fragments") has come; -1 before. */
  total: number;
}

export interface Reassembled {
  payload: Uint8Array;
  /** Frames (0-based) of every fragment, the completing one last. */
  frames: number[];
  /** Wire bytes of all fragment frames. */
  wireBytes: number;
}

/** What reassembly found, frame by frame: enough to rebuild a datagram when one frame is dissected again. */
export class FragmentLinks {
  /** Fragment frame -> frame whose fragment completed its datagram (0-based). */
  readonly reassembledIn = new Map<number, number>();
  /** Completing frame -> every fragment frame of the datagram, itself last (0-based). */
  readonly fragmentsOf = new Map<number, number[]>();
  /** The datagrams in the order they were completed (each: its fragment frames, the completing one last). */
  readonly completed: number[][] = [];

  add(frames: number[]): void {
    this.completed.push(frames);
    const completing = frames[frames.length - 1];
    this.fragmentsOf.set(completing, frames);
    for (const f of frames) if (f !== completing) this.reassembledIn.set(f, completing);
  }
}

export class IpReassembly {
  /** Datagrams given up (timeout, limits, overlap): their fragments stay fragments. */
  dropped = 0;
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;

  /**
   * `links` null: a one-pass read that never dissects a frame again keeps no record of which frames
   * were fragments of which (it would grow with the frames).
   */
  constructor(
    readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
    readonly links: FragmentLinks | null = new FragmentLinks(),
  ) {}

  /** Datagrams waiting for fragments now. */
  get inProgress(): number {
    return this.pending.size;
  }

  get bytesHeld(): number {
    return this.heldBytes;
  }

  /**
   * Takes one fragment (payload buf[start, end) at byte `offset` of its datagram); returns the whole
   * payload when this fragment completes the datagram, otherwise null. `frame` is 0-based.
   */
  add(key: string, frame: number, time: number, offset: number, more: boolean, buf: Uint8Array, start: number, end: number, wireBytes: number): Reassembled | null {
    this.expire(time);
    const length = end - start;
    if (length < 0 || offset + length > MAX_DATAGRAM) return null;
    let p = this.pending.get(key);
    if (p !== undefined && p.frames.includes(frame)) return null;
    if (p === undefined) {
      if (this.pending.size >= this.limits.maxDatagrams) this.evictOldest();
      p = { key, firstTime: time, frames: [], offsets: [], parts: [], wireBytes: 0, held: 0, total: -1 };
      this.pending.set(key, p);
    }
    if (p.frames.length >= this.limits.maxFragments) {
      this.drop(p);
      return null;
    }
    while (this.heldBytes + length > this.limits.maxBytes && this.pending.size > 1) this.evictOldest(p);
    if (this.heldBytes + length > this.limits.maxBytes) {
      this.drop(p);
      return null;
    }
    p.frames.push(frame);
    p.offsets.push(offset);
    // A copy: `buf` may be a Buffer (whose slice shares memory) that the next frame's read overwrites.
    p.parts.push(new Uint8Array(buf.subarray(start, end)));
    p.wireBytes += wireBytes;
    p.held += length;
    this.heldBytes += length;
    if (!more) {
      if (p.total >= 0 && p.total !== offset + length) {
        this.drop(p); // two different ends: not one datagram
        return null;
      }
      p.total = offset + length;
    }
    if (p.total < 0 || !covers(p)) return null;
    const payload = new Uint8Array(p.total);
    // Later fragments overwrite overlapping bytes of earlier ones, as most stacks do.
    for (let i = 0; i < p.parts.length; i++) {
      const part = p.parts[i];
      const at = p.offsets[i];
      payload.set(at + part.length <= p.total ? part : part.subarray(0, Math.max(p.total - at, 0)), at);
    }
    this.forget(p);
    this.links?.add(p.frames);
    return { payload, frames: p.frames, wireBytes: p.wireBytes };
  }

  private expire(now: number): void {
    const limit = this.limits.timeoutSeconds;
    // Map iteration is insertion order: the oldest datagrams come first.
    for (const p of this.pending.values()) {
      if (now - p.firstTime <= limit) break;
      this.drop(p);
    }
  }

  private evictOldest(keep?: Pending): void {
    for (const p of this.pending.values()) {
      if (p === keep) continue;
      this.drop(p);
      return;
    }
  }

  private drop(p: Pending): void {
    this.forget(p);
    this.dropped++;
  }

  private forget(p: Pending): void {
    this.pending.delete(p.key);
    this.heldBytes -= p.held;
  }
}

/** Do the fragments cover [0, total) without a hole? */
function covers(p: Pending): boolean {
  const order = p.offsets.map((_, i) => i).sort((a, b) => p.offsets[a] - p.offsets[b]);
  let reached = 0;
  for (const i of order) {
    if (p.offsets[i] > reached) return false;
    reached = Math.max(reached, p.offsets[i] + p.parts[i].length);
  }
  return reached >= p.total;
}
