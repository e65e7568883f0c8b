// The switch's flow tables: lookup by priority with OVS's tie-break, add-or-replace, and expiry of
// idle and hard timeouts against a clock the caller supplies (capture time during replay).
import { formatActions } from './actions';
import { Slot } from './fields';
import { Flow } from './flow';
import { FlowEntry, GroupEntry } from './flow-file';
import { formatMatch } from './match-format';
import { formatHex } from './values';

export interface Rule extends FlowEntry {
  /** When the rule was added or last replaced/refreshed (seconds, caller's clock). */
  modifiedAt: number;
  /** When a packet last matched it. */
  usedAt: number;
  packets: number;
  /** Insertion order, for stable listing. */
  seq: number;
}

/** OVS's classifier groups rules by mask shape ("subtable"); ties go to the earliest subtable. */
interface Subtable {
  seq: number;
  rules: number;
}

export type ExpiryReason = 'idle_timeout' | 'hard_timeout';

export interface ExpiredRule {
  rule: Rule;
  reason: ExpiryReason;
}

class Table {
  readonly rules: Rule[] = [];
  readonly subtables = new Map<string, Subtable>();
  /** Rules whose actions are conjunction(...) clauses: they match only together (OVS's "soft" matches). */
  conjunctive = 0;
}

function isConjunctive(rule: FlowEntry): boolean {
  return rule.actions.length > 0 && rule.actions.every((a) => a.kind === 'conjunction');
}

export class FlowTables {
  private readonly tables = new Map<number, Table>();
  /** Groups of the bridge (from pasted dump-groups output). */
  readonly groups = new Map<number, GroupEntry>();
  private seq = 0;
  private subtableSeq = 0;

  constructor(entries: readonly FlowEntry[] = [], now = 0) {
    for (const e of entries) this.add(e, now);
  }

  private table(id: number): Table {
    let t = this.tables.get(id);
    if (!t) {
      t = new Table();
      this.tables.set(id, t);
    }
    return t;
  }

  /**
   * Adds a flow; a flow with the same table, match and priority is replaced (OFPFC_ADD), which also
   * restarts its timeouts. Returns true if it replaced one.
   */
  add(entry: FlowEntry, now: number): boolean {
    const t = this.table(entry.table);
    const key = entry.match.key();
    const existing = t.rules.findIndex((r) => r.priority === entry.priority && r.match.key() === key);
    const rule: Rule = { ...entry, modifiedAt: now, usedAt: now, packets: 0, seq: this.seq++ };
    if (existing >= 0) {
      rule.seq = t.rules[existing].seq;
      t.rules[existing] = rule;
      return true;
    }
    t.rules.push(rule);
    if (isConjunctive(rule)) t.conjunctive++;
    const maskKey = entry.match.maskKey();
    const sub = t.subtables.get(maskKey);
    if (sub) sub.rules++;
    else t.subtables.set(maskKey, { seq: this.subtableSeq++, rules: 1 });
    return false;
  }

  private removeAt(t: Table, index: number): Rule {
    const [rule] = t.rules.splice(index, 1);
    if (isConjunctive(rule)) t.conjunctive--;
    const maskKey = rule.match.maskKey();
    const sub = t.subtables.get(maskKey)!;
    if (--sub.rules === 0) t.subtables.delete(maskKey);
    return rule;
  }

  /**
   * The highest-priority rule matching `flow`. Among equal priorities OVS takes the rule from the
   * subtable it visits first: subtables are ordered by their highest priority, then by creation.
   */
  lookup(tableId: number, flow: Flow): Rule | null {
    const t = this.tables.get(tableId);
    if (!t) return null;
    const hard = this.lookupHard(t, flow);
    return t.conjunctive > 0 ? this.lookupConjunctive(t, flow, hard) : hard;
  }

  /**
   * Conjunctive match (ovs-fields "Conjunctive Match Fields"): when, at one priority above the best
   * ordinary match, a packet matches a flow of every clause 1..N of conjunction ID, the lookup is
   * repeated with conj_id=ID and its result wins.
   */
  private lookupConjunctive(t: Table, flow: Flow, hard: Rule | null): Rule | null {
    const floor = hard?.priority ?? -1;
    const byPriority = new Map<number, Map<number, { clauses: number; seen: Set<number> }>>();
    for (const rule of t.rules) {
      if (rule.priority <= floor || !isConjunctive(rule) || !rule.match.matches(flow)) continue;
      let ids = byPriority.get(rule.priority);
      if (!ids) byPriority.set(rule.priority, (ids = new Map()));
      for (const a of rule.actions) {
        if (a.kind !== 'conjunction') continue;
        let c = ids.get(a.id);
        if (!c) ids.set(a.id, (c = { clauses: a.clauses, seen: new Set() }));
        c.seen.add(a.clause);
      }
    }
    const saved = flow.get(Slot.ConjId);
    try {
      for (const priority of [...byPriority.keys()].sort((a, b) => b - a)) {
        const ids = byPriority.get(priority)!;
        for (const id of [...ids.keys()].sort((a, b) => a - b)) {
          const c = ids.get(id)!;
          if (c.seen.size < c.clauses) continue;
          flow.set(Slot.ConjId, BigInt(id));
          const found = this.lookupHard(t, flow);
          if (found) return found;
        }
      }
    } finally {
      flow.set(Slot.ConjId, saved);
    }
    return hard;
  }

  private lookupHard(t: Table, flow: Flow): Rule | null {
    let best: Rule | null = null;
    let bestRank: [number, number] | null = null;
    for (const rule of t.rules) {
      if (best && rule.priority < best.priority) continue;
      if (!rule.match.matches(flow)) continue;
      if (t.conjunctive > 0 && isConjunctive(rule)) continue;
      if (!best || rule.priority > best.priority) {
        best = rule;
        bestRank = null;
        continue;
      }
      bestRank ??= this.subtableRank(t, best);
      const rank = this.subtableRank(t, rule);
      if (rank[0] > bestRank[0] || (rank[0] === bestRank[0] && rank[1] < bestRank[1])) {
        best = rule;
        bestRank = rank;
      }
    }
    return best;
  }

  private subtableRank(t: Table, rule: Rule): [number, number] {
    const maskKey = rule.match.maskKey();
    let maxPriority = -1;
    for (const r of t.rules) if (r.priority > maxPriority && r.match.maskKey() === maskKey) maxPriority = r.priority;
    return [maxPriority, t.subtables.get(maskKey)!.seq];
  }

  /** Records a hit (idle timeouts count from the last hit). */
  touch(rule: Rule, now: number): void {
    rule.usedAt = now;
    rule.packets++;
  }

  /** Removes rules whose hard or idle timeout has passed at `now`; returns them. */
  expire(now: number): ExpiredRule[] {
    const expired: ExpiredRule[] = [];
    for (const t of this.tables.values()) {
      for (let i = t.rules.length - 1; i >= 0; i--) {
        const r = t.rules[i];
        let reason: ExpiryReason | null = null;
        if (r.hardTimeout && now > r.modifiedAt + r.hardTimeout) reason = 'hard_timeout';
        else if (r.idleTimeout && now > r.usedAt + r.idleTimeout) reason = 'idle_timeout';
        if (reason) expired.unshift({ rule: this.removeAt(t, i), reason });
      }
    }
    return expired;
  }

  /** How many flows of `tableId` a learn action made, and whether one with this match and priority is among them. */
  learnedCount(tableId: number, by: object, entry: FlowEntry): { count: number; present: boolean } {
    const t = this.tables.get(tableId);
    if (!t) return { count: 0, present: false };
    const key = entry.match.key();
    let count = 0;
    let present = false;
    for (const r of t.rules) {
      if (r.learnedBy !== by) continue;
      count++;
      if (r.priority === entry.priority && r.match.key() === key) present = true;
    }
    return { count, present };
  }

  /** Rules of one table, highest priority first (ties in insertion order), as dump-flows lists them. */
  rulesOf(tableId: number): Rule[] {
    const t = this.tables.get(tableId);
    if (!t) return [];
    return [...t.rules].sort((a, b) => b.priority - a.priority || a.seq - b.seq);
  }

  tableIds(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }
}

/**
 * A rule in the form `--dump-table` prints: `priority=1,vlan_tci=0x0001/0x0fff,dl_dst=...,hard_timeout=300,actions=...`
 * (match as OVS prints it, then cookie and timeouts, then actions).
 */
export function formatRule(rule: FlowEntry, withTable = false): string {
  const parts: string[] = [];
  if (withTable) parts.push(`table=${rule.table}`);
  const match = formatMatch(rule.match, rule.priority);
  if (match) parts.push(match);
  if (rule.cookie) parts.push(`cookie=${formatHex(rule.cookie)}`);
  if (rule.idleTimeout) parts.push(`idle_timeout=${rule.idleTimeout}`);
  if (rule.hardTimeout) parts.push(`hard_timeout=${rule.hardTimeout}`);
  parts.push(`actions=${formatActions(rule.actions)}`);
  return parts.join(',');
}
