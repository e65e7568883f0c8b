// Writes the JSON of a tenants report: the same text as JSON.stringify(buildTenantsReport(...)), but
// the conversation lists (~100k for a million packets) go out straight from the typed arrays into a
// byte buffer, without an object or a string per conversation. The pipeline's reader thread writes
// the report of its worker's analysis (pipeline/reader.ts): the head and the conversations come over.
import { OverlayAnalyzer } from '../analyzer';
import { ByteWriter } from '../output/byte-writer';
import { TenantsReport } from '../report-types';
import { Conversations } from '../conversations';
import { tenantsReportHead } from './build';

export function writeTenantsReportJson(analyzer: OverlayAnalyzer, problem: string | null | undefined, out: ByteWriter): void {
  const { report, tenantOrder } = tenantsReportHead(analyzer, problem);
  writeReportPieces(headPieces(report), tenantOrder, analyzer.conversationTotals(), out);
}

/** The report from its head's pieces (headPieces) and its tenants' conversation lists, tenantOrder being the tenants in report order. */
export function writeReportPieces(pieces: string[], tenantOrder: number[], conversations: Conversations, out: ByteWriter): void {
  const lists = new ConversationLists(conversations);
  for (let i = 0; i < tenantOrder.length; i++) {
    out.text(pieces[i]);
    lists.write(tenantOrder[i], out);
  }
  out.text(pieces[tenantOrder.length]);
}

/**
 * The report's JSON (conversation lists empty) cut where each tenant's list goes: tenant i's list
 * goes between pieces[i] and pieces[i + 1].
 */
export function headPieces(report: TenantsReport): string[] {
  const marked = { ...report, tenants: report.tenants.map((t, i) => ({ ...t, conversations: i })) };
  const head = JSON.stringify(marked);
  const pieces: string[] = [];
  let from = 0;
  for (let i = 0; i < report.tenants.length; i++) {
    const marker = `"conversations":${i}`;
    const at = head.indexOf(marker, from) + '"conversations":'.length;
    pieces.push(head.slice(from, at));
    from = at + String(i).length;
  }
  pieces.push(head.slice(from));
  return pieces;
}

/** The tenants' conversation lists, each written as `[...]`. */
export class ConversationLists {
  private readonly byTenant: Map<number, number[]>;

  constructor(private readonly table: Conversations) {
    this.byTenant = table.orderByTenant();
  }

  /** Writes tenant `tenant`'s list (the analyzer's tenant number). */
  write(tenant: number, out: ByteWriter): void {
    out.byte(0x5b); // [
    const list = this.byTenant.get(tenant) ?? [];
    for (let k = 0; k < list.length; k++) {
      if (k > 0) out.byte(0x2c); // ,
      this.table.writeJson(list[k], out);
    }
    out.byte(0x5d); // ]
  }
}
