import { describe, expect, it } from 'vitest';
import type { OpenedObject } from '../../../src-shared/bridge/protocol';
import { createConnectionStore } from './connection';
import { DEFAULT_VIEWPORT, ZOOM_LIMITS, clampZoom, createLocalStore } from './local';
import { createNotificationStore } from './notifications';
import { createReplicaStore, stateOfKind } from './replicas';
import { createWorkspaceStore } from './workspace';

const object = (handle: string): OpenedObject => ({
  handle,
  kind: 'desktop',
  title: `Desktop ${handle}`,
  reference: `<liveobject>${handle}</liveobject>`,
  type: 'UI',
  private: true,
});

describe('notifications', () => {
  it('adds, folds repeats and dismisses', () => {
    const store = createNotificationStore();
    store.getState().notify('boom');
    store.getState().notify('other', 'info');
    store.getState().notify('boom');
    const items = store.getState().items;
    expect(items.map((n) => [n.message, n.count])).toEqual([
      ['other', 1],
      ['boom', 2],
    ]);
    store.getState().dismiss(items[1]!.id);
    expect(store.getState().items.map((n) => n.message)).toEqual(['other']);
  });

  it('keeps only the latest few', () => {
    const store = createNotificationStore();
    for (let i = 0; i < 10; i++) store.getState().notify(`m${i}`);
    expect(store.getState().items.map((n) => n.message)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });
});

describe('replicas', () => {
  it('keeps state and presence per handle (unnamed members by id), and forgets them', () => {
    const store = createReplicaStore();
    store.getState().setState('h1', { kind: 'desktop', items: [] });
    store.getState().setPresence('h1', [
      { id: 'a', name: 'Ann' },
      { id: 'b', name: '' },
    ]);
    expect(store.getState().presence.h1).toEqual([
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'b' },
    ]);
    store.getState().setState('h2', { kind: 'coordinates', senders: [] });
    store.getState().forget('h1');
    expect(store.getState().states).toEqual({ h2: { kind: 'coordinates', senders: [] } });
    expect(store.getState().presence).toEqual({});
  });

  it('hands a view only the state of its own kind', () => {
    expect(stateOfKind({ kind: 'coordinates', senders: ['n1'] }, 'coordinates')).toEqual({
      kind: 'coordinates',
      senders: ['n1'],
    });
    expect(stateOfKind({ kind: 'coordinates', senders: [] }, 'desktop')).toBeUndefined();
    expect(stateOfKind(undefined, 'desktop')).toBeUndefined();
  });
});

describe('local view state', () => {
  it('clamps zoom and keeps viewports and selection per desktop', () => {
    const store = createLocalStore();
    store.getState().setZoom('d', 100);
    expect(store.getState().viewports.d?.zoom).toBe(ZOOM_LIMITS.max);
    store.getState().zoomBy('e', 1 / 1000);
    expect(store.getState().viewports.e?.zoom).toBe(ZOOM_LIMITS.min);
    store.getState().setScroll('d', 10, 20);
    expect(store.getState().viewports.d).toEqual({ zoom: ZOOM_LIMITS.max, scrollX: 10, scrollY: 20 });
    store.getState().select('d', 'item-1');
    expect(store.getState().selection).toEqual({ d: 'item-1' });
    expect(store.getState().viewports.other ?? DEFAULT_VIEWPORT).toEqual(DEFAULT_VIEWPORT);
    expect(clampZoom(Number.NaN)).toBe(1);
  });
});

describe('workspace', () => {
  it('adds windows once per handle and replaces them on reconnect', () => {
    const store = createWorkspaceStore();
    const k1 = store.getState().add(object('h1'));
    expect(store.getState().add(object('h1'))).toBe(k1);
    const k2 = store.getState().add(object('h2'));
    store.getState().replace(k1, object('h9'));
    expect(store.getState().windows.map((w) => [w.key, w.object.handle])).toEqual([
      [k1, 'h9'],
      [k2, 'h2'],
    ]);
    store.getState().remove(k2);
    expect(store.getState().windows).toHaveLength(1);
  });
});

describe('connection', () => {
  it('remembers the latest open session across reconnects', () => {
    const store = createConnectionStore();
    expect(store.getState().session).toBe(0);
    store.getState().setStatus({ state: 'open', session: 1 });
    store.getState().setStatus({ state: 'reconnecting', attempt: 1, retryInMs: 250 });
    expect(store.getState().session).toBe(1);
    store.getState().setStatus({ state: 'open', session: 2 });
    expect(store.getState().session).toBe(2);
  });
});
