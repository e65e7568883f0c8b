// The bench's reference: the least a JavaScript program can do to answer "which tenants are in this
// capture". It reads a classic pcap in the same 8 MiB chunks as the capture reader, frames every
// record and counts frames per VXLAN network identifier (through an ERSPAN mirror too). No project
// code: `tenants` is timed against this loop on the same file in the same run.
//
//   node dist/test/bench/bare-vni-count.js FILE.pcap   (prints {"frames":N,"vxlanFrames":N,"vnis":N})
import * as fs from 'node:fs';

const CHUNK_BYTES = 8 * 1024 * 1024;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = 0x8100;
const GRE_ERSPAN = 0x88be;
const VXLAN_PORT = 4789;

function countVnis(path: string): { frames: number; vxlanFrames: number; vnis: number } {
  const fd = fs.openSync(path, 'r');
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const size = fs.fstatSync(fd).size;
  fs.readSync(fd, chunk, 0, 24, 0);
  const magic = chunk.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const perVni = new Map<number, number>();
  let frames = 0;
  let vxlanFrames = 0;
  let fileAt = 24;
  let leftover = 0;
  while (fileAt + leftover < size) {
    const got = fs.readSync(fd, chunk, leftover, Math.min(chunk.length - leftover, size - fileAt - leftover), fileAt + leftover);
    if (got <= 0) break;
    const end = leftover + got;
    let pos = 0;
    while (end - pos >= 16) {
      const capLen = le ? chunk.readUInt32LE(pos + 8) : chunk.readUInt32BE(pos + 8);
      if (end - pos - 16 < capLen) break;
      frames++;
      const vni = vxlanVni(chunk, pos + 16, pos + 16 + capLen);
      if (vni >= 0) {
        vxlanFrames++;
        perVni.set(vni, (perVni.get(vni) ?? 0) + 1);
      }
      pos += 16 + capLen;
    }
    if (pos === 0 && end === chunk.length) {
      const bigger = Buffer.allocUnsafe(chunk.length * 2);
      chunk.copy(bigger, 0, 0, end);
      chunk = bigger;
      leftover = end;
      continue;
    }
    chunk.copyWithin(0, pos, end);
    leftover = end - pos;
    fileAt += pos;
  }
  fs.closeSync(fd);
  return { frames, vxlanFrames, vnis: perVni.size };
}

/** The VNI of an Ethernet frame carrying VXLAN (UDP 4789) in IPv4, or -1. */
function vxlanVni(buf: Buffer, at: number, end: number): number {
  for (let depth = 0; depth < 2; depth++) {
    let eth = at + 12;
    if (eth + 2 > end) return -1;
    let type = (buf[eth] << 8) | buf[eth + 1];
    if (type === ETHERTYPE_VLAN) {
      eth += 4;
      if (eth + 2 > end) return -1;
      type = (buf[eth] << 8) | buf[eth + 1];
    }
    const ip = eth + 2;
    if (type !== ETHERTYPE_IPV4 || ip + 20 > end) return -1;
    const headerBytes = (buf[ip] & 0x0f) * 4;
    const fragment = ((buf[ip + 6] & 0x1f) << 8) | buf[ip + 7];
    if (fragment !== 0) return -1;
    const l4 = ip + headerBytes;
    const protocol = buf[ip + 9];
    if (protocol === 17) {
      if (l4 + 16 > end || ((buf[l4 + 2] << 8) | buf[l4 + 3]) !== VXLAN_PORT) return -1;
      return (buf[l4 + 12] << 16) | (buf[l4 + 13] << 8) | buf[l4 + 14];
    }
    // A mirrored frame (GRE with a sequence number, ERSPAN type II): look inside once.
    if (protocol !== 47 || l4 + 16 > end || ((buf[l4 + 2] << 8) | buf[l4 + 3]) !== GRE_ERSPAN) return -1;
    at = l4 + 8 + 8;
  }
  return -1;
}

if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: bare-vni-count FILE.pcap');
    process.exit(2);
  }
  console.log(JSON.stringify(countVnis(file)));
}
