// Packet details tree and hex dump, linked both ways: selecting a field highlights its bytes, clicking
// a byte selects the innermost field that covers it (expanding its parents).
import { useEffect, useMemo, useState } from 'react';
import type { JSX } from 'react';
import type { DetailNode, FrameDetail } from '../../../src/service/api';
import { service } from '../service-client';

interface Props {
  sessionId: string;
  frame: number | null;
  onMessage(text: string): void;
  /** Right-click on a tree row. */
  onFieldMenu?(node: DetailNode, detail: FrameDetail, x: number, y: number): void;
}

/** Path of a node as child indexes, e.g. "2.0.3". */
type NodePath = string;

/**
 * The deepest node whose bytes cover `offset` (the innermost layer wins a tie). In the reassembled
 * datagram's bytes every node counts (the frame's header bytes begin it); in the frame's, not the
 * nodes of the reassembled data.
 */
function pathToByte(nodes: DetailNode[], offset: number, inReassembled: boolean, prefix = ''): NodePath | null {
  let best: NodePath | null = null;
  nodes.forEach((node, i) => {
    const p = prefix === '' ? String(i) : `${prefix}.${i}`;
    if (node.length <= 0 || offset < node.start || offset >= node.start + node.length || (node.reassembled && !inReassembled)) return;
    const candidate = (node.children ? pathToByte(node.children, offset, inReassembled, p) : null) ?? p;
    if (best === null || candidate.split('.').length >= best.split('.').length) best = candidate;
  });
  return best;
}

function nodeAt(nodes: DetailNode[], path: NodePath): DetailNode | null {
  let list: DetailNode[] | undefined = nodes;
  let node: DetailNode | null = null;
  for (const part of path.split('.')) {
    node = list?.[Number(part)] ?? null;
    list = node?.children;
  }
  return node;
}

export function FrameDetailPane({ sessionId, frame, onMessage, onFieldMenu }: Props) {
  const [detail, setDetail] = useState<FrameDetail | null>(null);
  const [expanded, setExpanded] = useState<Set<NodePath>>(new Set());
  const [selected, setSelected] = useState<NodePath | null>(null);

  useEffect(() => {
    if (frame === null) return setDetail(null);
    let stale = false;
    service
      .call('frameDetail', { sessionId, frame })
      .then((d) => {
        if (stale) return;
        setDetail(d);
        setSelected(null);
        // An overlay frame also gets a Forwarding subtree: why its VTEP sent it where it went.
        if (!d.tree[0]?.children?.some((n) => n.name === 'tenant')) return;
        service
          .call('forwarding', { sessionId, frame })
          .then((f) => {
            if (stale) return;
            const node: DetailNode = { name: 'forwarding', label: `Forwarding: ${f.lines[0] ?? ''}`, start: 0, length: 0, children: f.lines.map((line) => ({ name: 'forwarding.line', label: line, start: 0, length: 0 })) };
            setDetail({ ...d, tree: [...d.tree, node] });
          })
          .catch(() => undefined);
      })
      .catch((err: Error) => onMessage(err.message));
    return () => {
      stale = true;
    };
  }, [sessionId, frame, onMessage]);

  const selectedNode = detail && selected ? nodeAt(detail.tree, selected) : null;
  // Wireshark's bottom tabs: the frame, and the reassembled datagram when this frame completed one.
  // A field of the reassembled data shows in its tab (its offsets are the datagram's).
  const [chosenSource, setChosenSource] = useState<'frame' | 'reassembled'>('frame');
  const source = detail?.reassembledHex ? (selectedNode ? (selectedNode.reassembled ? 'reassembled' : selectedNode.length > 0 ? 'frame' : chosenSource) : chosenSource) : 'frame';
  const shownHex = detail ? (source === 'reassembled' ? (detail.reassembledHex ?? '') : detail.bytesHex) : '';
  const bytes = useMemo(() => Uint8Array.from(shownHex.match(/../g) ?? [], (h) => parseInt(h, 16)), [shownHex]);

  const toggle = (p: NodePath) => {
    const next = new Set(expanded);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    setExpanded(next);
  };

  const selectByte = (offset: number) => {
    if (!detail) return;
    const p = pathToByte(detail.tree.slice(1), offset, source === 'reassembled');
    if (p === null) return;
    const shifted = p.split('.').map((x, i) => (i === 0 ? String(Number(x) + 1) : x));
    const next = new Set(expanded);
    for (let i = 1; i < shifted.length; i++) next.add(shifted.slice(0, i).join('.'));
    setExpanded(next);
    setSelected(shifted.join('.'));
  };

  // Arrow keys as in Wireshark's tree: up/down move, right opens (then goes to the first child), left closes (then goes to the parent).
  const onTreeKey = (e: React.KeyboardEvent) => {
    if (!detail || !['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(e.key)) return;
    e.preventDefault();
    const visible: NodePath[] = [];
    const walk = (nodes: DetailNode[], prefix: string) =>
      nodes.forEach((node, i) => {
        const p = prefix === '' ? String(i) : `${prefix}.${i}`;
        visible.push(p);
        if (expanded.has(p) && node.children) walk(node.children, p);
      });
    walk(detail.tree, '');
    const at = selected === null ? -1 : visible.indexOf(selected);
    const node = selected !== null ? nodeAt(detail.tree, selected) : null;
    if (e.key === 'ArrowDown') setSelected(visible[Math.min(visible.length - 1, at + 1)]);
    else if (e.key === 'ArrowUp') setSelected(visible[Math.max(0, at - 1)]);
    else if (selected !== null && e.key === 'ArrowRight' && node?.children?.length) {
      if (!expanded.has(selected)) toggle(selected);
      else setSelected(`${selected}.0`);
    } else if (selected !== null && e.key === 'ArrowLeft') {
      if (expanded.has(selected)) toggle(selected);
      else if (selected.includes('.')) setSelected(selected.slice(0, selected.lastIndexOf('.')));
    }
  };

  if (frame === null) return <div className="detail-empty">Select a packet to see its layers and bytes.</div>;
  if (!detail) return <div className="detail-empty">Dissecting frame {frame}…</div>;

  const renderNodes = (nodes: DetailNode[], prefix: string, depth: number): JSX.Element[] =>
    nodes.flatMap((node, i) => {
      const p = prefix === '' ? String(i) : `${prefix}.${i}`;
      const open = expanded.has(p);
      const hasChildren = (node.children?.length ?? 0) > 0;
      const row = (
        <div
          key={p}
          className={`tree-row ${selected === p ? 'selected' : ''} ${depth === 0 ? 'tree-layer' : ''} ${node.name === '_ws.malformed' ? 'tree-malformed' : ''}`}
          style={{ paddingLeft: 6 + depth * 16 }}
          onClick={() => setSelected(p)}
          onDoubleClick={() => hasChildren && toggle(p)}
          onContextMenu={(e) => {
            if (!onFieldMenu || !detail) return;
            e.preventDefault();
            setSelected(p);
            onFieldMenu(node, detail, e.clientX, e.clientY);
          }}
          data-testid="tree-row"
          data-field={node.name}
          title={node.name ? `${node.name}${node.length ? ` — bytes ${node.start}..${node.start + node.length - 1}` : ''}` : undefined}
        >
          <span
            className="tree-twisty"
            onClick={(e) => {
              e.stopPropagation();
              if (hasChildren) toggle(p);
            }}
            data-testid={hasChildren ? 'tree-twisty' : undefined}
          >
            {hasChildren ? (open ? '▾' : '▸') : ''}
          </span>
          {node.label}
        </div>
      );
      return open && node.children ? [row, ...renderNodes(node.children, p, depth + 1)] : [row];
    });

  const hi = selectedNode && selectedNode.length > 0 && (source === 'reassembled' || !selectedNode.reassembled) ? [selectedNode.start, selectedNode.start + selectedNode.length] : null;
  const lines: JSX.Element[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const cells: JSX.Element[] = [];
    const chars: JSX.Element[] = [];
    for (let i = off; i < Math.min(off + 16, bytes.length); i++) {
      const on = hi !== null && i >= hi[0] && i < hi[1];
      const b = bytes[i];
      cells.push(
        <span key={i} className={`hex-byte ${on ? 'hl' : ''} ${i - off === 8 ? 'gap' : ''}`} onClick={() => selectByte(i)} data-offset={i}>
          {b.toString(16).padStart(2, '0')}
        </span>,
      );
      chars.push(
        <span key={i} className={`hex-char ${on ? 'hl' : ''}`} onClick={() => selectByte(i)}>
          {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·'}
        </span>,
      );
    }
    lines.push(
      <div key={off} className="hex-line">
        <span className="hex-offset">{off.toString(16).padStart(4, '0')}</span>
        <span className="hex-bytes">{cells}</span>
        <span className="hex-chars">{chars}</span>
      </div>,
    );
  }

  return (
    <div className="detail-split">
      <div className="detail-tree" data-testid="detail-tree" tabIndex={0} onKeyDown={onTreeKey}>
        {renderNodes(detail.tree, '', 0)}
      </div>
      <div className="hex-pane" data-testid="hex-pane" data-source={source}>
        {detail.reassembledHex && (
          <div className="tabs hex-tabs">
            <button className={`tab ${source === 'frame' ? 'active' : ''}`} onClick={() => (setChosenSource('frame'), setSelected(null))} data-testid="hex-tab-frame">
              Frame ({detail.bytesHex.length / 2} bytes)
            </button>
            <button className={`tab ${source === 'reassembled' ? 'active' : ''}`} onClick={() => (setChosenSource('reassembled'), setSelected(null))} data-testid="hex-tab-reassembled">
              Reassembled ({detail.reassembledHex.length / 2} bytes)
            </button>
          </div>
        )}
        <div className="hex-caption">
          {selectedNode && selectedNode.length > 0
            ? `${selectedNode.name || 'text'}: bytes ${selectedNode.start}–${selectedNode.start + selectedNode.length - 1} (${selectedNode.length} byte${selectedNode.length > 1 ? 's' : ''})`
            : `${source === 'reassembled' ? `Reassembled in frame ${detail.number}` : `Frame ${detail.number}`}: ${bytes.length} bytes — click a field or a byte`}
        </div>
        {lines}
      </div>
    </div>
  );
}
