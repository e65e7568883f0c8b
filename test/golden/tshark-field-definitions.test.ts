// Every protocol and field the dissectors define is named, labelled and typed as Wireshark defines it
// (`tshark -G fields`), so a filter, a column or the detail tree reads the same in both tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDissectorRegistry } from '../../src/dissect/registry';
import { allFieldNames, fieldDef, FieldType } from '../../src/dissect/fields';
import { TSHARK_SKIP_REASON } from './tshark-fields';
import { tsharkOutputCached } from '../helpers/tshark';

/** Wireshark's field types as ours: integers of any width are `uint`, FT_NONE is a text-only label. */
const TYPES: Record<string, FieldType> = {
  FT_UINT8: 'uint', FT_UINT16: 'uint', FT_UINT24: 'uint', FT_UINT32: 'uint', FT_UINT64: 'uint', FT_FRAMENUM: 'uint',
  FT_INT8: 'uint', FT_INT16: 'uint', FT_INT32: 'uint', // no signed type: these never go negative here
  FT_BOOLEAN: 'bool', FT_IPv4: 'ipv4', FT_IPv6: 'ipv6', FT_ETHER: 'ether', FT_BYTES: 'bytes',
  FT_STRING: 'string', FT_STRINGZ: 'string', FT_PROTOCOL: 'protocol', FT_NONE: 'label',
};

/** Where we deliberately differ: the label our detail tree shows, as Wireshark's tree shows it. */
const OUR_LABELS: Record<string, string> = {
  eth: 'Ethernet II', // tshark's tree says "Ethernet II, Src: ..."; -G lists the protocol as "Ethernet"
  sll: 'Linux cooked capture',
  'frame.len': 'Frame Length', // tshark's tree: "Frame Length: 60 bytes (480 bits)"
  'frame.cap_len': 'Capture Length',
  'gtp.ext_hdr.next': 'Next extension header',
  'gtp.ext_hdr_type': 'Extension header type',
  'ip.opt.type': 'Option Type',
  'llc.control': 'Control field',
};

/** Where our type differs: times are text, and a few small integers are shown another way. */
const OUR_TYPES: Record<string, [FieldType, boolean]> = {
  '_ws.expert.severity': ['string', false], // the severity's name ("Warning"), not its number
  'frame.time_epoch': ['string', false], // FT_RELATIVE_TIME: kept as text with nanoseconds
  'frame.time_relative': ['string', false],
  'gtp.ext_hdr_type': ['uint', true],
  'ieee8021ad.dei': ['bool', false], // a one-bit flag
};

interface TsharkField {
  label: string;
  type: string;
  base: string;
}

function tsharkFieldTable(): Map<string, TsharkField> {
  const out = tsharkOutputCached(['-G', 'fields']);
  const table = new Map<string, TsharkField>();
  for (const line of out.split('\n')) {
    const [kind, label, name, type, , base] = line.split('\t');
    if (kind === 'P') table.set(name, { label, type: 'FT_PROTOCOL', base: '' });
    else if (kind === 'F') table.set(name, { label, type, base: base ?? '' });
  }
  return table;
}

test('fields are labelled and typed as tshark -G fields lists them', { skip: TSHARK_SKIP_REASON }, () => {
  buildDissectorRegistry();
  const tshark = tsharkFieldTable();
  const names = allFieldNames();
  const compared: string[] = [];
  const wrong: string[] = [];
  for (const name of names) {
    const ours = fieldDef(name)!;
    const theirs = tshark.get(name);
    if (theirs === undefined) continue; // our own fields (tenant, frame.note ...)
    compared.push(name);
    const label = OUR_LABELS[name] ?? theirs.label;
    if (ours.label !== label) wrong.push(`${name}: label "${ours.label}", tshark "${theirs.label}"`);
    const [type, hex] = OUR_TYPES[name] ?? [TYPES[theirs.type], /^BASE_HEX/.test(theirs.base)];
    if (ours.type !== type) wrong.push(`${name}: type ${ours.type}, tshark ${theirs.type}`);
    if (ours.type === 'uint' && Boolean(ours.hex) !== hex) wrong.push(`${name}: ${ours.hex ? 'hex' : 'decimal'}, tshark ${theirs.base}`);
  }
  assert.deepEqual(wrong, []);
  // Every deliberate difference is still one (a field renamed away would hide a stale entry).
  for (const name of [...Object.keys(OUR_LABELS), ...Object.keys(OUR_TYPES)]) assert.ok(compared.includes(name), `${name} is no longer compared`);
  assert.ok(compared.length > 200, `only ${compared.length} fields compared`);
});
