// Messages between the service and its scan worker (worker_threads structured clone, typed arrays transferred).
import type { CaptureInterfaceInfo } from './api';
import type { AnalysisResult } from './overlay-analysis';

export type ScanRequest =
  | { task: 'index'; path: string }
  | { task: 'filter'; path: string; filter: string; limit: number }
  | { task: 'analyse'; path: string };

/** Index columns of frames [from, to), in FrameIndex's layout. */
export interface IndexBatch {
  from: number;
  to: number;
  fileOffset: Float64Array;
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  capLen: Uint32Array;
  origLen: Uint32Array;
  iface: Uint16Array;
  flags: Uint8Array;
  tenantType: Uint8Array;
  tenantId: Uint32Array;
  topProto: Uint16Array;
  outerSrc: Uint32Array;
  outerDst: Uint32Array;
  interfaces: CaptureInterfaceInfo[];
}

export type ScanMessage =
  | { kind: 'index-batch'; batch: IndexBatch }
  | { kind: 'index-done'; frames: number; problem: string | null; format: 'pcap' | 'pcapng' }
  | { kind: 'filter-progress'; scanned: number; matched: number }
  | { kind: 'filter-done'; matches: Uint32Array }
  | { kind: 'analyse-progress'; scanned: number }
  | { kind: 'analyse-done'; result: AnalysisResult }
  | { kind: 'error'; message: string };
