// `tunnelscope records`: the analysis as tables for engines beyond one machine (DuckDB, Spark, Trino):
// frames (one row per frame of every capture), conversations, learning events and paths, written
// as Parquet by parquet-tables.ts. Frames stream into DuckDB during the one pass over the captures;
// the other tables come from the analysis at the end. See the README for the schema.
import * as path from 'node:path';
import { OverlayAnalyzer } from './analyzer';
import { expectedFlowCount } from './pipeline/start';
import { CaptureFile } from '../capture/capture-file';
import { CaptureSet } from '../capture/capture-set';
import type { FrameSource } from '../capture/frame-source';
import { ipv4Text, ipv6Text, macText } from '../dissect/bytes';
import { DecodeAsOverrides, Dissection } from '../dissect/dissection';
import { TENANT_TYPE_NAMES } from '../dissect/tenant-id';
import { protocolById } from '../dissect/fields';
import { CaptureIndexer } from '../dissect/indexer';
import { outerIpv4 } from '../dissect/engine';
import { PROTO } from '../dissect/protocol-ids';
import { buildTenantsReport } from './tenants-report/build';
import { learningEvent } from './vtep-report/build';
import { captureSetInfo } from './captures';
import { pathsAfterAnalysis } from './paths-analysis';
import { PathCounts } from './paths';
import { ParquetTables, TableSchema } from './parquet-tables';

export const RECORD_TABLES: readonly TableSchema[] = [
  {
    name: 'frames',
    columns: [
      ['capture', 'VARCHAR'], ['frame', 'UINTEGER'], ['ts', 'DOUBLE'], ['caplen', 'UINTEGER'], ['len', 'UINTEGER'],
      ['tenant_type', 'VARCHAR'], ['tenant_id', 'UINTEGER'], ['outer_src', 'VARCHAR'], ['outer_dst', 'VARCHAR'],
      ['inner_src_mac', 'VARCHAR'], ['inner_dst_mac', 'VARCHAR'], ['inner_src', 'VARCHAR'], ['inner_dst', 'VARCHAR'],
      ['protocol', 'VARCHAR'], ['flood', 'BOOLEAN'], ['malformed', 'VARCHAR'], ['transmission', 'UINTEGER'],
      ['first_sighting', 'BOOLEAN'], ['capture_host', 'VARCHAR'], ['merged_frame', 'UINTEGER'],
    ],
  },
  {
    name: 'conversations',
    columns: [
      ['source', 'VARCHAR'], ['tenant_type', 'VARCHAR'], ['tenant_id', 'UINTEGER'], ['layer', 'VARCHAR'], ['a', 'VARCHAR'], ['b', 'VARCHAR'],
      ['packets', 'UBIGINT'], ['bytes', 'UBIGINT'], ['packets_a_to_b', 'UBIGINT'], ['bytes_a_to_b', 'UBIGINT'],
      ['packets_b_to_a', 'UBIGINT'], ['bytes_b_to_a', 'UBIGINT'], ['first_frame', 'UINTEGER'], ['last_frame', 'UINTEGER'],
    ],
  },
  {
    name: 'learning',
    columns: [
      ['source', 'VARCHAR'], ['frame', 'UINTEGER'], ['ts', 'DOUBLE'], ['kind', 'VARCHAR'], ['vtep', 'VARCHAR'], ['tenant_type', 'VARCHAR'],
      ['tenant_id', 'UINTEGER'], ['mac', 'VARCHAR'], ['remote_vtep', 'VARCHAR'], ['previous_vtep', 'VARCHAR'], ['capture', 'VARCHAR'],
    ],
  },
  {
    name: 'paths',
    columns: [
      ['source', 'VARCHAR'], ['from_vtep', 'VARCHAR'], ['to_vtep', 'VARCHAR'], ['tenant', 'VARCHAR'], ['sent', 'UBIGINT'], ['received', 'UBIGINT'],
      ['lost', 'UBIGINT'], ['reordered', 'UBIGINT'], ['latency_min', 'DOUBLE'], ['latency_median', 'DOUBLE'], ['latency_p99', 'DOUBLE'],
      ['latency_max', 'DOUBLE'], ['lost_frames', 'VARCHAR'],
    ],
  },
];

export interface RecordsSummary {
  files: string;
  rows: Record<string, number>;
}

/** The name the records' files get: the capture's file name, or the first one's plus how many more. */
export function recordsName(source: FrameSource): string {
  if (source instanceof CaptureSet) {
    const first = path.basename(source.members[0].file.path).replace(/\.[^.]+$/, '');
    return source.members.length > 1 ? `${first}-and-${source.members.length - 1}-more` : first;
  }
  return path.basename(source.path).replace(/\.[^.]+$/, '');
}

/** Reads every frame once, writing frame rows as it goes, then the analysis tables. */
export async function writeRecords(source: FrameSource, outDir: string, decodeAs: DecodeAsOverrides | null): Promise<RecordsSummary> {
  const tables = ParquetTables.open(outDir, RECORD_TABLES);
  try {
    const name = recordsName(source);
    const set = source instanceof CaptureSet ? source : null;
    // One file is read once, front to back: frames are counted, not indexed (a set's merged order is its index).
    if (source instanceof CaptureFile) source.keepIndex = false;
    const analyzer = new OverlayAnalyzer(undefined, expectedFlowCount(source.frameCount * 200));
    const frames = new FrameRows(source, tables, set);
    const indexer = new CaptureIndexer(source);
    indexer.ctx.decodeAs = decodeAs;
    const repeated = source.repeated;
    indexer.run((ctx, frame) => {
      if (repeated === null || repeated[frame] === 0) analyzer.addFrame(ctx, frame);
      frames.add(ctx, frame);
    });
    analyzer.frames = Math.max(analyzer.frames, source.frameCount);
    const sourceName = set !== null ? set.members.map((m) => m.name).join('+') : path.basename(source.path);
    writeConversations(tables, analyzer, sourceName);
    writeLearning(tables, analyzer, source, set, sourceName);
    if (set !== null && set.members.length > 1) writePaths(tables, set, analyzer, sourceName);
    const rows = await tables.finish(outDir, name);
    return { files: name, rows };
  } catch (err) {
    tables.close();
    throw err;
  }
}

class FrameRows {
  private readonly out;
  private readonly names: string[];
  private readonly hosts: (string | null)[];
  private readonly transmissionBase: number;
  private readonly transmissionOf: Int32Array[] | null;
  private readonly outer = { src: 0, dst: 0 };

  constructor(
    private readonly source: FrameSource,
    tables: ParquetTables,
    private readonly set: CaptureSet | null,
  ) {
    this.out = tables.appender('frames');
    this.names = set !== null ? set.members.map((m) => m.name) : [path.basename(source.path)];
    this.hosts = set !== null ? set.members.map((m) => m.host) : [null];
    const correlation = set !== null ? captureSetInfo(set).correlation : null;
    this.transmissionBase = correlation?.transmissions ?? 0;
    this.transmissionOf = correlation?.transmissionOf ?? null;
  }

  add(ctx: Dissection, frame: number): void {
    const { out, set, source } = this;
    const visiting = source.visiting;
    const capture = set !== null ? set.captureOf[frame] : 0;
    const inCapture = set !== null ? set.memberFrame[frame] : frame;
    out.appendVarchar(this.names[capture]);
    out.appendUInteger(inCapture + 1);
    out.appendDouble(visiting.time);
    out.appendUInteger(visiting.capLen);
    out.appendUInteger(visiting.origLen);
    const tenantType = ctx.tenantType;
    if (tenantType !== 0) {
      out.appendVarchar(TENANT_TYPE_NAMES[tenantType]);
      out.appendUInteger(ctx.tenantId);
    } else {
      out.appendNull();
      out.appendNull();
    }
    const outer = ctx.outerIpLayer;
    const outerAddresses = outer >= 0 ? addresses(ctx, outer) : null;
    appendText(out, outerAddresses?.[0] ?? null);
    appendText(out, outerAddresses?.[1] ?? null);
    let innerEth = -1;
    let innerIp = -1;
    if (ctx.tenantLayer >= 0) {
      for (let l = ctx.tenantLayer + 1; l < ctx.layerCount; l++) {
        const proto = ctx.layerProto[l];
        if (proto === PROTO.eth && innerEth < 0) innerEth = l;
        if ((proto === PROTO.ip || proto === PROTO.ipv6) && innerIp < 0) innerIp = l;
      }
    }
    const ethAt = innerEth >= 0 && ctx.layerEnd[innerEth] - ctx.layerStart[innerEth] >= 12 ? ctx.layerStart[innerEth] : -1;
    appendText(out, ethAt >= 0 ? macText(ctx.buf, ethAt + 6) : null);
    appendText(out, ethAt >= 0 ? macText(ctx.buf, ethAt) : null);
    const inner = innerIp >= 0 ? addresses(ctx, innerIp) : null;
    appendText(out, inner?.[0] ?? null);
    appendText(out, inner?.[1] ?? null);
    out.appendVarchar(ctx.layerCount > 0 ? protocolById(ctx.layerProto[ctx.layerCount - 1]).name : '');
    outerIpv4(ctx, this.outer);
    out.appendBoolean(tenantType !== 0 && ((ethAt >= 0 && (ctx.buf[ethAt] & 1) === 1) || this.outer.dst >>> 28 === 14));
    appendText(out, ctx.malformed);
    let transmission = frame + 1;
    if (this.transmissionOf !== null) {
      const t = this.transmissionOf[capture][inCapture];
      transmission = t >= 0 ? t + 1 : this.transmissionBase + frame + 1;
    }
    out.appendUInteger(transmission);
    out.appendBoolean(source.repeated === null || source.repeated[frame] === 0);
    appendText(out, this.hosts[capture]);
    out.appendUInteger(frame + 1);
    out.endRow();
  }
}

type Appender = ReturnType<ParquetTables['appender']>;

function appendText(out: Appender, text: string | null): void {
  if (text === null) out.appendNull();
  else out.appendVarchar(text);
}

/** Source and destination of an IPv4 or IPv6 layer, as text; null when the header is cut short. */
function addresses(ctx: Dissection, layer: number): [string, string] | null {
  const at = ctx.layerStart[layer];
  const length = ctx.layerEnd[layer] - at;
  if (ctx.layerProto[layer] === PROTO.ip) return length >= 20 ? [ipv4Text(ctx.buf, at + 12), ipv4Text(ctx.buf, at + 16)] : null;
  if (ctx.layerProto[layer] === PROTO.ipv6) return length >= 40 ? [ipv6Text(ctx.buf, at + 8), ipv6Text(ctx.buf, at + 24)] : null;
  return null;
}

function writeConversations(tables: ParquetTables, analyzer: OverlayAnalyzer, source: string): void {
  const out = tables.appender('conversations');
  for (const tenant of buildTenantsReport(analyzer).tenants) {
    for (const c of tenant.conversations) {
      out.appendVarchar(source);
      out.appendVarchar(tenant.type);
      out.appendUInteger(tenant.id);
      out.appendVarchar(c.layer);
      out.appendVarchar(c.a);
      out.appendVarchar(c.b);
      for (const n of [c.packets, c.bytes, c.packetsAtoB, c.bytesAtoB, c.packetsBtoA, c.bytesBtoA]) out.appendUBigInt(BigInt(n));
      out.appendUInteger(c.firstFrame);
      out.appendUInteger(c.lastFrame);
      out.endRow();
    }
  }
}

function writeLearning(tables: ParquetTables, analyzer: OverlayAnalyzer, source: FrameSource, set: CaptureSet | null, sourceName: string): void {
  const out = tables.appender('learning');
  // An event at a time from the learning's arrays (millions at thousands of flooding VTEPs), not a report of them all.
  for (let i = 0; i < analyzer.learning.eventCount; i++) {
    const e = learningEvent(analyzer, i);
    out.appendVarchar(sourceName);
    out.appendUInteger(e.frame);
    out.appendDouble(e.ts);
    out.appendVarchar(e.kind);
    out.appendVarchar(e.vtep);
    out.appendVarchar(e.tenant.type);
    out.appendUInteger(e.tenant.id);
    out.appendVarchar(e.mac);
    appendText(out, e.remoteVtep ?? null);
    appendText(out, e.previousVtep ?? null);
    appendText(out, set !== null ? set.members[set.captureOf[e.frame - 1]].name : path.basename(source.path));
    out.endRow();
  }
}

function writePaths(tables: ParquetTables, set: CaptureSet, analyzer: OverlayAnalyzer, source: string): void {
  const out = tables.appender('paths');
  const row = (from: string, to: string, tenant: string | null, p: PathCounts, lost: string): void => {
    out.appendVarchar(source);
    out.appendVarchar(from);
    out.appendVarchar(to);
    appendText(out, tenant);
    for (const n of [p.sent, p.received, p.lost, p.reordered]) out.appendUBigInt(BigInt(n));
    for (const v of p.latency === null ? [null, null, null, null] : [p.latency.min, p.latency.median, p.latency.p99, p.latency.max]) {
      if (v === null) out.appendNull();
      else out.appendDouble(v);
    }
    out.appendVarchar(lost);
    out.endRow();
  };
  for (const pair of pathsAfterAnalysis(set, analyzer).pairs) {
    row(pair.from, pair.to, null, pair, pair.lostFrames.map((f) => `${f.capture}#${f.frame}`).join(','));
    for (const t of pair.tenants) {
      const lost = pair.lostFrames.filter((f) => f.tenant === t.tenant).map((f) => `${f.capture}#${f.frame}`).join(',');
      row(pair.from, pair.to, t.tenant, t, lost);
    }
  }
}
