// UI objects over real engine nodes in-process: two "hosts" (a QsmService and a runtime
// each) share a private embedded GMS; the view side is a LocalProxy with the dual endpoint.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedGms } from '../../engine/gms';
import { parseLiveObject } from '../../../src-shared/format';
import { UI } from '../../../src-shared/model/catalogue';
import { dualEndpointType, objectType } from '../../../src-shared/model/build';
import { LocalProxy } from '../../runtime/proxy';
import type { Proxy } from '../../runtime/proxy';
import { png } from '../models/testing/images';
import { ObjectInstances, createRuntime } from '../index';
import { QsmService } from '../qsm';
import type { StateStore } from './state-store';
import { uiObjectInfo } from './ui-object';
import type { ShowMessage } from './wire';
import { decodeShow, encodeAct } from './wire';
import { freeTcpPort } from '../../../testing/ports';
import { waitFor } from '../../../testing/wait';
import type { ViewKind, ViewStateOf } from '../../../src-shared/bridge/protocol';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

class MemoryStore implements StateStore {
  readonly data = new Map<string, Uint8Array>();
  load(key: string): Uint8Array | undefined {
    return this.data.get(key);
  }
  save(key: string, bytes: Uint8Array): Promise<void> {
    this.data.set(key, bytes);
    return Promise.resolve();
  }
  quarantine(key: string): void {
    this.data.delete(key);
  }
}

function reference(template: string, port: number, group: string): string {
  return `<liveobject xmlns="urn:liveobjects:1" version="1"><parameterized>
    <template><primitive id="${template}"/></template>
    <param name="channel"><parameterized><template><primitive id="liveobjects.checkpointed"/></template>
      <param name="channel"><parameterized><template><primitive id="qsm.channel"/></template>
        <param name="gms"><value type="address">127.0.0.1:${port}</value></param>
        <param name="group"><value type="string">${group}</value></param>
      </parameterized></param>
    </parameterized></param>
  </parameterized></liveobject>`;
}

const VIEW = objectType({ name: 'View', endpoints: [['ui', dualEndpointType(UI.endpoints.get('ui')!)]] });

/** Opens `xml` and records the `show` messages of its UI endpoint. */
async function openView(runtime: ReturnType<typeof createRuntime>, xml: string) {
  const proxy: Proxy = await runtime.open(parseLiveObject(xml));
  const view = new LocalProxy('view', VIEW);
  const shown: ShowMessage[] = [];
  view.portal('ui').on('show', (b) => shown.push(decodeShow(b as Uint8Array)));
  proxy.endpoint('ui').connect(view.endpoint('ui'));
  const lastState = <K extends ViewKind>(kind: K): ViewStateOf<K> | undefined => {
    for (let i = shown.length - 1; i >= 0; i--) {
      const m = shown[i]!;
      if (m.t === 'state') return m.state.kind === kind ? (m.state as ViewStateOf<K>) : undefined;
    }
    return undefined;
  };
  return {
    proxy,
    view,
    shown,
    lastState,
    act: (i: Parameters<typeof encodeAct>[0]) => view.portal('ui').send('act', encodeAct(i)),
  };
}

async function twoHosts(stores: [StateStore, StateStore], instances?: [ObjectInstances, ObjectInstances]) {
  const gms = await startEmbeddedGms({ host: '127.0.0.1', port: await freeTcpPort(), batchMs: 20 });
  cleanup.push(() => gms.close());
  return {
    port: gms.address.port,
    runtimes: stores.map((store, i) => {
      const qsm = new QsmService({ tunables: { tokenIntervalMs: 50 } });
      cleanup.push(() => qsm.close());
      return createRuntime({
        qsm,
        ...(instances ? { instances: instances[i] } : {}),
        ui: { store, saveDelayMs: 10 },
        checkpointed: { transferTimeoutMs: 500 },
      });
    }),
  };
}

describe('liveobjects.image', () => {
  it('a new image reaches the other host, the texture endpoint sends the bytes', async () => {
    const { port, runtimes } = await twoHosts([new MemoryStore(), new MemoryStore()]);
    const xml = reference('liveobjects.image', port, 'img-1');
    const a = await openView(runtimes[0]!, xml);
    const b = await openView(runtimes[1]!, xml);
    cleanup.push(
      () => a.proxy.dispose(),
      () => b.proxy.dispose(),
    );
    const image = png(200_000);
    await uiObjectInfo(a.proxy)!.ready;
    a.act({ kind: 'image.set', mime: 'image/png', data: image });
    const shownBytes = (): Uint8Array | null | undefined => b.lastState('image')?.data;
    await waitFor('the image at b', () => Buffer.from(shownBytes() ?? []).equals(image), { timeout: 5_000 });
    expect(b.lastState('image')).toMatchObject({ mime: 'image/png', size: image.length });
    const textures: Uint8Array[] = [];
    const sink = new LocalProxy(
      'sink',
      objectType({ name: 'S', endpoints: [['t', dualEndpointType(b.proxy.endpoint('texture').type)]] }),
    );
    sink.portal('t').on('image', (bytes) => textures.push(bytes as Uint8Array));
    b.proxy.endpoint('texture').connect(sink.endpoint('t'));
    await waitFor('the texture', () => textures.length === 1, { timeout: 5_000 });
    expect(textures[0]!.length).toBe(image.length);
    a.act({ kind: 'image.set', mime: 'image/png', data: new TextEncoder().encode('not an image!') });
    await waitFor('an error shown', () => a.shown.some((m) => m.t === 'error'), { timeout: 5_000 });
  });
});

describe('persistence across the whole group leaving', () => {
  it('every member leaves, both come back with different local edits: the states merge', async () => {
    const stores: [MemoryStore, MemoryStore] = [new MemoryStore(), new MemoryStore()];
    const { port, runtimes } = await twoHosts(stores);
    const xml = reference('liveobjects.desktop', port, 'desk-merge');
    const noteXml = reference('liveobjects.note', port, 'n');
    // Host 0 alone places an item and leaves; then host 1 alone places another and leaves.
    for (const [i, x] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const v = await openView(runtimes[i]!, xml);
      await uiObjectInfo(v.proxy)!.ready;
      v.act({ kind: 'desktop.place', reference: noteXml, x, y: 0 });
      await waitFor(`place ${i}`, () => v.lastState('desktop')?.items.length === 1, { timeout: 5_000 });
      v.proxy.dispose();
      await waitFor(`save ${i}`, () => stores[i].data.size === 1, { timeout: 5_000 });
      await new Promise((r) => setTimeout(r, 300));
    }
    const a = await openView(runtimes[0]!, xml);
    const b = await openView(runtimes[1]!, xml);
    cleanup.push(
      () => a.proxy.dispose(),
      () => b.proxy.dispose(),
    );
    const xs = (v: typeof a): number[] => (v.lastState('desktop')?.items ?? []).map((it) => it.x).sort();
    await waitFor(`merge ${JSON.stringify([xs(a), xs(b)])}`, () => xs(a).length === 2 && xs(b).length === 2, {
      timeout: 5_000,
    });
    expect(xs(a)).toEqual([1, 2]);
    expect(xs(b)).toEqual([1, 2]);
  });
});

/** A store whose writes wait until `release()`. */
class HeldStore extends MemoryStore {
  private opened = false;
  private readonly waiting: (() => void)[] = [];

  override async save(key: string, bytes: Uint8Array): Promise<void> {
    if (!this.opened) await new Promise<void>((r) => this.waiting.push(r));
    return super.save(key, bytes);
  }

  release(): void {
    this.opened = true;
    for (const r of this.waiting.splice(0)) r();
  }
}

describe('instances belong to their host', () => {
  it('two hosts in one process open one group: an instance each, shared by its own proxies; each settles only its own', async () => {
    const held = new HeldStore();
    const instances: [ObjectInstances, ObjectInstances] = [new ObjectInstances(), new ObjectInstances()];
    const { port, runtimes } = await twoHosts([held, new MemoryStore()], instances);
    cleanup.push(() => held.release());
    const xml = reference('liveobjects.desktop', port, 'desk-own');
    const a1 = await openView(runtimes[0]!, xml);
    const a2 = await openView(runtimes[0]!, xml);
    const b = await openView(runtimes[1]!, xml);
    expect(uiObjectInfo(a2.proxy)).toBe(uiObjectInfo(a1.proxy));
    expect(uiObjectInfo(b.proxy)).not.toBe(uiObjectInfo(a1.proxy));
    expect(uiObjectInfo(b.proxy)!.protocol).not.toBe(uiObjectInfo(a1.proxy)!.protocol);
    expect(instances.map((i) => i.size)).toEqual([1, 1]);
    await Promise.all([uiObjectInfo(a1.proxy)!.ready, uiObjectInfo(b.proxy)!.ready]);

    // Host A's instance ends with its last proxy; its final save is held.
    a1.proxy.dispose();
    expect(instances[0].size).toBe(1);
    a2.proxy.dispose();
    b.proxy.dispose();
    expect(instances.map((i) => i.size)).toEqual([0, 0]);
    let aSettled = false;
    void instances[0].settled().then(() => (aSettled = true));
    let bSettled = false;
    void instances[1].settled().then(() => (bSettled = true));
    await waitFor("host B's instances to settle while host A's final save is held", () => bSettled, {
      timeout: 5_000,
    });
    expect(aSettled).toBe(false);
    held.release();
    await instances[0].settled();
    expect(held.data.size).toBe(1);
  });
});
