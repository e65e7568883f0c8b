// Filters for a packet-list cell and a row's conversation: what Apply as Filter and Conversation
// Filter use when the click is on the list rather than on a field of the details tree.
import type { PacketRow } from '../../../src/service/api';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

function addressField(address: string): 'eth' | 'ip' | 'ipv6' | null {
  if (MAC.test(address)) return 'eth';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return 'ip';
  if (address.includes(':')) return 'ipv6';
  return null;
}

export function cellFilter(row: PacketRow, column: string): string | null {
  switch (column) {
    case 'number':
      return `frame.number == ${row.number}`;
    case 'source':
    case 'destination': {
      const address = column === 'source' ? row.source : row.destination;
      const field = addressField(address);
      return field ? `${field}.${column === 'source' ? 'src' : 'dst'} == ${address}` : null;
    }
    case 'tenant':
      return row.tenant ? `tenant == ${row.tenant}` : '!tenant';
    case 'protocol':
      return row.malformed !== null ? '_ws.malformed' : row.colour || null;
    case 'length':
      return `frame.len == ${row.length}`;
    case 'vteps': {
      const [from, to] = row.vteps.split(' → ');
      return from && to ? `ip.src#1 == ${from} && ip.dst#1 == ${to}` : null;
    }
    default:
      return null;
  }
}

export function cellValue(row: PacketRow, column: string): string {
  const value = (row as unknown as Record<string, unknown>)[column];
  return value === undefined || value === null ? '' : String(value);
}

export function rowConversationFilter(row: PacketRow): string | null {
  const a = addressField(row.source);
  const b = addressField(row.destination);
  if (a === null || a !== b) return null;
  const scope = row.tenant ? `tenant == ${row.tenant} && ` : '';
  return `${scope}${a}.addr == ${row.source} && ${a}.addr == ${row.destination}`;
}

export function rowSummary(row: PacketRow): string {
  return [row.number, row.time.toFixed(6), row.source, row.destination, row.tenant, row.protocol, row.length, row.info].join('\t');
}
