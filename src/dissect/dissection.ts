// One frame's dissection state. A single instance is reused for every frame: the fast path fills only
// typed arrays (layers, tenant, malformed); the detail tree and columns are built only when asked for,
// the way Wireshark's dissectors skip proto_tree_add_* when tree is NULL.
import { TENANT_TYPE_NAMES, TenantType, TenantTypeName } from './tenant-id';
import { FieldValue, fieldDef, formatFieldValue, ProtocolDef, protocolById } from './fields';
import { ipv4Text, ipv6Text, macText } from './bytes';
import type { IpReassembly } from './reassembly';
import type { TcpStreams } from './tcp-streams';


/** "ipv6" for "ipv6.fraghdr.offset": the dissector family a field belongs to. */
function protocolFamily(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function formatAddress(kind: AddressKind, buf: Uint8Array, at: number): string {
  switch (kind) {
    case AddressKind.Ether:
      return buf[at] === 0xff && buf[at + 1] === 0xff && buf[at + 2] === 0xff && buf[at + 3] === 0xff && buf[at + 4] === 0xff && buf[at + 5] === 0xff ? 'Broadcast' : macText(buf, at);
    case AddressKind.Ipv4:
      return ipv4Text(buf, at);
    case AddressKind.Ipv6:
      return ipv6Text(buf, at);
    default:
      return '';
  }
}

/**
 * The nesting limit (like Zeek's Tunnel::max_depth, counted in protocol layers): 64 layers hold 15
 * nested VXLAN levels. A frame that goes deeper is marked malformed and dissected no further, so a
 * crafted frame of hundreds of tunnels costs bounded time and stack.
 */
export const MAX_LAYERS = 64;

export const TOO_MANY_LAYERS = `too many layers: more than ${MAX_LAYERS} (the nesting limit)`;

/** Thrown by pushLayer past MAX_LAYERS and caught by dissectFrame: unwinds every nested dissector at once. */
export const LAYER_LIMIT_REACHED: unique symbol = Symbol('layer limit reached');

/** A frame's tenant in JSON output (dissect -T jsonl). */
export interface Tenant {
  type: TenantTypeName;
  id: number;
}

export interface TreeNode {
  /** Field or protocol filter name ("ip.src", "ip"); "" for a text-only line. */
  name: string;
  /** Display line, e.g. "Source Address: 10.0.0.1". */
  label: string;
  /** Byte range relative to the frame start (for the hex pane). */
  start: number;
  length: number;
  value?: FieldValue;
  /** Which occurrence of the enclosing protocol this node belongs to (1 = outermost), for `ip.src#2`. */
  occurrence: number;
  /** Filterable but not shown (Wireshark's hidden items, e.g. ip.addr beside ip.src and ip.dst). */
  hidden?: boolean;
  /** start/length point into the reassembled datagram (Dissection.reassembledBytes), not the frame. */
  reassembled?: boolean;
  children?: TreeNode[];
}

/**
 * Formats the Info column from the frame's bytes. Info is set by every layer and only the innermost
 * one is shown, so layers register a formatter and the text is built once, when asked for.
 */
export type InfoFormatter = (buf: Uint8Array, at: number, ctx: Dissection) => string;

export const enum AddressKind {
  None = 0,
  Ether = 1,
  Ipv4 = 2,
  Ipv6 = 3,
}

/** Lookups a dissector makes into dispatch tables can be overridden per session ("decode as"). */
export type DecodeAsOverrides = Map<string, Map<number, string>>;

export class Dissection {
  buf: Uint8Array = new Uint8Array(0);
  /** Offset of the frame's first byte in buf; every dissector offset is absolute in buf. */
  base = 0;
  capLen = 0;
  origLen = 0;
  frameNumber = 0;

  layerCount = 0;
  readonly layerProto = new Uint16Array(MAX_LAYERS);
  readonly layerStart = new Int32Array(MAX_LAYERS);
  readonly layerEnd = new Int32Array(MAX_LAYERS);

  /** Innermost encapsulation that names a tenant. */
  tenantType: TenantType = TenantType.None;
  tenantId = 0;
  /** Layer index of the tunnel header that set the tenant (its outer IP layer is the VTEP pair). */
  tenantLayer = -1;
  /** First IPv4/IPv6 layer: the underlay addresses of an encapsulated frame. */
  outerIpLayer = -1;
  malformed: string | null = null;
  /** The frame carries a mirrored copy of another frame (ERSPAN). */
  mirrored = false;
  /**
   * ERSPAN session (span id) of a mirrored frame, -1 when none (type I has no header). A transport id
   * shown as an attribute (`erspan.spanid`), never a tenant: the tenant is the mirrored frame's own.
   */
  mirrorSession = -1;

  /**
   * IP reassembly of the pass this dissection belongs to (null: off, or a dissection out of sequence).
   * frameIndex (0-based) and frameTime (seconds) say which frame is being dissected, for its links.
   */
  reassembly: IpReassembly | null = null;
  frameIndex = -1;
  frameTime = 0;
  /** Wire bytes of the packet dissected: the frame's, or all its fragments' when it completed a datagram. */
  wireBytes = 0;
  /** This frame is an IP fragment whose datagram is still incomplete (it is held for reassembly). */
  heldFragment = false;
  /**
   * The earlier fragment frames (0-based) of the underlay datagram this frame completed (a packet the
   * underlay fragmented): they are counted with this frame, once. Null when none.
   */
  absorbedFragments: number[] | null = null;
  /** Inside an ICMP error's quoted packet: never reassembled. */
  quoting = 0;
  /**
   * TCP conversations of the pass (tcp.stream, relative sequence numbers), kept by passes that show
   * or filter frames; null on the classification fast path, where TCP fields show raw numbers.
   */
  tcpStreams: TcpStreams | null = null;
  /** With tcpStreams: the frame's TCP segment (outside ICMP quotes): its stream (-1 none), direction, relative seq, payload. */
  tcpStream = -1;
  tcpDirection = 0;
  tcpRelativeSeq = 0;
  tcpPayloadStart = 0;
  tcpPayloadEnd = 0;

  wantTree = false;
  wantColumns = false;
  /**
   * With wantTree, build only these fields (and every protocol node), unlabelled: what a display
   * filter reads, as Wireshark primes only a filter's "interesting" fields. Null builds the full tree.
   */
  get fieldFilter(): ReadonlySet<string> | null {
    return this.interesting;
  }

  set fieldFilter(names: ReadonlySet<string> | null) {
    this.interesting = names;
    this.interestingFamilies = names === null ? null : new Set([...names].map(protocolFamily));
  }

  /**
   * Should the current layer's dissector add its fields? True when building the tree, unless a
   * field filter leaves out every field of this protocol (then its values are not even formatted).
   */
  detail = false;
  private interesting: ReadonlySet<string> | null = null;
  private interestingFamilies: ReadonlySet<string> | null = null;
  decodeAs: DecodeAsOverrides | null = null;

  tree: TreeNode[] = [];
  private current: TreeNode | null = null;
  private readonly subtreeStack: TreeNode[] = [];
  private readonly occurrences = new Map<string, number>();

  colProto = '';
  private infoText = '';
  private infoFormatter: InfoFormatter | null = null;
  private infoAt = 0;
  private addressKind = AddressKind.None;
  private srcAt = -1;
  private dstAt = -1;
  private srcText: string | null = '';
  private dstText: string | null = '';

  /** The frame's own bytes, also after the dissection moved into a reassembled datagram. */
  frameBytes(): Uint8Array {
    return this.frameBuf.subarray(this.frameBase, this.frameBase + this.frameCapLen);
  }

  /**
   * The reassembled datagram's buffer once the dissection moved into it (this frame's bytes before the
   * IP payload, then the whole payload), else null: the tree nodes marked `reassembled` point into it.
   */
  reassembledBytes(): Uint8Array | null {
    return this.inReassembled ? this.buf : null;
  }

  private frameBuf: Uint8Array = new Uint8Array(0);
  private frameBase = 0;
  private frameCapLen = 0;
  private inReassembled = false;

  reset(buf: Uint8Array, base: number, capLen: number, origLen: number): void {
    this.frameBuf = buf;
    this.frameBase = base;
    this.frameCapLen = capLen;
    this.inReassembled = false;
    this.buf = buf;
    this.base = base;
    this.capLen = capLen;
    this.origLen = origLen;
    this.layerCount = 0;
    this.tenantType = TenantType.None;
    this.tenantId = 0;
    this.tenantLayer = -1;
    this.outerIpLayer = -1;
    this.malformed = null;
    this.mirrored = false;
    this.mirrorSession = -1;
    this.wireBytes = origLen;
    this.heldFragment = false;
    this.absorbedFragments = null;
    this.quoting = 0;
    this.tcpStream = -1;
    this.detail = false;
    if (this.wantTree) {
      this.tree = [];
      this.current = null;
      this.subtreeStack.length = 0;
      this.occurrences.clear();
    }
    if (this.wantColumns) {
      this.colProto = '';
      this.infoText = '';
      this.infoFormatter = null;
      this.addressKind = AddressKind.None;
      this.srcText = '';
      this.dstText = '';
    }
  }

  /** Info column text; a formatter registered by the innermost layer runs now, once. */
  get info(): string {
    if (this.infoFormatter !== null) {
      this.infoText = this.infoFormatter(this.buf, this.infoAt, this);
      this.infoFormatter = null;
    }
    return this.infoText;
  }

  set info(text: string) {
    this.infoText = text;
    this.infoFormatter = null;
  }

  /** Registers the Info text of this layer, built from the bytes at `at` only if no inner layer replaces it. */
  setInfo(formatter: InfoFormatter, at: number): void {
    this.infoFormatter = formatter;
    this.infoAt = at;
  }

  /** Source/Destination columns come from addresses at these offsets, formatted only when read. */
  setAddresses(kind: AddressKind, srcAt: number, dstAt: number): void {
    this.addressKind = kind;
    this.srcAt = srcAt;
    this.dstAt = dstAt;
    this.srcText = null;
    this.dstText = null;
  }

  get colSrc(): string {
    if (this.srcText === null) this.srcText = this.srcAt < 0 ? '' : formatAddress(this.addressKind, this.buf, this.srcAt);
    return this.srcText;
  }

  set colSrc(text: string) {
    this.srcText = text;
  }

  get colDst(): string {
    if (this.dstText === null) this.dstText = this.dstAt < 0 ? '' : formatAddress(this.addressKind, this.buf, this.dstAt);
    return this.dstText;
  }

  set colDst(text: string) {
    this.dstText = text;
  }

  /** The columns as they stand (for a layer that must put them back after dissecting a quoted packet). */
  saveColumns(): () => void {
    const saved = { info: this.infoText, formatter: this.infoFormatter, at: this.infoAt, kind: this.addressKind, srcAt: this.srcAt, dstAt: this.dstAt, src: this.srcText, dst: this.dstText, proto: this.colProto };
    return () => {
      this.infoText = saved.info;
      this.infoFormatter = saved.formatter;
      this.infoAt = saved.at;
      this.addressKind = saved.kind;
      this.srcAt = saved.srcAt;
      this.dstAt = saved.dstAt;
      this.srcText = saved.src;
      this.dstText = saved.dst;
      this.colProto = saved.proto;
    };
  }

  get end(): number {
    return this.base + this.capLen;
  }

  /**
   * Continues the dissection in a reassembled datagram: a new buffer holds this frame's bytes up to
   * `payloadStart` followed by `payload`, so every layer so far keeps its bytes (offsets move by the
   * same amount). Returns the new offset of payloadStart.
   */
  switchToReassembled(payloadStart: number, payload: Uint8Array): number {
    const head = payloadStart - this.base;
    const next = new Uint8Array(head + payload.length);
    next.set(this.buf.subarray(this.base, payloadStart), 0);
    next.set(payload, head);
    const delta = -this.base;
    for (let i = 0; i < this.layerCount; i++) {
      this.layerStart[i] += delta;
      this.layerEnd[i] += delta;
    }
    if (this.srcAt >= 0) this.srcAt += delta;
    if (this.dstAt >= 0) this.dstAt += delta;
    this.infoAt += delta;
    this.buf = next;
    this.base = 0;
    this.capLen = next.length;
    this.inReassembled = true;
    return head;
  }

  /** Starts a protocol layer at `start` whose bytes run to `end` (exclusive). Returns its layer index. */
  pushLayer(proto: ProtocolDef, start: number, end: number): number {
    const index = this.layerCount;
    if (index >= MAX_LAYERS) {
      this.setMalformed(TOO_MANY_LAYERS);
      throw LAYER_LIMIT_REACHED;
    }
    this.layerProto[index] = proto.id;
    this.layerStart[index] = start;
    this.layerEnd[index] = end;
    this.layerCount++;
    this.detail = this.wantTree && (this.interestingFamilies === null || this.interestingFamilies.has(protocolFamily(proto.name)));
    if (this.wantTree) {
      const occurrence = (this.occurrences.get(proto.name) ?? 0) + 1;
      this.occurrences.set(proto.name, occurrence);
      const node: TreeNode = { name: proto.name, label: proto.label, start: start - this.base, length: end - start, occurrence, children: [] };
      if (this.inReassembled) node.reassembled = true;
      this.tree.push(node);
      this.current = node;
      this.subtreeStack.length = 0;
    }
    if (this.wantColumns) this.colProto = proto.short;
    return index;
  }

  /** Shortens the current layer's byte range once its header length is known. */
  setLayerEnd(layer: number, end: number): void {
    this.layerEnd[layer] = end;
    if (this.wantTree && this.current && this.tree.length > 0) {
      const node = this.tree[this.tree.length - 1];
      node.length = end - this.base - node.start;
    }
  }

  /** Replaces the protocol line of the current layer, e.g. "Internet Protocol Version 4, Src: ..., Dst: ...". */
  setLayerLabel(label: string): void {
    if (this.wantTree && this.tree.length > 0) this.tree[this.tree.length - 1].label = label;
  }

  /** Adds a field under the current protocol (or open subtree). Call only when wantTree is set. */
  field(name: string, start: number, length: number, value: FieldValue, display?: string): TreeNode | null {
    const parent = this.subtreeStack.length > 0 ? this.subtreeStack[this.subtreeStack.length - 1] : this.current;
    if (!parent) return null;
    const fieldFilter = this.interesting;
    if (fieldFilter !== null) {
      // Filtering only: keep just the fields the filter reads, without display labels.
      if (!fieldFilter.has(name)) return null;
      const bare: TreeNode = { name, label: '', start: start - this.base, length, value, occurrence: parent.occurrence };
      (parent.children ??= []).push(bare);
      return bare;
    }
    const def = fieldDef(name);
    const label = `${def ? def.label : name}: ${display ?? formatFieldValue(def, value, length)}`;
    const node: TreeNode = { name, label, start: start - this.base, length, value, occurrence: parent.occurrence };
    if (this.inReassembled) node.reassembled = true;
    (parent.children ??= []).push(node);
    return node;
  }

  /** A field for filtering only ("either address" aliases), left out of the displayed tree. */
  hiddenField(name: string, start: number, length: number, value: FieldValue): void {
    const node = this.field(name, start, length, value);
    if (node) node.hidden = true;
  }

  /** A text line without a field (expert notes, summaries). Call only when wantTree is set. */
  text(label: string, start: number, length: number): TreeNode | null {
    const parent = this.subtreeStack.length > 0 ? this.subtreeStack[this.subtreeStack.length - 1] : this.current;
    if (!parent) return null;
    const node: TreeNode = { name: '', label, start: start - this.base, length, occurrence: parent.occurrence };
    if (this.inReassembled) node.reassembled = true;
    (parent.children ??= []).push(node);
    return node;
  }

  /** Following fields go under `node` (e.g. flag bits under "Flags") until endSubtree. */
  beginSubtree(node: TreeNode | null): void {
    // A field left out (null) still opens a level, so endSubtree stays balanced.
    const parent = this.subtreeStack.length > 0 ? this.subtreeStack[this.subtreeStack.length - 1] : this.current;
    const level = node ?? parent;
    if (level) this.subtreeStack.push(level);
  }

  endSubtree(): void {
    this.subtreeStack.pop();
  }

  /** Marks the frame malformed. The first reason wins: it is the header that broke first. */
  setMalformed(reason: string): void {
    if (this.malformed === null) this.malformed = reason;
    if (this.wantTree) {
      const parent = this.current;
      const occurrence = parent?.occurrence ?? 1;
      const expert: TreeNode = {
        name: '_ws.expert',
        label: `[Expert Info (Error/Malformed): ${reason}]`,
        start: 0,
        length: 0,
        occurrence,
        children: [
          { name: '_ws.expert.message', label: `Message: ${reason}`, start: 0, length: 0, value: reason, occurrence },
          { name: '_ws.expert.severity', label: 'Severity level: Error', start: 0, length: 0, value: 'Error', occurrence },
        ],
      };
      const node: TreeNode = { name: '_ws.malformed', label: `[Malformed Packet: ${reason}]`, start: 0, length: 0, occurrence, children: [expert] };
      if (parent) (parent.children ??= []).push(node);
      else this.tree.push(node);
    }
  }

  /**
   * What follows is a mirrored copy of a frame (ERSPAN): the layers before it are the mirror's
   * transport, so the mirrored frame's own tunnel names the tenant and its own IP header the VTEPs.
   */
  startMirroredFrame(session: number): void {
    this.mirrored = true;
    this.mirrorSession = session;
    this.tenantType = TenantType.None;
    this.tenantId = 0;
    this.tenantLayer = -1;
    this.outerIpLayer = -1;
  }

  setTenant(type: TenantType, id: number, layer: number): void {
    this.tenantType = type;
    this.tenantId = id;
    this.tenantLayer = layer;
  }

  tenant(): Tenant | null {
    if (this.tenantType === TenantType.None) return null;
    return { type: TENANT_TYPE_NAMES[this.tenantType] as TenantTypeName, id: this.tenantId };
  }

  /** Wireshark's frame.protocols, without its "ethertype" entries. */
  protocolChain(): string {
    let chain = '';
    for (let i = 0; i < this.layerCount; i++) chain += (i === 0 ? '' : ':') + protocolById(this.layerProto[i]).name;
    return chain;
  }

  /** Index of the n-th (1-based) layer of a protocol, or -1. */
  findLayer(protoId: number, occurrence = 1): number {
    let seen = 0;
    for (let i = 0; i < this.layerCount; i++) if (this.layerProto[i] === protoId && ++seen === occurrence) return i;
    return -1;
  }

  /** Index of the last layer of a protocol, or -1. */
  findLastLayer(protoId: number): number {
    for (let i = this.layerCount - 1; i >= 0; i--) if (this.layerProto[i] === protoId) return i;
    return -1;
  }

  /**
   * Values of a field in the detail tree (requires wantTree). `occurrence` selects the layer as in
   * Wireshark 4.2's `ip.src#2` (1 = outermost); negative counts from the innermost (-1 = last).
   */
  fieldValues(name: string, occurrence?: number): FieldValue[] {
    const out: FieldValue[] = [];
    let wanted = occurrence;
    if (wanted !== undefined && wanted < 0) {
      const protoName = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
      const total = this.occurrences.get(protoName) ?? 0;
      wanted = total + 1 + wanted;
    }
    const visit = (nodes: TreeNode[] | undefined): void => {
      if (!nodes) return;
      for (const node of nodes) {
        if (node.name === name && (wanted === undefined || node.occurrence === wanted)) out.push(node.value ?? true);
        visit(node.children);
      }
    };
    visit(this.tree);
    return out;
  }
}
