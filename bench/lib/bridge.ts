// A Node client of the web shell's bridge, as a renderer would open it: the renderer's own
// WebSocketBridge (src-renderer/bridge/websocket.ts) over the `ws` package, with a timeout per
// call, keeping the latest `state` of every handle.
import WebSocket from 'ws';
import type {
  CommandName,
  Commands,
  Intent,
  OpenedObject,
  TemplateKind,
  ViewState,
} from '../../src-shared/bridge/protocol';
import { WebSocketBridge, bridgeUrl } from '../../src-renderer/bridge/websocket';
import type { SocketLike } from '../../src-renderer/bridge/websocket';
import { inTime, waitFor } from '../../testing/wait';

const CALL_TIMEOUT_MS = 30_000;

export class BridgeClient {
  /** The latest `state` event of every handle. */
  readonly states = new Map<string, ViewState>();

  private constructor(private readonly bridge: WebSocketBridge) {
    bridge.on('state', ({ handle, state }) => {
      this.states.set(handle, state);
    });
  }

  /** Connects to the bridge of the page at `pageUrl` (`…?token=…`); fails if the first attempt does. */
  static async connect(pageUrl: string): Promise<BridgeClient> {
    const page = new URL(pageUrl);
    const url = bridgeUrl(page);
    if (url === undefined) throw new Error(`bridge: no token in ${pageUrl}`);
    let lastError = '';
    const bridge = new WebSocketBridge({
      url,
      connect: (u) => {
        const ws = new WebSocket(u, { origin: page.origin });
        ws.once('error', (err) => (lastError = err.message));
        return ws as unknown as SocketLike;
      },
    });
    const client = new BridgeClient(bridge);
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      bridge.onStatus((status) => {
        if (settled || status.state === 'connecting') return;
        settled = true;
        if (status.state === 'open') {
          resolve();
          return;
        }
        bridge.dispose();
        const reason = status.state === 'failed' ? status.reason : lastError || 'connection closed';
        reject(new Error(`bridge: could not connect to ${page.host}: ${reason}`));
      });
    });
    return client;
  }

  create(template: TemplateKind, title: string): Promise<OpenedObject> {
    return this.call('create', { template, title });
  }

  open(xml: string): Promise<OpenedObject> {
    return this.call('open', { xml });
  }

  act(handle: string, intent: Intent): Promise<null> {
    return this.call('act', { handle, intent });
  }

  /** Closes one object's handle (and forgets its state). */
  async closeObject(handle: string): Promise<void> {
    await this.call('close', { handle });
    this.states.delete(handle);
  }

  /** Polls the latest state of `handle` until `test` holds; false on timeout. */
  async waitState(handle: string, test: (s: ViewState) => boolean, timeoutMs: number): Promise<boolean> {
    const matches = (): boolean => {
      const s = this.states.get(handle);
      return s !== undefined && test(s);
    };
    return inTime(waitFor(`the state of ${handle}`, matches, { timeout: timeoutMs, interval: 100 }));
  }

  /** Ends the session. */
  dispose(): void {
    this.bridge.dispose();
  }

  private call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`bridge ${command}: no reply within ${CALL_TIMEOUT_MS / 1000} s`)),
        CALL_TIMEOUT_MS,
      );
    });
    return Promise.race([this.bridge.call(command, args), timeout]).finally(() => clearTimeout(timer));
  }
}
