// The Electron shell's rules, tested without Electron: which IPC senders are trusted, which paths the
// renderer may have written to or listed (only those main's own dialogs returned), and the message
// protocol to the service process (run here as a real forked process, as utilityProcess runs it).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApprovedPaths, checkCallPaths, isTrustedSender } from '../../electron/ipc-policy';
import { ServiceProxy } from '../../electron/service-protocol';
import { REPO, SAMPLES } from '../helpers/paths';
import { withTimeout } from '../helpers/netns';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-electron-unit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('IPC sender check', () => {
  const index = '/opt/tunnelscope/renderer/index.html';
  const ours = pathToFileURL(index).href;

  it('accepts only our page in the top frame', () => {
    assert.equal(isTrustedSender({ url: ours, isMainFrame: true }, index), true);
    assert.equal(isTrustedSender({ url: `${ours}#tenants`, isMainFrame: true }, index), true);
  });

  it('refuses a missing frame, an empty URL, an iframe and any other page', () => {
    assert.equal(isTrustedSender(null, index), false);
    assert.equal(isTrustedSender(undefined, index), false);
    assert.equal(isTrustedSender({ url: '', isMainFrame: true }, index), false, 'a frame mid-navigation has an empty URL');
    assert.equal(isTrustedSender({ url: ours, isMainFrame: false }, index), false);
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'file://host/opt/tunnelscope/renderer/index.html', 'about:blank', 'data:text/html,x', 'not a url']) {
      assert.equal(isTrustedSender({ url, isMainFrame: true }, index), false, url);
    }
  });
});

describe('paths the renderer may use', () => {
  it('writes only to a file a save dialog returned', () => {
    const approved = new ApprovedPaths();
    const params = { sessionId: 's1', path: '/root/.bashrc', format: 'pcap', displayedOnly: true };
    assert.deepEqual(checkCallPaths('saveAs', params, approved), { allowed: false, kind: 'write', path: '/root/.bashrc' });
    assert.equal(checkCallPaths('saveCapture', { sessionId: 's1', path: '/etc/x' }, approved).allowed, false);
    approved.approveWrite('/home/u/out.pcapng');
    assert.equal(checkCallPaths('saveAs', { ...params, path: '/home/u/out.pcapng' }, approved).allowed, true);
    assert.equal(checkCallPaths('saveAs', { ...params, path: '/home/u/other.pcapng' }, approved).allowed, false);
    assert.equal(checkCallPaths('saveAs', { ...params, path: '/home/u/x/../out.pcapng' }, approved).allowed, true, 'the same file');
  });

  it('lists only folders reached through an open dialog, and what is below them', () => {
    const approved = new ApprovedPaths();
    const granted = path.join(dir, 'captures');
    fs.mkdirSync(path.join(granted, 'day1'), { recursive: true });
    fs.symlinkSync('/', path.join(granted, 'escape'));
    assert.equal(checkCallPaths('listDirectory', { path: granted }, approved).allowed, false);
    approved.approveFolder(granted);
    assert.equal(checkCallPaths('listDirectory', { path: granted }, approved).allowed, true);
    assert.equal(checkCallPaths('listDirectory', { path: path.join(granted, 'day1') }, approved).allowed, true);
    assert.equal(checkCallPaths('listDirectory', { path: path.join(granted, '..') }, approved).allowed, false, 'cannot climb out');
    assert.equal(checkCallPaths('listDirectory', { path: `${granted}-sibling` }, approved).allowed, false, 'a name that only starts the same');
    assert.equal(checkCallPaths('listDirectory', { path: path.join(granted, 'escape') }, approved).allowed, false, 'a link leading out');
    assert.equal(checkCallPaths('listDirectory', { path: '/root' }, approved).allowed, false);
  });

  it('correlates only captures under folders reached through an open dialog (Paths view)', () => {
    const approved = new ApprovedPaths();
    const granted = path.join(dir, 'hosts');
    fs.mkdirSync(granted, { recursive: true });
    approved.approveFolder(granted);
    const host1 = path.join(granted, 'host1.pcapng');
    assert.equal(checkCallPaths('capturePaths', { paths: [granted] }, approved).allowed, true);
    assert.equal(checkCallPaths('capturePaths', { paths: [host1, `${path.join(granted, 'host2.pcapng')}@192.0.2.2`] }, approved).allowed, true);
    assert.deepEqual(checkCallPaths('capturePaths', { paths: [host1, '/root'] }, approved), { allowed: false, kind: 'list', path: '/root' });
    assert.equal(checkCallPaths('capturePaths', { paths: 'x' }, approved).allowed, false);
    // Opening several captures as one (a folder is listed) is held to the same rule.
    assert.equal(checkCallPaths('openCaptures', { paths: [host1, `${path.join(granted, 'host2.pcapng')}@hv2`] }, approved).allowed, true);
    assert.deepEqual(checkCallPaths('openCaptures', { paths: ['/root'] }, approved), { allowed: false, kind: 'list', path: '/root' });
  });

  it('other calls pass as they are', () => {
    assert.equal(checkCallPaths('openCapture', { path: '/tmp/a.pcap' }, new ApprovedPaths()).allowed, true);
    assert.equal(checkCallPaths('getRows', { sessionId: 's1', viewVersion: 0, start: 0, count: 1 }, new ApprovedPaths()).allowed, true);
  });
});

describe('main <-> service process protocol', () => {
  it('calls, events and errors cross to a separate service process; a lost process fails waiting calls', async () => {
    const child = fork(path.join(REPO, 'dist', 'electron', 'service-process.js'), [], { env: { ...process.env, TUNNELSCOPE_CONFIG_DIR: dir }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const events: string[] = [];
    const proxy = new ServiceProxy({ send: (m) => child.send(m as object), onMessage: (l) => child.on('message', l) }, (event) => events.push(event));
    child.on('exit', (code, signal) => proxy.lost(`service process ended (${code ?? signal})`));
    try {
      assert.notEqual(child.pid, process.pid);
      const sample = path.join(SAMPLES, 'nvgre.pcapng');
      const info = await withTimeout(proxy.call('openCapture', { path: sample }), 20_000, 'openCapture');
      assert.equal(info.path, sample);
      await withTimeout(
        new Promise<void>((resolve) => {
          const check = setInterval(() => events.includes('indexProgress') && (clearInterval(check), resolve()), 20);
        }),
        20_000,
        'an indexProgress event from the service process',
      );
      const invalid = await proxy.request('getRows', { sessionId: info.sessionId, viewVersion: 0, start: -1, count: 1 });
      assert.equal(invalid.ok, false);
      assert.equal(!invalid.ok && invalid.error.kind, 'invalid', 'validated again in the service process');
      const unknown = await proxy.request('eval', {});
      assert.equal(!unknown.ok && unknown.error.kind, 'invalid');
      await proxy.closeAll();
      const closed = await proxy.request('sessionInfo', { sessionId: info.sessionId });
      assert.equal(!closed.ok && closed.error.kind, 'user');
      // Once the process is gone, calls get an error, not silence.
      const ended = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await withTimeout(ended, 20_000, 'the service process to end');
      const lost = await withTimeout(proxy.request('recentFiles', {}), 20_000, 'a call after the end');
      assert.equal(lost.ok, false);
      assert.match(!lost.ok ? lost.error.message : '', /service process ended/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
