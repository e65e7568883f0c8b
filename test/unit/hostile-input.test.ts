// Captures and arguments built to break the analyzer: tunnels nested hundreds deep, filters nested
// thousands deep, times beyond a JavaScript Date, outputs that are the input, FIFOs, terminal escapes
// and interface ids above 65535. Each must give a frame marked malformed or a one-line error, never a
// crash, a hang or a destroyed input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaptureFile } from '../../src/capture/capture-file';
import { TOO_MANY_LAYERS, MAX_LAYERS } from '../../src/dissect/dissection';
import { validateFilter } from '../../src/filter';
import { exportFrames } from '../../src/export/export-frames';
import { calendarTime, isoTime } from '../../src/report/time-format';
import { UserFacingError } from '../../src/service/service';
import { CLI, SAMPLES } from '../helpers/paths';
import { captureAround, nestedGreFrame, nestedVxlanFrame, plainFrame, writePcapng } from '../helpers/hostile-captures';
import { newService, openIndexed } from '../helpers/service-session';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-hostile-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a user does. */
function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

const VXLAN_700 = writePcapng(path.join(dir, 'vxlan-700.pcapng'), captureAround(nestedVxlanFrame(700)));
const GRE_1000 = writePcapng(path.join(dir, 'gre-1000.pcapng'), captureAround(nestedGreFrame(1000)));
const TOO_DEEP = new RegExp(`too many layers: more than ${MAX_LAYERS}`);

for (const [name, file, reports] of [['700 nested VXLAN', VXLAN_700, ['html', 'csv']], ['1000 nested GRE', GRE_1000, ['json']]] as const) {
  test(`${name}: that frame is malformed ("too many layers"), its neighbours are not, in every command`, () => {
    const dissect = cli('dissect', file);
    assert.equal(dissect.status, 0, dissect.stderr);
    const lines = dissect.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1], TOO_DEEP);
    assert.doesNotMatch(lines[0] + lines[2], /Malformed/);
    const jsonl = cli('dissect', file, '-T', 'jsonl').stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(jsonl[1].malformed, TOO_MANY_LAYERS);
    assert.equal(jsonl[1].protocols.split(':').length, MAX_LAYERS);

    const info = cli('info', file);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /Frames: +3 /);
    assert.match(info.stdout, /Malformed: +1 frame/);
    for (const command of ['tenants', 'vteps']) {
      const run = cli(command, file, '-T', 'json');
      assert.equal(run.status, 0, `${command}: ${run.stderr}`);
      JSON.parse(run.stdout);
    }
    for (const ext of reports) {
      const out = path.join(dir, `${path.basename(file)}.${ext}`);
      const run = cli('report', file, '--out', out);
      assert.equal(run.status, 0, `report .${ext}: ${run.stderr}`);
      assert.ok(fs.statSync(out).size > 0);
    }
    const out = path.join(dir, `${path.basename(file)}-copy.pcapng`);
    const exported = cli('export', file, '--filter', '', '-w', out);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /wrote 3 of 3 frames/);
    const filtered = cli('dissect', file, '-Y', 'vxlan || gre || eth.type == 0x88b5');
    assert.equal(filtered.status, 0, filtered.stderr);
    assert.equal(filtered.stdout.trim().split('\n').length, 3);
  });

  test(`${name}: the service lists all three frames and details the deep one`, async () => {
    const service = newService();
    try {
      const info = await openIndexed(service, file);
      assert.equal(info.frames, 3);
      const { rows } = await service.call('getRows', { sessionId: info.sessionId, viewVersion: 0, start: 0, count: 10 });
      assert.deepEqual(rows.map((r) => r.number), [1, 2, 3]);
      assert.equal(rows[1].malformed, TOO_MANY_LAYERS);
      assert.equal(rows[0].malformed, null);
      const detail = await service.call('frameDetail', { sessionId: info.sessionId, frame: 2 });
      assert.ok(JSON.stringify(detail.tree).includes(TOO_MANY_LAYERS));
    } finally {
      await service.closeAll();
    }
  });
}

test('tunnels nested up to the limit are dissected whole, not cut', () => {
  const file = writePcapng(path.join(dir, 'vxlan-15.pcapng'), captureAround(nestedVxlanFrame(15)));
  const frame = JSON.parse(cli('dissect', file, '-T', 'jsonl').stdout.trim().split('\n')[1]);
  assert.equal(frame.malformed, undefined);
  assert.equal(frame.protocols.split(':').filter((p: string) => p === 'vxlan').length, 15);
  assert.equal(frame.tenant.id, 100, 'the innermost VXLAN names the tenant');
});

test('5000 nested parentheses or "!" give a one-line "too deeply nested" filter error', async () => {
  const sample = path.join(SAMPLES, 'vxlan-three-hosts.pcapng');
  for (const filter of ['('.repeat(5000) + 'ip' + ')'.repeat(5000), '!'.repeat(5000) + 'ip', Array(5000).fill('ip').join(' || ')]) {
    const run = cli('dissect', sample, '-Y', filter);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^tunnelscope: invalid filter: too deeply nested/);
    assert.match(validateFilter(filter)?.message ?? '', /too deeply nested/);
  }
  // Deep but within the limits: evaluated normally.
  const deep = '('.repeat(200) + Array(900).fill('ip.src == 10.9.9.9').join(' || ') + ' || arp' + ')'.repeat(200);
  const run = cli('dissect', sample, '-Y', deep);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').length, Number(cli('dissect', sample, '-Y', 'arp').stdout.trim().split('\n').length));
});

const MAX_U64 = (1n << 64n) - 1n;
/** 2^64 - 1 microseconds as the index holds it (seconds + nanoseconds / 1e9, in a double). */
const MAX_TIME_SECONDS = 18446744073709 + 551_615_000 / 1e9;
const TIMES = writePcapng(path.join(dir, 'times.pcapng'), {
  interfaces: [{ name: 'max' }, { name: 'offset', tsoffset: 10_000_000_000_000n }, { name: 'seconds', tsresol: 0 }],
  packets: [
    { iface: 0, ts: MAX_U64, bytes: plainFrame(1) },
    { iface: 1, ts: 1_700_000_000_000_000n, bytes: plainFrame(2) },
    { iface: 2, ts: MAX_U64, bytes: plainFrame(3) },
  ],
});

test('64-bit times and offsets: shown by info and reports, kept by export, flagged where a format cannot hold them', () => {
  const info = cli('info', TIMES);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /Time span: +\+586524-01-19T08:01:49\.551Z \.\. \+584554051223-/);
  for (const ext of ['html', 'csv', 'json']) {
    const out = path.join(dir, `times.${ext}`);
    const run = cli('report', TIMES, '--out', out);
    assert.equal(run.status, 0, `report .${ext}: ${run.stderr}`);
  }
  assert.match(fs.readFileSync(path.join(dir, 'times.html'), 'utf8'), /\+318911-04-04 16:00:00\.000000 UTC to \+584554051223-/);
  const copy = path.join(dir, 'times-copy.pcapng');
  const exported = cli('export', TIMES, '--filter', '', '-w', copy);
  assert.equal(exported.status, 0, exported.stderr);
  // The times as printed (seconds and nanoseconds exactly, not a rounded double).
  const times = (f: string) => cli('dissect', f, '-T', 'jsonl').stdout.trim().split('\n').map((l) => /"ts":([0-9.]+)/.exec(l)?.[1]);
  assert.deepEqual(times(copy), times(TIMES));
  // 2^64 - 1 whole seconds is beyond a double's 2^53: shown to the double's precision.
  assert.deepEqual(times(TIMES), ['18446744073709.551615', '10001700000000.000', '18446744073709552000.000']);
  // Classic pcap has 32-bit seconds: those frames are counted as skipped, with the reason.
  const pcap = path.join(dir, 'times.pcap');
  const toPcap = cli('export', TIMES, '--filter', '', '-w', pcap);
  assert.equal(toPcap.status, 0, toPcap.stderr);
  assert.match(toPcap.stderr, /wrote 0 of 3 frames .*3 time beyond classic pcap's 32-bit seconds/);
  assert.equal(CaptureFile.open(pcap).frameCount, 0);
});

test('the calendar goes on past a JavaScript Date and agrees with it inside', () => {
  for (const seconds of [0, 1, -1, 951782400, 1704067200, 4102444800, 253402300799, 8.64e12, -8.64e12]) {
    assert.equal(calendarTime(seconds), new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, ''), String(seconds));
  }
  assert.equal(isoTime(MAX_TIME_SECONDS), '+586524-01-19T08:01:49.550781Z'); // the double's microseconds
  assert.equal(isoTime(Number.NaN), 'invalid time');
});

test('the service opens and lists frames with 64-bit times', async () => {
  const service = newService();
  try {
    const info = await openIndexed(service, TIMES);
    assert.equal(info.firstTime, MAX_TIME_SECONDS);
    const { rows } = await service.call('getRows', { sessionId: info.sessionId, viewVersion: 0, start: 0, count: 10 });
    assert.equal(rows.length, 3);
    for (const row of rows) assert.ok(Number.isFinite(row.time));
    const saved = path.join(dir, 'times-saved.pcapng');
    await service.call('saveAs', { sessionId: info.sessionId, path: saved, format: 'pcapng', displayedOnly: false });
    const reread = CaptureFile.open(saved);
    reread.scan();
    assert.equal(reread.index.time(0), MAX_TIME_SECONDS);
    assert.equal(reread.index.time(1), 10_000_000_000_000 + 1_700_000_000);
    reread.close();
    const pcap = path.join(dir, 'times-saved.pcap');
    await assert.rejects(
      service.call('saveAs', { sessionId: info.sessionId, path: pcap, format: 'pcap', displayedOnly: false }),
      (err: Error) => err instanceof UserFacingError && /frame 1: time beyond classic pcap's 32-bit seconds/.test(err.message),
    );
    assert.equal(fs.existsSync(pcap), false);
  } finally {
    await service.closeAll();
  }
});

function digest(file: string): string {
  return fs.readFileSync(file).toString('base64');
}

test('export and report onto the input (directly or through a symlink) are refused; the input is intact', () => {
  const input = path.join(dir, 'input.pcapng');
  fs.copyFileSync(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), input);
  const before = digest(input);
  const link = path.join(dir, 'link-to-input.pcapng');
  fs.symlinkSync(input, link);
  const htmlLink = path.join(dir, 'link-to-input.html');
  fs.symlinkSync(input, htmlLink);
  for (const target of [input, link, path.join(dir, '.', 'input.pcapng')]) {
    const run = cli('export', input, '--filter', '', '-w', target);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /is the capture being read/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  }
  const report = cli('report', input, '--out', htmlLink);
  assert.equal(report.status, 2, report.stderr);
  assert.match(report.stderr, /is the capture being read/);
  assert.equal(digest(input), before);
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.part')).length, 0);
});

test('service Save As onto an open capture is refused; the input is intact', async () => {
  const input = path.join(dir, 'open.pcapng');
  const other = path.join(dir, 'other-open.pcapng');
  fs.copyFileSync(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), input);
  fs.copyFileSync(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'), other);
  const link = path.join(dir, 'link-to-open.pcapng');
  fs.symlinkSync(input, link);
  const before = digest(input);
  const service = newService();
  try {
    const info = await openIndexed(service, input);
    await openIndexed(service, other);
    for (const target of [input, link, other]) {
      await assert.rejects(
        service.call('saveAs', { sessionId: info.sessionId, path: target, format: 'pcapng', displayedOnly: false }),
        (err: Error) => err instanceof UserFacingError && /is the capture being read/.test(err.message),
      );
    }
    assert.equal(digest(input), before);
    const { rows } = await service.call('getRows', { sessionId: info.sessionId, viewVersion: 0, start: 0, count: 5 });
    assert.equal(rows.length, 5, 'the open capture still reads');
    const saved = path.join(dir, 'saved.pcapng');
    const result = await service.call('saveAs', { sessionId: info.sessionId, path: saved, format: 'pcapng', displayedOnly: false });
    assert.equal(result.frames, info.frames);
    const reread = CaptureFile.open(saved);
    reread.scan();
    assert.equal(reread.frameCount, info.frames);
  } finally {
    await service.closeAll();
  }
});

test('an interrupted export leaves no partial target and keeps an existing one', () => {
  const source = CaptureFile.open(path.join(SAMPLES, 'vxlan-three-hosts.pcapng'));
  const fresh = path.join(dir, 'interrupted.pcapng');
  const existing = path.join(dir, 'existing.pcapng');
  fs.writeFileSync(existing, 'precious');
  let frames = 0;
  const interrupt = { frame: () => { if (++frames > 5) throw new Error('interrupted'); }, done: () => {} };
  for (const target of [fresh, existing]) {
    frames = 0;
    assert.throws(() => exportFrames(source, target, { filter: null, decap: false, format: 'pcapng', progress: interrupt }), /interrupted/);
  }
  source.close();
  assert.equal(fs.existsSync(fresh), false);
  assert.equal(fs.readFileSync(existing, 'utf8'), 'precious');
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.part')).length, 0);
});

test('a FIFO, a directory or a device is refused at once with one line (CLI and service)', async () => {
  const fifo = path.join(dir, 'capture.fifo');
  spawnSync('mkfifo', [fifo]);
  assert.ok(fs.statSync(fifo).isFIFO(), 'mkfifo is needed');
  for (const [file, what] of [[fifo, /is a FIFO/], [dir, /is a directory/], ['/dev/null', /is a device/]] as const) {
    // A folder stands for the captures in it (several hosts' captures), on the command line and in
    // the app alike: this one holds a file that is no capture, which is named in one line.
    for (const command of file === fifo ? ['dissect', 'info', 'tenants'] : file === dir ? [] : ['info']) {
      const run = cli(command, file);
      assert.equal(run.signal, null, `${command} ${file} hung`);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, what);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
    const service = newService();
    const refusal = file === dir ? /\.pcapng: not a pcap or pcapng capture file$/ : what;
    assert.throws(() => service.open(file), (err: Error) => err instanceof UserFacingError && refusal.test(err.message) && !err.message.includes('\n'));
    if (file === fifo) {
      // Flow tables and bridge descriptions are read the same way.
      const ovs = path.join(SAMPLES, 'ovs-gre');
      const replay = cli('replay', path.join(ovs, 'host1.pcapng'), '--flows', fifo, '--bridge', path.join(ovs, 'bridge.json'));
      assert.equal(replay.status, 1, replay.stderr);
      assert.match(replay.stderr, /cannot read flow file .*: is a FIFO/);
    }
    assert.equal((await service.call('validateFilter', { text: 'ip' })).ok, true, 'the service still answers');
  }
});

test('capture strings with terminal escapes are printed escaped', () => {
  const file = writePcapng(path.join(dir, 'escapes.pcapng'), {
    hardware: 'hw\x1b]0;owned\x07',
    os: 'Linux\x1b[2J',
    userappl: 'app\u202eevil',
    comment: 'one\ntwo',
    interfaces: [{ name: 'eth\x1b[31m0' }],
    packets: [{ iface: 0, ts: 1_700_000_000_000_000n, bytes: plainFrame(1) }],
  });
  const run = cli('info', file);
  assert.equal(run.status, 0, run.stderr);
  for (const raw of ['\x1b', '\x07', '\u202e']) assert.ok(!run.stdout.includes(raw), `a raw ${JSON.stringify(raw)} reached the terminal`);
  assert.match(run.stdout, /eth\\x1b\[31m0/);
  assert.match(run.stdout, /Linux\\x1b\[2J/);
  assert.match(run.stdout, /hw\\x1b\]0;owned\\x07/);
  assert.match(run.stdout, /app\\u202eevil/);
  assert.match(run.stdout, /one\\ntwo/);
});

test('pcapng interface ids above 65535 are kept (32-bit)', async () => {
  const interfaces = Array.from({ length: 70_001 }, (_, i) => ({ name: i === 70_000 ? 'if70000' : undefined }));
  const file = writePcapng(path.join(dir, 'many-interfaces.pcapng'), {
    interfaces,
    packets: [
      { iface: 70_000, ts: 1_700_000_000_000_000n, bytes: plainFrame(1) },
      { iface: 4464, ts: 1_700_000_000_000_001n, bytes: plainFrame(2) }, // 70000 - 65536: what a 16-bit id became
    ],
  });
  const capture = CaptureFile.open(file);
  capture.scan();
  assert.equal(capture.index.iface[0], 70_000);
  assert.equal(capture.interfaces[capture.index.iface[0]].name, 'if70000');
  capture.close();
  const run = cli('dissect', file, '-Y', 'frame.interface_id == 70000', '-T', 'jsonl');
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n').map((l) => JSON.parse(l).frame), [1]);
  const service = newService();
  try {
    const info = await openIndexed(service, file);
    const detail = await service.call('frameDetail', { sessionId: info.sessionId, frame: 1 });
    assert.match(JSON.stringify(detail.tree), /Interface id: 70000/);
  } finally {
    await service.closeAll();
  }
});
