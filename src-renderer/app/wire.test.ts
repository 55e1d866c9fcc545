import { beforeEach, describe, expect, it } from 'vitest';
import type { NetworkStatus, OpenedObject } from '../../src-shared/bridge/protocol';
import { noteReplicas } from '../views/note-replicas';
import { FakeBridge, settle } from '../testing/fake-bridge';
import { closeWindow, openFromUrl } from './actions';
import { connection } from './stores/connection';
import { local } from './stores/local';
import { network } from './stores/network';
import { storage } from './stores/storage';
import { notifications } from './stores/notifications';
import { replicas } from './stores/replicas';
import { workspace } from './stores/workspace';
import { wireBridge, wireMenu } from './wire';

const obj = (handle: string, kind: OpenedObject['kind'] = 'desktop'): OpenedObject => ({
  handle,
  kind,
  title: `T ${handle}`,
  reference: `<liveobject>${handle}</liveobject>`,
  type: 'UI',
  private: true,
});

const host = { shell: 'web', nodeId: 'node-1', userName: 'Ann', version: '0.1.0' } as const;

const NETWORK: NetworkStatus = {
  interface: { name: 'eth0', address: '10.0.0.5', mtu: 1500, loopback: false, chosenBy: 'lan' },
  membership: { address: '10.0.0.5:7070', foundBy: 'serving', servedHere: true, state: 'connected' },
  transport: 'multicast',
  regions: [{ region: 'r1', transport: 'multicast', members: 2 }],
  peers: [{ id: 'p1', name: 'Bob', address: '10.0.0.6:4000', heard: true }],
  problems: [],
};

function bridge() {
  let next = 1;
  return new FakeBridge({
    hello: () => host,
    network: () => NETWORK,
    storage: () => ({ state: 'ok', unsaved: 0 }),
    templates: () => [{ kind: 'note', title: 'Note', description: 'A shared note' }],
    open: () => obj(`h${next++}`),
    create: ({ template }) => obj(`c${next++}`, template),
    close: () => null,
    act: () => null,
  });
}

beforeEach(() => {
  for (const w of workspace.getState().windows) workspace.getState().remove(w.key);
  notifications.getState().clear();
  replicas.getState().reset();
  connection.getState().setStatus({ state: 'connecting' });
  connection.setState({ session: 0 });
  network.setState({ status: undefined, updates: 0 });
});

describe('wireBridge', () => {
  it('loads host info and templates once connected, and routes events to the stores', async () => {
    const b = bridge();
    const off = wireBridge(b);
    b.setStatus({ state: 'open', session: 1 });
    await settle();
    expect(workspace.getState().host).toEqual(host);
    expect(workspace.getState().templates.map((t) => t.kind)).toEqual(['note']);

    b.fire('state', { handle: 'h1', state: { kind: 'desktop', items: [] } });
    b.fire('presence', { handle: 'h1', members: [{ id: 'm', name: 'Bob' }] });
    b.fire('opened', obj('h1'));
    b.fire('opened', obj('h1'));
    b.fire('error', { handle: 'h1', message: 'the channel went away' });
    b.fire('error', { message: 'host trouble' });
    expect(replicas.getState().states.h1).toEqual({ kind: 'desktop', items: [] });
    expect(replicas.getState().presence.h1).toEqual([{ id: 'm', name: 'Bob' }]);
    expect(workspace.getState().windows.map((w) => w.object.handle)).toEqual(['h1']);
    expect(notifications.getState().items.map((n) => n.message)).toEqual([
      'T h1: the channel went away',
      'host trouble',
    ]);
    off();
  });

  it('asks for the network status on every new session and follows the network events', async () => {
    const b = bridge();
    const off = wireBridge(b);
    expect(network.getState().status).toBeUndefined();
    b.setStatus({ state: 'open', session: 1 });
    await settle();
    expect(network.getState().status).toEqual(NETWORK);
    const lost = { ...NETWORK, membership: { ...NETWORK.membership, state: 'lost' as const } };
    b.fire('network', lost);
    expect(network.getState().status).toEqual(lost);
    b.setStatus({ state: 'reconnecting', attempt: 1, retryInMs: 10 });
    b.setStatus({ state: 'open', session: 2 });
    await settle();
    expect(b.commands().filter((c) => c === 'network')).toHaveLength(2);
    expect(network.getState().status).toEqual(NETWORK);
    off();
  });

  it('asks whether the host can save on every new session and follows the storage events', async () => {
    const b = bridge();
    const off = wireBridge(b);
    b.setStatus({ state: 'open', session: 1 });
    await settle();
    expect(storage.getState().status).toEqual({ state: 'ok', unsaved: 0 });
    const failing = {
      state: 'failing' as const,
      unsaved: 2,
      message: 'the disk is full (writing to /h/state)',
      since: '2026-01-01T00:00:00.000Z',
    };
    b.fire('storage', failing);
    expect(storage.getState().status).toEqual(failing);
    b.fire('storage', { state: 'ok', unsaved: 0 });
    expect(storage.getState().status).toEqual({ state: 'ok', unsaved: 0 });
    expect(b.commands().filter((c) => c === 'storage')).toHaveLength(1);
    off();
  });

  it('keeps a network event that arrives while the answer to the network command is on its way', async () => {
    let answer: (status: NetworkStatus) => void = () => undefined;
    const b = bridge();
    b.handlers.network = () => new Promise<NetworkStatus>((resolve) => (answer = resolve));
    const off = wireBridge(b);
    b.setStatus({ state: 'open', session: 1 });
    await settle();
    const newer = { ...NETWORK, peers: [] };
    b.fire('network', newer);
    answer(NETWORK);
    await settle();
    expect(network.getState().status).toEqual(newer);
    off();
  });

  it('applies note updates to the handle replica, and reports broken ones', () => {
    const b = bridge();
    const off = wireBridge(b);
    b.fire('note.update', { handle: 'n1', update: new Uint8Array([0, 0]) });
    expect(noteReplicas.has('n1')).toBe(true);
    expect(notifications.getState().items).toEqual([]);
    b.fire('note.update', { handle: 'n1', update: new Uint8Array([0xff, 0xff, 0xff]) });
    expect(notifications.getState().items[0]?.message).toMatch(/^A note update could not be applied/);
    noteReplicas.dispose('n1');
    off();
  });

  it('reopens every window with a fresh handle after a reconnect', async () => {
    const b = bridge();
    const off = wireBridge(b);
    b.setStatus({ state: 'open', session: 1 });
    workspace.getState().add(obj('old'));
    b.setStatus({ state: 'reconnecting', attempt: 1, retryInMs: 10 });
    b.setStatus({ state: 'open', session: 2 });
    await settle();
    expect(b.calls.filter((c) => c.command === 'open')).toEqual([
      { command: 'open', args: { xml: '<liveobject>old</liveobject>', source: 'T old' } },
    ]);
    expect(workspace.getState().windows.map((w) => w.object.handle)).toEqual(['h1']);
    off();
  });

  it('closes a window, but does not close handles of a dead session', async () => {
    const b = bridge();
    connection.getState().setStatus({ state: 'open', session: 3 });
    const key = workspace.getState().add(obj('x'));
    closeWindow(b, key, 3);
    const key2 = workspace.getState().add(obj('y'));
    closeWindow(b, key2, 2);
    await settle();
    expect(b.calls).toEqual([{ command: 'close', args: { handle: 'x' } }]);
    expect(workspace.getState().windows).toEqual([]);
  });

  it('opens references given in the page address', async () => {
    const b = bridge();
    await openFromUrl(b, `?token=t&open=${encodeURIComponent('<liveobject xmlns="urn:liveobjects:1"/>')}`);
    expect(b.commands()).toEqual(['open']);
    expect(workspace.getState().windows).toHaveLength(1);
  });

  it('carries out menu actions', async () => {
    const b = bridge();
    const off = wireMenu(b);
    b.menu({ action: 'create', template: 'note' });
    await settle();
    expect(workspace.getState().windows.map((w) => w.object.kind)).toEqual(['note']);
    local.getState().setActive(undefined);
    b.menu({ action: 'save-reference' });
    expect(notifications.getState().items[0]).toMatchObject({ level: 'info' });
    off();
  });
});
