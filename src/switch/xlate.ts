// The pipeline: runs one packet through the flow tables the way OVS's ofproto-dpif-xlate does. Trace
// and replay both call translate(); the explanation (steps, trace tree, outputs, learned flows, drop)
// is recorded while the actions run, never reconstructed afterwards.
import { Action, CtAction, formatAction, formatActions, LearnAction } from './actions';
import { Bridge, BridgePort, isTunnel, patchPeer, portByNumber } from './bridge';
import { applyNat, Conntrack, NatRewrite, ScriptedConntrack } from './conntrack';
import { ETH_TYPE_IP, ETH_TYPE_IPV6, ones, REG_COUNT, Slot, VLAN_CFI, VLAN_PCP_MASK } from './fields';
import { selectBucket } from './group-select';
import { floodOrder } from './port-order';
import { includesVlan, inputVidRefusal, inputVlan, outputVid } from './port-vlan';
import { constrainSubfield, Flow, Match, readSubfield, writeSubfield } from './flow';
import { FlowEntry } from './flow-file';
import { FlowTables, formatRule, Rule } from './flow-tables';
import { formatFlow, formatMatch } from './match-format';
import { formatCtStateFlags, formatHex, formatIpv4, formatIpv6, formatMac, OFPP_ALL, OFPP_CONTROLLER, OFPP_FLOOD, OFPP_IN_PORT, OFPP_LOCAL, OFPP_NORMAL, OFPP_TABLE } from './values';

/** OVS limits (ofproto-dpif-xlate.c): nested backward resubmits, and resubmits per packet. */
export const MAX_DEPTH = 64;
export const MAX_RESUBMITS = MAX_DEPTH * MAX_DEPTH;
/** Recirculations of one packet before the emulator gives up (OVS limits them per packet too). */
export const MAX_RECIRCULATIONS = 6;

/**
 * Addresses NORMAL never forwards (OVS's eth_addr_is_reserved, as Open vSwitch 3.x has it): the IEEE
 * 802.1 link-local group 01:80:c2:00:00:00-0f, Extreme's EDP and EAPS, Cisco's ISL, PAgP/CDP, PVST+,
 * UplinkFast and CFM addresses. (01:80:c2:00:00:10 and the GARP range 01:80:c2:00:00:2x are flooded.)
 */
const RESERVED_MACS = new Set([
  0x00e02b000000n, 0x00e02b000004n, 0x00e02b000006n,
  0x01000c000000n, 0x01000cccccccn, 0x01000ccccccdn, 0x01000ccdcdcdn,
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => 0x01000cccccc0n + BigInt(i)),
]);

function isReservedMac(mac: bigint): boolean {
  return mac >> 4n === 0x0180c200000n || RESERVED_MACS.has(mac);
}

export type TraceNodeKind = 'table' | 'action' | 'detail' | 'warn' | 'error' | 'bridge' | 'recirc';

export interface TraceNode {
  kind: TraceNodeKind;
  text: string;
  subs: TraceNode[];
}

/** One table visited: the rule that matched, or priority null for a miss. */
export interface TraceStep {
  /** With several bridges: the bridge whose table this is. */
  bridge?: string;
  table: number;
  priority: number | null;
  match: string | null;
  actions: string | null;
}

export interface TraceOutput {
  port: number | string;
  /** Outer VLAN ID on the wire, null when untagged. */
  vlan: number | null;
  /** tun_id in the metadata (or the fixed key of a tunnel port). */
  tunId: number | string;
  portName?: string;
  tunnel?: { type: string; remoteIp: string };
  /** With several bridges: the bridge the port belongs to. */
  bridge?: string;
}

export interface LearnedFlow {
  entry: FlowEntry;
  text: string;
  /** The flow tables it goes into (the bridge whose learn action ran). */
  tables: FlowTables;
}

export interface XlateResult {
  input: Flow;
  final: Flow;
  steps: TraceStep[];
  trace: TraceNode[];
  outputs: TraceOutput[];
  learned: LearnedFlow[];
  /** Datapath-style summary, e.g. ["pop_vlan", "2", "3"]. */
  datapath: string[];
  /** The Ethernet addresses each output left with (actions such as an ARP responder rewrite them). */
  outputMacs: { src: bigint; dst: bigint }[];
  error: string | null;
  drop: boolean;
}

/** State the NORMAL action keeps between packets (a MAC learning table per VLAN). */
export type MacTable = Map<string, number>;

/** One bridge of a host: its ports, its flow tables (and groups) and NORMAL's MAC table. */
export interface SwitchBridge {
  /** Absent when the flows were given without any port description. */
  bridge?: Bridge;
  tables: FlowTables;
  macTable: MacTable;
}

export interface XlateEnv {
  tables: FlowTables;
  bridge?: Bridge;
  /** Seconds on the caller's clock (capture time during replay). */
  now: number;
  /** Apply learn (and NORMAL MAC learning) and count hits, like ofproto/trace -generate. */
  sideEffects: boolean;
  /**
   * Build the ofproto/trace-like explanation tree. Like OVS's xlate_report, nothing is formatted when
   * nobody asked (replay reads only steps, outputs and learned flows). Default: true.
   */
  explain?: boolean;
  macTable?: MacTable;
  /** Every bridge of the host (the ingress one included): patch ports lead into the others. */
  bridges?: readonly SwitchBridge[];
  /** Connection tracker ct() asks for the state of each recirculation (default: trk|new, like ofproto/trace). */
  conntrack?: Conntrack;
}

type CurrentBridge = Omit<SwitchBridge, 'macTable'> & { macTable?: MacTable };

/** A ct(table=N) waiting to resume: the packet as ct() saw it, in the bridge where it ran. */
interface Recirculation {
  flow: Flow;
  table: number;
  at: CurrentBridge;
  state: bigint;
}

function tunIdValue(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : formatHex(v);
}

function vlanStack(flow: Flow): bigint[] {
  const stack: bigint[] = [];
  for (const slot of [Slot.VlanTci, Slot.VlanTci1]) {
    const tci = flow.get(slot);
    if (tci & VLAN_CFI) stack.push(tci);
    else break;
  }
  return stack;
}

/** A rule's match and actions as OVS prints them, formatted once per rule (rules never change in place). */
const ruleTexts = new WeakMap<Rule, { match: string; actions: string }>();

function ruleText(rule: Rule): { match: string; actions: string } {
  let text = ruleTexts.get(rule);
  if (!text) {
    text = { match: formatMatch(rule.match), actions: formatActions(rule.actions) };
    ruleTexts.set(rule, text);
  }
  return text;
}

function formatRewrite(r: NatRewrite, v6: boolean): string {
  const addr = (a: bigint) => (v6 ? formatIpv6(a) : formatIpv4(a));
  const side = (name: string, e: { addr: bigint; port?: bigint } | undefined) => (e ? [`${name} ${addr(e.addr)}${e.port !== undefined ? ` port ${e.port}` : ''}`] : []);
  return [...side('source', r.src), ...side('destination', r.dst)].join(', ');
}

class XlateContext {
  depth = 0;
  resubmits = 0;
  tableId = 0;
  error: string | null = null;
  exit = false;
  trace: TraceNode[];
  readonly root: TraceNode[] = [];
  readonly steps: TraceStep[] = [];
  readonly outputs: TraceOutput[] = [];
  readonly outputMacs: { src: bigint; dst: bigint }[] = [];
  readonly learned: LearnedFlow[] = [];
  readonly datapath: string[] = [];
  /** The VLAN stack and tunnel ID the datapath actions so far have produced. */
  private committedVlans: bigint[];
  private committedTunId: bigint;
  /** The bridge whose tables run now (patch ports move the packet into another). */
  cur: CurrentBridge;
  private readonly multiBridge: boolean;
  readonly recirculations: Recirculation[] = [];
  private readonly conntrack: Conntrack;
  flow: Flow;

  constructor(readonly env: XlateEnv, packet: Flow) {
    this.cur = env.bridges?.find((b) => b.tables === env.tables) ?? { bridge: env.bridge, tables: env.tables, macTable: env.macTable };
    this.multiBridge = (env.bridges?.length ?? 0) > 1;
    this.conntrack = env.conntrack ?? new ScriptedConntrack([]);
    this.flow = packet.clone();
    this.trace = this.root;
    this.explaining = env.explain !== false;
    this.committedVlans = vlanStack(packet);
    this.committedTunId = packet.get(Slot.TunId);
  }

  /** Whether the explanation tree is being built; callers test it before formatting any text. */
  readonly explaining: boolean;

  report(kind: TraceNodeKind, text: string): void {
    if (this.explaining) this.trace.push({ kind, text, subs: [] });
  }

  /** Looks a table up and runs the rule's actions (xlate_table_action + xlate_recursively). */
  runTable(tableId: number, lookupPort: number | null, initial: boolean): void {
    if (!initial) {
      if (this.depth >= MAX_DEPTH) {
        this.fail(`over max translation depth ${MAX_DEPTH}`, 'Recursion too deep');
        return;
      }
      if (this.resubmits >= MAX_RESUBMITS) {
        this.fail(`over ${MAX_RESUBMITS} resubmit actions`, 'Too many resubmits');
        return;
      }
    }
    const oldTable = this.tableId;
    this.tableId = tableId;
    const savedInPort = this.flow.get(Slot.InPort);
    if (lookupPort !== null) this.flow.set(Slot.InPort, BigInt(lookupPort));
    const rule = this.cur.tables.lookup(tableId, this.flow);
    this.flow.set(Slot.InPort, savedInPort);
    const savedTrace = this.trace;
    if (!rule) {
      this.steps.push({ ...(this.multiBridge ? { bridge: this.cur.bridge?.name } : {}), table: tableId, priority: null, match: null, actions: null });
      if (this.explaining) this.trace.push({ kind: 'table', text: `${String(tableId).padStart(2)}. No match.`, subs: [{ kind: 'action', text: 'drop', subs: [] }] });
    } else {
      if (this.env.sideEffects) this.cur.tables.touch(rule, this.env.now);
      const text = ruleText(rule);
      this.steps.push({ ...(this.multiBridge ? { bridge: this.cur.bridge?.name } : {}), table: tableId, priority: rule.priority, match: text.match, actions: text.actions });
      if (this.explaining) {
        const cookie = rule.cookie ? `, cookie ${formatHex(rule.cookie)}` : '';
        const node: TraceNode = { kind: 'table', text: `${String(tableId).padStart(2)}. ${text.match ? text.match + ', ' : ''}priority ${rule.priority}${cookie}`, subs: [] };
        this.trace.push(node);
        this.trace = node.subs;
      }
    }
    // A miss in a resubmitted table still counts as a resubmit (OVS runs its internal miss rule).
    const deepens = !initial && tableId <= oldTable;
    if (!initial) this.resubmits++;
    if (deepens) this.depth++;
    if (rule) {
      if (rule.actions.length === 0) this.report('action', 'drop');
      this.doActions(rule, rule.actions);
    }
    if (deepens) this.depth--;
    this.trace = savedTrace;
    this.tableId = oldTable;
  }

  fail(message: string, summary: string): void {
    this.report('error', message);
    this.error ??= summary;
  }

  private stopped(): boolean {
    return this.exit || this.error !== null;
  }

  private doActions(rule: Rule, actions: readonly Action[]): void {
    for (const a of actions) {
      if (this.stopped()) return;
      if (this.explaining) this.report('action', formatAction(a));
      if (!this.doAction(rule, a)) return;
    }
  }

  /** Executes one action; false stops the rest of this action list (dec_ttl exception). */
  private doAction(rule: Rule, a: Action): boolean {
    const flow = this.flow;
    switch (a.kind) {
      case 'output':
        this.output(a.port);
        return true;
      case 'output-field':
        this.output(Number(readSubfield(flow, a.src)));
        return true;
      case 'resubmit':
        this.runTable(a.table ?? this.tableId, a.port === null ? null : a.port === OFPP_IN_PORT ? flow.inPort : a.port, false);
        return true;
      case 'goto_table':
        this.runTable(a.table, null, false);
        return true;
      case 'mod_vlan_vid': {
        // On an untagged frame this pushes a tag with priority 0 (OpenFlow 1.0 semantics).
        const tci = flow.get(Slot.VlanTci);
        flow.set(Slot.VlanTci, (tci & VLAN_CFI ? tci & ~0x0fffn : VLAN_CFI) | BigInt(a.vid));
        return true;
      }
      case 'mod_vlan_pcp': {
        const tci = flow.get(Slot.VlanTci);
        flow.set(Slot.VlanTci, (tci & VLAN_CFI ? tci & ~0xe000n : VLAN_CFI) | (BigInt(a.pcp) << 13n));
        return true;
      }
      case 'strip_vlan':
        flow.set(Slot.VlanTci, flow.get(Slot.VlanTci1));
        flow.set(Slot.VlanTci1, 0n);
        return true;
      case 'push_vlan':
        // OVS pushes a tag with VID 0 and priority 0 on top of any existing tag.
        flow.set(Slot.VlanTci1, flow.get(Slot.VlanTci));
        flow.set(Slot.VlanTci, VLAN_CFI);
        return true;
      case 'set_tunnel':
        flow.set(Slot.TunId, a.id);
        return true;
      case 'set_field':
        if (flow.satisfies(a.field.prereq)) flow.writeField(a.field, a.value & a.mask, a.mask);
        return true;
      case 'load':
        if (flow.satisfies(a.dst.field.prereq)) writeSubfield(flow, a.dst, a.value);
        return true;
      case 'move':
        if (flow.satisfies(a.src.field.prereq) && flow.satisfies(a.dst.field.prereq)) writeSubfield(flow, a.dst, readSubfield(flow, a.src));
        return true;
      case 'mod_field':
        if (flow.satisfies(a.field.prereq)) flow.writeField(a.field, a.value & ones(a.field.bits));
        return true;
      case 'dec_ttl': {
        const dlType = flow.get(Slot.DlType);
        if (dlType !== ETH_TYPE_IP && dlType !== ETH_TYPE_IPV6) return true;
        const ttl = flow.get(Slot.NwTtl);
        if (ttl > 1n) {
          flow.set(Slot.NwTtl, ttl - 1n);
          return true;
        }
        this.report('warn', `IPv${dlType === ETH_TYPE_IP ? 4 : 6} decrement TTL exception`);
        return false;
      }
      case 'learn':
        this.learn(rule, a);
        return true;
      case 'controller':
        this.report('detail', 'no controller connected: packet-in not sent');
        return true;
      case 'exit':
        this.exit = true;
        return true;
      case 'note':
      case 'conjunction':
        return true;
      case 'ct':
        this.ct(a);
        return true;
      case 'ct_clear':
        for (const slot of [Slot.CtState, Slot.CtZone, Slot.CtMark, Slot.CtLabel]) flow.set(slot, 0n);
        this.conntrack.clear?.();
        return true;
      case 'clone':
        this.clone(rule, a.actions);
        return true;
      case 'group':
        this.group(rule, a.id);
        return true;
    }
  }

  /**
   * Runs actions on a copy of the packet; the packet after clone() is as before it (outputs stay). An
   * exit inside the clone ends the whole translation, as in Open vSwitch (clone(output:4,exit),output:5
   * outputs to 4 only).
   */
  private clone(rule: Rule, actions: readonly Action[]): void {
    const saved = this.flow.clone();
    const savedTrace = this.trace;
    this.doActions(rule, actions);
    this.flow = saved;
    this.trace = savedTrace;
  }

  /** group:N of the current bridge: every bucket of an all group, the chosen one of a select group, the first of the others. */
  private group(rule: Rule, id: number): void {
    const group = this.cur.tables.groups.get(id);
    if (!group) {
      this.fail(`group ${id} does not exist in ${this.cur.bridge?.name ?? 'the bridge'}: append \`ovs-ofctl dump-groups\` output to the flow file`, 'Group missing');
      return;
    }
    let buckets = group.buckets;
    if (group.type === 'select' && buckets.length > 1) {
      const chosen = selectBucket(group, this.flow);
      if ('error' in chosen) {
        this.fail(chosen.error, 'Select group');
        return;
      }
      if (this.explaining) this.report('detail', chosen.reason);
      buckets = [chosen.bucket];
    }
    if (group.type === 'ff' || group.type === 'indirect') buckets = buckets.slice(0, 1);
    for (const bucket of buckets) {
      if (this.explaining && group.type !== 'select') this.report('detail', `bucket ${bucket.id}`);
      this.clone(rule, bucket.actions);
      // A bucket's exit does not end the translation after the group (OVS's xlate_group_bucket).
      this.exit = false;
    }
  }

  /**
   * ct(): the tracker classifies the packet in its zone (and commits it); with table=N a tracked copy
   * resumes at table N once this pass ends, and the packet itself goes on untracked.
   */
  private ct(a: CtAction): void {
    const flow = this.flow;
    const zone = 'src' in a.zone ? Number(readSubfield(flow, a.zone.src)) : a.zone.value;
    const exec = a.exec.length === 0 ? null : (mark: bigint, label: bigint) => {
      const scratch = flow.clone();
      scratch.set(Slot.CtMark, mark);
      scratch.set(Slot.CtLabel, label);
      const savedFlow = this.flow;
      this.flow = scratch;
      for (const x of a.exec) this.doAction({} as Rule, x);
      this.flow = savedFlow;
      return { mark: scratch.get(Slot.CtMark), label: scratch.get(Slot.CtLabel) };
    };
    const result = this.conntrack.execute(flow, { zone, commit: a.commit, exec, force: a.force, nat: a.nat, now: this.env.now });
    if (this.explaining && result.note) this.report('detail', `conntrack: ${result.note}`);
    if (a.table !== null) {
      const copy = flow.clone();
      copy.set(Slot.CtState, result.state);
      copy.set(Slot.CtZone, BigInt(zone));
      copy.set(Slot.CtMark, result.mark);
      copy.set(Slot.CtLabel, result.label);
      // The datapath translates the packet itself, so the recirculated copy carries the new addresses.
      if (result.rewrite) {
        applyNat(copy, result.rewrite);
        if (this.explaining) this.report('detail', `nat: ${formatRewrite(result.rewrite, copy.get(Slot.DlType) === ETH_TYPE_IPV6)}`);
      }
      this.recirculations.push({ flow: copy, table: a.table, at: this.cur, state: result.state });
      if (this.explaining) this.report('detail', `A clone of the packet is forked to recirculate. The forked pipeline will be resumed at table ${a.table}.`);
    }
    for (const slot of [Slot.CtState, Slot.CtZone, Slot.CtMark, Slot.CtLabel]) flow.set(slot, 0n);
    if (this.explaining) this.report('detail', 'Sets the packet to an untracked state, and clears all the conntrack fields.');
  }

  /** Resumes one recirculation: the tracked copy runs from its table in the bridge where ct() ran. */
  resume(r: Recirculation, index: number): void {
    this.flow = r.flow;
    this.cur = r.at;
    this.exit = false;
    this.depth = 0;
    this.committedVlans = vlanStack(r.flow);
    this.committedTunId = r.flow.get(Slot.TunId);
    if (this.explaining) {
      const node: TraceNode = { kind: 'recirc', text: `recirc(0x${(index + 1).toString(16)}) - resume conntrack with ct_state=${formatCtStateFlags(r.state)}`, subs: [] };
      this.root.push(node);
      this.trace = node.subs;
      this.report('bridge', r.at.bridge?.name ?? 'br0');
      this.report('detail', `Resuming from table ${r.table}`);
    }
    this.runTable(r.table, null, true);
    this.trace = this.root;
  }

  private learn(_rule: Rule, a: LearnAction): void {
    const flow = this.flow;
    const match = new Match();
    const actions: Action[] = [];
    for (const spec of a.specs) {
      switch (spec.kind) {
        case 'match-field':
          constrainSubfield(match, spec.dst, readSubfield(flow, spec.src));
          break;
        case 'match-value':
          constrainSubfield(match, spec.dst, spec.value);
          break;
        case 'load-field':
          actions.push({ kind: 'load', dst: spec.dst, value: readSubfield(flow, spec.src) });
          break;
        case 'load-value':
          actions.push({ kind: 'load', dst: spec.dst, value: spec.value });
          break;
        case 'output':
          actions.push({ kind: 'output', port: Number(readSubfield(flow, spec.src)) });
          break;
      }
    }
    const entry: FlowEntry = {
      table: a.table,
      priority: a.priority,
      cookie: a.cookie,
      idleTimeout: a.idleTimeout,
      hardTimeout: a.hardTimeout,
      match,
      actions,
      line: 0,
      learnedBy: a,
    };
    if (a.limit || a.resultDst) {
      // Flows this action learned earlier in this packet's translation count too.
      const { count, present } = this.cur.tables.learnedCount(a.table, a, entry);
      const pending = this.learned.filter((l) => l.entry.learnedBy === a && l.tables === this.cur.tables).length;
      const allowed = !a.limit || present || count + pending < a.limit;
      if (a.resultDst) writeSubfield(flow, a.resultDst, allowed ? 1n : 0n);
      if (!allowed) {
        if (this.explaining) this.report('detail', `limit ${a.limit} reached: not learned`);
        return;
      }
    }
    if (this.explaining) {
      const timeouts = `${a.idleTimeout ? ` idle=${a.idleTimeout}` : ''}${a.hardTimeout ? ` hard=${a.hardTimeout}` : ''}`;
      this.report('detail', `table=${a.table} ${formatMatch(match)} priority=${a.priority}${timeouts} actions=${formatActions(actions)}`);
    }
    this.learned.push({ entry, text: (this.multiBridge ? `${this.cur.bridge?.name}: ` : '') + formatRule(entry, true), tables: this.cur.tables });
  }

  /** compose_output_action: special ports, skipping the input port, then the datapath output. */
  private output(port: number): void {
    const flow = this.flow;
    const bridge = this.cur.bridge;
    switch (port) {
      case OFPP_IN_PORT:
        this.emit(flow.inPort);
        return;
      case OFPP_NORMAL:
        this.normal();
        return;
      case OFPP_FLOOD:
      case OFPP_ALL:
        this.flood();
        return;
      case OFPP_CONTROLLER:
        this.report('detail', 'no controller connected: packet-in not sent');
        return;
      case OFPP_TABLE:
        // Open vSwitch runs the packet through the tables again from table 0, as a resubmit would.
        this.runTable(0, null, false);
        return;
    }
    if (port === flow.inPort) {
      this.report('warn', 'skipping output to input port');
      return;
    }
    if (bridge && !bridge.partial && port !== OFPP_LOCAL && !portByNumber(bridge, port)) {
      if (this.explaining) this.report('warn', `Nonexistent output port ${port}`);
      return;
    }
    this.emit(port);
  }

  /**
   * Output to a patch port: the packet enters the peer bridge at table 0 from the peer port, with
   * registers, metadata and conntrack fields cleared (OVS's patch_port_output); afterwards this bridge
   * goes on with the packet as it was.
   */
  private crossPatch(port: number): boolean {
    const bridgePort = this.cur.bridge ? portByNumber(this.cur.bridge, port) : undefined;
    if (!bridgePort || bridgePort.type !== 'patch' || !this.env.bridges) return false;
    const peer = patchPeer(this.env.bridges.flatMap((b) => (b.bridge ? [b.bridge] : [])), bridgePort);
    const target = peer && this.env.bridges.find((b) => b.bridge === peer.bridge);
    if (!peer || !target) {
      if (this.explaining) this.report('warn', `patch port ${bridgePort.name} has no peer bridge described: packet stops here`);
      return true;
    }
    if (this.depth >= MAX_DEPTH) {
      this.fail(`over max translation depth ${MAX_DEPTH}`, 'Recursion too deep');
      return true;
    }
    const saved = { flow: this.flow, cur: this.cur, trace: this.trace, table: this.tableId, exit: this.exit };
    const flow = this.flow.clone();
    flow.set(Slot.InPort, BigInt(peer.port.ofport));
    flow.set(Slot.Metadata, 0n);
    for (let i = 0; i < REG_COUNT; i++) flow.set(Slot.Reg0 + i, 0n);
    for (const slot of [Slot.CtState, Slot.CtZone, Slot.CtMark, Slot.CtLabel, Slot.ConjId]) flow.set(slot, 0n);
    this.flow = flow;
    this.cur = target;
    if (this.explaining) {
      const node: TraceNode = { kind: 'bridge', text: peer.bridge.name, subs: [] };
      this.trace.push(node);
      this.trace = node.subs;
    }
    this.depth++;
    this.runTable(0, null, true);
    this.depth--;
    ({ flow: this.flow, cur: this.cur, trace: this.trace, table: this.tableId, exit: this.exit } = saved);
    return true;
  }

  /** output:FLOOD / output:ALL: every port but the input one, in the order of OVS's port table. */
  private flood(): void {
    const bridge = this.cur.bridge;
    if (!bridge || bridge.partial) {
      this.emit('FLOOD');
      return;
    }
    if (this.explaining) this.report('detail', this.floodOrderNote(bridge, 'port table order (hash of the OpenFlow numbers)'));
    for (const p of floodOrder(bridge)) if (p.ofport !== this.flow.inPort) this.emit(p.ofport);
  }

  private floodOrderNote(bridge: Bridge, order: string): string {
    return bridge.addOrderAssumed
      ? `flood order: Open vSwitch's ${order} for ports added one at a time in OpenFlow-number order (assumed: the description does not say in which order they were added)`
      : `flood order: Open vSwitch's ${order}, from the order the description lists the ports in`;
  }

  /**
   * The NORMAL action as Open vSwitch's xlate_normal: a packet from a port the bridge does not have
   * is dropped, as is one whose VLAN the input port does not carry (a tagged frame on an access
   * port) and one for a reserved multicast address (01:80:c2:00:00:0x and the other link-local
   * control addresses); otherwise the source is learned in the frame's VLAN and the packet goes to
   * the learned port, or is flooded to every other port of that VLAN in the order the ports were
   * added, each output tagged or untagged as its port's VLAN mode says.
   */
  private normal(): void {
    const flow = this.flow;
    const bridge = this.cur.bridge;
    const table = this.cur.macTable;
    const inPort = bridge ? portByNumber(bridge, flow.inPort) : undefined;
    const src = flow.get(Slot.DlSrc);
    const dst = flow.get(Slot.DlDst);
    if (bridge && !bridge.partial && flow.inPort !== OFPP_LOCAL && !inPort) {
      if (this.explaining) this.report('detail', `no input bundle for port ${flow.inPort}, dropping`);
      return;
    }
    const refusal = inputVidRefusal(inPort?.vlan, flow.vlan ?? 0, inPort?.name ?? String(flow.inPort));
    if (refusal) {
      this.report('warn', refusal);
      return;
    }
    const vlan = inputVlan(inPort?.vlan, flow.vlan ?? 0);
    if (isReservedMac(dst)) {
      if (this.explaining) this.report('detail', 'packet has reserved destination MAC, dropping');
      return;
    }
    if (table && this.env.sideEffects && !(src & 0x010000000000n)) {
      table.set(`${vlan}|${src}`, flow.inPort);
      if (this.explaining) this.report('detail', `learned that ${formatMac(src)} is on port ${flow.inPort} in VLAN ${vlan}`);
    }
    const known = dst & 0x010000000000n ? undefined : table?.get(`${vlan}|${dst}`);
    if (known === undefined) {
      this.report('detail', dst & 0x010000000000n ? 'multicast/broadcast destination: flooding' : 'no learned MAC for destination, flooding');
      if (!bridge || bridge.partial) {
        this.emit('FLOOD');
        return;
      }
      if (this.explaining) this.report('detail', this.floodOrderNote(bridge, 'bundle order (the order the ports were added)'));
      for (const p of bridge.ports) if (p.ofport !== flow.inPort && includesVlan(p.vlan, vlan)) this.outputNormal(p, vlan);
      return;
    }
    if (known === flow.inPort) {
      this.report('detail', 'learned port is input port, dropping');
      return;
    }
    if (this.explaining) this.report('detail', `forwarding to learned port ${known}`);
    const out = bridge ? portByNumber(bridge, known) : undefined;
    if (out) this.outputNormal(out, vlan);
    else this.emit(known);
  }

  /**
   * output_normal: the frame leaves with the VID the output port's VLAN mode gives and its priority
   * (a tag with VID 0 stays when the priority is not 0), or untagged where the port strips the tag.
   */
  private outputNormal(port: BridgePort, vlan: number): void {
    const flow = this.flow;
    const saved = flow.get(Slot.VlanTci);
    const vid = outputVid(port.vlan, vlan);
    const tci = vid === null ? 0n : BigInt(vid) | (saved & VLAN_PCP_MASK);
    flow.set(Slot.VlanTci, tci ? tci | VLAN_CFI : 0n);
    this.emit(port.ofport);
    flow.set(Slot.VlanTci, saved);
  }

  /** Records an output and the datapath actions that turn the committed packet into the current one. */
  private emit(port: number | string): void {
    if (typeof port === 'number' && this.crossPatch(port)) return;
    const flow = this.flow;
    const bridgePort = typeof port === 'number' && this.cur.bridge ? portByNumber(this.cur.bridge, port) : undefined;
    let tunId = flow.get(Slot.TunId);
    if (bridgePort && isTunnel(bridgePort) && typeof bridgePort.key === 'number') tunId = BigInt(bridgePort.key);
    this.commitVlans();
    if (bridgePort && isTunnel(bridgePort) && tunId !== this.committedTunId) {
      this.datapath.push(`set(tunnel(tun_id=${formatHex(tunId)},dst=${bridgePort.remoteIp}))`);
    }
    this.datapath.push(String(port));
    this.outputMacs.push({ src: flow.get(Slot.DlSrc), dst: flow.get(Slot.DlDst) });
    this.outputs.push({
      port,
      vlan: flow.vlan,
      tunId: tunIdValue(tunId),
      ...(bridgePort ? { portName: bridgePort.name } : {}),
      ...(bridgePort && isTunnel(bridgePort) ? { tunnel: { type: bridgePort.type, remoteIp: bridgePort.remoteIp! } } : {}),
      ...(this.multiBridge ? { bridge: this.cur.bridge?.name } : {}),
    });
  }

  private commitVlans(): void {
    const want = vlanStack(this.flow);
    const have = this.committedVlans;
    let common = 0;
    while (common < want.length && common < have.length && want[want.length - 1 - common] === have[have.length - 1 - common]) common++;
    for (let i = 0; i < have.length - common; i++) this.datapath.push('pop_vlan');
    for (let i = want.length - common - 1; i >= 0; i--) {
      const tci = want[i];
      this.datapath.push(`push_vlan(vid=${tci & 0xfffn},pcp=${tci >> 13n})`);
    }
    this.committedVlans = want;
  }
}

/** Runs `packet` through the tables from table 0. Learned flows are installed at the end when side effects are on. */
export function translate(env: XlateEnv, packet: Flow): XlateResult {
  const ctx = new XlateContext(env, packet);
  ctx.runTable(0, null, true);
  // Recirculations resume after the pass that forked them, in order (each may fork more).
  for (let i = 0; i < ctx.recirculations.length && ctx.error === null; i++) {
    if (i >= MAX_RECIRCULATIONS) {
      ctx.fail(`over ${MAX_RECIRCULATIONS} recirculations`, 'Too many recirculations');
      break;
    }
    ctx.resume(ctx.recirculations[i], i);
  }
  const failed = ctx.error !== null;
  if (env.sideEffects) for (const l of ctx.learned) l.tables.add(l.entry, env.now);
  const outputs = failed ? [] : ctx.outputs;
  return {
    input: packet,
    final: ctx.flow,
    steps: ctx.steps,
    trace: ctx.root,
    outputs,
    learned: ctx.learned,
    datapath: failed || ctx.datapath.length === 0 ? ['drop'] : ctx.datapath,
    outputMacs: failed ? [] : ctx.outputMacs,
    error: ctx.error,
    drop: outputs.length === 0,
  };
}

export { formatFlow };
