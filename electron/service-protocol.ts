// The messages between Electron's main process and the service process (a utility process, so a long
// save or replay never freezes the window). Plain module, no Electron import: the same code runs over
// Electron's parentPort/UtilityProcess and over Node's fork() channel (the tests use that).
import type { CallError, EventName, MethodName, ParamsOf, ResultOf, ServiceEvents } from '../src/service/api';

export type CallReply = { ok: true; result: unknown } | { ok: false; error: CallError };

export type ToService = { kind: 'call'; id: number; method: string; params: unknown } | { kind: 'closeAll'; id: number };

export type FromService =
  | { kind: 'ready' }
  | { kind: 'reply'; id: number; reply: CallReply }
  | { kind: 'event'; event: EventName; data: unknown };

/** One side of a message channel. */
export interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Anything that runs calls and emits events: TunnelscopeService behind the channel. */
export interface ServiceLike {
  call(method: MethodName, params: never): Promise<unknown>;
  subscribe(sink: <E extends EventName>(event: E, data: ServiceEvents[E]) => void): () => void;
  closeAll(): Promise<void>;
}

/** The service process's side: answers calls (validated again here), forwards events. */
export function serveOverChannel(service: ServiceLike, channel: Channel, validate: (message: unknown) => { method: MethodName; params: unknown }, errorOf: (err: unknown) => CallError): void {
  service.subscribe((event, data) => channel.send({ kind: 'event', event, data } satisfies FromService));
  channel.onMessage((raw) => {
    const message = raw as Partial<ToService>;
    if (typeof message !== 'object' || message === null || typeof message.id !== 'number') return;
    const id = message.id;
    const answer = (reply: CallReply) => channel.send({ kind: 'reply', id, reply } satisfies FromService);
    if (message.kind === 'closeAll') {
      void service.closeAll().then(
        () => answer({ ok: true, result: null }),
        (err) => answer({ ok: false, error: errorOf(err) }),
      );
      return;
    }
    if (message.kind !== 'call') return;
    void (async () => {
      try {
        const { method, params } = validate({ method: message.method, params: message.params });
        answer({ ok: true, result: await service.call(method, params as never) });
      } catch (err) {
        answer({ ok: false, error: errorOf(err) });
      }
    })();
  });
  channel.send({ kind: 'ready' } satisfies FromService);
}

/** Main's side: calls as promises, events to a listener. A reply never arrives twice; a lost process fails every pending call. */
export class ServiceProxy {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: CallReply) => void>();
  private readonly ready: Promise<void>;
  private gone: string | null = null;

  constructor(
    private readonly channel: Channel,
    onEvent: (event: EventName, data: unknown) => void,
  ) {
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    channel.onMessage((raw) => {
      const message = raw as FromService;
      if (message?.kind === 'ready') markReady();
      else if (message?.kind === 'event') onEvent(message.event, message.data);
      else if (message?.kind === 'reply') {
        const settle = this.pending.get(message.id);
        this.pending.delete(message.id);
        settle?.(message.reply);
      }
    });
  }

  /** Runs one call in the service process; the reply as IPC carries it to the renderer. */
  async request(method: string, params: unknown): Promise<CallReply> {
    await this.ready;
    if (this.gone !== null) return { ok: false, error: { message: this.gone, kind: 'internal' } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.channel.send({ kind: 'call', id, method, params } satisfies ToService);
    });
  }

  /** A typed call that throws the service's error message. */
  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const reply = await this.request(method, params);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.result as ResultOf<M>;
  }

  /** Stops live captures (files kept) and closes every session. */
  async closeAll(): Promise<void> {
    if (this.gone !== null) return;
    const id = this.nextId++;
    await new Promise<CallReply>((resolve) => {
      this.pending.set(id, resolve);
      this.channel.send({ kind: 'closeAll', id } satisfies ToService);
    });
  }

  /** The service process ended: every waiting call gets this error. */
  lost(reason: string): void {
    this.gone = reason;
    for (const settle of this.pending.values()) settle({ ok: false, error: { message: reason, kind: 'internal' } });
    this.pending.clear();
  }
}
