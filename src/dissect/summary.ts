// One frame as a line of text (tshark's default columns plus the tenant) or as a JSON object.
import { Dissection } from './dissection';
import { formatTenant } from './tenant-id';

export interface FrameTimes {
  tsSec: number;
  tsNsec: number;
  relative: number;
  capture?: string;
}

/** Epoch time as exact decimal text (no floating-point noise), usable as a JSON number. */
export function epochText(tsSec: number, tsNsec: number): string {
  let frac = String(tsNsec).padStart(9, '0');
  while (frac.length > 3 && frac.endsWith('000')) frac = frac.slice(0, -3);
  return `${tsSec}.${frac}`;
}

export function tenantText(ctx: Dissection): string {
  return ctx.tenantType === 0 ? '' : formatTenant(ctx.tenantType, ctx.tenantId);
}

/** " [mirror erspan 100]" for a frame mirrored through ERSPAN (session id, when the type has one). */
function mirrorText(ctx: Dissection): string {
  if (!ctx.mirrored) return '';
  return ctx.mirrorSession >= 0 ? `[mirror erspan ${ctx.mirrorSession}] ` : '[mirror erspan] ';
}

/** `capture`: the capture's name, a column of its own when several captures are merged. */
export function frameTextLine(ctx: Dissection, number: number, relative: number, capture?: string): string {
  const tenant = tenantText(ctx);
  const malformed = ctx.malformed !== null ? ` [Malformed: ${ctx.malformed}]` : '';
  return `${String(number).padStart(6)} ${relative.toFixed(6).padStart(11)} ${capture !== undefined ? `${capture} ` : ''}${ctx.colSrc} → ${ctx.colDst} ${tenant ? `[${tenant}] ` : ''}${mirrorText(ctx)}${ctx.colProto} ${ctx.origLen} ${ctx.info}${malformed}`;
}

export function frameJsonLine(ctx: Dissection, number: number, times: FrameTimes): string {
  const t = ctx.tenant();
  const tenant = t ? `{"type":"${t.type}","id":${t.id}}` : 'null';
  const malformed = ctx.malformed !== null ? `,"malformed":${JSON.stringify(ctx.malformed)}` : '';
  const mirror = ctx.mirrored ? `,"mirror":{"erspan.spanid":${ctx.mirrorSession >= 0 ? ctx.mirrorSession : 'null'}}` : '';
  const capture = times.capture !== undefined ? `"capture":${JSON.stringify(times.capture)},` : '';
  return (
    `{"frame":${number},${capture}"ts":${epochText(times.tsSec, times.tsNsec)},"caplen":${ctx.capLen},"len":${ctx.origLen},` +
    `"protocols":"${ctx.protocolChain()}","tenant":${tenant}${mirror},"src":${JSON.stringify(ctx.colSrc)},"dst":${JSON.stringify(ctx.colDst)},` +
    `"protocol":${JSON.stringify(ctx.colProto)},"info":${JSON.stringify(ctx.info)}${malformed}}`
  );
}
