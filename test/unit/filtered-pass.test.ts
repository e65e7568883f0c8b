// The filtered pass over real captures (samples/), with what it hands each visitor checked against the
// capture's index and tshark's answers for the same files (written here: tshark 4 on these samples).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureSet } from '../../src/capture/capture-set';
import { TreeNode } from '../../src/dissect/dissection';
import { FrameMeta } from '../../src/dissect/engine';
import { compileFilter } from '../../src/filter';
import { FilteredPassOptions, forEachMatchingFrame } from '../../src/filter/filtered-pass';
import { openCaptures } from '../../src/overlay/captures';
import { SAMPLES } from '../helpers/paths';

const THREE_HOSTS = path.join(SAMPLES, 'vxlan-three-hosts.pcapng'); // 33 frames, 30 VXLAN (tshark)
const FRAGMENTED = path.join(SAMPLES, 'vxlan-underlay-fragmented.pcapng'); // 10 frames, inner IPv4 in 4, 6, 8, 10 once reassembled
const GENEVE = path.join(SAMPLES, 'geneve.pcapng'); // 4 frames

interface Seen {
  frame: number;
  meta: FrameMeta;
  wantTree: boolean;
  wantColumns: boolean;
  tcpStreams: boolean;
  info: string;
}

function run(file: string, filter: string | null, options: FilteredPassOptions = {}): { matched: number; seen: Seen[] } {
  const capture = CaptureFile.open(file);
  try {
    const seen: Seen[] = [];
    const matched = forEachMatchingFrame(capture, filter === null ? null : compileFilter(filter), (ctx, frame, meta) => {
      seen.push({ frame, meta: { ...meta }, wantTree: ctx.wantTree, wantColumns: ctx.wantColumns, tcpStreams: ctx.tcpStreams !== null, info: ctx.wantColumns ? ctx.info : '' });
    }, options);
    return { matched, seen };
  } finally {
    capture.close();
  }
}

describe('filtered pass: frames and their metadata', () => {
  it('without a filter every frame is visited in order, with its number, time and interface from the index', () => {
    const { matched, seen } = run(THREE_HOSTS, null);
    assert.equal(matched, 33);
    assert.deepEqual(seen.map((s) => s.frame), Array.from({ length: 33 }, (_, i) => i));
    const capture = CaptureFile.open(THREE_HOSTS);
    try {
      capture.scan();
      const index = capture.index;
      for (const { frame, meta } of seen) {
        assert.equal(meta.number, frame + 1);
        assert.equal(meta.linkType, 1);
        assert.equal(meta.tsSec, index.tsSec[frame]);
        assert.equal(meta.tsNsec, index.tsNsec[frame]);
        assert.equal(meta.relative, index.time(frame) - index.time(0));
        assert.equal(meta.firstTsSec, 1704067200);
        assert.equal(meta.firstTsNsec, 0);
        assert.equal(meta.interfaceId, index.iface[frame]);
        assert.equal(meta.direction, index.flags[frame] & 3);
        assert.equal(meta.capture, undefined);
      }
    } finally {
      capture.close();
    }
    // tshark: frame 5 is at 1704067201.030250000, 1.030250 s after the first
    assert.deepEqual([seen[4].meta.tsSec, seen[4].meta.tsNsec], [1704067201, 30250000]);
    assert.ok(Math.abs(seen[4].meta.relative - 1.03025) < 1e-6);
    assert.equal(seen[0].meta.relative, 0);
  });

  it('a filter selects the frames tshark selects; the tree is built only when the filter reads fields', () => {
    const vxlan = run(THREE_HOSTS, 'vxlan');
    assert.equal(vxlan.matched, 30);
    assert.equal(vxlan.seen.length, 30);
    assert.ok(vxlan.seen.every((s) => !s.wantTree && !s.tcpStreams));
    const numbered = run(THREE_HOSTS, 'frame.number == 5 || frame.number == 33');
    assert.deepEqual(numbered.seen.map((s) => s.meta.number), [5, 33]);
    assert.ok(numbered.seen.every((s) => s.wantTree && s.tcpStreams));
    assert.deepEqual(run(THREE_HOSTS, 'frame.time_relative >= 1.03025 && frame.time_relative < 1.04').seen.map((s) => s.meta.number), [5, 6, 7]);
    assert.equal(run(THREE_HOSTS, 'vxlan.vni == 999').matched, 0);
  });

  it('with a filter, the tree holds only the fields the filter reads (and every protocol)', () => {
    const capture = CaptureFile.open(THREE_HOSTS);
    try {
      const filter = compileFilter('vxlan.vni == 101');
      const fieldNames = new Set<string>();
      const protocols = new Set<string>();
      forEachMatchingFrame(capture, filter, (ctx) => {
        const walk = (nodes: TreeNode[] | undefined): void => {
          for (const node of nodes ?? []) {
            fieldNames.add(node.name);
            walk(node.children);
          }
        };
        for (const top of ctx.tree) {
          protocols.add(top.name);
          walk(top.children);
        }
      });
      assert.deepEqual([...fieldNames], ['vxlan.vni']);
      assert.ok(['eth', 'ip', 'udp', 'vxlan'].every((p) => protocols.has(p)), [...protocols].join());
    } finally {
      capture.close();
    }
  });

  it('columns are built on request, with TCP streams, and not otherwise', () => {
    const withColumns = run(THREE_HOSTS, null, { columns: true });
    assert.ok(withColumns.seen.every((s) => s.wantColumns && s.tcpStreams && !s.wantTree));
    assert.equal(withColumns.seen[3].info, 'Who has 10.0.0.2? Tell 10.0.0.1'); // tshark's Info for frame 4
    assert.ok(run(THREE_HOSTS, null).seen.every((s) => !s.wantColumns && !s.tcpStreams));
  });

  it('a prefilter and the filter must both pass; times stay relative to the first frame of the file', () => {
    // tshark: "igmp || arp" is frames 1-5, 20, 21, 24, 25, 30 and 31; frames 1-3 (IGMP) are not encapsulated
    const { matched, seen } = run(THREE_HOSTS, 'igmp || arp', { prefilter: (ctx) => ctx.tenantType !== 0 });
    assert.equal(matched, 8);
    assert.deepEqual(seen.map((s) => s.meta.number), [4, 5, 20, 21, 24, 25, 30, 31]);
    assert.equal(run(THREE_HOSTS, 'igmp || arp').matched, 11);
    assert.ok(seen[0].meta.relative > 1, 'frame 1 was left out by the prefilter, the clock still starts there');
    assert.equal(seen[0].meta.firstTsSec, 1704067200);
    const none = run(THREE_HOSTS, null, { prefilter: () => false });
    assert.deepEqual([none.matched, none.seen.length], [0, 0]);
  });

  it('progress sees every frame read, matching or not, and is told when the pass ends, even by an error', () => {
    const frames: number[] = [];
    let done = 0;
    const progress = { frame: (f: number) => frames.push(f), done: () => done++ };
    assert.equal(run(THREE_HOSTS, 'vxlan.vni == 999', { progress }).matched, 0);
    assert.deepEqual(frames, Array.from({ length: 33 }, (_, i) => i));
    assert.equal(done, 1);
    const capture = CaptureFile.open(GENEVE);
    try {
      assert.throws(() => forEachMatchingFrame(capture, null, () => { throw new Error('visitor failed'); }, { progress }), /visitor failed/);
    } finally {
      capture.close();
    }
    assert.equal(done, 2);
  });

  it('IP fragments are reassembled unless asked not to', () => {
    assert.deepEqual(run(FRAGMENTED, 'ip#2').seen.map((s) => s.meta.number), [4, 6, 8, 10]);
    assert.deepEqual(run(FRAGMENTED, 'ip#2', { reassemble: true }).seen.map((s) => s.meta.number), [4, 6, 8, 10]);
    const unreassembled = run(FRAGMENTED, 'ip#2', { reassemble: false }).seen.map((s) => s.meta.number);
    assert.ok(![4, 6, 8, 10].some((n) => unreassembled.includes(n)), `${unreassembled}`);
  });

  it('decode-as reaches the dissection: UDP 4789 read as something else is not VXLAN', () => {
    assert.equal(run(THREE_HOSTS, 'vxlan', { decodeAs: new Map([['udp.port', new Map([[4789, 'data']])]]) }).matched, 0);
    assert.equal(run(THREE_HOSTS, 'vxlan', { decodeAs: null }).matched, 30);
  });
});

describe('filtered pass over several captures', () => {
  it('each frame names its capture, its host and its number in that capture', () => {
    const set = openCaptures([`${GENEVE}@left`, `${FRAGMENTED}@right`]);
    try {
      assert.ok(set instanceof CaptureSet);
      const seen: FrameMeta[] = [];
      const matched = forEachMatchingFrame(set, null, (_ctx, _frame, meta) => seen.push({ ...meta }));
      assert.equal(matched, 14);
      assert.deepEqual(seen.map((m) => m.number), Array.from({ length: 14 }, (_, i) => i + 1));
      for (const [name, count] of [['left', 4], ['right', 10]] as const) {
        const own = seen.filter((m) => m.capture === name);
        assert.deepEqual(own.map((m) => m.captureFrame), Array.from({ length: count }, (_, i) => i + 1), name);
      }
      assert.ok(seen.every((m) => m.captureHost === undefined || typeof m.captureHost === 'string'));
      const hosts = new Set(seen.map((m) => `${m.capture}=${m.captureHost}`));
      assert.equal(hosts.size, 2);
    } finally {
      set.close();
    }
    // a source is read once: a second pass opens it again
    const again = openCaptures([`${GENEVE}@left`, `${FRAGMENTED}@right`]) as CaptureSet;
    try {
      const frames: string[] = [];
      forEachMatchingFrame(again, compileFilter('ip#2'), (_ctx, _frame, meta) => frames.push(`${meta.capture}:${meta.captureFrame}`));
      assert.deepEqual(frames, ['left:3', 'left:4', 'right:4', 'right:6', 'right:8', 'right:10']); // tshark: geneve 3, 4; fragmented 4, 6, 8, 10
    } finally {
      again.close();
    }
  });
});
