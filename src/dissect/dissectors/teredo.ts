// Teredo (RFC 4380, UDP 3544): IPv6 over UDP through NATs. The IPv6 packet may follow an
// authentication indicator (0x0001) and an origin indication (0x0000: the client's obfuscated
// public port and address). Anything on the port that is not an IPv6 packet is not Teredo.
import { u16 } from '../bytes';
import { Dissection } from '../dissection';
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import { ethertypeTable, registerDissector, udpPortTable, DissectorModule } from '../tables';
import { dissectData } from './common';

const TEREDO = defineProtocol('teredo', 'Teredo IPv6 over UDP tunneling', 'Teredo');

function dissectTeredo(ctx: Dissection, offset: number, end: number): void {
  const buf = ctx.buf;
  let pos = offset;
  let authAt = -1;
  let originAt = -1;
  if (end - pos >= 4 && u16(buf, pos) === 0x0001) {
    const idLen = buf[pos + 2];
    const authLen = buf[pos + 3];
    authAt = pos;
    pos += 4 + idLen + authLen + 9; // nonce (8) and confirmation byte
  }
  if (end - pos >= 8 && u16(buf, pos) === 0x0000) {
    originAt = pos;
    pos += 8;
  }
  if (end - pos < 40 || buf[pos] >> 4 !== 6) {
    dissectData(ctx, offset, end);
    return;
  }
  const layer = ctx.pushLayer(TEREDO, offset, pos);
  ctx.setLayerEnd(layer, pos);
  if (ctx.detail) {
    if (authAt >= 0) {
      ctx.field('teredo.auth.idlen', authAt + 2, 1, buf[authAt + 2]);
      ctx.field('teredo.auth.aulen', authAt + 3, 1, buf[authAt + 3]);
    }
    if (originAt >= 0) {
      // The origin is sent with every bit inverted (RFC 4380 section 5.1.1).
      const port = u16(buf, originAt + 2) ^ 0xffff;
      const address = [4, 5, 6, 7].map((i) => buf[originAt + i] ^ 0xff).join('.');
      ctx.field('teredo.orig.port', originAt + 2, 2, port);
      ctx.field('teredo.orig.addr', originAt + 4, 4, address);
    }
  }
  ethertypeTable.dispatch(ctx, 0x86dd, pos, end);
}

function register(): void {
  registerProtocols(TEREDO);
  defineFields('teredo', {
    'auth.idlen': ['Client identifier length', 'uint'],
    'auth.aulen': ['Authentication value length', 'uint'],
    'orig.port': ['Origin UDP port', 'uint'],
    'orig.addr': ['Origin IPv4 address', 'ipv4'],
  });
}

function handoff(): void {
  registerDissector('teredo', dissectTeredo);
  udpPortTable.register(3544, dissectTeredo);
}

export const teredoModule: DissectorModule = { name: 'teredo', register, handoff };
