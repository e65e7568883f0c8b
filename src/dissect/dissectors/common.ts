// Shared steps of every dissector: handing the payload on, and reporting a short header.
import { Dissection } from '../dissection';
import { defineProtocol, registerProtocols } from '../fields';
import { DissectorTable, DissectorModule } from '../tables';

export const DATA = defineProtocol('data', 'Data', 'DATA');

/** Payload bytes nobody dissects, as Wireshark's "data" protocol. */
export function dissectData(ctx: Dissection, offset: number, end: number): void {
  if (offset >= end) return;
  // Undissected payload keeps the Protocol column of the layer that carried it, as in Wireshark.
  const carrier = ctx.colProto;
  ctx.pushLayer(DATA, offset, end);
  if (ctx.wantColumns) ctx.colProto = carrier;
  if (ctx.detail) ctx.field('data.len', offset, 0, end - offset);
}

/** Looks key up in table and dissects the payload with it, or as data when no dissector claims it. */
export function dispatchPayload(ctx: Dissection, table: DissectorTable, key: number, offset: number, end: number): void {
  if (offset >= end) return;
  if (!table.dispatch(ctx, key, offset, end)) dissectData(ctx, offset, end);
}

/**
 * A tunnel's payload: dispatched as usual, and also when the capture's snap length cut the frame
 * right where the payload begins, so the payload's dissector reports the truncation (as Wireshark
 * marks such a frame malformed) instead of the frame ending silently at the tunnel header.
 */
export function dispatchTunnelPayload(ctx: Dissection, table: DissectorTable, key: number, offset: number, end: number): void {
  if (offset >= end && ctx.capLen < ctx.origLen && end === ctx.end) {
    if (!table.dispatch(ctx, key, offset, end)) ctx.setMalformed('tunnel payload cut by the capture snap length');
    return;
  }
  dispatchPayload(ctx, table, key, offset, end);
}

/**
 * Checks that `need` header bytes are captured at offset; otherwise marks the frame malformed with a
 * reason that says whether the capture's snap length or the packet itself is at fault.
 */
export function haveHeader(ctx: Dissection, what: string, offset: number, end: number, need: number): boolean {
  const have = end - offset;
  if (have >= need) return true;
  const cut = ctx.capLen < ctx.origLen ? ' (frame cut by the capture snap length)' : '';
  ctx.setMalformed(`${what} header truncated: ${Math.max(have, 0)} of ${need} bytes${cut}`);
  return false;
}

/** Register phase: the protocols and fields this module defines. */
function register(): void {
  registerProtocols(DATA);
}

/** Handoff phase: where its dissectors sit in the dispatch tables. */
function handoff(): void {
}

export const commonModule: DissectorModule = { name: 'common', register, handoff };
