import { describe, expect, it, vi } from 'vitest';
import { ElectronBridge, electronApi, menuAction } from './electron';
import type { ElectronApi } from './electron';
import { errorMessage } from './errors';

function fakeApi(overrides: Partial<ElectronApi> = {}) {
  const listeners = new Map<string, (data: unknown) => void>();
  const api: ElectronApi = {
    shell: 'electron',
    call: vi.fn(async (command: string) => ({ echoed: command })),
    on: vi.fn((event: string, listener: (data: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    }),
    ...overrides,
  };
  return { api, fire: (event: string, data: unknown) => listeners.get(event)?.(data), listeners };
}

describe('ElectronBridge', () => {
  it('is chosen only for a complete preload API', () => {
    expect(electronApi(undefined)).toBeUndefined();
    expect(electronApi({ shell: 'electron' })).toBeUndefined();
    expect(electronApi({ shell: 'web', call() {}, on() {} })).toBeUndefined();
    expect(electronApi(fakeApi().api)).toBeDefined();
  });

  it('passes calls through and rejects with the host text only', async () => {
    const { api } = fakeApi();
    const bridge = new ElectronBridge(api);
    await expect(bridge.call('templates', {})).resolves.toEqual({ echoed: 'templates' });
    const failing = new ElectronBridge({
      ...api,
      call: async () => {
        throw new Error("Error invoking remote method 'bridge:call': Error: no such handle");
      },
    });
    await expect(failing.call('close', { handle: 'h' })).rejects.toThrow(/^no such handle$/);
  });

  it('subscribes to the preload once per event and fans out', () => {
    const { api, fire } = fakeApi();
    const bridge = new ElectronBridge(api);
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.on('presence', a);
    bridge.on('presence', b);
    fire('presence', { handle: 'h', members: [] });
    offA();
    fire('presence', { handle: 'h', members: [{ id: '1', name: 'Ann' }] });
    expect(api.on).toHaveBeenCalledTimes(1);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('checks events against the contract and drops malformed ones', () => {
    const { api, fire } = fakeApi();
    const bridge = new ElectronBridge(api);
    const states = vi.fn();
    const updates = vi.fn();
    bridge.on('state', states);
    bridge.on('note.update', updates);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fire('state', { handle: 'h', state: { kind: 'desktop', items: [{ id: 'a', x: 'left' }] } });
    fire('note.update', { handle: 'h', update: 'AAAA' });
    expect(states).not.toHaveBeenCalled();
    expect(updates).not.toHaveBeenCalled();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining("'state' event: state.items[0].reference is missing"),
      expect.stringContaining("'note.update' event: update must be bytes"),
    ]);
    warn.mockRestore();
    const update = new Uint8Array([1, 2]);
    fire('note.update', { handle: 'h', update });
    expect(updates).toHaveBeenCalledWith({ handle: 'h', update });
  });

  it('reports one open session and forwards drags and menu actions', () => {
    const startDrag = vi.fn();
    const { api, fire } = fakeApi({ startDrag });
    const bridge = new ElectronBridge(api);
    const statuses: unknown[] = [];
    bridge.onStatus((s) => statuses.push(s));
    expect(statuses).toEqual([{ state: 'open', session: 1 }]);
    expect(bridge.startDrag('<liveobject/>', 'T')).toBe(true);
    expect(startDrag).toHaveBeenCalledWith('<liveobject/>', 'T');
    const actions: unknown[] = [];
    bridge.onMenu((a) => actions.push(a));
    fire('menu', { action: 'create', template: 'note' });
    fire('menu', { action: 'create', template: 'rocket' });
    expect(actions).toEqual([{ action: 'create', template: 'note' }]);
  });
});

describe('menuAction', () => {
  it('accepts only known actions', () => {
    expect(menuAction({ action: 'save-reference' })).toEqual({ action: 'save-reference' });
    expect(menuAction({ action: 'copy-reference', extra: 1 })).toEqual({ action: 'copy-reference' });
    expect(menuAction({ action: 'format-disk' })).toBeUndefined();
    expect(menuAction(null)).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it('reads errors, strings and error-like values', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ message: 'like' })).toBe('like');
    expect(errorMessage(undefined)).toMatch(/no details/);
  });
});
