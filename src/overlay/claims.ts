// Address ownership inside tenants: an inner IP claimed by two MACs in one tenant (a real conflict:
// equal IPs in different tenants are normal), and one inner MAC seen in two tenants. Checked on the
// first frame of each flow direction, not per packet.
import { WordTable, growFloat64, growInt32, growUint32 } from './word-table';

export interface DuplicateIp {
  tenant: number;
  /** Address words (1 = IPv4, 4 = IPv6). */
  words: number[];
  claims: { macHi: number; macLo: number; frame: number }[];
}

export interface MacInTenants {
  macHi: number;
  macLo: number;
  tenants: number[];
  /** Frame at which it appeared in the second tenant. */
  frame: number;
}

/** A MAC seen in more than one tenant: its tenants in order of sight, and when the second came. */
interface MacTenants {
  tenants: number[];
  frame: number;
}

export class AddressClaims {
  private readonly ips: WordTable;
  private readonly ipDuplicates = new Map<number, DuplicateIp>();
  private readonly macs: WordTable;
  /** Per MAC entry: the first tenant it was seen in (columns, not an object per MAC: there can be millions). */
  private macTenant: Int32Array;
  /** The few MACs seen in several tenants, by entry. */
  private readonly macMulti = new Map<number, MacTenants>();
  // Per address entry: the MAC that claimed it first, and at which frame.
  private claimHi: Uint32Array;
  private claimLo: Uint32Array;
  private claimFrame: Float64Array;

  /** `reserve`: room for about that many addresses and MACs before the columns grow (pages not reached cost nothing). */
  constructor(reserve = 256) {
    this.ips = new WordTable(256, 4, reserve);
    this.macs = new WordTable(256, 2, reserve);
    this.macTenant = new Int32Array(this.macs.keyStart.length);
    const claims = this.ips.keyStart.length;
    this.claimHi = new Uint32Array(claims);
    this.claimLo = new Uint32Array(claims);
    this.claimFrame = new Float64Array(claims);
  }

  /** `tenant`'s MAC hi:lo sent a frame with source address words[at..at+length). */
  claimIp(frame: number, tenant: number, words: Uint32Array, at: number, length: number, macHi: number, macLo: number): void {
    if ((macHi & 0x100) !== 0) return; // a group MAC claims nothing
    let zero = true;
    const key = this.ips.key;
    key[0] = tenant;
    for (let i = 0; i < length; i++) {
      key[1 + i] = words[at + i];
      if (words[at + i] !== 0) zero = false;
    }
    if (zero) return; // 0.0.0.0 / :: (DHCP, ARP probes) is nobody's address
    const entry = this.ips.intern(1 + length);
    if (this.ips.added) {
      if (entry === this.claimHi.length) {
        this.claimHi = growUint32(this.claimHi, entry * 2);
        this.claimLo = growUint32(this.claimLo, entry * 2);
        this.claimFrame = growFloat64(this.claimFrame, entry * 2);
      }
      this.claimHi[entry] = macHi;
      this.claimLo[entry] = macLo;
      this.claimFrame[entry] = frame;
      return;
    }
    if (this.claimHi[entry] === macHi && this.claimLo[entry] === macLo) return;
    let duplicate = this.ipDuplicates.get(entry);
    if (!duplicate) {
      duplicate = {
        tenant,
        words: Array.from(words.subarray(at, at + length)),
        claims: [{ macHi: this.claimHi[entry], macLo: this.claimLo[entry], frame: this.claimFrame[entry] }],
      };
      this.ipDuplicates.set(entry, duplicate);
    }
    if (!duplicate.claims.some((c) => c.macHi === macHi && c.macLo === macLo)) duplicate.claims.push({ macHi, macLo, frame });
  }

  /** `tenant` carried a frame from MAC hi:lo. */
  seeMac(frame: number, tenant: number, macHi: number, macLo: number): void {
    if ((macHi & 0x100) !== 0) return;
    const key = this.macs.key;
    key[0] = macHi;
    key[1] = macLo;
    const entry = this.macs.intern(2);
    if (this.macs.added) {
      if (entry === this.macTenant.length) this.macTenant = growInt32(this.macTenant, entry * 2);
      this.macTenant[entry] = tenant;
      return;
    }
    if (this.macTenant[entry] === tenant) return;
    const multi = this.macMulti.get(entry);
    if (multi === undefined) this.macMulti.set(entry, { tenants: [this.macTenant[entry], tenant], frame });
    else if (!multi.tenants.includes(tenant)) multi.tenants.push(tenant);
  }

  duplicateIps(): DuplicateIp[] {
    return [...this.ipDuplicates.values()];
  }

  macsInTenants(): MacInTenants[] {
    const out: MacInTenants[] = [];
    // In order of the MACs' first sight, as the entries are numbered.
    const entries = [...this.macMulti].sort((a, b) => a[0] - b[0]);
    for (const [entry, { tenants, frame }] of entries) {
      out.push({ macHi: this.macs.word(entry, 0), macLo: this.macs.word(entry, 1), tenants: [...tenants], frame });
    }
    return out;
  }
}
