// ICMP, ICMPv6 (echo and MLDv2 report) and IGMP (v2 and v3 membership reports).
import { IpInput, concatBytes, internetChecksum, ipv4Bytes, ipv6Bytes, writeU16 } from './bytes';
import { IP_PROTO_ICMP, IP_PROTO_ICMPV6, IP_PROTO_IGMP, IpPayload, pseudoHeaderSum } from './ip';

const EMPTY = new Uint8Array(0);

export interface EchoOptions {
  /** 'request' (ICMP type 8 / ICMPv6 128) or 'reply' (0 / 129). */
  kind: 'request' | 'reply';
  id: number;
  seq: number;
  payload?: Uint8Array;
}

function echoMessage(type: number, options: EchoOptions): Uint8Array {
  const payload = options.payload ?? EMPTY;
  const message = new Uint8Array(8 + payload.length);
  message[0] = type;
  writeU16(message, 4, options.id);
  writeU16(message, 6, options.seq);
  message.set(payload, 8);
  return message;
}

export function icmpEcho(options: EchoOptions): IpPayload {
  return {
    protocol: IP_PROTO_ICMP,
    encode() {
      const message = echoMessage(options.kind === 'request' ? 8 : 0, options);
      writeU16(message, 2, internetChecksum(message));
      return message;
    },
  };
}

/** An ICMPv6 message whose checksum covers the IPv6 pseudo header. */
function icmpv6(message: Uint8Array): IpPayload {
  return {
    protocol: IP_PROTO_ICMPV6,
    encode(pseudo) {
      const out = message.slice();
      writeU16(out, 2, internetChecksum(out, 0, out.length, pseudoHeaderSum(pseudo, IP_PROTO_ICMPV6, out.length)));
      return out;
    },
  };
}

export function icmpv6Echo(options: EchoOptions): IpPayload {
  return icmpv6(echoMessage(options.kind === 'request' ? 128 : 129, options));
}

/** Group record types shared by IGMPv3 and MLDv2 (RFC 3376 4.2.12). */
export const RECORD_MODE_IS_INCLUDE = 1;
export const RECORD_MODE_IS_EXCLUDE = 2;
export const RECORD_CHANGE_TO_INCLUDE = 3;
export const RECORD_CHANGE_TO_EXCLUDE = 4;

export interface GroupRecord {
  /** Default RECORD_CHANGE_TO_EXCLUDE with no sources, i.e. "join this group". */
  type?: number;
  group: IpInput;
  sources?: readonly IpInput[];
}

function groupRecords(records: readonly GroupRecord[], address: (ip: IpInput) => Uint8Array): Uint8Array {
  return concatBytes(
    records.flatMap((record) => {
      const sources = record.sources ?? [];
      const head = new Uint8Array(4);
      head[0] = record.type ?? RECORD_CHANGE_TO_EXCLUDE;
      writeU16(head, 2, sources.length);
      return [head, address(record.group), ...sources.map(address)];
    }),
  );
}

/** MLDv2 Multicast Listener Report (ICMPv6 type 143), sent to ff02::16 with a Router Alert. */
export function mldv2Report(records: readonly GroupRecord[]): IpPayload {
  const head = new Uint8Array(8);
  head[0] = 143;
  writeU16(head, 6, records.length);
  return icmpv6(concatBytes([head, groupRecords(records, ipv6Bytes)]));
}

/** IGMPv2 Membership Report (type 0x16), sent to the group itself. */
export function igmpv2Report(group: IpInput): IpPayload {
  return igmpMessage(concatBytes([Uint8Array.of(0x16, 0, 0, 0), ipv4Bytes(group)]));
}

/** IGMPv2 Leave Group (type 0x17), sent to 224.0.0.2. */
export function igmpv2Leave(group: IpInput): IpPayload {
  return igmpMessage(concatBytes([Uint8Array.of(0x17, 0, 0, 0), ipv4Bytes(group)]));
}

/** IGMPv3 Membership Report (type 0x22), sent to 224.0.0.22. */
export function igmpv3Report(records: readonly GroupRecord[]): IpPayload {
  const head = new Uint8Array(8);
  head[0] = 0x22;
  writeU16(head, 6, records.length);
  return igmpMessage(concatBytes([head, groupRecords(records, ipv4Bytes)]));
}

export const IGMPV3_REPORT_GROUP = '224.0.0.22';
export const MLDV2_REPORT_GROUP = 'ff02::16';

function igmpMessage(message: Uint8Array): IpPayload {
  return {
    protocol: IP_PROTO_IGMP,
    encode() {
      const out = message.slice();
      writeU16(out, 2, internetChecksum(out));
      return out;
    },
  };
}
