// Writes the JSON of a VTEP report: the same text as JSON.stringify(buildVtepReport(...)), but the
// learning events and the forwarding databases (millions of each at thousands of flooding VTEPs) go
// out straight from the learning's typed arrays into a byte buffer, without an object per event or entry.
import { OverlayAnalyzer } from '../analyzer';
import { ByteWriter, ascii, putBytes, putMac, putNumber, putUint } from '../output/byte-writer';
import { VtepReport } from '../report-types';
import { EVENT_KINDS, Ev, EventCode } from '../learning';
import { buildVtepReport, hasPrevious, hasRemote } from './build';
import { fdbReportOrder, liveSlots } from '../fdb-order';

const KIND_JSON = EVENT_KINDS.map((kind) => ascii(`,"kind":"${kind}","vtep":`));
const REASON_JSON = ['broadcast', 'multicast', 'unknown-unicast'].map((reason) => ascii(`,"reason":"${reason}"`));
const FRAME_JSON = ascii('{"frame":');
const TS_JSON = ascii(',"ts":');
const TENANT_JSON = ascii(',"tenant":');
const MAC_JSON = ascii(',"mac":"');
const REMOTE_JSON = ascii(',"remoteVtep":');
const PREVIOUS_JSON = ascii(',"previousVtep":');
const DESTINATION_JSON = ascii('","destination":"');
const GROUP_JSON = ascii(',"group":');
const RECEIVERS_JSON = ascii(',"receivers":[');
const ASSUMED_JSON = ascii(',"membersAssumed":true');
const FDB_VTEP_JSON = ascii('{"vtep":');
const FDB_ENTRIES_JSON = ascii(',"entries":[');
const ENTRY_TENANT_JSON = ascii('{"tenant":');
const SINCE_JSON = ascii(',"since":');
const LOCAL_JSON = ascii(',"local":true');

/** `atFrame` 1-based, default the last frame analysed (as buildVtepReport). */
export function writeVtepReportJson(analyzer: OverlayAnalyzer, atFrame: number | undefined, problem: string | null | undefined, out: ByteWriter): void {
  const report: VtepReport = buildVtepReport(analyzer, atFrame, problem, false, false);
  // The events' and FDB's empty lists are placeholders, replaced by the events and entries as they are written.
  const head = JSON.stringify({ ...report, events: 0, fdb: 0 });
  const events = head.indexOf('"events":0');
  const fdb = head.indexOf('"fdb":0');
  const writer = new EventWriter(analyzer);
  out.text(head.slice(0, events));
  out.ascii('"events":[');
  writer.writeAll(report.atFrame - 1, out);
  out.byte(0x5d); // ]
  out.text(head.slice(events + '"events":0'.length, fdb));
  out.ascii('"fdb":[');
  writer.writeFdb(report.atFrame - 1, out);
  out.byte(0x5d); // ]
  out.text(head.slice(fdb + '"fdb":0'.length));
}

/** Writes events as events() in report.ts makes them, with each endpoint's and tenant's JSON made once. */
class EventWriter {
  private readonly endpointJson: (Uint8Array | undefined)[] = [];
  private readonly tenantJson: (Uint8Array | undefined)[] = [];

  constructor(private readonly analyzer: OverlayAnalyzer) {}

  /** Every event up to frame `last` (0-based), comma-separated. */
  writeAll(last: number, out: ByteWriter): void {
    const { learning } = this.analyzer;
    for (let i = 0; i < learning.eventCount; i++) {
      const frame = learning.get(i, Ev.Frame);
      if (frame > last) break;
      if (i > 0) out.byte(0x2c); // ,
      this.write(i, frame, out);
    }
  }

  /** Every VTEP's forwarding database after frame `last` (0-based), as build.ts's fdbAt() has them. */
  writeFdb(last: number, out: ByteWriter): void {
    const { learning } = this.analyzer;
    const { remote, since } = learning.stateAt(last);
    let learner = -1;
    for (const slot of fdbReportOrder(this.analyzer, liveSlots(remote))) {
      const vtep = learning.slotWord(slot, 0);
      if (vtep !== learner) {
        if (learner >= 0) out.ascii(']},');
        learner = vtep;
        out.bytes(FDB_VTEP_JSON);
        out.bytes(this.endpoint(vtep));
        out.bytes(FDB_ENTRIES_JSON);
      } else out.byte(0x2c); // ,
      out.bytes(ENTRY_TENANT_JSON);
      out.bytes(this.tenant(learning.slotWord(slot, 1)));
      const buf = out.ensure(64);
      let p = putBytes(buf, out.at, MAC_JSON);
      p = putMac(buf, p, learning.slotWord(slot, 2), learning.slotWord(slot, 3));
      buf[p++] = 0x22; // "
      out.at = p;
      out.bytes(REMOTE_JSON);
      out.bytes(this.endpoint(remote[slot]));
      out.bytes(SINCE_JSON);
      out.number(since[slot] + 1);
      if (remote[slot] === vtep) out.bytes(LOCAL_JSON);
      out.byte(0x7d); // }
    }
    if (learner >= 0) out.ascii(']}');
  }

  private write(i: number, frame: number, out: ByteWriter): void {
    const learning = this.analyzer.learning;
    const kind = learning.get(i, Ev.Kind) as EventCode;
    const ts = learning.get(i, Ev.Time);
    let buf = out.ensure(160);
    let p = putBytes(buf, out.at, FRAME_JSON);
    p = putUint(buf, p, frame + 1);
    p = putBytes(buf, p, TS_JSON);
    const afterTs = putNumber(buf, p, ts);
    if (afterTs < 0) {
      out.at = p;
      out.number(ts); // not a whole number of microseconds: rare, the slow way
      p = out.at;
      buf = out.ensure(160);
    } else {
      p = afterTs;
    }
    p = putBytes(buf, p, KIND_JSON[kind]);
    out.at = p;
    out.bytes(this.endpoint(learning.get(i, Ev.Vtep)));
    out.bytes(TENANT_JSON);
    out.bytes(this.tenant(learning.get(i, Ev.Tenant)));
    buf = out.ensure(128);
    p = putBytes(buf, out.at, MAC_JSON);
    p = putMac(buf, p, learning.get(i, Ev.MacHi), learning.get(i, Ev.MacLo));
    if (kind === EventCode.Flood) {
      p = putBytes(buf, p, DESTINATION_JSON);
      p = putMac(buf, p, learning.get(i, Ev.DstHi), learning.get(i, Ev.DstLo));
      buf[p++] = 0x22; // "
      p = putBytes(buf, p, REASON_JSON[learning.get(i, Ev.Reason)]);
      out.at = p;
      const group = learning.get(i, Ev.Group);
      if (group >= 0) {
        out.bytes(GROUP_JSON);
        out.bytes(this.endpoint(group));
      }
      out.bytes(RECEIVERS_JSON);
      const start = learning.get(i, Ev.ReceiversStart);
      const count = learning.get(i, Ev.ReceiversCount);
      for (let r = 0; r < count; r++) {
        if (r > 0) out.byte(0x2c);
        out.bytes(this.endpoint(learning.receivers[start + r]));
      }
      out.byte(0x5d); // ]
      if (learning.get(i, Ev.Assumed) === 1) out.bytes(ASSUMED_JSON);
    } else {
      buf[p++] = 0x22; // "
      out.at = p;
      if (hasRemote(kind)) {
        out.bytes(REMOTE_JSON);
        out.bytes(this.endpoint(learning.get(i, Ev.Remote)));
      }
      if (hasPrevious(kind)) {
        out.bytes(PREVIOUS_JSON);
        out.bytes(this.endpoint(learning.get(i, Ev.Previous)));
      }
    }
    out.byte(0x7d); // }
  }

  private endpoint(endpoint: number): Uint8Array {
    let json = this.endpointJson[endpoint];
    if (json === undefined) this.endpointJson[endpoint] = json = Buffer.from(JSON.stringify(this.analyzer.endpoints.text(endpoint)));
    return json;
  }

  private tenant(tenant: number): Uint8Array {
    let json = this.tenantJson[tenant];
    if (json === undefined) this.tenantJson[tenant] = json = Buffer.from(JSON.stringify(this.analyzer.tenants.ref(tenant)));
    return json;
  }
}
