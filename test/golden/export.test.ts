// Golden test of `tunnelscope export`: the written captures are read back with tshark and compared
// with tshark's own view of the source (same frames, lengths, timestamps; --decap gives tshark's
// inner layers as the frames themselves).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, haveProgram, SAMPLES, TEST_OUTPUT } from '../helpers/paths';
import { tsharkFields } from '../helpers/tshark';

const NO_TSHARK = 'tshark is not installed: skipped';
const OUT = path.join(TEST_OUTPUT, 'export-golden');
const skip = haveProgram('tshark') ? false : NO_TSHARK;

function runExport(args: string[]): string {
  fs.mkdirSync(OUT, { recursive: true });
  return execFileSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function runExportStderr(args: string[]): string {
  fs.mkdirSync(OUT, { recursive: true });
  const result = spawnSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr;
}

async function rows(file: string, fields: string[], extra: string[] = []): Promise<string[][]> {
  const result = await tsharkFields(file, fields, extra);
  assert.equal(result.exitCode, 0, `tshark failed on ${file}`);
  return result.rows;
}

const sum = (values: string[][], column: number) => values.reduce((n, row) => n + Number(row[column]), 0);

test('export --tenant vxlan:102: the same frames, lengths and timestamps as tshark selects with vxlan.vni == 102', { skip }, async () => {
  const source = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const out = path.join(OUT, 'vni102.pcapng');
  const stderr = runExportStderr([source, '--tenant', 'vxlan:102', '-w', out]);
  const fields = ['frame.len', 'frame.cap_len', 'frame.time_epoch', 'frame.protocols'];
  const expected = await rows(source, fields, ['-Y', 'vxlan.vni == 102']);
  const actual = await rows(out, fields);
  assert.equal(expected.length, 10, 'the sample has 10 frames of VNI 102 (frames 24-33)');
  assert.deepEqual(actual, expected);
  assert.match(stderr, new RegExp(`wrote 10 of 33 frames \\(${sum(expected, 1)} bytes\\)`));
  assert.match(stderr, /23 did not match the selection/);
});

test('export --filter keeps interfaces and directions of a two-interface capture', { skip }, async () => {
  const source = path.join(SAMPLES, 'ovs-gre', 'host1.pcapng');
  const out = path.join(OUT, 'host1-arp.pcapng');
  runExport([source, '--filter', 'arp', '-w', out]);
  const fields = ['frame.len', 'frame.time_epoch', 'frame.interface_id', 'frame.interface_name', 'frame.packet_flags_direction'];
  const expected = await rows(source, fields, ['-Y', 'arp']);
  const actual = await rows(out, fields);
  assert.ok(expected.length > 0);
  assert.deepEqual(actual, expected);
});

test('export --decap of VXLAN: the inner Ethernet frames, as tshark sees the inner layers', { skip }, async () => {
  const source = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const out = path.join(OUT, 'vni101-inner.pcapng');
  runExport([source, '--tenant', 'vxlan:101', '--decap', '-w', out]);
  // Last occurrence = the inner layer; the inner frame is the UDP payload minus the 8-byte VXLAN header.
  const outer = await rows(source, ['frame.protocols', 'udp.length', 'eth.src', 'eth.dst', 'frame.time_epoch'], ['-Y', 'vxlan.vni == 101', '-E', 'occurrence=l']);
  const outerUdp = await rows(source, ['udp.length'], ['-Y', 'vxlan.vni == 101', '-E', 'occurrence=f']);
  const inner = await rows(out, ['frame.protocols', 'frame.len', 'eth.src', 'eth.dst', 'frame.time_epoch']);
  assert.equal(inner.length, outer.length);
  assert.equal(inner.length, 20, 'VNI 101 is frames 4-23');
  for (let i = 0; i < inner.length; i++) {
    const [protocols, , src, dst, time] = outer[i];
    const udpLength = outerUdp[i][0];
    assert.equal(inner[i][0], protocols.slice(protocols.indexOf(':vxlan:') + ':vxlan:'.length), `frame ${i + 1} protocols`);
    assert.equal(Number(inner[i][1]), Number(udpLength) - 8 - 8, `frame ${i + 1} length`);
    assert.deepEqual(inner[i].slice(2), [src, dst, time], `frame ${i + 1} inner addresses and time`);
  }
});

test('export --decap of IP-in-GRE: raw IP packets equal to tshark\'s inner IP layer', { skip }, async () => {
  const source = path.join(SAMPLES, 'gre-two-routers.pcap');
  const out = path.join(OUT, 'gre-inner.pcapng');
  runExport([source, '--filter', 'gre', '--decap', '-w', out]);
  const outer = await rows(source, ['ip.len', 'ip.src', 'ip.dst', 'ip.proto', 'frame.time_epoch'], ['-Y', 'gre', '-E', 'occurrence=l']);
  const inner = await rows(out, ['frame.len', 'ip.src', 'ip.dst', 'ip.proto', 'frame.time_epoch', 'frame.protocols']);
  assert.equal(inner.length, 16);
  assert.deepEqual(inner.map((r) => r.slice(0, 5)), outer);
  for (const row of inner) assert.match(row[5], /^raw:ip:/);
});

test('export --decap counts frames that have no inner frame instead of dropping them silently', { skip }, async () => {
  const source = path.join(SAMPLES, 'ovs-gre', 'host1.pcapng');
  const out = path.join(OUT, 'host1-inner.pcapng');
  const stderr = runExportStderr([source, '--filter', '', '--decap', '-w', out]);
  const tunnelled = await rows(source, ['frame.number'], ['-Y', 'gre']);
  const plain = await rows(source, ['frame.number'], ['-Y', '!gre']);
  const written = await rows(out, ['frame.number']);
  assert.equal(written.length, tunnelled.length);
  assert.match(stderr, new RegExp(`wrote ${tunnelled.length} of 18 frames .*${plain.length} matched but skipped: ${plain.length} not encapsulated`));
});

test('export usage errors exit 2 with one line', () => {
  const source = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  const cases: [string[], RegExp][] = [
    [[source, '-w', path.join(OUT, 'x.pcapng')], /give --tenant TYPE:ID or --filter EXPR/],
    [[source, '--tenant', 'vlan:3', '-w', path.join(OUT, 'x.pcapng')], /unknown tenant type 'vlan'/],
    [[source, '--filter', 'ip.src ==', '-w', path.join(OUT, 'x.pcapng')], /invalid filter/],
    [[source, '--filter', 'arp', '-w', path.join(OUT, 'x.txt')], /must end in \.pcapng or \.pcap/],
    [[source, '--filter', 'arp', '-w', source], /is the capture being read/],
  ];
  fs.mkdirSync(OUT, { recursive: true });
  for (const [args, message] of cases) {
    const result = spawnSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});
