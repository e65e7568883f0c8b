// Writes the JSON of a VTEP report: the same text as JSON.stringify(buildVtepReport(...)), but the
// learning events (tens of thousands for a million packets) go out straight from the learning's typed
// arrays into a byte buffer, without an object per event.
import { OverlayAnalyzer } from '../analyzer';
import { ByteWriter, ascii, putBytes, putMac, putNumber, putUint } from '../output/byte-writer';
import { VtepReport } from '../report-types';
import { EVENT_KINDS, Ev, EventCode } from '../learning';
import { buildVtepReport, hasPrevious, hasRemote } from './build';

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

/** `atFrame` 1-based, default the last frame analysed (as buildVtepReport). */
export function writeVtepReportJson(analyzer: OverlayAnalyzer, atFrame: number | undefined, problem: string | null | undefined, out: ByteWriter): void {
  const report: VtepReport = buildVtepReport(analyzer, atFrame, problem, false);
  // The events' empty list is a placeholder, replaced by the events as they are written.
  const head = JSON.stringify({ ...report, events: 0 });
  const marker = '"events":0';
  const at = head.indexOf(marker);
  out.text(head.slice(0, at));
  out.ascii('"events":[');
  new EventWriter(analyzer).writeAll(report.atFrame - 1, out);
  out.byte(0x5d); // ]
  out.text(head.slice(at + marker.length));
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
