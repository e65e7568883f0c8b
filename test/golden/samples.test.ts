// The committed samples: up to date with their generator, key frames where the README says, and
// read back by tshark frame by frame (lengths, protocol chains, checksums, interfaces, directions,
// comments). The classic pcap sample is also read by pcap-parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSamples } from '../../src/samples/make-samples';
import { SampleCapture } from '../../src/samples/sample-capture';
import { readWithPcapParser } from './pcap-parser-reader';
import { CHECKSUM_STATUS_FIELDS, TSHARK_SKIP_REASON, badChecksums, epochParts, tsharkFields } from './tshark-fields';

const repoRoot = path.resolve(__dirname, '../../..');
const samplesDir = path.join(repoRoot, 'samples');
const samples = buildSamples();
const byFile = new Map(samples.map((s) => [s.file, s]));

function sample(file: string): SampleCapture {
  const found = byFile.get(file);
  assert.ok(found, `no sample ${file}`);
  return found;
}

function committed(file: string): string {
  return path.join(samplesDir, file);
}

test('the committed samples are exactly what the generator writes (run `npm run samples` if not)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-samples-'));
  try {
    for (const s of samples) {
      const fresh = path.join(tmp, s.file.replace(/\//g, '_'));
      s.write(fresh);
      assert.ok(fs.existsSync(committed(s.file)), `samples/${s.file} is missing: run npm run samples`);
      assert.ok(fs.readFileSync(fresh).equals(fs.readFileSync(committed(s.file))), `samples/${s.file} is stale: run npm run samples`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('key frames are where make-samples.ts and samples/README.md say', () => {
  assert.equal(sample('vxlan-three-hosts.pcapng').frames.length, 33);
  assert.deepEqual(sample('vxlan-three-hosts.pcapng').keyFrames, {
    igmpVTEP1: 1, igmpVTEP2: 2, igmpVTEP3: 3,
    vni101Flood: 4, vni101UnicastReply: 5, vni101FirstPing: 6, vni101TcpSyn: 10, vni101Udp: 18,
    vni101Vm3Flood: 20, vni101Vm3UnicastReply: 21,
    vni102Flood: 24, vni102UnicastReply: 25, vni102FirstPing: 26, vni102Vm3Flood: 30, vni102Vm3UnicastReply: 31,
  });
  assert.equal(sample('vxlan-vm-migration.pcapng').frames.length, 13);
  assert.deepEqual(sample('vxlan-vm-migration.pcapng').keyFrames, {
    bootAnnounce: 4, vm1Flood: 5, replyFromVtep2: 6, migrationAnnounce: 9, unicastFromVtep3: 10,
  });
  assert.equal(sample('gre-two-routers.pcap').frames.length, 16);
  assert.deepEqual(sample('gre-two-routers.pcap').keyFrames, { firstPing: 1, firstReply: 2, tcpSyn: 5, keyedPing: 13, keyedChecksumSequence: 15 });
  assert.equal(sample('nvgre.pcapng').frames.length, 9);
  assert.deepEqual(sample('nvgre.pcapng').keyFrames, { arp1234: 1, arp5678: 5, reservedVsidKey: 9 });
  assert.equal(sample('geneve.pcapng').frames.length, 4);
  const ovs = sample('ovs-gre/host1.pcapng');
  assert.equal(ovs.frames.length, 18);
  assert.equal(ovs.keyFrames.vlan1ArpRequest, 1);
  assert.equal(ovs.keyFrames.vlan1UnicastToHost2, 7);
  assert.equal(ovs.keyFrames.vlan2ArpRequest, 10);

  assert.deepEqual(sample('vxlan-erspan-mirror.pcapng').keyFrames, { typeII: 1, typeIII: 5, typeI: 9 });
  assert.deepEqual(sample('vxlan-underlay-fragmented.pcapng').keyFrames, { firstFragment: 3, firstReassembled: 4 });
  assert.deepEqual(sample('mpls-over-gre.pcapng').keyFrames, { twoLabels: 1, oneLabel: 5 });
  const readme = fs.readFileSync(path.join(samplesDir, 'README.md'), 'utf8');
  for (const s of samples) assert.ok(readme.includes(s.file), `samples/README.md does not describe ${s.file}`);
  assert.match(readme, /\| 4 \| \*\*VNI 101 flood\*\*/);
  assert.match(readme, /\| 5 \| \*\*VNI 101 unicast reply\*\*/);
  assert.match(readme, /\| 9 \| \*\*migration\*\*/);
});

for (const s of samples) {
  test(`tshark reads samples/${s.file} as intended`, { skip: TSHARK_SKIP_REASON }, () => {
    const rows = tsharkFields(committed(s.file), [
      'frame.len',
      'frame.cap_len',
      'frame.protocols',
      'frame.interface_name',
      'frame.packet_flags_direction',
      'frame.comment',
      'frame.time_epoch',
      ...CHECKSUM_STATUS_FIELDS,
    ]);
    assert.equal(rows.length, s.frames.length, 'frame count');
    s.frames.forEach((frame, i) => {
      const row = rows[i];
      const where = `${s.file} frame ${i + 1}`;
      assert.equal(Number(row['frame.len']), frame.bytes.length, `${where}: length`);
      assert.equal(Number(row['frame.cap_len']), frame.bytes.length, `${where}: captured length`);
      assert.equal(row['frame.protocols'], frame.chain, `${where}: protocols`);
      assert.deepEqual(epochParts(row['frame.time_epoch']), [frame.tsSec, frame.tsNsec], `${where}: time`);
      if (s.format === 'pcapng') {
        assert.equal(row['frame.interface_name'], s.interfaces[frame.iface].name, `${where}: interface`);
        assert.equal(row['frame.comment'], frame.note ?? '', `${where}: comment`);
      }
      const direction = frame.flags === undefined ? '' : `0x${frame.flags.toString(16).padStart(8, '0')}`;
      assert.equal(row['frame.packet_flags_direction'], direction, `${where}: direction`);
    });
    assert.deepEqual(badChecksums(rows), []);
    // Every checksum that tshark can verify was verified good somewhere in the file.
    assert.ok(rows.some((row) => row['ip.checksum.status'].split(',').includes('1')));
  });
}

test('vxlan-three-hosts: VNIs, groups and VTEPs of the story', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('vxlan-three-hosts.pcapng'), ['vxlan.vni', 'ip.src', 'ip.dst', 'eth.src', 'arp.opcode', 'igmp.maddr']);
  assert.deepEqual(rows.slice(0, 3).map((r) => r['igmp.maddr']), new Array(3).fill('239.1.1.1,239.1.1.2'));
  rows.slice(3, 23).forEach((r, i) => assert.equal(r['vxlan.vni'], '101', `frame ${i + 4}`));
  rows.slice(23).forEach((r, i) => assert.equal(r['vxlan.vni'], '102', `frame ${i + 24}`));
  // Frame 4: the flood, outer to the group, inner broadcast ARP from VM1 of VNI 101.
  assert.equal(rows[3]['ip.src'], '192.168.100.1');
  assert.equal(rows[3]['ip.dst'], '239.1.1.1');
  assert.equal(rows[3]['eth.src'], '52:54:00:64:00:01,fa:16:3e:00:65:01');
  assert.equal(rows[3]['arp.opcode'], '1');
  // Frame 5: the unicast reply VTEP2 -> VTEP1 from VM2.
  assert.deepEqual([rows[4]['ip.src'], rows[4]['ip.dst'], rows[4]['arp.opcode']], ['192.168.100.2', '192.168.100.1', '2']);
  assert.equal(rows[4]['eth.src'], '52:54:00:64:00:02,fa:16:3e:00:65:02');
  // Frames 24 and 6: the same inner IPs in both tenants.
  assert.equal(rows[23]['ip.dst'], '239.1.1.2');
  assert.equal(rows[5]['ip.src'], '192.168.100.1,10.0.0.1');
  assert.equal(rows[25]['ip.src'], '192.168.100.1,10.0.0.1');
});

test('vxlan-vm-migration: VM2 appears behind VTEP2, then behind VTEP3', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('vxlan-vm-migration.pcapng'), ['ip.src', 'ip.dst', 'eth.src', 'igmp.maddr']);
  assert.equal(rows[3]['ip.src'], '192.168.100.2');
  assert.equal(rows[3]['eth.src'], '52:54:00:64:00:02,fa:16:3e:00:65:02');
  assert.equal(rows[8]['ip.src'], '192.168.100.3');
  assert.equal(rows[8]['ip.dst'], '239.1.1.1');
  assert.equal(rows[8]['eth.src'], '52:54:00:64:00:03,fa:16:3e:00:65:02');
  assert.equal(rows[9]['ip.src'], '192.168.100.3,10.0.0.2');
  assert.equal(rows[9]['ip.dst'], '192.168.100.1,10.0.0.1');
});

test('gre-two-routers: outer routers, inner hosts, keys on frames 13-16', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('gre-two-routers.pcap'), ['ip.src', 'ip.dst', 'gre.key', 'gre.proto', 'gre.sequence_number']);
  assert.equal(rows[0]['ip.src'], '172.17.10.10,192.168.1.102');
  assert.equal(rows[0]['ip.dst'], '172.16.11.10,192.168.2.115');
  assert.equal(rows[1]['ip.src'], '172.16.11.10,192.168.2.115');
  assert.ok(rows.every((r) => r['gre.proto'] === '0x0800'));
  assert.deepEqual(rows.map((r) => r['gre.key']), [...new Array(12).fill(''), ...new Array(4).fill('0x00000001')]);
  assert.equal(rows[14]['gre.sequence_number'], '1');
});

test('gre-two-routers.pcap is read the same by pcap-parser', async () => {
  const s = sample('gre-two-routers.pcap');
  const { header, packets } = await readWithPcapParser(committed(s.file));
  assert.equal(header.magicNumber, 0xa1b2c3d4);
  assert.equal(header.linkLayerType, 1);
  assert.equal(packets.length, s.frames.length);
  packets.forEach((packet, i) => {
    assert.equal(packet.header.timestampSeconds, s.frames[i].tsSec);
    assert.equal(packet.header.timestampMicroseconds, s.frames[i].tsNsec / 1000);
    assert.deepEqual(Buffer.from(packet.data), Buffer.from(s.frames[i].bytes));
  });
});

test('nvgre: two VSIDs with flow ids, and a reserved-VSID key', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('nvgre.pcapng'), ['gre.key', 'gre.proto', 'ip.src']);
  assert.deepEqual(rows.map((r) => r['gre.key']), [
    '0x00123411', '0x00123411', '0x0012342a', '0x0012342a',
    '0x00567812', '0x00567812', '0x0056783b', '0x0056783b',
    '0x00000001',
  ]);
  assert.ok(rows.every((r) => r['gre.proto'] === '0x6558'));
  assert.equal(rows[0]['ip.src'], '198.51.100.1');
  assert.equal(rows[1]['ip.src'], '198.51.100.2');
});

test('geneve: UDP 6081, VNI 5001 and one option', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('geneve.pcapng'), ['udp.dstport', 'geneve.vni', 'geneve.option.class', 'geneve.option.type']);
  for (const row of rows) {
    assert.equal(row['udp.dstport'], '6081');
    assert.equal(Number(row['geneve.vni']), 5001);
    assert.equal(Number(row['geneve.option.class']), 0x0102);
    assert.equal(Number(row['geneve.option.type']), 0x80);
  }
});

test('ovs-gre/host1: two named interfaces, directions, GRE keys and VLANs', { skip: TSHARK_SKIP_REASON }, () => {
  const rows = tsharkFields(committed('ovs-gre/host1.pcapng'), ['frame.interface_name', 'frame.packet_flags_direction', 'gre.key', 'gre.proto', 'vlan.id', 'ip.dst']);
  const names = new Set(rows.map((r) => r['frame.interface_name']));
  assert.deepEqual([...names].sort(), ['eth0', 'vm-side']);
  rows.forEach((row, i) => {
    const tenant = i < 9 ? 1 : 2;
    assert.ok(['0x00000001', '0x00000002'].includes(row['frame.packet_flags_direction']), `frame ${i + 1} has a direction`);
    if (row['frame.interface_name'] === 'vm-side') {
      assert.equal(row['vlan.id'], String(tenant), `frame ${i + 1}: VLAN`);
      assert.equal(row['gre.key'], '');
    } else {
      assert.equal(row['vlan.id'], '', `frame ${i + 1}: GRE frames are untagged`);
      assert.equal(row['gre.key'], `0x0000000${tenant}`);
      assert.equal(row['gre.proto'], '0x6558');
    }
  });
  // The flood goes to both peers, the unicast only to host 2.
  assert.equal(rows[1]['ip.dst'], '172.16.0.2');
  assert.equal(rows[2]['ip.dst'], '172.16.0.3');
  assert.equal(rows[6]['ip.dst'], '172.16.0.2,10.0.0.2');
  assert.equal(rows[3]['ip.dst'], '172.16.0.1');
});
