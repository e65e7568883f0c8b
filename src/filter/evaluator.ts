// Turns a Plan into closures over a Dissection. The detail tree is walked at most once per frame,
// and only when a test actually needs a field (so `tenant == vxlan:5 && ip.src == ...` skips the
// walk for other tenants): every referenced field's nodes are collected in that one pass.
import { Dissection, TreeNode } from '../dissect/dissection';
import type { LayerRange } from './ast';
import type { FieldAccess, Plan } from './plan';

export type FrameTest = (frame: FrameFields) => boolean;

/** Per-frame view of the fields a filter references. One instance per compiled filter, reused. */
export class FrameFields {
  dissection!: Dissection;
  // Stryker disable next-line BooleanLiteral: begin() sets it before any use
  private indexed = false;
  private readonly slotsBySource = new Map<string, number[]>();
  private readonly slotKeys = new Map<string, number>();
  /** Per slot: matching tree nodes, and the index in dissection.tree of the protocol each sits under. */
  private readonly nodes: TreeNode[][] = [];
  private readonly tops: number[][] = [];
  private readonly layerTotals = new Map<string, number>();

  /** Reserves a slot for a field access; accesses of the same sources share one. */
  slotFor(field: FieldAccess): number {
    // Stryker disable next-line StringLiteral: field names hold no ',' and no two source lists join alike either way
    const key = field.sources.join(',');
    const existing = this.slotKeys.get(key);
    // Stryker disable next-line ConditionalExpression: sharing a slot saves a walk; a slot of its own gives the same nodes
    if (existing !== undefined) return existing;
    const slot = this.nodes.length;
    this.slotKeys.set(key, slot);
    // Stryker disable next-line ArrayDeclaration: index() empties every slot before it is read
    this.nodes.push([]);
    // Stryker disable next-line ArrayDeclaration: index() empties every slot before it is read
    this.tops.push([]);
    for (const source of field.sources) {
      const slots = this.slotsBySource.get(source);
      if (slots) slots.push(slot);
      else this.slotsBySource.set(source, [slot]);
    }
    return slot;
  }

  begin(dissection: Dissection): void {
    this.dissection = dissection;
    this.indexed = false;
  }

  nodesOf(slot: number): TreeNode[] {
    // Stryker disable next-line ConditionalExpression: indexing again gives the same nodes (the flag saves the walk)
    if (!this.indexed) this.index();
    return this.nodes[slot];
  }

  topsOf(slot: number): number[] {
    return this.tops[slot];
  }

  private index(): void {
    // Stryker disable next-line BooleanLiteral: indexing again gives the same nodes (the flag saves the walk)
    this.indexed = true;
    this.layerTotals.clear();
    for (let s = 0; s < this.nodes.length; s++) {
      this.nodes[s].length = 0;
      this.tops[s].length = 0;
    }
    const tree = this.dissection.tree;
    for (let t = 0; t < tree.length; t++) this.visit(tree[t], t);
  }

  private visit(node: TreeNode, top: number): void {
    const slots = this.slotsBySource.get(node.name);
    if (slots !== undefined) {
      for (const slot of slots) {
        this.nodes[slot].push(node);
        this.tops[slot].push(top);
      }
    }
    const children = node.children;
    if (children !== undefined) for (let i = 0; i < children.length; i++) this.visit(children[i], top);
  }

  /** Is a node (under top-level protocol node `top`) in one of the selected layers? */
  inLayers(node: TreeNode, top: number, ranges: LayerRange[]): boolean {
    const occurrence = node.occurrence;
    for (const range of ranges) {
      let { from, to } = range;
      if (from < 0 || to < 0) {
        const total = this.totalLayers(this.dissection.tree[top].name);
        if (from < 0) from = total + 1 + from;
        if (to < 0) to = total + 1 + to;
      }
      if (occurrence >= from && occurrence <= to) return true;
    }
    return false;
  }

  private totalLayers(protocol: string): number {
    let total = this.layerTotals.get(protocol);
    // Stryker disable next-line ConditionalExpression: a per-frame memo; counting again gives the same total
    if (total === undefined) {
      total = 0;
      for (const node of this.dissection.tree) if (node.name === protocol) total++;
      this.layerTotals.set(protocol, total);
    }
    return total;
  }
}

/** Can this plan run on the fast path alone (layer list and tenant, no detail tree)? */
export function planNeedsTree(plan: Plan): boolean {
  switch (plan.kind) {
    case 'and':
    case 'or':
    case 'xor':
      return planNeedsTree(plan.left) || planNeedsTree(plan.right);
    case 'not':
      return planNeedsTree(plan.operand);
    case 'tenant':
      return false;
    case 'present':
      return plan.field.protocol === undefined;
    default:
      return true;
  }
}

export function compilePlan(plan: Plan, frame: FrameFields): FrameTest {
  switch (plan.kind) {
    case 'and': {
      const left = compilePlan(plan.left, frame);
      const right = compilePlan(plan.right, frame);
      return (f) => left(f) && right(f);
    }
    case 'or': {
      const left = compilePlan(plan.left, frame);
      const right = compilePlan(plan.right, frame);
      return (f) => left(f) || right(f);
    }
    case 'xor': {
      const left = compilePlan(plan.left, frame);
      const right = compilePlan(plan.right, frame);
      return (f) => left(f) !== right(f);
    }
    case 'not': {
      const operand = compilePlan(plan.operand, frame);
      return (f) => !operand(f);
    }
    case 'tenant': {
      const test = plan.test;
      return (f) => test(f.dissection.tenantType, f.dissection.tenantId);
    }
    case 'present':
      return presenceTest(plan.field, frame);
    case 'values': {
      const slot = frame.slotFor(plan.field);
      const { test, all } = plan;
      const layer = plan.field.layer;
      return (f) => {
        const nodes = f.nodesOf(slot);
        const tops = f.topsOf(slot);
        let seen = false;
        for (let i = 0; i < nodes.length; i++) {
          const node = nodes[i];
          if (layer !== undefined && !f.inLayers(node, tops[i], layer)) continue;
          seen = true;
          const passed = test(node.value ?? true);
          if (all) {
            if (!passed) return false;
          } else if (passed) return true;
        }
        return all && seen;
      };
    }
    case 'protocolBytes': {
      const slot = frame.slotFor(plan.field);
      const { test, all } = plan;
      const layer = plan.field.layer;
      return (f) => {
        const nodes = f.nodesOf(slot);
        const tops = f.topsOf(slot);
        const d = f.dissection;
        let seen = false;
        for (let i = 0; i < nodes.length; i++) {
          const node = nodes[i];
          if (layer !== undefined && !f.inLayers(node, tops[i], layer)) continue;
          seen = true;
          let bytes: Uint8Array;
          // `frame` is the captured frame's own bytes, as in tshark, also when it completed a reassembled
          // datagram the dissection moved into.
          if (node.name === 'frame') bytes = d.frameBytes();
          else {
            // Node ranges are relative to the frame; never look past the captured bytes.
            const start = Math.min(d.base + node.start, d.end);
            bytes = d.buf.subarray(start, Math.min(start + node.length, d.end));
          }
          const passed = test(bytes);
          if (all) {
            if (!passed) return false;
          } else if (passed) return true;
        }
        return all && seen;
      };
    }
    case 'fields': {
      const leftSlot = frame.slotFor(plan.left);
      const rightSlot = frame.slotFor(plan.right);
      const { test, all } = plan;
      const leftLayer = plan.left.layer;
      const rightLayer = plan.right.layer;
      return (f) => {
        const leftNodes = f.nodesOf(leftSlot);
        const leftTops = f.topsOf(leftSlot);
        const rightNodes = f.nodesOf(rightSlot);
        const rightTops = f.topsOf(rightSlot);
        let seen = false;
        for (let i = 0; i < leftNodes.length; i++) {
          if (leftLayer !== undefined && !f.inLayers(leftNodes[i], leftTops[i], leftLayer)) continue;
          const a = leftNodes[i].value ?? true;
          for (let j = 0; j < rightNodes.length; j++) {
            if (rightLayer !== undefined && !f.inLayers(rightNodes[j], rightTops[j], rightLayer)) continue;
            seen = true;
            const passed = test(a, rightNodes[j].value ?? true);
            if (all) {
              if (!passed) return false;
            } else if (passed) return true;
          }
        }
        return all && seen;
      };
    }
  }
}

function presenceTest(field: FieldAccess, frame: FrameFields): FrameTest {
  const slot = frame.slotFor(field);
  const layer = field.layer;
  const protocol = field.protocol;
  return (f) => {
    const d = f.dissection;
    // Protocol nodes come only from pushLayer, so the layer list answers without walking the tree.
    if (protocol !== undefined) return protocolInLayers(d, protocol.id, layer);
    const nodes = f.nodesOf(slot);
    if (layer === undefined) return nodes.length > 0;
    const tops = f.topsOf(slot);
    for (let i = 0; i < nodes.length; i++) if (f.inLayers(nodes[i], tops[i], layer)) return true;
    return false;
  };
}

/** Protocol presence from the fast-path layer list, when no tree was built. */
function protocolInLayers(d: Dissection, protoId: number, ranges: LayerRange[] | undefined): boolean {
  if (ranges === undefined) return d.findLayer(protoId) >= 0;
  let total = 0;
  for (let i = 0; i < d.layerCount; i++) if (d.layerProto[i] === protoId) total++;
  for (const range of ranges) {
    const from = range.from < 0 ? total + 1 + range.from : range.from;
    const to = range.to < 0 ? total + 1 + range.to : range.to;
    if (Math.max(from, 1) <= Math.min(to, total)) return true;
  }
  return false;
}
