// Registry of protocols and fields, named as in Wireshark so filters read the way engineers type them.
// Filled once, in the register phase of the dissector registry (registry.ts).
import { protocolId } from './protocol-ids';

export type FieldType = 'uint' | 'bool' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string' | 'protocol' | 'label';
export type FieldValue = number | string | boolean;

export interface FieldDef {
  /** Filter name, e.g. "ip.src". Protocols are fields too ("ip"). */
  name: string;
  /** Human label shown in the detail tree, e.g. "Source Address". */
  label: string;
  type: FieldType;
  /** Integers shown in hex (flags, keys, ethertypes). */
  hex?: boolean;
}

export interface ProtocolDef extends FieldDef {
  id: number;
  /** Column text, e.g. "IPv4", "VXLAN". */
  short: string;
}

const fieldsByName = new Map<string, FieldDef>();
const protocolsById: ProtocolDef[] = [];
const protocolsByName = new Map<string, ProtocolDef>();

/**
 * Describes a protocol; its id comes from the one list in protocol-ids.ts, so ids do not depend on
 * the order modules load in. Nothing is registered until the register phase calls registerProtocols.
 */
export function defineProtocol(name: string, label: string, short: string): ProtocolDef {
  return { id: protocolId(name), name, label, short, type: 'protocol' };
}

/** Register phase: makes protocols known by id and name (and as filter fields). */
export function registerProtocols(...defs: ProtocolDef[]): void {
  for (const def of defs) {
    protocolsById[def.id] = def;
    protocolsByName.set(def.name, def);
    fieldsByName.set(def.name, def);
  }
}

/** Register phase: defines fields of one protocol: `defineFields('ip', { src: ['Source Address', 'ipv4'] })`. */
export function defineFields(protocol: string, defs: Record<string, [label: string, type: FieldType, hex?: 'hex']>): void {
  for (const [suffix, [label, type, hex]] of Object.entries(defs)) {
    const name = suffix === '' ? protocol : `${protocol}.${suffix}`;
    fieldsByName.set(name, { name, label, type, hex: hex === 'hex' });
  }
}

export function fieldDef(name: string): FieldDef | undefined {
  return fieldsByName.get(name);
}

export function allFieldNames(): string[] {
  return [...fieldsByName.keys()].sort();
}

export function protocolById(id: number): ProtocolDef {
  return protocolsById[id];
}

export function protocolByName(name: string): ProtocolDef | undefined {
  return protocolsByName.get(name);
}

/** Formats a value for the detail tree the way Wireshark shows it. */
export function formatFieldValue(def: FieldDef | undefined, value: FieldValue, byteLength = 0): string {
  if (typeof value === 'number' && def?.hex) {
    const digits = byteLength > 0 && byteLength <= 4 ? byteLength * 2 : value > 0xffff ? 8 : 4;
    return '0x' + value.toString(16).padStart(digits, '0');
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}
