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
  /**
   * The same entries by key, for keys below DENSE_KEYS: array loads instead of a Map lookup, several
   * times per packet. denseSlot[key] is 1 + the dissector's place in denseDissectors, 0 for none (a
   * zeroed typed array costs nothing to make, where an array of 0x88be slots costs more than the rest
   * of the registry).
   */
  private readonly denseSlot = new Uint16Array(DENSE_KEYS);
  private readonly denseDissectors: (Dissector | undefined)[] = [undefined];

  constructor(readonly name: string) {}

  register(key: number, dissector: Dissector): void {
    this.entries.set(key, dissector);
    if (key >= 0 && key < DENSE_KEYS && Number.isInteger(key)) {
      let slot = this.denseDissectors.indexOf(dissector);
      if (slot < 0) slot = this.denseDissectors.push(dissector) - 1;
      this.denseSlot[key] = slot;
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
    return key >= 0 && key < DENSE_KEYS ? this.denseDissectors[this.denseSlot[key]] : this.entries.get(key);
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
