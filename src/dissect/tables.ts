// Dispatch tables, as in Wireshark's epan: a dissector registers under a key (an ethertype, an IP
// protocol number, a UDP port...) and its parent looks the key up instead of testing it in an if-chain.
import type { Dissection } from './dissection';

/** Dissects the bytes [offset, end) of ctx.buf; end is the captured end of this layer's payload. */
export type Dissector = (ctx: Dissection, offset: number, end: number) => void;

/**
 * A dissector module, registered in two phases as in Wireshark's epan: first every module registers
 * its protocols and fields (register), then every module puts its dissectors into the tables of the
 * protocols that carry it (handoff). registry.ts runs both, once.
 */
export interface DissectorModule {
  readonly name: string;
  register(): void;
  handoff(): void;
}

const dissectorsByName = new Map<string, Dissector>();

/** Names a dissector so "decode as" and the CLI can refer to it ("vxlan", "geneve"...). */
export function registerDissector(name: string, dissector: Dissector): Dissector {
  dissectorsByName.set(name, dissector);
  return dissector;
}

export function dissectorByName(name: string): Dissector | undefined {
  return dissectorsByName.get(name);
}

export function dissectorNames(): string[] {
  return [...dissectorsByName.keys()].sort();
}

/** Keys below this (every ethertype, port and protocol number) also sit in a dense array. */
const DENSE_KEYS = 0x10000;

export class DissectorTable {
  private readonly entries = new Map<number, Dissector>();
  /** The same entries by key: an array load instead of a Map lookup, several times per packet. */
  private readonly dense: (Dissector | undefined)[] = [];

  constructor(readonly name: string) {}

  register(key: number, dissector: Dissector): void {
    this.entries.set(key, dissector);
    if (key >= 0 && key < DENSE_KEYS && Number.isInteger(key)) {
      while (this.dense.length <= key) this.dense.push(undefined);
      this.dense[key] = dissector;
    }
  }

  keys(): number[] {
    return [...this.entries.keys()];
  }

  /** The dissector for a key, honouring the session's "decode as" overrides first. */
  lookup(ctx: Dissection, key: number): Dissector | undefined {
    if (ctx.decodeAs !== null) {
      const override = ctx.decodeAs.get(this.name)?.get(key);
      if (override !== undefined) return dissectorsByName.get(override);
    }
    return key >= 0 && key < this.dense.length ? this.dense[key] : this.entries.get(key);
  }

  /** Runs the dissector for key on [offset, end); returns false when no dissector claims it. */
  dispatch(ctx: Dissection, key: number, offset: number, end: number): boolean {
    const dissector = this.lookup(ctx, key);
    if (dissector === undefined) return false;
    dissector(ctx, offset, end);
    return true;
  }
}

export const linkTypeTable = new DissectorTable('frame.link_type');
export const ethertypeTable = new DissectorTable('ethertype');
export const ipProtoTable = new DissectorTable('ip.proto');
export const udpPortTable = new DissectorTable('udp.port');
export const tcpPortTable = new DissectorTable('tcp.port');
export const greProtoTable = new DissectorTable('gre.proto');
/** VXLAN-GPE's next protocol (IETF draft-ietf-nvo3-vxlan-gpe: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS). */
export const vxlanNextProtoTable = new DissectorTable('vxlan.next_proto');
/** NSH's next protocol (RFC 8300, the same numbers). */
export const nshNextProtoTable = new DissectorTable('nsh.next_proto');
/** PPP's protocol field (0x0021 IPv4, 0x0057 IPv6, 0x0281 MPLS...). */
export const pppProtocolTable = new DissectorTable('ppp.protocol');

export const dissectorTables = [linkTypeTable, ethertypeTable, ipProtoTable, udpPortTable, tcpPortTable, greProtoTable, vxlanNextProtoTable, nshNextProtoTable, pppProtocolTable];

export function tableByName(name: string): DissectorTable | undefined {
  return dissectorTables.find((t) => t.name === name);
}
