// Hand-built dissections for the display-filter tests, so they do not depend on the real dissectors.
import { Dissection } from '../../src/dissect/dissection';
import { TenantType } from '../../src/dissect/tenant-id';
import { defineFields, FieldValue, ProtocolDef, protocolByName, registerProtocols } from '../../src/dissect/fields';
import { PROTO } from '../../src/dissect/protocol-ids';

/** A protocol for these fixtures: the engine's id where it has one ("dns" gets one of its own). */
function defineProtocol(name: string, label: string, short: string): void {
  const id = (PROTO as Record<string, number>)[name] ?? 1000;
  const def: ProtocolDef = { id, name, label, short, type: 'protocol' };
  registerProtocols(def);
}

defineProtocol('frame', 'Frame', 'Frame');
defineFields('frame', { number: ['Frame Number', 'uint'], len: ['Frame Length', 'uint'], time_relative: ['Time since reference', 'uint'] });
defineProtocol('eth', 'Ethernet II', 'Ethernet');
defineFields('eth', { src: ['Source', 'ether'], dst: ['Destination', 'ether'], type: ['Type', 'uint', 'hex'] });
defineProtocol('arp', 'Address Resolution Protocol', 'ARP');
defineFields('arp', { opcode: ['Opcode', 'uint'], 'src.proto_ipv4': ['Sender IP address', 'ipv4'] });
defineProtocol('ip', 'Internet Protocol Version 4', 'IPv4');
defineFields('ip', { src: ['Source Address', 'ipv4'], dst: ['Destination Address', 'ipv4'], ttl: ['Time to Live', 'uint'], proto: ['Protocol', 'uint'], note: ['Note', 'label'] });
defineProtocol('ipv6', 'Internet Protocol Version 6', 'IPv6');
defineFields('ipv6', { src: ['Source Address', 'ipv6'], dst: ['Destination Address', 'ipv6'] });
defineProtocol('udp', 'User Datagram Protocol', 'UDP');
defineFields('udp', { srcport: ['Source Port', 'uint'], dstport: ['Destination Port', 'uint'], payload: ['Payload', 'bytes'] });
defineProtocol('tcp', 'Transmission Control Protocol', 'TCP');
defineFields('tcp', { srcport: ['Source Port', 'uint'], dstport: ['Destination Port', 'uint'], 'flags.syn': ['Syn', 'bool'], 'flags.ack': ['Acknowledgment', 'bool'] });
defineProtocol('vxlan', 'Virtual eXtensible Local Area Network', 'VXLAN');
defineFields('vxlan', { vni: ['VXLAN Network Identifier (VNI)', 'uint'], flags: ['Flags', 'uint', 'hex'] });
defineProtocol('gre', 'Generic Routing Encapsulation', 'GRE');
defineFields('gre', { key: ['Key', 'uint', 'hex'] });
defineProtocol('dns', 'Domain Name System', 'DNS');
defineFields('dns', { 'qry.name': ['Name', 'string'] });

export type LayerSpec = [protocol: string, fields?: Record<string, FieldValue | FieldValue[]>, bytes?: number[]];

export interface FrameOptions {
  tenant?: { type: TenantType; id: number };
  wantTree?: boolean;
}

/**
 * Builds a dissection from layers. Each layer's bytes (default: 4 zero bytes) follow the previous
 * layer's, so protocol byte tests (`udp contains ...`) see exactly those bytes.
 */
export function buildFrame(layers: LayerSpec[], options: FrameOptions = {}): Dissection {
  const bytes: number[] = [];
  for (const [, , layerBytes] of layers) bytes.push(...(layerBytes ?? [0, 0, 0, 0]));
  const buf = Uint8Array.from([0xee, 0xee, ...bytes]); // two bytes before the frame: base is not 0
  const d = new Dissection();
  d.wantTree = options.wantTree ?? true;
  d.reset(buf, 2, bytes.length, bytes.length);
  let offset = 2;
  for (const [protocol, fields, layerBytes] of layers) {
    const length = (layerBytes ?? [0, 0, 0, 0]).length;
    d.pushLayer(protocolByName(protocol)!, offset, offset + length);
    for (const [name, value] of Object.entries(fields ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) d.field(`${protocol}.${name}`, offset, 1, v);
    }
    offset += length;
  }
  if (options.tenant) d.setTenant(options.tenant.type, options.tenant.id, 3);
  return d;
}

/** VXLAN VNI 101, unicast between VTEPs 10.0.0.1 -> 10.0.0.2, carrying TCP 172.16.0.1 -> 172.16.0.2. */
export function vxlanTcpFrame(options: FrameOptions = {}): Dissection {
  return buildFrame(
    [
      ['eth', { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 }],
      ['ip', { src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, proto: 17 }],
      ['udp', { srcport: 49152, dstport: 4789, payload: '08:00:00:00:00:00:65:00' }, [0x12, 0x34, 0x81, 0x60, 0x03, 0x00]],
      ['vxlan', { vni: 101, flags: 0x08 }],
      ['eth', { src: 'AA:BB:CC:00:00:01', dst: 'aa:bb:cc:00:00:02', type: 0x0800 }],
      ['ip', { src: '172.16.0.1', dst: '172.16.0.2', ttl: 63, proto: 6 }],
      ['tcp', { srcport: 40000, dstport: 80, 'flags.syn': true, 'flags.ack': false }],
    ],
    { tenant: { type: TenantType.Vxlan, id: 101 }, ...options },
  );
}

/** A multicast ARP flood as in docs/overlay.md: VTEP 192.168.1.10 -> group 239.1.1.1, VNI 102. */
export function vxlanArpFrame(options: FrameOptions = {}): Dissection {
  return buildFrame(
    [
      ['eth', { src: '02:00:00:00:00:0a', dst: '01:00:5e:01:01:01', type: 0x0800 }],
      ['ip', { src: '192.168.1.10', dst: '239.1.1.1', ttl: 1, proto: 17 }],
      ['udp', { srcport: 50000, dstport: 8472 }],
      ['vxlan', { vni: 102, flags: 0x08 }],
      ['eth', { src: 'aa:bb:cc:00:00:03', dst: 'ff:ff:ff:ff:ff:ff', type: 0x0806 }],
      ['arp', { opcode: 1, 'src.proto_ipv4': '172.16.0.3' }],
    ],
    { tenant: { type: TenantType.Vxlan, id: 102 }, ...options },
  );
}

/** A plain (not encapsulated) IPv6 DNS query. */
export function ipv6DnsFrame(options: FrameOptions = {}): Dissection {
  return buildFrame(
    [
      ['frame', { number: 7, len: 90, time_relative: 1.25 }],
      ['eth', { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x86dd }],
      ['ipv6', { src: '2001:db8::1', dst: '2001:0DB8:0000:0000:0000:0000:0000:0053' }],
      ['udp', { srcport: 5353, dstport: 53 }],
      ['dns', { 'qry.name': 'www.Example.com' }],
    ],
    options,
  );
}

/** NVGRE-style GRE frame with tenant nvgre:0x1234. */
export function greFrame(): Dissection {
  return buildFrame(
    [
      ['eth', { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }],
      ['ip', { src: '172.17.10.10', dst: '172.16.11.10', proto: 47 }],
      ['gre', { key: 0x123400 }],
      ['eth', { src: '02:00:00:00:00:03', dst: '02:00:00:00:00:04' }],
      ['ip', { src: '192.168.1.102', dst: '192.168.2.115' }],
    ],
    { tenant: { type: TenantType.Nvgre, id: 0x1234 } },
  );
}
