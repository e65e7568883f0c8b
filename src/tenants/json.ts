// Writes the JSON of a tenants report: the same text as JSON.stringify(buildTenantsReport(...)), but
// the conversation lists (~100k for a million packets) go out straight from the typed arrays into a
// byte buffer, without an object or a string per conversation.
import { OverlayAnalyzer } from '../analysis/analyzer';
import { ByteWriter } from '../analysis/byte-writer';
import { tenantsReportParts } from './report';

export function writeTenantsReportJson(analyzer: OverlayAnalyzer, problem: string | null | undefined, out: ByteWriter): void {
  const { report, conversations, order } = tenantsReportParts(analyzer, problem);
  const lists = report.tenants.map((t) => order.get(t)!);
  // Each tenant's empty list becomes a numbered placeholder, replaced by its conversations in order.
  const marked = { ...report, tenants: report.tenants.map((t, i) => ({ ...t, conversations: i })) };
  const head = JSON.stringify(marked);
  let from = 0;
  for (let i = 0; i < lists.length; i++) {
    const marker = `"conversations":${i}`;
    const at = head.indexOf(marker, from);
    out.text(head.slice(from, at));
    out.ascii('"conversations":[');
    const list = lists[i];
    for (let k = 0; k < list.length; k++) {
      if (k > 0) out.byte(0x2c); // ,
      conversations.writeJson(list[k], analyzer, out);
    }
    out.byte(0x5d); // ]
    from = at + marker.length;
  }
  out.text(head.slice(from));
}
