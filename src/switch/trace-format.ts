// Presents a translation: text that reads like `ovs-appctl ofproto/trace`, or one JSON object.
import { Bridge } from './bridge';
import { formatFlow } from './match-format';
import { TraceNode, TraceOutput, XlateResult } from './xlate';

function isTerminal(node: TraceNode): boolean {
  return node.kind !== 'table' && node.kind !== 'bridge';
}

/**
 * OVS's oftrace printer: a node is indented one step unless it is the last of its list and not a
 * leaf, which is why a resubmit that ends an action list prints its table at the same level.
 */
function printNodes(nodes: readonly TraceNode[], level: number, out: string[]): void {
  nodes.forEach((node, i) => {
    const more = i < nodes.length - 1 || isTerminal(node) ? 1 : 0;
    const indent = ' '.repeat((level + more) * 4);
    switch (node.kind) {
      case 'bridge': {
        // A patch port or a resumed recirculation: the next bridge's tables, under its own header.
        const title = `bridge("${node.text}")`;
        out.push('', title, '-'.repeat(title.length));
        printNodes(node.subs, 0, out);
        return;
      }
      case 'recirc': {
        const bar = '='.repeat(79);
        out.push('', bar, node.text, bar);
        printNodes(node.subs, 0, out);
        return;
      }
      case 'warn':
        out.push(`${indent} >> ${node.text}`);
        break;
      case 'error':
        out.push(`${indent} >>>> ${node.text} <<<<`);
        break;
      case 'detail':
        out.push(`${indent} -> ${node.text}`);
        break;
      default:
        out.push(`${indent}${node.text}`);
    }
    printNodes(node.subs, level + 2 * more, out);
  });
}

export function describeOutput(o: TraceOutput): string {
  const where = o.portName ? `${o.port} (${o.bridge ? `${o.bridge}:` : ''}${o.portName})` : String(o.port);
  const vlan = o.vlan === null ? 'untagged' : `VLAN ${o.vlan}`;
  if (o.tunnel) {
    const id = typeof o.tunId === 'number' ? '0x' + o.tunId.toString(16) : o.tunId;
    return `port ${where}: ${o.tunnel.type} tunnel to ${o.tunnel.remoteIp}, key ${id}, inner frame ${vlan}`;
  }
  return `port ${where}: ${vlan}`;
}

/** ofproto/trace-like text for one microflow. */
export function formatTraceText(result: XlateResult, bridge?: Bridge): string {
  const out: string[] = [];
  out.push(`Flow: ${formatFlow(result.input)}`, '');
  const title = `bridge("${bridge?.name ?? 'br0'}")`;
  out.push(title, '-'.repeat(title.length));
  // The first pass, then each recirculation under its own banner (as ofproto/trace prints them).
  printNodes(result.trace.filter((n) => n.kind !== 'recirc'), 0, out);
  printNodes(result.trace.filter((n) => n.kind === 'recirc'), 0, out);
  out.push('');
  const finalText = formatFlow(result.final);
  out.push(`Final flow: ${finalText === formatFlow(result.input) ? 'unchanged' : finalText}`);
  out.push(`Datapath actions: ${result.datapath.join(',')}`);
  if (result.error) out.push(`Translation failed (${result.error}), packet is dropped.`);
  if (result.outputs.length > 0) {
    out.push('Outputs:');
    for (const o of result.outputs) out.push(`  ${describeOutput(o)}`);
  } else {
    out.push('Decision: drop');
  }
  for (const l of result.learned) out.push(`Learned: ${l.text}`);
  return out.join('\n');
}

export interface TraceJson {
  microflow: string;
  steps: XlateResult['steps'];
  outputs: { port: number | string; vlan: number | null; tunId: number | string; bridge?: string }[];
  learned: string[];
  drop: boolean;
  error?: string;
}

export function traceJson(microflow: string, result: XlateResult): TraceJson {
  const json: TraceJson = {
    microflow,
    steps: result.steps,
    outputs: result.outputs.map((o) => ({ port: o.port, vlan: o.vlan, tunId: o.tunId, ...(o.bridge ? { bridge: o.bridge } : {}) })),
    learned: result.learned.map((l) => l.text),
    drop: result.drop,
  };
  if (result.error) json.error = result.error;
  return json;
}
