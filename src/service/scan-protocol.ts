// Messages between the service and its scan workers (worker_threads structured clone, typed arrays transferred).
import type { CaptureInterface } from '../capture/format-parser';
import type { IndexColumns } from '../capture/frame-index';
import type { FollowedStream, TcpConversationKey } from '../dissect/tcp-follow';
import type { MergedSet, SetLayout } from './capture-source';
import type { AnalysisPhase, AnalysisStatus, CaptureStatistics, VtepEventQuery, VtepEventWindow, CaptureInterfaceInfo, VtepTablePage, VtepTableQuery, StatisticsPage, StatisticsQuery, TenantsReport, VtepTimeline } from './api';

// `paths`: the session's capture, one file or several hosts' captures read as one (capture-source.ts).
export type ScanRequest =
  /** follow: the file is a live capture's, still growing; index it until told `finish`. */
  | { task: 'index'; paths: string[]; follow: boolean; decodeAs: string[] }
  /** `merged`: a set the session holds merged already (the pass reads it as it is). */
  | { task: 'filter'; paths: string[]; filter: string; limit: number; decodeAs: string[]; merged: MergedSet | null }
  /**
   * A long-lived worker holding the tenants/VTEP analysis of the file; answers AnalysisQuery messages.
   * `eager`: a complete file's views are all built at once (posting progress), then kept.
   * `indexStop`: the same pass indexes the file too (posting index-batch and index-done as the index
   * task does); an Int32Array's shared buffer whose first value the service sets to stop the analysis.
   */
  | { task: 'analyse'; paths: string[]; eager: boolean; decodeAs: string[]; indexStop: SharedArrayBuffer | null }
  /** Writes a file from the capture with the CLI's code: `tunnelscope export` or `tunnelscope report`. */
  | { task: 'write'; paths: string[]; job: WriteJob }
  /** Follow Stream: the engine's TCP (reassembled) or UDP follow of one conversation within its tenant. */
  | { task: 'follow'; path: string; job: FollowJob };

export interface FollowJob {
  protocol: 'tcp' | 'udp';
  key: TcpConversationKey;
}

export type WriteJob =
  | { kind: 'frames'; out: string; format: 'pcap' | 'pcapng'; filter: string; tenant: string; decap: boolean }
  | { kind: 'report'; out: string; filter: string; conversations: boolean };

/* decodeAs: the session's Decode As rules (tshark's -d syntax, `udp.port==4790,vxlan`), as the CLI's -d. */

/** Sent to a following index worker: the capture program has exited, read the rest and finish. */
export interface FinishFollowing {
  kind: 'finish';
}

/**
 * Sent to the analysis worker. `final` false while the file still grows: the analysis first takes in
 * the frames written since the last query (CaptureAnalysis.update), then answers.
 */
export type AnalysisQuery = { id: number; final: boolean } & (
  | { op: 'tenants'; displayFilter: string }
  | { op: 'vteps' }
  | { op: 'vtepTable'; query: Omit<VtepTableQuery, 'sessionId'> }
  | { op: 'statistics'; query: Omit<StatisticsQuery, 'sessionId'> }
  | { op: 'captureStatistics'; displayFilter: string }
  | { op: 'vtepEvents'; query: Omit<VtepEventQuery, 'sessionId'> }
  | { op: 'forwarding'; frame: number }
  | { op: 'status' }
);

export type AnalysisAnswer = TenantsReport | VtepTimeline | VtepTablePage | StatisticsPage | CaptureStatistics | VtepEventWindow | { frame: number; lines: string[] } | AnalysisStatus;

/** Index columns of frames [from, to) (FrameIndex.slice). */
export interface IndexBatch {
  from: number;
  to: number;
  columns: IndexColumns;
  interfaces: CaptureInterfaceInfo[];
  /** IP datagrams reassembled since the last batch: their fragment frames (0-based), the completing one last. */
  reassembled: number[][];
  /** The same interfaces with everything a copy of their frames needs (snap length, time resolution and offset). */
  captureInterfaces: CaptureInterface[];
}

export type ScanMessage =
  /** Several captures: their names, hosts, clock offsets and merged order, before the first batch. */
  | { kind: 'set-layout'; layout: SetLayout }
  | { kind: 'index-batch'; batch: IndexBatch }
  | { kind: 'index-done'; frames: number; problem: string | null; format: 'pcap' | 'pcapng' }
  | { kind: 'filter-progress'; scanned: number; matched: number }
  | { kind: 'filter-done'; matches: Uint32Array }
  | { kind: 'analyse-progress'; phase: AnalysisPhase; frames: number; fraction: number }
  | { kind: 'analyse-answer'; id: number; answer: AnalysisAnswer | null; error: string | null }
  | { kind: 'follow-done'; stream: FollowedStream | null }
  | { kind: 'write-done'; written: number; matched: number; skipped: Record<string, number> }
  | { kind: 'error'; message: string };
