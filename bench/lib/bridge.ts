// A Node client of the web shell's bridge protocol: a session over its WebSocket
// (`/bridge?token=…`), as a renderer would open, that also keeps the latest `state` per handle.
import WebSocket from 'ws';
import { sleep } from './proc';

interface Frame {
  readonly id?: number;
  readonly ok?: boolean;
  readonly result?: unknown;
  readonly error?: string;
  readonly event?: string;
  readonly data?: { readonly handle?: string; readonly state?: unknown };
}

export interface Opened {
  readonly handle: string;
  readonly reference: string;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The latest `state` event of every handle. */
  readonly states = new Map<string, Record<string, unknown>>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw: WebSocket.RawData) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      if (frame.id !== undefined) {
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        clearTimeout(p.timer);
        if (frame.ok) p.resolve(frame.result);
        else p.reject(new Error(frame.error ?? 'bridge call failed'));
      } else if (frame.event === 'state' && frame.data?.handle) {
        this.states.set(frame.data.handle, (frame.data.state ?? {}) as Record<string, unknown>);
      }
    });
  }

  static connect(pageUrl: string): Promise<BridgeClient> {
    const url = new URL(pageUrl);
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${url.host}/bridge?token=${encodeURIComponent(token)}`, {
      origin: `http://${url.host}`,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new BridgeClient(ws)));
      ws.once('error', reject);
    });
  }

  call(command: string, args: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, command, args }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject(new Error(`bridge ${command}: no reply within 30 s`));
      }, 30_000);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  async create(template: string, title: string): Promise<Opened> {
    const r = (await this.call('create', { template, title })) as Opened;
    return { handle: r.handle, reference: r.reference };
  }

  async open(xml: string): Promise<{ handle: string }> {
    return (await this.call('open', { xml })) as { handle: string };
  }

  act(handle: string, intent: Record<string, unknown>): Promise<unknown> {
    return this.call('act', { handle, intent });
  }

  /** Closes one object's handle (and forgets its state). */
  async closeObject(handle: string): Promise<void> {
    await this.call('close', { handle });
    this.states.delete(handle);
  }

  /** Polls the latest state of `handle` until `test` holds; false on timeout. */
  async waitState(
    handle: string,
    test: (s: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const s = this.states.get(handle);
      if (s && test(s)) return true;
      await sleep(100);
    }
    return false;
  }

  /** Ends the session. */
  dispose(): void {
    this.ws.close();
  }
}
