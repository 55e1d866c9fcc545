// The UI templates (liveobjects.desktop, .note, .image, and the 3D objects in ../ui3d): a
// replicated model wired to a checkpointed channel and shown through a `ui` (or `ui3d`) endpoint. The replicated logic runs here, in
// the host; views only render `show` messages and send intents as `act`.
//
// One instance per (node, template, group) in the host's ObjectInstances: opening the same
// object twice in a host (two windows, two references naming the same group) shares the model
// and the protocol, since the group's members are nodes; each dereference gets its own proxy
// (and endpoint) over the shared instance, which ends with the last proxy.
import type { Intent, ViewKind } from '../../../src-shared/bridge/protocol';
import type { TemplateEntry } from '../../runtime/catalogue';
import type { LocalProxy, Proxy } from '../../runtime/proxy';
import type { Portal } from '../../runtime/endpoint';
import type { RuntimeServices } from '../../runtime/catalogue';
import type { CheckpointedChannel } from '../checkpointed';
import type { InstanceRegistration, ObjectInstances } from '../instances';
import type { ReplicatedModel, Send } from '../models/model';
import { checkpointedAccess } from '../qsm/checkpointed-entry';
import { channelIdentity } from '../qsm/channel-entry';
import { keyExposure } from '../sealed/references';
import { ModelError } from '../models/model';
import type { CheckpointedAccess } from '../qsm/checkpointed-entry';
import type { StateStore } from './state-store';
import { stateKey } from './state-store';
import type { ShowMessage } from './wire';
import { decodeAct, encodeShow } from './wire';
import { errorText } from '../../../src-shared/util/error-text';

export interface UiContext {
  readonly self: string;
  readonly send: Send;
  readonly runtime: RuntimeServices;
}

/** What differs between desktop, note, image and the 3D objects; K is the kind of view state shown. */
export interface UiAdapter<M extends ReplicatedModel<unknown>, K extends ViewKind = ViewKind> {
  readonly kind: K;
  /** The user interface endpoint: `ui` (type UI, the default) or `ui3d` (type UI3D). */
  readonly endpoint?: UiEndpointName;
  create(ctx: UiContext): M;
  /** Everything a freshly attached view needs. */
  snapshot(model: M): ShowMessage<K>[];
  /**
   * Pushes changes to every view through `emit`; the returned function ends it (with the
   * instance). `ctx` lets an object activate references it holds (an airplane's stream).
   */
  subscribe(model: M, emit: (m: ShowMessage<K>) => void, ctx: UiContext): () => void;
  /** Applies an intent; throws (ModelError) with a user-facing message to refuse it. */
  act(model: M, intent: Intent, ctx: UiContext): void;
  /** Intents whose effect the acting view already shows and other local views must get. */
  echo?(intent: Intent): ShowMessage<K> | undefined;
  /** Extra endpoints of the proxy (the image's texture). */
  wire?(model: M, proxy: LocalProxy): void;
  /** The last view went away (the note withdraws the views' presence). */
  detached?(model: M): void;
  /** Housekeeping every few seconds (the image expires stalled uploads). */
  tick?(model: M): void;
}

export type UiEndpointName = 'ui' | 'ui3d';

export interface UiObjectOptions {
  readonly store?: StateStore;
  /** Longest a change waits before its write starts, and least time between two writes
   * (default 300 ms). */
  readonly saveDelayMs?: number;
  /** Errors of an object that keeps running (disk full, a bad update…). */
  readonly onError?: (info: UiObjectInfo, error: unknown) => void;
}

/** What the host may ask of a UI proxy besides its endpoint. */
export interface UiObjectInfo {
  readonly kind: ViewKind;
  readonly template: string;
  readonly group: string;
  readonly key: string;
  readonly self: string;
  /** Whether the channel is sealed (liveobjects.sealed): only holders of the reference can read or send. */
  readonly sealed: boolean;
  /** Resolves once the object has the group's state (or founded it). */
  readonly ready: Promise<void>;
  members(): readonly string[];
  onMembers(listener: (members: readonly string[]) => void): () => void;
  /** Writes the current state now (also done after every change, at most one write per saveDelayMs). */
  save(): Promise<void>;
  readonly protocol: CheckpointedChannel;
}

const infos = new WeakMap<Proxy, UiObjectInfo>();

export function uiObjectInfo(proxy: Proxy): UiObjectInfo | undefined {
  return infos.get(proxy);
}

class Instance<M extends ReplicatedModel<unknown>> {
  refs = 0;
  readonly views = new Set<Portal>();
  readonly model: M;
  readonly protocol: CheckpointedChannel;
  readonly info: UiObjectInfo;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly tickTimer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: () => void;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  private saveFailing = false;
  /** When the last write started (Date.now()). */
  private lastSaveAt = 0;
  private closed = false;

  constructor(
    readonly template: string,
    private readonly adapter: UiAdapter<M>,
    private readonly channel: { proxy: Proxy; access: CheckpointedAccess },
    runtime: RuntimeServices,
    private readonly options: UiObjectOptions,
    private readonly registration: InstanceRegistration,
  ) {
    const { access } = channel;
    const key = stateKey(template, access.gms, channelIdentity(access));
    let protocol: CheckpointedChannel | undefined;
    const pending: Uint8Array[] = [];
    const send: Send = (update) => {
      if (!protocol) pending.push(update);
      else protocol.send(update).catch((e: unknown) => this.report(e));
    };
    const ctx: UiContext = { self: access.channel.self, send, runtime };
    this.model = adapter.create(ctx);
    this.ctx = ctx;
    const current = (): CheckpointedChannel => this.protocol;
    this.info = {
      kind: adapter.kind,
      template,
      group: access.group,
      key,
      self: access.channel.self,
      sealed: access.sealing !== undefined,
      get ready() {
        return current().ready;
      },
      members: () => access.channel.members,
      onMembers: (l) => access.channel.onView(l),
      save: () => this.save(),
      get protocol() {
        return current();
      },
    };
    // Restore before joining: the checkpoint merge then re-sends what the group lacks.
    this.restore(key);
    this.protocol = protocol = access.attach(this.model, (e) => this.report(e));
    for (const u of pending.splice(0)) protocol.send(u).catch((e: unknown) => this.report(e));
    const unsubscribeViews = adapter.subscribe(this.model, (m) => this.broadcast(m, undefined), ctx);
    const unsubscribeChanges = this.model.subscribe(() => this.scheduleSave());
    this.unsubscribe = () => {
      unsubscribeViews();
      unsubscribeChanges();
    };
    if (adapter.tick) {
      const tick = adapter.tick.bind(adapter);
      this.tickTimer = setInterval(() => tick(this.model), 5000);
      this.tickTimer.unref();
    }
  }

  private readonly ctx: UiContext;

  /** A new proxy over this instance. */
  proxy(make: () => LocalProxy): LocalProxy {
    const proxy = make();
    this.refs++;
    const portal = proxy.portal(this.adapter.endpoint ?? 'ui');
    portal.onConnect(() => {
      this.views.add(portal);
      for (const m of this.adapter.snapshot(this.model)) portal.send('show', encodeShow(m));
    });
    portal.onDisconnect(() => {
      this.views.delete(portal);
      if (this.views.size === 0) this.adapter.detached?.(this.model);
    });
    portal.on('act', (bytes) => this.act(portal, bytes as Uint8Array));
    this.adapter.wire?.(this.model, proxy);
    proxy.onDispose(() => {
      if (--this.refs > 0) return;
      this.registration.ended(this.end());
    });
    infos.set(proxy, this.info);
    return proxy;
  }

  private act(from: Portal, bytes: Uint8Array): void {
    try {
      const intent = decodeAct(bytes);
      const exposure =
        'reference' in intent
          ? keyExposure(this.info.sealed, intent.reference, `this ${this.adapter.kind}`)
          : undefined;
      if (exposure) throw new ModelError('invalid-argument', exposure);
      this.adapter.act(this.model, intent, this.ctx);
      const echo = this.adapter.echo?.(intent);
      if (echo) this.broadcast(echo, from);
    } catch (e) {
      if (from.connected) from.send('show', encodeShow({ t: 'error', message: errorText(e) }));
    }
  }

  private broadcast(m: ShowMessage, except: Portal | undefined): void {
    const bytes = encodeShow(m);
    for (const v of this.views) if (v !== except && v.connected) v.send('show', bytes);
  }

  private restore(key: string): void {
    const store = this.options.store;
    if (!store) return;
    let bytes: Uint8Array | undefined;
    try {
      bytes = store.load(key);
    } catch (e) {
      this.report(e);
      return;
    }
    if (!bytes) return;
    try {
      this.model.restore(bytes);
    } catch (e) {
      // Keep the unreadable file for inspection, start empty, and say so.
      store.quarantine(key);
      this.report(
        new Error(
          `the saved state of ${this.info.group} could not be read and was set aside: ${errorText(e)}`,
        ),
      );
    }
  }

  /** A change is written at once, unless a write started less than saveDelayMs ago: then
   * when saveDelayMs have passed since that one, with every change made meanwhile. So a change
   * waits at most saveDelayMs before its write starts, and a burst of changes (typing) costs
   * one write per saveDelayMs. */
  private scheduleSave(): void {
    if (!this.options.store || this.closed) return;
    this.dirty = true;
    if (this.saveTimer) return;
    const wait = Math.max(0, this.lastSaveAt + (this.options.saveDelayMs ?? 300) - Date.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, wait);
  }

  /** Serialized writes: each one writes the state as of when it starts. */
  save(): Promise<void> {
    const store = this.options.store;
    if (!store) return Promise.resolve();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    const run = async (): Promise<void> => {
      if (!this.dirty) return;
      this.dirty = false;
      this.lastSaveAt = Date.now();
      const bytes = this.model.persist();
      const { gms } = this.channel.access;
      try {
        await store.save(this.info.key, bytes, {
          template: this.template,
          group: this.info.group,
          gms: `${gms.host}:${gms.port}`,
        });
        this.saveFailing = false;
      } catch (e) {
        this.dirty = true;
        // The store keeps the bytes and retries, and the host warns until writes work again:
        // the object says it once per run of failures, not on every keystroke.
        if (!this.saveFailing) this.report(e);
        this.saveFailing = true;
      }
    };
    this.saving = this.saving.then(run);
    return this.saving;
  }

  private async end(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.dirty = true;
    const saved = this.save();
    this.unsubscribe();
    this.channel.proxy.dispose();
    await saved;
    this.model.dispose();
  }

  private report(error: unknown): void {
    this.options.onError?.(this.info, error);
  }
}

/** The implementation of a UI template; its instances live in `instances` (the host's). */
export function uiTemplateEntry<M extends ReplicatedModel<unknown>>(
  base: TemplateEntry,
  adapter: UiAdapter<M>,
  instances: ObjectInstances,
  options: UiObjectOptions = {},
): TemplateEntry {
  return {
    ...base,
    async instantiate(ctx) {
      const channelProxy = await ctx.runtime.dereference(ctx.args.reference('channel'));
      const access = checkpointedAccess(channelProxy);
      if (!access) {
        channelProxy.dispose();
        throw new Error(
          `${base.id} needs a liveobjects.checkpointed channel; ${channelProxy.label} is not one`,
        );
      }
      const key = `${base.id}\n${access.channel.self}\n${channelIdentity(access)}`;
      let shared: { instance: Instance<M>; created: boolean };
      try {
        shared = instances.obtain(
          key,
          (registration) =>
            new Instance(
              base.id,
              adapter,
              { proxy: channelProxy, access },
              ctx.runtime,
              options,
              registration,
            ),
        );
      } catch (e) {
        channelProxy.dispose();
        throw e;
      }
      // The shared instance holds its own channel.
      if (!shared.created) channelProxy.dispose();
      return shared.instance.proxy(() => ctx.proxy());
    },
  };
}
