// The dissector registry is built by one explicit call (register phase, then handoff phase); loading a
// dissector module registers nothing, and protocol ids do not depend on the order modules load in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '../../src/dissect');

function run(script: string): string {
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: DIST });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('loading dissector modules registers nothing; buildDissectorRegistry fills the tables once', () => {
  const out = run(`
    require('./dissectors/tunnels'); require('./dissectors/transport');
    const tables = require('./tables'); const fields = require('./fields');
    const before = [tables.udpPortTable.keys().length, fields.allFieldNames().length];
    require('./registry').buildDissectorRegistry();
    const after = [tables.udpPortTable.keys().length, fields.allFieldNames().length];
    require('./registry').buildDissectorRegistry();
    const again = [tables.udpPortTable.keys().length, fields.allFieldNames().length];
    console.log(JSON.stringify({ before, after, again, vxlan: tables.udpPortTable.keys().includes(4789), vni: fields.fieldDef('vxlan.vni') !== undefined }));
  `);
  const r = JSON.parse(out);
  assert.deepEqual(r.before, [0, 0], 'no import side effects');
  assert.ok(r.after[0] > 0 && r.after[1] > 100, 'the build registers dissectors and fields');
  assert.deepEqual(r.again, r.after, 'a second build changes nothing');
  assert.ok(r.vxlan && r.vni);
});

test('protocol ids are the same whatever order the modules load in', () => {
  const ids = (order: string[]) =>
    run(`
      for (const m of ${JSON.stringify(order)}) require(m);
      require('./registry').buildDissectorRegistry();
      const f = require('./fields');
      console.log(['eth','ip','ipv6','udp','gre','vxlan','geneve','data','frame'].map((n) => f.protocolByName(n).id).join(','));
    `);
  const a = ids(['./dissectors/ethernet', './dissectors/tunnels', './engine']);
  const b = ids(['./dissectors/tunnels', '../filter/index', './dissectors/common', './dissectors/ethernet']);
  assert.equal(a, b);
});

test('a filter compiled before any frame is dissected knows every field', () => {
  const out = run(`const f = require('../filter/index'); const keys = Object.keys(f); console.log(keys.join(','));`);
  assert.ok(out.length > 0);
  const r = spawnSync(process.execPath, [path.resolve(DIST, '../cli/main.js'), 'dissect', path.resolve(DIST, '../../../samples/vxlan-three-hosts.pcapng'), '-Y', 'vxlan.vni == 102', '-T', 'jsonl'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 10);
});
