// IpcBridge without Electron: ipcMain and WebContents are small fakes, the host is TestHost.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestHost } from '../web/test-host';
import { CHANNELS } from '../../../src-shared/bridge/electron-api';
import type { CallReply, EventFrame } from '../../../src-shared/bridge/electron-api';

type Handler = (event: unknown, ...args: unknown[]) => Promise<CallReply>;
const handlers = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => unknown>());

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
      handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { IpcBridge } = await import('./bridge-ipc');

class FakeContents extends EventEmitter {
  readonly sent: EventFrame[] = [];
  readonly mainFrame: { url: string };
  destroyed = false;

  constructor(url = 'app://liveobjects/index.html') {
    super();
    this.mainFrame = { url };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, frame: EventFrame): void {
    if (channel === CHANNELS.event) this.sent.push(frame);
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function invoke(
  contents: FakeContents,
  command: unknown,
  args: unknown,
  frame: unknown = contents.mainFrame,
) {
  const handler = handlers.get(CHANNELS.call) as Handler;
  return handler({ sender: contents, senderFrame: frame }, command, args);
}

const origins = new Set(['app://liveobjects']);
let bridge: InstanceType<typeof IpcBridge> | undefined;

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe('electron shell: IPC bridge', () => {
  it('maps calls to one session per page, with results and errors as replies', async () => {
    const host = new TestHost();
    const onHello = vi.fn();
    bridge = new IpcBridge({ host, origins, onHello, log: () => {} });
    const page = new FakeContents();
    expect(await invoke(page, 'hello', {})).toMatchObject({ ok: true, result: { shell: 'web' } });
    expect(onHello).toHaveBeenCalledTimes(1);
    expect(await invoke(page, 'open', { xml: '<x/>' })).toEqual({
      ok: false,
      error: 'line 1, column 1: not a liveobject',
    });
    expect(host.shells).toEqual(['electron']);
    await invoke(page, 'act', { handle: 'h1', intent: { kind: 'desktop.raise', id: 'a' } });
    expect(page.sent).toHaveLength(1);
    expect(page.sent[0]?.event).toBe('state');

    const other = new FakeContents();
    await invoke(other, 'templates', {});
    expect(host.sessions).toHaveLength(2);
    bridge.broadcast('error', { message: 'everyone' });
    expect(other.sent).toEqual([{ event: 'error', data: { message: 'everyone' } }]);
  });

  it('refuses untrusted senders, unknown commands and non-object args', async () => {
    const host = new TestHost();
    bridge = new IpcBridge({ host, origins, onHello: () => {}, log: () => {} });
    const evil = new FakeContents('https://evil.example/');
    expect(await invoke(evil, 'hello', {})).toEqual({ ok: false, error: 'untrusted sender' });
    const page = new FakeContents();
    expect(await invoke(page, 'hello', {}, { url: 'app://liveobjects/iframe.html' })).toEqual({
      ok: false,
      error: 'untrusted sender',
    });
    expect(await invoke(page, 'constructor', {})).toMatchObject({ ok: false, error: /unknown command/ });
    expect(await invoke(page, 'open', 'xml')).toMatchObject({
      ok: false,
      error: 'open: args must be an object',
    });
    expect(host.sessions).toHaveLength(0);
  });

  it('closes the session when the page goes away or reloads', async () => {
    const host = new TestHost();
    bridge = new IpcBridge({ host, origins, onHello: () => {}, log: () => {} });
    const page = new FakeContents();
    await invoke(page, 'hello', {});
    page.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect(host.sessions[0]?.closed).toBe(false);
    page.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    await host.sessions[0]?.whenClosed;
    await invoke(page, 'hello', {});
    expect(host.sessions).toHaveLength(2);
    page.destroy();
    await host.sessions[1]?.whenClosed;
    expect(host.sessions[1]?.listenerCount).toBe(0);
    expect(page.listenerCount('destroyed')).toBe(0);
  });
});
