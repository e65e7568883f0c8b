// Browser mode: the built renderer and the service API on 127.0.0.1 only. Calls are JSON POSTs to
// /api/call (validated like IPC messages), events a Server-Sent Events stream at /api/events. Every
// API request must present the secret made at launch (access-token.ts): other local users can reach
// the port, but not the secret. No request can stop the server: a bad one gets its 4xx and the
// server goes on.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { addressWithToken, newAccessToken, presentedToken, tokenMatches } from './access-token';
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
  /** The address to open, with the secret in its fragment. */
  url: string;
  /** The origin without the secret (http://127.0.0.1:PORT). */
  origin: string;
  /** The secret API requests present as "Authorization: Bearer TOKEN". */
  token: string;
  port: number;
  close(): Promise<void>;
}

export function callErrorOf(err: unknown): CallError {
  if (err instanceof InvalidMessage) return { message: err.message, kind: 'invalid' };
  if (err instanceof UserFacingError) return err.code === undefined ? { message: err.message, kind: 'user' } : { message: err.message, kind: 'user', code: err.code };
  return { message: (err as Error)?.message ?? String(err), kind: 'internal' };
}

/** The decoded path of a request target, or null when it is not a plain absolute path. */
export function requestPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  const query = target.search(/[?#]/);
  try {
    const decoded = decodeURIComponent(query < 0 ? target : target.slice(0, query));
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null; // a broken percent escape ("/%", "/%E0%A4%A")
  }
}

type Reply = (status: number, body: unknown, headers?: http.OutgoingHttpHeaders) => void;

function replier(res: http.ServerResponse): Reply {
  return (status, body, headers = {}) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
  };
}

const refusal = (message: string, code?: string) => ({ ok: false, error: code === undefined ? { message, kind: 'invalid' } : { message, kind: 'invalid', code } });

export function startHttpServer(service: TunnelscopeService, rendererDir: string, port = 0): Promise<RunningServer> {
  const streams = new Set<http.ServerResponse>();
  const token = newAccessToken();
  let origin = '';

  const sendEvent = (res: http.ServerResponse, event: EventName, data: unknown): void => {
    if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const unsubscribe = service.subscribe(<E extends EventName>(event: E, data: ServiceEvents[E]) => {
    for (const res of streams) sendEvent(res, event, data);
  });

  const server = http.createServer((req, res) => {
    // A client that goes away mid-answer is not an error of the server.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      route(req, res);
    } catch (err) {
      console.error(err);
      if (!res.headersSent) replier(res)(500, { ok: false, error: { message: 'internal error', kind: 'internal' } });
      else res.destroy();
    }
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = replier(res);
    // Only this machine, and only pages this server served: refuse other Host names (DNS rebinding)
    // and cross-origin calls.
    const host = req.headers.host ?? '';
    if (host !== origin.slice('http://'.length) && host !== `localhost:${(server.address() as AddressInfo).port}`) {
      res.writeHead(403).end('forbidden host');
      return;
    }
    const pathname = requestPath(req.url);
    if (pathname === null) return reply(400, refusal('bad request path'));
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const from = req.headers.origin;
      if (from !== undefined && from !== origin && from !== origin.replace('127.0.0.1', 'localhost')) return reply(403, refusal('cross-origin call refused'));
      if (!tokenMatches(presentedToken(req.headers.authorization), token)) {
        return reply(401, refusal('not authorised: open the address Tunnelscope printed when it started (it carries the access token)', 'unauthorized'), { 'www-authenticate': 'Bearer' });
      }
      if (pathname === '/api/call') return handleCall(req, res);
      if (pathname === '/api/events') return handleEvents(req, res);
      return reply(404, refusal(`no API route ${pathname}`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveStatic(pathname, res);
  }

  function handleCall(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = replier(res);
    if (req.method !== 'POST') return reply(405, refusal('POST only'));
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return reply(415, refusal('JSON only'));
    const tooLarge = (): void => {
      reply(413, refusal(`call larger than ${MAX_BODY_BYTES} bytes`), { connection: 'close' });
      req.removeAllListeners('data');
      req.resume(); // drain what is in flight; the connection closes after the answer
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      void answerCall(Buffer.concat(chunks), reply);
    });
  }

  async function answerCall(body: Buffer, reply: Reply): Promise<void> {
    try {
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
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
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'GET') return replier(res)(405, refusal('GET only'));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    for (const info of service.openSessions()) sendEvent(res, 'sessionOpened', { info });
    req.on('close', () => streams.delete(res));
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(path.resolve(rendererDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(fs.existsSync(rendererDir) ? 'not found' : `the renderer is not built (${rendererDir}): run npm run build`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      origin = `http://127.0.0.1:${actual}`;
      resolve({
        url: addressWithToken(origin, token),
        origin,
        token,
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
