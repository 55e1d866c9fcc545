// The bridge over Electron IPC: one BridgeSession per renderer page. Calls arrive on
// `bridge:call` and are answered with a CallReply; session events go out on `bridge:event`.
// IPC's structured clone carries Uint8Array payloads (Yjs updates, image bytes) as they are.
// A page that reloads or navigates gets a fresh session; the old one closes with its objects.
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { EventName, Events } from '../../../src-shared/bridge/protocol';
import type { BridgeHost, BridgeSession } from '../../host/bridge-host';
import { checkCall, runCall } from '../../host/bridge-host';
import { errorMessage } from '../common/commands';
import { CHANNELS } from '../../../src-shared/bridge/electron-api';
import type { CallReply, EventFrame } from '../../../src-shared/bridge/electron-api';
import { isTrustedSender } from './security';

interface Attached {
  readonly session: BridgeSession;
  readonly detach: () => void;
}

export interface IpcBridgeOptions {
  readonly host: BridgeHost;
  readonly origins: ReadonlySet<string>;
  /** Called after each successful `hello`: a renderer is listening for events. */
  readonly onHello: () => void;
  /** Called when the last page's session has closed. */
  readonly onIdle?: () => void;
  readonly log: (line: string) => void;
}

export class IpcBridge {
  private readonly attached = new Map<WebContents, Attached>();

  constructor(private readonly options: IpcBridgeOptions) {
    ipcMain.handle(CHANNELS.call, (event, command: unknown, args: unknown) =>
      this.call(event, command, args),
    );
  }

  /** Sends a bridge event to every page, e.g. errors the shell itself ran into. */
  broadcast<E extends EventName>(event: E, data: Events[E]): void {
    for (const contents of this.attached.keys()) send(contents, event, data);
  }

  get hasSessions(): boolean {
    return this.attached.size > 0;
  }

  async close(): Promise<void> {
    ipcMain.removeHandler(CHANNELS.call);
    await Promise.all([...this.attached.keys()].map((contents) => this.detach(contents)));
  }

  private async call(event: IpcMainInvokeEvent, command: unknown, args: unknown): Promise<CallReply> {
    if (!isTrustedSender(event, this.options.origins)) return { ok: false, error: 'untrusted sender' };
    try {
      // Checked before a session exists: a page's malformed call opens nothing.
      const call = checkCall(command, args);
      const session = this.sessionFor(event.sender);
      const result = await runCall(session, call);
      if (call.command === 'hello') this.options.onHello();
      return { ok: true, result: result ?? null };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  }

  private sessionFor(contents: WebContents): BridgeSession {
    const existing = this.attached.get(contents);
    if (existing) return existing.session;
    const session = this.options.host.openSession('electron');
    const unsubscribe = session.onEvent((event, data) => send(contents, event, data));
    const onNavigate = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
      if (details.isMainFrame && !details.isSameDocument) void this.detach(contents);
    };
    const onGone = (): void => void this.detach(contents);
    contents.on('did-start-navigation', onNavigate);
    contents.on('render-process-gone', onGone);
    contents.once('destroyed', onGone);
    this.attached.set(contents, {
      session,
      detach: () => {
        unsubscribe();
        contents.off('did-start-navigation', onNavigate);
        contents.off('render-process-gone', onGone);
        contents.off('destroyed', onGone);
      },
    });
    return session;
  }

  private async detach(contents: WebContents): Promise<void> {
    const attached = this.attached.get(contents);
    if (!attached) return;
    this.attached.delete(contents);
    attached.detach();
    if (this.attached.size === 0) this.options.onIdle?.();
    await attached.session
      .close()
      .catch((error: unknown) =>
        this.options.log(`electron shell: closing a session failed: ${errorMessage(error)}`),
      );
  }
}

function send(contents: WebContents, event: string, data: unknown): void {
  if (contents.isDestroyed()) return;
  const frame: EventFrame = { event, data };
  contents.send(CHANNELS.event, frame);
}
