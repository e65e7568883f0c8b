// Address ownership inside tenants: an inner IP claimed by two MACs in one tenant (a real conflict:
// equal IPs in different tenants are normal), and one inner MAC seen in two tenants. Checked on the
// first frame of each flow direction, not per packet.
import { WordTable } from './word-table';

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

export class AddressClaims {
  private readonly ips = new WordTable();
  private readonly ipDuplicates = new Map<number, DuplicateIp>();
  private readonly macs = new WordTable();
  private readonly macTenants: number[][] = [];
  private readonly macFrames: number[] = [];
  private claimHi: number[] = [];
  private claimLo: number[] = [];
  private claimFrame: number[] = [];

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
      this.macTenants[entry] = [tenant];
      this.macFrames[entry] = -1;
      return;
    }
    const tenants = this.macTenants[entry];
    if (tenants[0] === tenant || tenants.includes(tenant)) return;
    tenants.push(tenant);
    if (this.macFrames[entry] < 0) this.macFrames[entry] = frame;
  }

  duplicateIps(): DuplicateIp[] {
    return [...this.ipDuplicates.values()];
  }

  macsInTenants(): MacInTenants[] {
    const out: MacInTenants[] = [];
    for (let entry = 0; entry < this.macs.count; entry++) {
      const tenants = this.macTenants[entry];
      if (tenants.length > 1) out.push({ macHi: this.macs.word(entry, 0), macLo: this.macs.word(entry, 1), tenants: [...tenants], frame: this.macFrames[entry] });
    }
    return out;
  }
}
