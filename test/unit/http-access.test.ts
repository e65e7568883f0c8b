// Browser mode's local service: without the launch secret every API route answers 401 (also for
// another local user, who can reach the port); malformed request paths get 400 and the server keeps
// answering; oversized calls get 413; the Host and Origin checks stay.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { requestPath, RunningServer, startHttpServer } from '../../src/service/http-server';
import { RENDERER_DIR } from '../../src/service/paths';
import { TunnelscopeService } from '../../src/service/service';
import { haveProgram } from '../helpers/paths';

/** One raw HTTP/1.1 request (fetch would normalise the bad paths away); resolves with the status code. */
function rawRequest(port: number, requestLine: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`no status for ${requestLine}: ${JSON.stringify(text)}`)));
    const all = { host: `127.0.0.1:${port}`, connection: 'close', ...headers };
    const lines = [requestLine, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)];
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}

describe('browser-mode service access', () => {
  let service: TunnelscopeService;
  let server: RunningServer;
  let configDir: string;
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const bearer = () => ({ authorization: `Bearer ${server.token}` });

  before(async () => {
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-access-'));
    service = new TunnelscopeService({ configDir });
    server = await startHttpServer(service, RENDERER_DIR);
  });

  after(async () => {
    await service.closeAll();
    await server.close();
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  test('the printed address carries a fresh secret of at least 128 bits', async () => {
    assert.ok(server.url.startsWith(`${server.origin}/#token=`));
    assert.ok(Buffer.from(server.token, 'base64url').length >= 16);
    const other = await startHttpServer(service, RENDERER_DIR);
    assert.notEqual(other.token, server.token, 'each launch makes its own');
    await other.close();
  });

  test('every API route refuses a request without the secret, or with a wrong one', async () => {
    const wrong = { authorization: `Bearer ${server.token.slice(0, -2)}xx` };
    const attempts: Record<string, string>[] = [{}, wrong, { authorization: server.token }, { cookie: `token=${server.token}` }];
    for (const headers of attempts) {
      assert.equal((await call({ method: 'recentFiles', params: {} }, headers)).status, 401);
      assert.equal((await call({ method: 'listDirectory', params: { path: '/root' } }, headers)).status, 401);
      assert.equal((await call({ method: 'saveAs', params: { sessionId: 's1', path: '/tmp/x.pcap', format: 'pcap', displayedOnly: false } }, headers)).status, 401);
      assert.equal((await fetch(`${server.origin}/api/events`, { headers })).status, 401, 'the event stream (open file paths, capture status)');
      assert.equal((await fetch(`${server.origin}/api/anything`, { headers })).status, 401);
    }
    const refused = (await (await call({ method: 'recentFiles', params: {} })).json()) as { error: { code: string; message: string } };
    assert.equal(refused.error.code, 'unauthorized');
    assert.match(refused.error.message, /address Tunnelscope printed/);
  });

  test('with the secret the calls and the event stream work', async () => {
    const ok = await call({ method: 'listDirectory', params: { path: os.tmpdir() } }, bearer());
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { ok: boolean }).ok, true);
    const controller = new AbortController();
    const events = await fetch(`${server.origin}/api/events`, { headers: bearer(), signal: controller.signal });
    assert.equal(events.status, 200);
    assert.match(events.headers.get('content-type') ?? '', /text\/event-stream/);
    controller.abort();
    // The page itself holds no data and loads without the secret (it reads the secret from the address).
    assert.equal((await fetch(`${server.origin}/`)).status, fs.existsSync(RENDERER_DIR) ? 200 : 404);
  });

  test('another local user (nobody) is refused', { skip: process.getuid?.() !== 0 || !haveProgram('runuser') ? 'needs root and runuser to act as user nobody: skipped' : false }, async () => {
    const script = `Promise.all([
      fetch(process.argv[1] + '/api/call', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'listDirectory', params: { path: '/root' } }) }),
      fetch(process.argv[1] + '/api/events'),
    ]).then((r) => console.log(JSON.stringify({ uid: process.getuid(), status: r.map((x) => x.status) })))`;
    // Asynchronously: this process's server has to answer meanwhile.
    const { stdout: out } = await promisify(execFile)('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script, server.origin], { encoding: 'utf8', timeout: 20_000, cwd: '/' });
    const seen = JSON.parse(out) as { uid: number; status: number[] };
    assert.notEqual(seen.uid, 0, 'the request ran as another user');
    assert.deepEqual(seen.status, [401, 401]);
  });

  test('malformed paths get 400 and the server keeps answering', async () => {
    for (const target of ['//', '/%', '/%E0%A4%A', '/api/%', '//api/call', '/%00', 'http://evil.example/', '*']) {
      assert.equal(await rawRequest(server.port, `GET ${target} HTTP/1.1`), 400, target);
      assert.equal((await call({ method: 'recentFiles', params: {} }, bearer())).status, 200, `still answering after ${target}`);
    }
    assert.equal(await rawRequest(server.port, 'POST /%E0%A4%A HTTP/1.1', { 'content-length': '0' }), 400);
  });

  test('an oversized call gets 413 and the server keeps answering', async () => {
    const big = JSON.stringify({ method: 'validateFilter', params: { text: 'x'.repeat(2 << 20) } });
    const res = await fetch(`${server.origin}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body: big });
    assert.equal(res.status, 413);
    assert.equal((await call({ method: 'recentFiles', params: {} }, bearer())).status, 200);
  });

  test('the Host and Origin checks stay', async () => {
    assert.equal(await rawRequest(server.port, 'GET / HTTP/1.1', { host: 'evil.example' }), 403);
    assert.equal((await call({ method: 'recentFiles', params: {} }, { ...bearer(), origin: 'http://evil.example' })).status, 403);
  });

  test('requestPath takes plain absolute paths only', () => {
    assert.equal(requestPath('/api/call?x=1'), '/api/call');
    assert.equal(requestPath('/a%20b'), '/a b');
    for (const bad of [undefined, '', '//', '/%', '/%E0%A4%A', 'x', '/%00']) assert.equal(requestPath(bad), null, String(bad));
  });
});
