// The renderer's side of the service API: Electron's preload bridge when present, else the local
// HTTP server (JSON POST for calls, Server-Sent Events for events). Same typed interface either way.
// Over HTTP every request presents the launch secret as a Bearer header: the address the server
// printed carries it in its fragment; it is kept in this tab's session storage (per port, unlike a
// cookie) and removed from the address bar.
import type { CallError, EventName, MethodName, ParamsOf, ResultOf, ServiceEvents } from '../../src/service/api';

interface Bridge {
  call(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: CallError }>;
  onEvent(listener: (message: { event: string; data: unknown }) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    tunnelscope?: Bridge;
  }
}

export class ServiceCallError extends Error {
  constructor(readonly error: CallError) {
    super(error.message);
  }
}

type Listener = (data: never) => void;

const TOKEN_KEY = 'tunnelscope-token';
const EVENT_NAMES: EventName[] = ['indexProgress', 'viewProgress', 'viewReady', 'analysisProgress', 'sessionOpened', 'liveStatus', 'menuCommand'];
const RECONNECT_MS = 1000;

function accessToken(): string {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m !== null) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Reads "event: NAME / data: JSON" blocks from a Server-Sent Events body. */
async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (name: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) onEvent(name, data.join('\n'));
    }
  }
}

class ServiceClient {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  readonly transport: 'electron' | 'http';
  private readonly token: string;

  constructor() {
    const bridge = window.tunnelscope;
    this.transport = bridge ? 'electron' : 'http';
    this.token = bridge ? '' : accessToken();
    if (bridge) bridge.onEvent((m) => this.dispatch(m.event as EventName, m.data));
    else void this.followEvents();
  }

  private get authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** The event stream (EventSource cannot send a header); reconnects when the stream drops, not when refused. */
  private async followEvents(): Promise<void> {
    for (;;) {
      try {
        const res = await fetch('api/events', { headers: this.authorization, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) return; // every call says why
        if (res.ok && res.body) {
          await readEventStream(res.body, (name, data) => {
            if (!(EVENT_NAMES as string[]).includes(name)) return;
            try {
              this.dispatch(name as EventName, JSON.parse(data));
            } catch (err) {
              console.error(err); // one listener's failure must not drop the stream
            }
          });
        }
      } catch {
        // the server went away: try again
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    let reply: { ok: boolean; result?: unknown; error?: CallError };
    if (window.tunnelscope) reply = await window.tunnelscope.call(method, params);
    else {
      const res = await fetch('api/call', { method: 'POST', headers: { 'content-type': 'application/json', ...this.authorization }, body: JSON.stringify({ method, params }) });
      reply = await res.json();
    }
    if (!reply.ok) throw new ServiceCallError(reply.error ?? { message: 'unknown error', kind: 'internal' });
    return reply.result as ResultOf<M>;
  }

  on<E extends EventName>(event: E, listener: (data: ServiceEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set!.delete(listener as Listener);
  }

  private dispatch(event: EventName, data: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l(data as never);
  }

  /** A dropped file's path: only the desktop app can know it. */
  pathForFile(file: File): string | null {
    return window.tunnelscope ? window.tunnelscope.pathForFile(file) : null;
  }
}

export const service = new ServiceClient();
