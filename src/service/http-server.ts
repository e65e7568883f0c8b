// Browser mode: the built renderer and the service API on 127.0.0.1 only. Calls are JSON POSTs to
// /api/call (validated like IPC messages), events a Server-Sent Events stream at /api/events.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CallError, EventName, ServiceEvents } from './api';
import { InvalidMessage, validateCall } from './schemas';
import { TunnelscopeService, UserFacingError } from './service';

const MAX_BODY_BYTES = 1 << 20;

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function callErrorOf(err: unknown): CallError {
  if (err instanceof InvalidMessage) return { message: err.message, kind: 'invalid' };
  if (err instanceof UserFacingError) return err.code === undefined ? { message: err.message, kind: 'user' } : { message: err.message, kind: 'user', code: err.code };
  return { message: (err as Error)?.message ?? String(err), kind: 'internal' };
}

export function startHttpServer(service: TunnelscopeService, rendererDir: string, port = 0): Promise<RunningServer> {
  const streams = new Set<http.ServerResponse>();
  let origin = '';

  const sendEvent = (res: http.ServerResponse, event: EventName, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const unsubscribe = service.subscribe(<E extends EventName>(event: E, data: ServiceEvents[E]) => {
    for (const res of streams) sendEvent(res, event, data);
  });

  const server = http.createServer((req, res) => {
    // Only this machine, and only pages this server served: refuse other Host names (DNS rebinding)
    // and cross-origin calls.
    const host = req.headers.host ?? '';
    if (host !== origin.slice('http://'.length) && host !== `localhost:${(server.address() as AddressInfo).port}`) {
      res.writeHead(403).end('forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/api/call') return handleCall(req, res);
    if (url.pathname === '/api/events') return handleEvents(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveStatic(url.pathname, res);
  });

  function handleCall(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { ok: false, error: { message: 'POST only', kind: 'invalid' } });
    const from = req.headers.origin;
    if (from !== undefined && from !== origin && from !== origin.replace('127.0.0.1', 'localhost')) return reply(403, { ok: false, error: { message: 'cross-origin call refused', kind: 'invalid' } });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return reply(415, { ok: false, error: { message: 'JSON only', kind: 'invalid' } });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', async () => {
      try {
        let message: unknown;
        try {
          message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new InvalidMessage('bad call: not JSON');
        }
        const { method, params } = validateCall(message);
        const result = await service.call(method, params as never);
        reply(200, { ok: true, result });
      } catch (err) {
        const error = callErrorOf(err);
        if (error.kind === 'internal') console.error(err);
        reply(error.kind === 'invalid' ? 400 : error.kind === 'user' ? 422 : 500, { ok: false, error });
      }
    });
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    for (const info of service.openSessions()) sendEvent(res, 'sessionOpened', { info });
    req.on('close', () => streams.delete(res));
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(path.resolve(rendererDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(fs.existsSync(rendererDir) ? 'not found' : `the renderer is not built (${rendererDir}): run npm run build`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      origin = `http://127.0.0.1:${actual}`;
      resolve({
        url: `${origin}/`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const res of streams) res.end();
            streams.clear();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
