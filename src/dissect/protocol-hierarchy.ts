// Protocol hierarchy statistics (tshark -z io,phs): frames and bytes under every protocol chain
// prefix, counted from the layer arrays of the fast path.
import { Dissection } from './dissection';
import { protocolById } from './fields';

export interface HierarchyNode {
  protocol: string;
  frames: number;
  bytes: number;
  children: HierarchyNode[];
}

interface TrieNode {
  frames: number;
  bytes: number;
  children: Map<number, TrieNode>;
}

export class ProtocolHierarchy {
  private readonly root: TrieNode = { frames: 0, bytes: 0, children: new Map() };

  add(ctx: Dissection): void {
    let node = this.root;
    const bytes = ctx.origLen;
    node.frames++;
    node.bytes += bytes;
    for (let i = 0; i < ctx.layerCount; i++) {
      const id = ctx.layerProto[i];
      let child = node.children.get(id);
      if (child === undefined) {
        child = { frames: 0, bytes: 0, children: new Map() };
        node.children.set(id, child);
      }
      child.frames++;
      child.bytes += bytes;
      node = child;
    }
  }

  tree(): HierarchyNode[] {
    const convert = (node: TrieNode): HierarchyNode[] =>
      [...node.children.entries()]
        .map(([id, child]) => ({ protocol: protocolById(id).name, frames: child.frames, bytes: child.bytes, children: convert(child) }))
        .sort((a, b) => b.frames - a.frames);
    return convert(this.root);
  }
}
