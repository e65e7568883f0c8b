// `npm start` without the Electron binary: says so, serves the UI on 127.0.0.1, and the API refuses
// malformed messages.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO, SAMPLES } from '../helpers/paths';

test('npm start falls back to the local server and prints its address', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'electron', 'launch.js'), path.join(SAMPLES, 'nvgre.pcapng')], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${text}`)), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (/http:\/\/127\.0\.0\.1:\d+\//.test(text)) {
          clearTimeout(timer);
          resolve(text);
        }
      });
    });
    assert.match(output, /Electron is not installed/);
    const printed = /(http:\/\/127\.0\.0\.1:\d+\/)#token=([A-Za-z0-9_-]+)/.exec(output);
    assert.ok(printed, `the address with its secret: ${output}`);
    const [, url, token] = printed;
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const call = (body: unknown) => fetch(`${url}api/call`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const anonymous = await fetch(`${url}api/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'recentFiles', params: {} }) });
    assert.equal(anonymous.status, 401, 'no secret, no service');
    const bad = await call({ method: 'getRows', params: { sessionId: 's1', viewVersion: 0, start: -1, count: 10 } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /start/);
    const unknown = await call({ method: 'eval', params: {} });
    assert.equal(unknown.status, 400);
    // The file given on the command line opens as s1; its first rows appear once the first batch is indexed.
    type Rows = { ok: boolean; result: { rows: { tenant: string }[] } };
    let rows: Rows = { ok: false, result: { rows: [] } };
    for (let attempt = 0; attempt < 100 && !(rows.ok && rows.result.rows.length > 0); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      rows = (await (await call({ method: 'getRows', params: { sessionId: 's1', viewVersion: 0, start: 0, count: 2 } })).json()) as Rows;
    }
    assert.equal(rows.ok, true, 'the file given on the command line is open as s1');
    assert.ok(rows.result.rows.length > 0, 'its rows are served');
    assert.match(rows.result.rows[0].tenant, /^nvgre:/);
    const foreign = await fetch(`${url}api/call`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{}' });
    assert.equal(foreign.status, 403);
  } finally {
    child.kill('SIGTERM');
  }
});
