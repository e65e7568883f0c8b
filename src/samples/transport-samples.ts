// Samples of what carries overlay traffic besides the overlay itself: VXLAN mirrored to a collector
// through ERSPAN, VXLAN whose underlay MTU is too small (the VTEP's outer packets are fragmented), and
// MPLS carried in GRE between two provider edge routers.
import { ETHERTYPE_IPV4, concatBytes, ethernet, greFrame, icmpEcho, ipv4, udp, vxlan, writeU16, writeU32, Underlay } from '../craft';
import { INNER_ARP, INNER_ICMP, fromIp, vxlanChain } from './chains';
import { Host, arpReply, arpRequest, ipFrame, ping } from './inner-frames';
import { SampleCapture } from './sample-capture';
import { TENANTS, VTEPS } from './vxlan-samples';

const ERSPAN_II_TYPE = 0x88be;
const ERSPAN_III_TYPE = 0x22eb;
const MPLS_UNICAST = 0x8847;

/** The underlay frame a VTEP sends for one VM frame of tenant VNI 101 (VTEP i -> VTEP j). */
function vxlanFrame(from: number, to: number, inner: Uint8Array, ipId: number): Uint8Array {
  return vxlan({
    outer: { srcMac: VTEPS[from].mac, dstMac: VTEPS[to].mac, srcIp: VTEPS[from].ip, dstIp: VTEPS[to].ip, ttl: 64, ipId },
    vni: TENANTS[0].vni,
    inner,
  });
}

/** ERSPAN type II header (8 bytes): version 1, VLAN, session id, index. */
function erspanII(session: number, vlan: number): Uint8Array {
  const h = new Uint8Array(8);
  writeU16(h, 0, (1 << 12) | vlan);
  writeU16(h, 2, session & 0x3ff);
  writeU32(h, 4, 7); // port index on the switch
  return h;
}

/** ERSPAN type III header (12 bytes): version 2, VLAN, session id, timestamp (100 us units), ingress. */
function erspanIII(session: number, vlan: number, timestamp: number): Uint8Array {
  const h = new Uint8Array(12);
  writeU16(h, 0, (2 << 12) | vlan);
  writeU16(h, 2, session & 0x3ff);
  writeU32(h, 4, timestamp);
  writeU16(h, 10, 0x8000); // P: an Ethernet PDU; frame type 0; hardware id 0; ingress; 100 us granularity
  return h;
}

/**
 * vxlan-erspan-mirror.pcapng: a leaf switch mirrors its VTEP-facing port to a collector 10.20.0.100
 * (session 100 as ERSPAN type II, session 200 as type III, and one type I copy). The mirrored frames
 * are tenant VNI 101's VXLAN packets between VTEP1 and VTEP2: the tenant and the VTEPs are those of
 * the mirrored frame; the session is an attribute of the mirror.
 */
export function erspanMirror(): SampleCapture {
  const s = new SampleCapture('vxlan-erspan-mirror.pcapng', 'pcapng', false);
  s.addInterface('collector');
  const sw: Underlay = { srcMac: '00:1b:54:c2:00:01', dstMac: '00:1b:54:c2:00:64', srcIp: '10.20.0.1', dstIp: '10.20.0.100', ttl: 64 };
  const [vm1, vm2] = TENANTS[0].vms;
  let sequence = 1;
  let outerId = 0x5000;
  let vxlanId = 0x100;
  const mirror = (type: 'I' | 'II' | 'III', session: number, copy: Uint8Array) => {
    const header = type === 'II' ? erspanII(session, 10) : type === 'III' ? erspanIII(session, 10, 1_000_000 + sequence) : new Uint8Array(0);
    return greFrame({
      outer: { ...sw, ipId: outerId++ },
      protocolType: type === 'III' ? ERSPAN_III_TYPE : ERSPAN_II_TYPE,
      // Type I has no sequence number: that is what tells it from type II.
      sequence: type === 'I' ? undefined : sequence++,
      payload: concatBytes([header, copy]),
    });
  };
  const mirrored = (inner: string) => `eth:ethertype:ip:gre:erspan:${vxlanChain(inner)}`;
  const story: [Uint8Array, string, number, number][] = [
    [arpRequest(vm1, vm2.ip), INNER_ARP, 0, 1],
    [arpReply(vm2, vm1), INNER_ARP, 1, 0],
    [ping(vm1, vm2, 'request', 0x65, 1), INNER_ICMP, 0, 1],
    [ping(vm2, vm1, 'reply', 0x65, 1), INNER_ICMP, 1, 0],
  ];
  story.forEach(([inner, chain, from, to], i) => {
    s.add({ bytes: mirror('II', 100, vxlanFrame(from, to, inner, vxlanId++)), chain: mirrored(chain), key: i === 0 ? 'typeII' : undefined, note: i === 0 ? 'ERSPAN type II session 100 mirrors VNI 101 (VTEP1 -> VTEP2)' : undefined });
  });
  story.forEach(([inner, chain, from, to], i) => {
    s.add({ bytes: mirror('III', 200, vxlanFrame(from, to, inner, vxlanId++)), chain: mirrored(chain), key: i === 0 ? 'typeIII' : undefined, note: i === 0 ? 'ERSPAN type III session 200, with timestamps' : undefined });
  });
  s.add({ bytes: mirror('I', 0, vxlanFrame(0, 1, ping(vm1, vm2, 'request', 0x65, 2), vxlanId++)), chain: mirrored(INNER_ICMP), key: 'typeI', note: 'ERSPAN type I: no header, no session id' });
  return s;
}

/** Splits an IPv4 packet into fragments whose packets fit `mtu` bytes (as the sending host does). */
function fragment(packet: Uint8Array, mtu: number): Uint8Array[] {
  const headerLength = (packet[0] & 0x0f) * 4;
  const payload = packet.subarray(headerLength);
  const step = Math.floor((mtu - headerLength) / 8) * 8;
  const id = (packet[4] << 8) | packet[5];
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += step) {
    const last = at + step >= payload.length;
    out.push(
      ipv4({
        src: packet.subarray(12, 16),
        dst: packet.subarray(16, 20),
        id,
        ttl: packet[8],
        protocol: packet[9],
        moreFragments: !last,
        fragmentOffset: at,
        payload: payload.subarray(at, Math.min(at + step, payload.length)),
      }),
    );
  }
  return out;
}

/**
 * vxlan-underlay-fragmented.pcapng: tenant VNI 101's VMs use a 1500-byte MTU, but the path between
 * VTEP1 and VTEP2 carries only 1000-byte IP packets, so a full-size VM frame (1514 bytes, 1564 with
 * VXLAN's 50) leaves the VTEP in two IP fragments. Reassembled, each counts once for VNI 101, and the
 * finding names the underlay MTU that would carry it whole (1564).
 */
export function vxlanUnderlayFragmented(): SampleCapture {
  const s = new SampleCapture('vxlan-underlay-fragmented.pcapng', 'pcapng', false);
  s.addInterface('underlay');
  const [vm1, vm2] = TENANTS[0].vms;
  const underlayMtu = 1000;
  let outerId = 0x7000;
  const big = new Uint8Array(1472).map((_, i) => i & 0xff);
  const bigPing = (from: Host, to: Host, kind: 'request' | 'reply', seq: number) => ipFrame(from, to, icmpEcho({ kind, id: 0x66, seq, payload: big }));
  s.add({ bytes: vxlanFrame(0, 1, arpRequest(vm1, vm2.ip), outerId++), chain: vxlanChain(INNER_ARP), note: 'small frames fit the underlay' });
  s.add({ bytes: vxlanFrame(1, 0, arpReply(vm2, vm1), outerId++), chain: vxlanChain(INNER_ARP) });
  for (let seq = 1; seq <= 2; seq++) {
    for (const [from, to, kind] of [[0, 1, 'request'], [1, 0, 'reply']] as const) {
      const whole = vxlanFrame(from, to, bigPing(kind === 'request' ? vm1 : vm2, kind === 'request' ? vm2 : vm1, kind, seq), outerId++);
      const ip = whole.subarray(14);
      const pieces = fragment(ip, underlayMtu);
      pieces.forEach((piece, i) => {
        const last = i === pieces.length - 1;
        s.add({
          bytes: ethernet({ src: whole.subarray(6, 12), dst: whole.subarray(0, 6), etherType: ETHERTYPE_IPV4, payload: piece }),
          chain: last ? vxlanChain(INNER_ICMP) : 'eth:ethertype:ip:data',
          key: seq === 1 && kind === 'request' ? (last ? 'firstReassembled' : i === 0 ? 'firstFragment' : undefined) : undefined,
          note: seq === 1 && kind === 'request' && i === 0 ? `a 1550-byte VXLAN packet in ${pieces.length} fragments (underlay MTU ${underlayMtu})` : undefined,
        }, 100);
      });
    }
  }
  return s;
}

/** An MPLS label stack entry: label, traffic class 0, bottom-of-stack bit, TTL. */
function labelEntry(label: number, bottom: boolean, ttl: number): Uint8Array {
  const e = new Uint8Array(4);
  writeU32(e, 0, ((label << 12) | (bottom ? 0x100 : 0) | ttl) >>> 0);
  return e;
}

/**
 * mpls-over-gre.pcapng: two provider edge routers 203.0.113.1 and 203.0.113.2 join their MPLS
 * networks through a GRE tunnel (no key: an underlay tunnel, no tenant). Customer traffic 10.1.0.1 <->
 * 10.2.0.1 rides with a transport label and a VPN label; the labels are attributes, not tenants.
 */
export function mplsOverGre(): SampleCapture {
  const s = new SampleCapture('mpls-over-gre.pcapng', 'pcapng', false);
  s.addInterface('wan');
  const pe1: Underlay = { srcMac: '00:00:5e:00:53:01', dstMac: '00:00:5e:00:53:02', srcIp: '203.0.113.1', dstIp: '203.0.113.2', ttl: 64 };
  const pe2: Underlay = { srcMac: '00:00:5e:00:53:02', dstMac: '00:00:5e:00:53:01', srcIp: '203.0.113.2', dstIp: '203.0.113.1', ttl: 64 };
  const site1: Host = { mac: '00:00:00:00:00:00', ip: '10.1.0.1' };
  const site2: Host = { mac: '00:00:00:00:00:00', ip: '10.2.0.1' };
  let outerId = 0x6000;
  const labelled = (fromPe1: boolean, labels: number[], packet: Uint8Array) =>
    greFrame({
      outer: { ...(fromPe1 ? pe1 : pe2), ipId: outerId++ },
      protocolType: MPLS_UNICAST,
      payload: concatBytes([...labels.map((l, i) => labelEntry(l, i === labels.length - 1, 63)), packet]),
    });
  const ipOf = (frame: Uint8Array) => frame.subarray(14);
  for (let seq = 1; seq <= 2; seq++) {
    s.add({ bytes: labelled(true, [16001, 24], ipOf(ping(site1, site2, 'request', 0x77, seq))), chain: `eth:ethertype:ip:gre:mpls:${fromIp(INNER_ICMP)}`, key: seq === 1 ? 'twoLabels' : undefined, note: seq === 1 ? 'transport label 16001, VPN label 24' : undefined });
    s.add({ bytes: labelled(false, [16002, 25], ipOf(ping(site2, site1, 'reply', 0x77, seq))), chain: `eth:ethertype:ip:gre:mpls:${fromIp(INNER_ICMP)}` });
  }
  s.add({ bytes: labelled(true, [24], ipOf(ipFrame(site1, site2, udp({ srcPort: 49999, dstPort: 50001, payload: new Uint8Array(16) })))), chain: 'eth:ethertype:ip:gre:mpls:ip:udp:data', key: 'oneLabel', note: 'penultimate hop popped: the VPN label alone' });
  return s;
}
