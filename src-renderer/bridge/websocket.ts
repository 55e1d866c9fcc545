// The web shell's transport: ClientFrame/ServerFrame as lib0-encoded binary messages over one
// WebSocket (bytes stay bytes). Calls made while the socket is down wait for it; calls already
// sent when it drops are rejected, since the host closes a session's objects with its
// connection and cannot answer them any more.
import { encodeFrame } from '../../src-shared/bridge/frame-codec';
import type { CommandName, Commands, EventName, Events } from '../../src-shared/bridge/protocol';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import { EventHub } from './emitter';
import { ConnectionLostError, HostError } from './errors';
import { parseServerFrame } from './frames';
import type { ConnectionStatus, RendererBridge } from './types';

/** The part of the WebSocket API used here (browsers' WebSocket and the `ws` package both fit). */
export interface SocketLike {
  readonly readyState: number;
  /** Set to 'arraybuffer' on open: frames arrive as ArrayBuffers rather than Blobs. */
  binaryType: string;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface WebSocketBridgeOptions {
  readonly url: string;
  readonly connect?: SocketFactory;
  readonly backoff?: BackoffOptions;
}

const OPEN = 1;

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Set once the frame went out on a socket. */
  sent: boolean;
  readonly frame: Uint8Array;
}

export class WebSocketBridge implements RendererBridge {
  readonly shell = 'web' as const;
  readonly #url: string;
  readonly #connect: SocketFactory;
  readonly #backoff: BackoffOptions;
  readonly #events = new EventHub();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();
  readonly #pending = new Map<number, Pending>();
  #socket: SocketLike | null = null;
  #status: ConnectionStatus = { state: 'connecting' };
  #nextId = 1;
  #session = 0;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;

  constructor(options: WebSocketBridgeOptions) {
    this.#url = options.url;
    this.#connect = options.connect ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#open();
  }

  call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    if (this.#disposed) return Promise.reject(new Error('The bridge to the host is closed.'));
    const id = this.#nextId++;
    return new Promise<Commands[C]['result']>((resolve, reject) => {
      const pending: Pending = {
        resolve: resolve as (result: unknown) => void,
        reject,
        sent: false,
        frame: encodeFrame({ id, command, args }),
      };
      this.#pending.set(id, pending);
      this.#flush();
    });
  }

  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    listener(this.#status);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  startDrag(): boolean {
    return false;
  }

  onMenu(): () => void {
    return () => {};
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    for (const pending of this.#pending.values())
      pending.reject(new Error('The bridge to the host is closed.'));
    this.#pending.clear();
  }

  #open(): void {
    let socket: SocketLike;
    try {
      socket = this.#connect(this.#url);
    } catch (error) {
      this.#setStatus({ state: 'failed', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      this.#attempt = 0;
      this.#session += 1;
      this.#setStatus({ state: 'open', session: this.#session });
      this.#flush();
    };
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#receive(event.data);
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    socket.onclose = () => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#dropSent();
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    if (this.#disposed) return;
    const retryInMs = backoffDelay(this.#attempt, this.#backoff);
    this.#attempt += 1;
    this.#setStatus({ state: 'reconnecting', attempt: this.#attempt, retryInMs });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, retryInMs);
  }

  #flush(): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#status.state !== 'open') return;
    for (const pending of this.#pending.values()) {
      if (pending.sent) continue;
      pending.sent = true;
      socket.send(pending.frame);
    }
  }

  #dropSent(): void {
    for (const [id, pending] of this.#pending) {
      if (!pending.sent) continue;
      this.#pending.delete(id);
      pending.reject(new ConnectionLostError());
    }
  }

  #receive(data: unknown): void {
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      console.warn(`liveobjects: ignored a frame from the host (${parsed.reason})`);
      return;
    }
    const message = parsed.message;
    if (message.kind === 'event') {
      this.#events.receive(message.event, message.data);
      return;
    }
    const frame = message.frame;
    const pending = this.#pending.get(frame.id);
    if (!pending) return;
    this.#pending.delete(frame.id);
    if (frame.ok) pending.resolve(frame.result);
    else pending.reject(new HostError(frame.error));
  }

  #setStatus(status: ConnectionStatus): void {
    this.#status = status;
    for (const listener of [...this.#statusListeners]) listener(status);
  }
}

/** ws://host/bridge?token=… for the page at `location`; undefined when the page has no token. */
export function bridgeUrl(location: { protocol: string; host: string; search: string }): string | undefined {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return undefined;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
}
