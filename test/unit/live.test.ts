// Live capture pieces that need no network: program command lines and statistics, option checks,
// error wording, and following a file that grows a piece at a time (records cut at its end).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCaptureOptions, parseRing } from '../../src/live/capture-options';
import { LiveCaptureError } from '../../src/live/errors';
import { FileFollower } from '../../src/live/file-follower';
import { captureArguments, parseProgramStats, TO_STDOUT } from '../../src/live/program-args';
import { programFailure } from '../../src/live/program-errors';
import { TenantCounts } from '../../src/live/tenant-counts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-live-unit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('capture program command lines', () => {
  it('dumpcap applies every stop condition and the ring itself', () => {
    const inv = captureArguments('dumpcap', { iface: 'eth0', filter: 'udp port 4789', snaplen: 128, durationSeconds: 5, packetCount: 9, ring: { files: 3, fileMegabytes: 2 } }, '/tmp/x.pcapng', false);
    assert.deepEqual(inv.args, ['-i', 'eth0', '-q', '-w', '/tmp/x.pcapng', '-s', '128', '-a', 'duration:5', '-c', '9', '-b', 'files:3', '-b', 'filesize:2000', '-f', 'udp port 4789']);
    assert.equal(inv.supervisorDurationSeconds, undefined);
  });

  it('dumpcap writing one file writes to the descriptor we opened', () => {
    const inv = captureArguments('dumpcap', { iface: 'eth0', durationSeconds: 2.5, fileKilobytes: 50 }, TO_STDOUT, true);
    assert.deepEqual(inv.args, ['-i', 'eth0', '-q', '-w', '-', '-a', 'duration:3', '-a', 'filesize:50']);
  });

  it('tcpdump writes each packet at once, stops itself after the duration, and leaves the size to the supervisor', () => {
    const inv = captureArguments('tcpdump', { iface: 'eth0', filter: 'icmp', durationSeconds: 5, fileKilobytes: 100, packetCount: 3 }, TO_STDOUT, true);
    // Writing to our descriptor, tcpdump started as root drops to its own user once the device is open.
    assert.deepEqual(inv.args, ['-i', 'eth0', '-U', '--immediate-mode', '-n', '-w', '-', '-c', '3', '-G', '5', '-W', '1', '--', 'icmp']);
    assert.equal(inv.supervisorDurationSeconds, 5);
    assert.equal(inv.supervisorFileKilobytes, 100);
    // A ring buffer's files are named by tcpdump: as root it keeps root to write them.
    const ring = captureArguments('tcpdump', { iface: 'e', durationSeconds: 9, ring: { files: 4, fileMegabytes: 10 } }, '/f', true).args;
    assert.deepEqual(ring.slice(-6), ['-Z', 'root', '-C', '10', '-W', '4']);
  });

  it('reads the closing statistics of both programs', () => {
    assert.deepEqual(parseProgramStats('tcpdump', 'tcpdump: listening on x\n5 packets captured\n6 packets received by filter\n1 packet dropped by kernel\n'), {
      captured: 5,
      received: 6,
      dropped: 1,
    });
    const dumpcap = "Capturing on 'v'\nFile: /tmp/a\nPackets captured: 27\nPackets received/dropped on interface 'v': 27/0 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)\n";
    assert.deepEqual(parseProgramStats('dumpcap', dumpcap), { captured: 27, received: 27, dropped: 0 });
  });
});

describe('capture options', () => {
  const kindOf = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof LiveCaptureError ? err.kind : 'other';
    }
    return 'none';
  };

  it('parses --ring FILES:MB and refuses anything else', () => {
    assert.deepEqual(parseRing('10:100'), { files: 10, fileMegabytes: 100 });
    assert.equal(kindOf(() => parseRing('10')), 'bad-options');
    assert.equal(kindOf(() => parseRing('0:5')), 'bad-options');
  });

  it('refuses impossible stop conditions', () => {
    assert.equal(kindOf(() => checkCaptureOptions({ iface: 'eth0', durationSeconds: 2, packetCount: 10 })), 'none');
    assert.equal(kindOf(() => checkCaptureOptions({ iface: '' })), 'bad-options');
    assert.equal(kindOf(() => checkCaptureOptions({ iface: 'e', packetCount: 1.5 })), 'bad-options');
    assert.equal(kindOf(() => checkCaptureOptions({ iface: 'e', snaplen: 300000 })), 'bad-options');
    assert.equal(kindOf(() => checkCaptureOptions({ iface: 'e', fileKilobytes: 10, ring: { files: 2, fileMegabytes: 1 } })), 'bad-options');
  });
});

describe('capture program failures', () => {
  const tcpdump = { name: 'tcpdump' as const, path: '/usr/bin/tcpdump' };
  const dumpcap = { name: 'dumpcap' as const, path: '/usr/bin/dumpcap' };

  it('names the cause in one line', () => {
    assert.equal(programFailure(tcpdump, 'x0', undefined, 'tcpdump: x0: No such device exists\n(No such device exists)\n', 1).kind, 'no-interface');
    const filter = programFailure(dumpcap, 'v', 'udp port', `dumpcap: Invalid capture filter "udp port" for interface 'v'.\n\nThat string isn't a valid capture filter (can't parse filter expression: syntax error).\n`, 1);
    assert.equal(filter.kind, 'bad-filter');
    assert.equal(filter.message, 'invalid capture filter "udp port": syntax error');
    const denied = programFailure(tcpdump, 'eth0', undefined, "tcpdump: eth0: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n", 1);
    assert.equal(denied.kind, 'permission');
    assert.match(denied.message, /sudo setcap cap_net_raw,cap_net_admin=eip \/usr\/bin\/tcpdump$/);
    assert.equal(programFailure(tcpdump, 'e', undefined, 'tcpdump: /root/x.pcap: Permission denied\n', 1).message, 'tcpdump failed: tcpdump: /root/x.pcap: Permission denied');
  });
});

/** A classic little-endian microsecond pcap header (Ethernet) and records of `length` zero bytes. */
function pcapHeader(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(65535, 16);
  h.writeUInt32LE(1, 20);
  return h;
}

function pcapRecord(second: number, length = 60): Buffer {
  const r = Buffer.alloc(16 + length);
  r.writeUInt32LE(second, 0);
  r.writeUInt32LE(length, 8);
  r.writeUInt32LE(length, 12);
  r.fill(0xff, 16, 22); // broadcast destination
  return r;
}

describe('following a growing capture file', () => {
  it('waits for the header, keeps a cut record for the next poll, and reads the rest', () => {
    const file = path.join(dir, 'growing.pcap');
    const seen: [number, number][] = [];
    const problems: string[] = [];
    const counts = new TenantCounts();
    const follower = new FileFollower(() => [file], {
      frames: (_current, from, to) => seen.push([from, to]),
      frame: (ctx, frame, current) => counts.addFrame(ctx, current.file.index, frame),
      problem: (_p, message) => problems.push(message),
    });
    follower.poll(); // not created yet: nothing, no problem
    fs.writeFileSync(file, pcapHeader().subarray(0, 10));
    follower.poll(); // header half written
    assert.equal(follower.current, null);
    const records = Buffer.concat([pcapRecord(1), pcapRecord(2), pcapRecord(3)]);
    fs.appendFileSync(file, Buffer.concat([pcapHeader().subarray(10), records.subarray(0, 76 + 30)]));
    follower.poll(); // one whole record and 30 bytes of the next
    assert.deepEqual(seen, [[0, 1]]);
    fs.appendFileSync(file, records.subarray(76 + 30));
    follower.poll();
    assert.deepEqual(seen, [
      [0, 1],
      [1, 3],
    ]);
    follower.poll(true);
    assert.equal(follower.totalFrames, 3);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      counts.totals().map((t) => [t.tenant, t.packets, t.bytes]),
      [['', 3, 180]],
    );
    follower.close();
  });

  it('moves on through ring files in order and reports a file cut short once the writer is done', () => {
    const files = [path.join(dir, 'ring_1.pcap'), path.join(dir, 'ring_2.pcap')];
    fs.writeFileSync(files[0], Buffer.concat([pcapHeader(), pcapRecord(1), pcapRecord(2)]));
    fs.writeFileSync(files[1], Buffer.concat([pcapHeader(), pcapRecord(3), pcapRecord(4).subarray(0, 20)]));
    const listed = [files[0]];
    const problems: string[] = [];
    const follower = new FileFollower(() => listed, { frames: () => undefined, problem: (p, m) => problems.push(`${path.basename(p)}: ${m}`) });
    follower.poll();
    assert.equal(follower.totalFrames, 2);
    listed.push(files[1]);
    follower.poll();
    assert.deepEqual(follower.finished, [{ path: files[0], frames: 2 }]);
    assert.equal(follower.current?.path, files[1]);
    assert.equal(follower.totalFrames, 3);
    assert.deepEqual(problems, []);
    follower.poll(true);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^ring_2\.pcap: file ends in the middle of a packet/);
    follower.close();
  });
});
