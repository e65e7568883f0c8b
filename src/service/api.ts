// The one typed interface between the UI and the engine. Both transports (Electron IPC and the local
// HTTP server) carry exactly these calls and events, so the renderer never knows which one it uses.
// Plain data only: no Node, DOM or Electron types, because the renderer imports this file too.

export type SortColumn = 'number' | 'time' | 'capture' | 'source' | 'destination' | 'tenant' | 'vteps' | 'protocol' | 'length' | 'info';
export type SortDirection = 'asc' | 'desc';

export interface CaptureInterfaceInfo {
  name: string;
  linkType: number;
}

/** One capture of several opened as one (a host's capture: `tunnelscope info CAPTURE...` lists the same). */
export interface CaptureSetMember {
  path: string;
  /** The Capture column's text and `frame.capture`'s value: FILE@NAME's name, else the file name. */
  name: string;
  /** The host's VTEP (inferred from its tunnel frames, or given as FILE@ADDRESS), `frame.capture_host`. */
  host: string | null;
  /** Seconds subtracted from its times (its clock minus the first capture's), estimated from traffic both ways. */
  clockOffset: number;
  frames: number;
}

export interface SessionInfo {
  sessionId: string;
  /** The capture file, or a set's first file. */
  path: string;
  /** What was opened: one file, or several files and folders (FILE@NAME kept) read as one capture. */
  paths: string[];
  /** Several captures merged by corrected time: each one, in the order given; null for one file. */
  captures: CaptureSetMember[] | null;
  /** File name without directories, for the window title and header. */
  name: string;
  format: 'pcap' | 'pcapng';
  sizeBytes: number;
  /** Frames indexed so far (grows while indexing runs). */
  frames: number;
  indexing: boolean;
  /** A live capture's file: indexing follows it while the capture program writes. */
  live: boolean;
  cancelled: boolean;
  /** Cut short / corrupt file: frames before the problem are kept. */
  problem: string | null;
  interfaces: CaptureInterfaceInfo[];
  /** Epoch seconds of the first frame, null while none is indexed. */
  firstTime: number | null;
  lastTime: number | null;
  indexMs: number | null;
  /** Decode As rules in force (`udp.port==4790,vxlan`), [] for none. */
  decodeAs: string[];
}

export interface PacketRow {
  /** 1-based frame number (of the merged order when several captures are open). */
  number: number;
  /** Seconds since the first frame. */
  time: number;
  /** Several captures: the name of the one this frame is from (the Capture column). */
  capture?: string;
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
  /** Values of the requested extra columns, in order ("" when the frame lacks the field). */
  fields?: string[];
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
  /** The display filter selecting frames with this field's value (Apply as Filter), if it has one. */
  filter?: string;
  /** start/length are in FrameDetail.reassembledHex (the reassembled datagram), not the frame's bytes. */
  reassembled?: boolean;
  children?: DetailNode[];
}

export interface FrameDetail {
  number: number;
  tree: DetailNode[];
  /** Captured bytes as lowercase hex. */
  bytesHex: string;
  /**
   * When this frame completed an IP datagram: the bytes its dissection went on in (the frame's bytes up to
   * the IP payload, then the whole reassembled payload), the hex pane's "Reassembled" tab. Else null.
   */
  reassembledHex: string | null;
  summary: string;
}

/** One tenant as the tenants analysis (src/overlay, `tunnelscope tenants`) counts it. */
export interface TenantSummary {
  /** "vxlan:101": the packet list's Tenant column and the `tenant ==` filter value. */
  tenant: string;
  /** "vxlan 101", "nvgre 0x001234", "gre key 1": the CLI's name. */
  name: string;
  /** Outer frames (as on the wire). */
  frames: number;
  bytes: number;
  /** Bytes of the encapsulated frames. */
  innerBytes: number;
  firstFrame: number;
  lastFrame: number;
  /** Seconds since the first frame of the capture. */
  firstTime: number;
  lastTime: number;
  vteps: string[];
  groups: string[];
  /** Frames flooded (broadcast, multicast, unknown unicast) and their share 0..1. */
  floodFrames: number;
  floodShare: number;
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
  /** Frames per bucket of every tenant, busiest first. */
  series: { tenant: string; frames: number[] }[];
}

export interface TenantsReport {
  /** Frames analysed. */
  frames: number;
  tenants: TenantSummary[];
  /** Frames outside any overlay: the underlay itself. */
  underlay: { frames: number; bytes: number };
  // Conversations and endpoints are not here: the `statistics` call pages through every one.
  findings: Finding[];
  traffic: TrafficSeries;
  /** Still capturing: the figures grow. */
  live: boolean;
  /** Where the numbers come from (which analysis module), for the status line. */
  source: string;
}

export type VtepEventKind = 'learn' | 'move' | 'local' | 'migrate' | 'age' | 'flood' | 'join' | 'leave';

export interface VtepEvent {
  frame: number;
  time: number;
  vtep: string;
  kind: VtepEventKind;
  tenant: string;
  mac: string | null;
  /** The remote VTEP learned (or the group flooded to / joined). */
  remote: string | null;
  text: string;
}

export interface FdbEntry {
  vtep: string;
  tenant: string;
  mac: string;
  /** The VTEP the MAC is behind; the FDB's own VTEP for a local MAC. */
  remoteVtep: string;
  local: boolean;
  learnedFrame: number;
}

/** A multicast group the VTEPs flood to, with its members at the end of the capture. */
export interface GroupRow {
  group: string;
  members: string[];
  /** Whether an IGMP/MLD report named it (else its members are assumed: the tenant's VTEPs). */
  reported: boolean;
  tenants: string[];
}

/** The VTEP view's tables, each paged, sorted and searched in the analysis worker. */
export type VtepTableName = 'fdb' | 'pairs' | 'groups';

export interface VtepTableQuery {
  sessionId: string;
  table: VtepTableName;
  /** The FDB after this frame (1-based); the other tables cover the whole capture. */
  frame: number;
  /** Rows with this text in any column (case-insensitive); "" for every row. */
  search: string;
  /** A column of the table's rows; "" for the table's own order (VTEP, tenant, MAC for the FDB). */
  sortColumn: string;
  sortDirection: SortDirection;
  start: number;
  count: number;
}

export interface VtepTablePage {
  table: VtepTableName;
  frame: number;
  /** Rows matching the search. */
  total: number;
  rows: FdbEntry[] | VtepPair[] | GroupRow[];
}

/** Outer (underlay) traffic from one VTEP to another VTEP or a multicast group. */
export interface VtepPair {
  from: string;
  to: string;
  toGroup: boolean;
  frames: number;
  bytes: number;
  tenants: string[];
}

export interface VtepTimeline {
  /** Frames analysed (the timeline's x axis). */
  frames: number;
  vteps: string[];
  /** Learn, move, flood and group events in the capture: `vtepEvents` returns a time window of them. */
  eventCount: number;
  /** Tenants and MACs that have events, for the timeline's filters. */
  tenants: string[];
  /** Multicast groups used (the `groups` table of `vtepTable` lists them with their members). */
  groupCount: number;
  /** VTEP-to-VTEP pairs with traffic (the `pairs` table of `vtepTable`: who sends how much to whom). */
  pairCount: number;
  /** Assumptions the analysis made (groups without membership reports...), the first few of each kind. */
  notes: string[];
  firstTime: number;
  lastTime: number;
  live: boolean;
}

export interface VtepEventQuery {
  sessionId: string;
  /** Seconds since the first frame, both ends included. */
  from: number;
  to: number;
  /** Columns of the drawing: above `bins` events per lane the answer is a density, not single events. */
  bins: number;
  /** "" for any; tenant and VTEP exact, MAC a case-insensitive part of the inner MAC. */
  tenant: string;
  mac: string;
  vtep: string;
  /**
   * The lanes drawn (indexes into VtepTimeline.vteps): single events and densities are of these lanes
   * only (thousands of VTEPs are scrolled through, not sent at once). Absent: every lane.
   */
  laneStart?: number;
  laneCount?: number;
  /** Every lane summed into one density row (vtep ""): the whole-capture overview. */
  merged?: boolean;
}

export interface VtepEventWindow {
  from: number;
  to: number;
  /** Events in the window that pass the filters (of every lane). */
  total: number;
  /** Of those, the events of the lanes asked for. */
  laneTotal: number;
  /** The single events when they fit the drawing, else null. */
  events: VtepEvent[] | null;
  /** Else events per column per lane (learn+move, flood, join+leave summed), `bins` columns. */
  density: { vtep: string; counts: number[] }[] | null;
}

// ---- statistics (Wireshark's Conversations and Endpoints) ---------------------------------------

/** Inner Ethernet, IPv4, IPv6, TCP, UDP: the conversation layers, IP split by version as Wireshark does. */
export type StatisticsKind = 'eth' | 'ipv4' | 'ipv6' | 'tcp' | 'udp';
export type StatisticsTable = 'conversations' | 'endpoints';

export interface ConversationRow {
  tenant: string;
  /** Address, or address:port for TCP/UDP; A sent the conversation's first frame. */
  a: string;
  b: string;
  packets: number;
  bytes: number;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  /** Seconds from the capture's first frame to the conversation's first frame. */
  relStart: number;
  duration: number;
  /** Bits per second each way over the conversation's duration; null when it lasts no time. */
  bitsPerSecondAtoB: number | null;
  bitsPerSecondBtoA: number | null;
  firstFrame: number;
  /** Display filter selecting this conversation's frames. */
  filter: string;
}

export interface EndpointRow {
  tenant: string;
  address: string;
  /** TCP/UDP port, "" for the other kinds. */
  port: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
  firstFrame: number;
  filter: string;
}

export interface StatisticsQuery {
  sessionId: string;
  table: StatisticsTable;
  kind: StatisticsKind;
  /** "vxlan:101", "" for every tenant. */
  tenant: string;
  /** Rows whose tenant or addresses contain this text (case-insensitive). */
  search: string;
  /** A ConversationRow or EndpointRow key. */
  sortColumn: string;
  sortDirection: SortDirection;
  start: number;
  count: number;
  /** Limit to display filter: the rows of the frames this filter matches ("" or absent: every frame). */
  displayFilter?: string;
}

/** The page a Conversations table asks for first (every tenant's IPv4 conversations, busiest first): built ahead by the analysis. */
export const FIRST_STATISTICS_PAGE = { table: 'conversations', kind: 'ipv4', tenant: '', search: '', sortColumn: 'packets', sortDirection: 'desc' } as const satisfies Partial<StatisticsQuery>;

export interface StatisticsPage {
  /** Rows matching the tenant and search. */
  total: number;
  rows: ConversationRow[] | EndpointRow[];
  /** Rows of each kind for the chosen tenant, before the search (the tabs' counts). */
  kindCounts: Record<StatisticsKind, number>;
  /** Tenants that have rows, for the tenant choice. */
  tenants: string[];
}

/** One line of Wireshark's Expert Info: a kind of problem or note, how often, where first. */
export interface ExpertItem {
  severity: 'error' | 'warning' | 'note';
  /** Malformed, Fragmentation, MAC move, Unknown unicast, Overlay (the tenants analysis' findings). */
  group: string;
  summary: string;
  tenant: string;
  count: number;
  firstFrame: number | null;
  /** Display filter for every frame of the item, null when none selects them. */
  filter: string | null;
}

/** One protocol of the hierarchy (tshark -z io,phs), depth-first. */
export interface HierarchyRow {
  protocol: string;
  /** The protocol's long name ("Internet Protocol Version 4"). */
  name: string;
  depth: number;
  frames: number;
  bytes: number;
  /** Share of all frames and bytes, 0..1. */
  frameShare: number;
  byteShare: number;
}

export interface CaptureStatistics {
  frames: number;
  bytes: number;
  hierarchy: HierarchyRow[];
  expert: ExpertItem[];
}

/** Follow Stream: the payloads of one inner TCP or UDP conversation within its tenant. */
export interface FollowedStream {
  protocol: 'tcp' | 'udp';
  tenant: string;
  /** "10.0.0.1:1234": A sent the followed frame. */
  a: string;
  b: string;
  /** Display filter for the stream's frames. */
  filter: string;
  /** Payloads in capture order (TCP: each sequence range once). */
  segments: { frame: number; fromA: boolean; bytesHex: string }[];
  /** The stream is longer than the app shows (16 MiB). */
  truncated: boolean;
}

/** Save Displayed As: which frames go to the new capture, the same selection as `tunnelscope export`. */
export interface SaveFramesRequest {
  sessionId: string;
  path: string;
  format: 'pcap' | 'pcapng';
  /** Display filter ("" keeps every frame). */
  filter: string;
  /** "vxlan:101", "" for any. */
  tenant: string;
  /** Write the inner frames only. */
  decap: boolean;
}

export interface SaveFramesResult {
  path: string;
  written: number;
  matched: number;
  /** Matched frames not written, by reason ("not encapsulated"). */
  skipped: Record<string, number>;
}

// ---- live capture ------------------------------------------------------------------------------

export interface LiveInterface {
  name: string;
  /** "up", "down", "unknown". */
  state: string;
  mac: string;
  linkType: string;
  /** "192.0.2.1/24", "fe80::1/64". */
  addresses: string[];
}

export interface CaptureSetup {
  /** dumpcap or tcpdump, null when neither is installed. */
  program: { name: string; path: string } | null;
  /** Why there is no program (what to install). */
  programProblem: string | null;
  permitted: boolean;
  /** Why capture is (or is not) permitted. */
  permissionReason: string;
  /** What to do when it is not permitted (group membership, setcap). */
  advice: string | null;
  interfaces: LiveInterface[];
}

export interface CaptureRequest {
  iface: string;
  /** Capture filter (BPF), "" for none. */
  filter: string;
  /** Bytes kept of each packet, 0 for all. */
  snaplen: number;
  /** Stop conditions, null = none (whichever comes first). */
  durationSeconds: number | null;
  packetCount: number | null;
  fileKilobytes: number | null;
}

export interface LiveStatus {
  sessionId: string;
  running: boolean;
  iface: string;
  filter: string;
  program: string;
  packets: number;
  elapsedSeconds: number;
  fileBytes: number;
  outputPath: string;
  /** Once stopped: stopped (by the user), completed (a stop condition), failed. */
  stopReason: 'stopped' | 'completed' | 'failed' | null;
  /** The capture program's failure, or a cut-short file. */
  problem: string | null;
  request: CaptureRequest;
}

export interface ReplayFrame {
  frame: number;
  time: number;
  /**
   * Flow tables: ingress entered the bridge and was traced; egress left it (checked against a prediction).
   * Flood-and-learn: receive (the VTEP learned from it) or send (its flood or unicast is explained).
   */
  role: 'ingress' | 'egress' | 'receive' | 'send' | 'other';
  interface: string;
  direction: 'in' | 'out' | null;
  verdict: 'agree' | 'disagree' | 'unseen' | 'none';
  /** One line: port, decision, outputs or the egress check. */
  summary: string;
  microflow: string | null;
  /** Tables visited; with several bridges each step names its bridge. */
  path: { bridge?: string; table: number; priority: number | null; match: string | null; actions: string | null }[];
  outputs: string[];
  learned: string[];
  /** The whole record as the CLI prints it (ofproto/trace-like). */
  text: string;
}

export interface ReplayReport {
  /** flows: OpenFlow tables on a bridge; vtep: a flood-and-learn VTEP (RFC 7348). */
  mode: 'flows' | 'vtep';
  /** The bridge's name, or "VTEP <address>". */
  bridge: string;
  /** Rows of the replay (one per frame); fetch them with switchReplayFrames. */
  frameCount: number;
  /** Frames the switch decided something for (ingress, or VTEP receive/send). */
  traced: number;
  learned: { frame: number; flow: string }[];
  /** Hit counters of every rule (with several bridges, each names its bridge). */
  hits: { bridge?: string; table: number; priority: number; match: string; actions: string; hits: number }[];
  disagreements: number;
  source: string;
}

export interface ReplayPage {
  total: number;
  start: number;
  frames: ReplayFrame[];
}

// ---- several hosts' captures: underlay paths ------------------------------------------------------

export interface PathLatency {
  /** Seconds, one way, after clock correction. */
  min: number;
  median: number;
  p99: number;
  max: number;
}

export interface PathCountsView {
  sent: number;
  received: number;
  lost: number;
  latency: PathLatency | null;
  reordered: number;
}

/** What one VTEP sent another, as the two hosts' captures show it (`tunnelscope paths`). */
export interface PathPairView extends PathCountsView {
  from: string;
  to: string;
  /** Sent and never received: the sender's capture and frame number (1-based) in it. */
  lostFrames: { capture: string; frame: number; merged: number; tenant: string | null }[];
  tenants: (PathCountsView & { tenant: string })[];
}

export interface PathsView {
  captures: { file: string; name: string; vtep: string | null; clockOffset: number; clockOffsetEstimated: boolean; frames: number }[];
  pairs: PathPairView[];
  transmissions: number;
  correlated: number;
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

/**
 * Where the heavy views' computation is: reading the capture (the overlay analysis' one pass), then
 * building each view; 'ready' when all are kept, 'cancelled' when the user stopped it.
 */
export type AnalysisPhase = 'reading' | 'filtering' | 'tenants' | 'conversations' | 'vteps' | 'statistics' | 'ready' | 'cancelled' | 'failed';

/** What the analysis of a capture has computed: passes over the file and builds of each view. */
export interface AnalysisStatus {
  passes: number;
  builds: { tenants: number; vteps: number; statistics: number; captureStatistics: number };
  /** Passes over the frames a display filter matches, one per filter the statistics were limited to. */
  filteredPasses: number;
  frames: number;
  finished: boolean;
}

export interface AnalysisProgress {
  sessionId: string;
  phase: AnalysisPhase;
  /** Frames analysed so far and the share of the file read (0..1). */
  frames: number;
  fraction: number;
  /** Analysis workers started for this capture (a cancelled one is started again when a view asks). */
  runs: number;
  message: string | null;
}

/** Every call: params in, result out (a Promise on the client side). */
export interface ServiceCalls {
  /** Opens a capture file, or a folder of several hosts' captures (read as one, like `openCaptures`). */
  openCapture(p: { path: string }): SessionInfo;
  /**
   * Opens several captures (files, folders, FILE@NAME) as one, with the CLI's CaptureSet code: frames
   * merged by corrected time, each transmission counted once by the Tenants and VTEP views and reports.
   */
  openCaptures(p: { paths: string[] }): SessionInfo;
  cancelOpen(p: { sessionId: string }): SessionInfo;
  closeCapture(p: { sessionId: string }): { closed: boolean };
  sessionInfo(p: { sessionId: string }): SessionInfo;
  /** Captures already open (a window that subscribed to events after `sessionOpened` was sent asks this). */
  openSessions(p: Record<string, never>): { sessions: SessionInfo[] };
  /** Applies a display filter and sort. A non-empty filter runs in a worker: watch `viewReady`. */
  setView(p: { sessionId: string; filter: string; sortColumn: SortColumn; sortDirection: SortDirection }): ViewState;
  cancelView(p: { sessionId: string }): ViewState;
  /** `fields`: extra columns (any filter field name); their values come back in each row's `fields`. */
  getRows(p: { sessionId: string; viewVersion: number; start: number; count: number; fields?: string[] }): { viewVersion: number; total: number; rows: PacketRow[] };
  /** Position of a frame in the current view (-1 when the filter hides it). */
  rowOfFrame(p: { sessionId: string; frame: number }): { row: number };
  validateFilter(p: { text: string }): { ok: boolean; problem: FilterProblem | null };
  completeField(p: { prefix: string; limit: number }): { names: string[] };
  frameDetail(p: { sessionId: string; frame: number }): FrameDetail;
  /** `displayFilter`: over the frames it matches only (the I/O graph's "Limit to display filter"). */
  tenants(p: { sessionId: string; displayFilter?: string }): TenantsReport;
  vtepTimeline(p: { sessionId: string }): VtepTimeline;
  /** Protocol Hierarchy and Expert Info of the whole capture (one pass in the analysis worker, kept). */
  captureStatistics(p: { sessionId: string; displayFilter?: string }): CaptureStatistics;
  /** One page of Conversations or Endpoints over every frame of the capture, sorted and searched in the analysis worker. */
  statistics(p: StatisticsQuery): StatisticsPage;
  /** Learning events of a time window, single or as a density (the VTEP timeline's drawing). */
  vtepEvents(p: VtepEventQuery): VtepEventWindow;
  /** Why the frame went where it went: the sending VTEP's FDB entry for its inner destination, or why it flooded. */
  forwarding(p: { sessionId: string; frame: number }): { frame: number; lines: string[] };
  /**
   * Decode As (tshark's -d, the CLI's --decode-as): `udp.port==4790,vxlan` per rule; the capture is
   * indexed and dissected again with them (packet list, details, filters, heavy views). [] undoes them.
   */
  decodeAs(p: { sessionId: string; rules: string[] }): SessionInfo;
  /** Where the heavy views' computation is (null before it started or after a cancel). */
  analysisProgress(p: { sessionId: string }): { progress: AnalysisProgress | null; status: AnalysisStatus | null };
  /** Stops the heavy views' computation; the next view that asks starts it again. */
  cancelAnalysis(p: { sessionId: string }): AnalysisProgress;
  /** A page of the VTEP view's tables: the forwarding database of every VTEP right after `frame`, the VTEP pairs, the groups. */
  vtepTable(p: VtepTableQuery): VtepTablePage;
  /** Replays the whole capture; empty fields the mode does not need are ignored. */
  switchReplay(p: { sessionId: string; mode: 'flows' | 'vtep'; flowsPath: string; bridgePath: string; localVtep: string }): ReplayReport;
  /** Rows of the last replay: all, or only the disagreements. */
  switchReplayFrames(p: { sessionId: string; start: number; count: number; onlyDisagreements: boolean }): ReplayPage;
  /** The last replay's row for one frame (null before a replay). */
  switchReplayFrame(p: { sessionId: string; frame: number }): { row: ReplayFrame | null };
  listDirectory(p: { path: string }): Listing;
  /** Correlates several hosts' captures (files or folders): per VTEP pair sent, received, lost, latency. */
  capturePaths(p: { paths: string[] }): PathsView;
  recentFiles(p: Record<string, never>): { files: string[]; samples: string[] };
  /** Follow Stream on the frame's innermost TCP or UDP conversation, within its tenant. */
  followStream(p: { sessionId: string; frame: number }): FollowedStream;
  /** Save Displayed As: writes the selected frames (a worker runs `tunnelscope export`'s code). */
  saveFrames(p: SaveFramesRequest): SaveFramesResult;
  /** Export Tenant Report: HTML, CSV or JSON by the path's extension (`tunnelscope report`'s code, in a worker). */
  exportReport(p: { sessionId: string; path: string; filter: string; conversations: boolean }): { path: string; format: 'html' | 'csv' | 'json' };
  saveAs(p: { sessionId: string; path: string; format: 'pcap' | 'pcapng'; displayedOnly: boolean }): { path: string; frames: number };
  /** Interfaces, the capture program and whether this user may capture. */
  captureSetup(p: Record<string, never>): CaptureSetup;
  /** Starts a live capture and opens its growing file as a session. */
  startCapture(p: CaptureRequest): { info: SessionInfo; live: LiveStatus };
  stopCapture(p: { sessionId: string }): LiveStatus;
  /** Stops (if running) and starts the same capture again into a new file: a new session. */
  restartCapture(p: { sessionId: string }): { info: SessionInfo; live: LiveStatus };
  /** Copies the live capture's file (as written so far) to `path`. */
  saveCapture(p: { sessionId: string; path: string }): { files: string[] };
  liveStatus(p: { sessionId: string }): { live: LiveStatus | null };
}

export type MethodName = keyof ServiceCalls;
export type ParamsOf<M extends MethodName> = Parameters<ServiceCalls[M]>[0];
export type ResultOf<M extends MethodName> = ReturnType<ServiceCalls[M]>;

export interface ServiceEvents {
  indexProgress: { sessionId: string; frames: number; bytesRead: number; totalBytes: number; done: boolean; info: SessionInfo; view: ViewState };
  viewProgress: { sessionId: string; viewVersion: number; scanned: number; total: number; matched: number };
  viewReady: { sessionId: string; view: ViewState; elapsedMs: number; error: string | null };
  /** The heavy views' computation (AnalysisProgress): reading progress, each view built, ready or cancelled. */
  analysisProgress: AnalysisProgress;
  /** A capture opened from outside the renderer (menu, drag and drop, command line). */
  sessionOpened: { info: SessionInfo };
  /** Menu commands the renderer handles (Electron menus; keyboard shortcuts do the same in the browser). */
  /** A live capture's progress (about once a second) and its end. */
  liveStatus: { live: LiveStatus };
  menuCommand: { command: 'open' | 'capture' | 'goto' | 'find' | 'view-packets' | 'view-tenants' | 'view-vteps' | 'view-switch' | 'view-statistics' | 'save-as' | 'report' };
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
  /** For user errors that belong to one input: e.g. 'bad-filter', 'no-interface', 'permission' (live capture). */
  code?: string;
}

export const API_CHANNEL_CALL = 'tunnelscope:call';
export const API_CHANNEL_EVENT = 'tunnelscope:event';
