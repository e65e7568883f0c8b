// The one typed interface between the UI and the engine. Both transports (Electron IPC and the local
// HTTP server) carry exactly these calls and events, so the renderer never knows which one it uses.
// Plain data only: no Node, DOM or Electron types, because the renderer imports this file too.

export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'tenant' | 'vteps' | 'protocol' | 'length' | 'info';
export type SortDirection = 'asc' | 'desc';

export interface CaptureInterfaceInfo {
  name: string;
  linkType: number;
}

export interface SessionInfo {
  sessionId: string;
  path: string;
  /** File name without directories, for the window title and header. */
  name: string;
  format: 'pcap' | 'pcapng';
  sizeBytes: number;
  /** Frames indexed so far (grows while indexing runs). */
  frames: number;
  indexing: boolean;
  cancelled: boolean;
  /** Cut short / corrupt file: frames before the problem are kept. */
  problem: string | null;
  interfaces: CaptureInterfaceInfo[];
  /** Epoch seconds of the first frame, null while none is indexed. */
  firstTime: number | null;
  lastTime: number | null;
  indexMs: number | null;
}

export interface PacketRow {
  /** 1-based frame number. */
  number: number;
  /** Seconds since the first frame. */
  time: number;
  source: string;
  destination: string;
  /** "vxlan:101", "" when the frame carries no tenant. */
  tenant: string;
  /** Outer (underlay) source → destination of an encapsulated frame. */
  vteps: string;
  protocol: string;
  length: number;
  info: string;
  malformed: string | null;
  /** Colouring key: the innermost protocol's filter name ("arp", "tcp", "igmp"...). */
  colour: string;
}

export interface FilterProblem {
  message: string;
  /** 0-based column and length of the offending text in the filter. */
  position: number;
  length: number;
}

export interface ViewState {
  viewVersion: number;
  /** Rows in the view; while `pending` the count of the previous view. */
  count: number;
  pending: boolean;
  filter: string;
  sortColumn: SortColumn;
  sortDirection: SortDirection;
}

export interface DetailNode {
  name: string;
  label: string;
  start: number;
  length: number;
  children?: DetailNode[];
}

export interface FrameDetail {
  number: number;
  tree: DetailNode[];
  /** Captured bytes as lowercase hex. */
  bytesHex: string;
  summary: string;
}

export interface TenantSummary {
  tenant: string;
  frames: number;
  bytes: number;
  firstTime: number;
  lastTime: number;
  vteps: string[];
}

export interface Conversation {
  kind: 'eth' | 'ip' | 'tcp' | 'udp';
  tenant: string;
  a: string;
  b: string;
  frames: number;
  bytes: number;
  firstFrame: number;
  /** Display filter selecting this conversation's frames. */
  filter: string;
}

export interface Finding {
  severity: 'info' | 'warning' | 'error';
  frame: number | null;
  tenant: string;
  message: string;
  filter: string | null;
}

export interface TrafficSeries {
  /** Bucket start times, seconds since the first frame. */
  times: number[];
  bucketSeconds: number;
  /** Frames per bucket per tenant (top tenants only, the rest summed as "other"). */
  series: { tenant: string; frames: number[] }[];
}

export interface TenantsReport {
  tenants: TenantSummary[];
  conversations: Conversation[];
  findings: Finding[];
  traffic: TrafficSeries;
  /** Where the numbers come from (which analysis module), for the status line. */
  source: string;
}

export type VtepEventKind = 'learn' | 'move' | 'flood' | 'join';

export interface VtepEvent {
  frame: number;
  time: number;
  vtep: string;
  kind: VtepEventKind;
  tenant: string;
  mac: string | null;
  /** The remote VTEP learned (or the group flooded to). */
  remote: string | null;
  text: string;
}

export interface FdbEntry {
  vtep: string;
  tenant: string;
  mac: string;
  remoteVtep: string;
  learnedFrame: number;
}

export interface VtepTimeline {
  vteps: string[];
  events: VtepEvent[];
  groups: { group: string; members: string[] }[];
  firstTime: number;
  lastTime: number;
  /** More events existed than are returned (big captures): the first ones are kept. */
  truncated: boolean;
}

export interface ReplayFrame {
  frame: number;
  time: number;
  /** ingress: entered the bridge and was traced; egress: left it (checked against a prediction). */
  role: 'ingress' | 'egress' | 'other';
  interface: string;
  direction: 'in' | 'out' | null;
  verdict: 'agree' | 'disagree' | 'unseen' | 'none';
  /** One line: port, decision, outputs or the egress check. */
  summary: string;
  microflow: string | null;
  path: { table: number; priority: number | null; match: string | null; actions: string | null }[];
  outputs: string[];
  learned: string[];
  /** The whole record as the CLI prints it (ofproto/trace-like). */
  text: string;
}

export interface ReplayReport {
  bridge: string;
  frames: ReplayFrame[];
  learned: { frame: number; flow: string }[];
  hits: { table: number; priority: number; match: string; actions: string; hits: number }[];
  disagreements: number;
  source: string;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'capture' | 'other';
  sizeBytes: number;
}

export interface Listing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

/** Every call: params in, result out (a Promise on the client side). */
export interface ServiceCalls {
  openCapture(p: { path: string }): SessionInfo;
  cancelOpen(p: { sessionId: string }): SessionInfo;
  closeCapture(p: { sessionId: string }): { closed: boolean };
  sessionInfo(p: { sessionId: string }): SessionInfo;
  /** Applies a display filter and sort. A non-empty filter runs in a worker: watch `viewReady`. */
  setView(p: { sessionId: string; filter: string; sortColumn: SortColumn; sortDirection: SortDirection }): ViewState;
  cancelView(p: { sessionId: string }): ViewState;
  getRows(p: { sessionId: string; viewVersion: number; start: number; count: number }): { viewVersion: number; total: number; rows: PacketRow[] };
  /** Position of a frame in the current view (-1 when the filter hides it). */
  rowOfFrame(p: { sessionId: string; frame: number }): { row: number };
  validateFilter(p: { text: string }): { ok: boolean; problem: FilterProblem | null };
  completeField(p: { prefix: string; limit: number }): { names: string[] };
  frameDetail(p: { sessionId: string; frame: number }): FrameDetail;
  tenants(p: { sessionId: string }): TenantsReport;
  vtepTimeline(p: { sessionId: string }): VtepTimeline;
  /** Forwarding database of every VTEP as it was right after `frame`. */
  fdbAt(p: { sessionId: string; frame: number }): { frame: number; entries: FdbEntry[] };
  switchReplay(p: { sessionId: string; flowsPath: string; bridgePath: string }): ReplayReport;
  listDirectory(p: { path: string }): Listing;
  recentFiles(p: Record<string, never>): { files: string[]; samples: string[] };
  saveAs(p: { sessionId: string; path: string; format: 'pcap' | 'pcapng'; displayedOnly: boolean }): { path: string; frames: number };
}

export type MethodName = keyof ServiceCalls;
export type ParamsOf<M extends MethodName> = Parameters<ServiceCalls[M]>[0];
export type ResultOf<M extends MethodName> = ReturnType<ServiceCalls[M]>;

export interface ServiceEvents {
  indexProgress: { sessionId: string; frames: number; bytesRead: number; totalBytes: number; done: boolean; info: SessionInfo; view: ViewState };
  viewProgress: { sessionId: string; viewVersion: number; scanned: number; total: number; matched: number };
  viewReady: { sessionId: string; view: ViewState; elapsedMs: number; error: string | null };
  /** A capture opened from outside the renderer (menu, drag and drop, command line). */
  sessionOpened: { info: SessionInfo };
  /** Menu commands the renderer handles (Electron menus; keyboard shortcuts do the same in the browser). */
  menuCommand: { command: 'open' | 'goto' | 'find' | 'view-packets' | 'view-tenants' | 'view-vteps' | 'view-switch' | 'save-as' | 'report' };
}

export type EventName = keyof ServiceEvents;
export interface ServiceEvent<E extends EventName = EventName> {
  event: E;
  data: ServiceEvents[E];
}

/** Error carried back to the caller as one line; `kind` tells user mistakes from bugs. */
export interface CallError {
  message: string;
  kind: 'invalid' | 'user' | 'internal';
}

export const API_CHANNEL_CALL = 'tunnelscope:call';
export const API_CHANNEL_EVENT = 'tunnelscope:event';
