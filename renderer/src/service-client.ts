// The renderer's side of the service API: Electron's preload bridge when present, else the local
// HTTP server (JSON POST for calls, Server-Sent Events for events). Same typed interface either way.
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

class ServiceClient {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  readonly transport: 'electron' | 'http';

  constructor() {
    const bridge = window.tunnelscope;
    this.transport = bridge ? 'electron' : 'http';
    if (bridge) {
      bridge.onEvent((m) => this.dispatch(m.event as EventName, m.data));
    } else {
      const source = new EventSource('api/events');
      const names: EventName[] = ['indexProgress', 'viewProgress', 'viewReady', 'sessionOpened', 'liveStatus', 'menuCommand'];
      for (const name of names) source.addEventListener(name, (e) => this.dispatch(name, JSON.parse((e as MessageEvent).data)));
    }
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    let reply: { ok: boolean; result?: unknown; error?: CallError };
    if (window.tunnelscope) reply = await window.tunnelscope.call(method, params);
    else {
      const res = await fetch('api/call', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method, params }) });
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
