// One bridge session: a renderer window or WebSocket connection. It owns the objects it
// opened (a handle per open), connects each object's `ui` / `ui3d` endpoint (or a stream's
// `stream` endpoint) to a view proxy, and turns what arrives into bridge events. Shared state
// lives in the instance (ui-object.ts, ui3d/stream-object.ts), so two sessions opening the
// same object share one replica.
import { randomBytes } from 'node:crypto';
import type {
  CommandName,
  Commands,
  DropVerdict,
  Events,
  Intent,
  ObjectHandle,
  OpenedObject,
  TemplateKind,
} from '../../src-shared/bridge/protocol';
import { writeLiveObject } from '../../src-shared/format';
import { isInvitation } from '../../src-shared/workspace/invitation';
import { formatObjectTypeName } from '../../src-shared/model/describe';
import type { Connection } from '../runtime/endpoint';
import type { Proxy } from '../runtime/proxy';
import type { LocalProxy } from '../runtime/proxy';
import type { ShowMessage, ViewEndpoint } from '../objects/ui';
import { checkOpenable, decodeShow, encodeAct, refusalText, uiObjectInfo } from '../objects/ui';
import { streamObjectInfo, viewProxyFor } from '../objects/ui3d';
import type { BridgeEventListener, BridgeSession } from './bridge-host';
import type { HostCore } from './core';
import { checkDropOn } from './drops';
import { mintReference } from './mint';
import { consentErrorIn } from '../objects/library';
import { attachStreamView } from './stream-view';
import { errorText } from '../../src-shared/util/error-text';
import { KIND_TITLES } from '../../src-shared/bridge/kinds';

/** The group behind an open object, for presence and error routing. */
export interface ObjectGroup {
  readonly key: string;
  readonly group: string;
  readonly sealed: boolean;
  members(): readonly string[];
  onMembers(listener: (members: readonly string[]) => void): () => void;
}

export interface OpenObject {
  readonly handle: ObjectHandle;
  readonly opened: OpenedObject;
  readonly proxy: Proxy;
  readonly view: LocalProxy;
  readonly endpoint: ViewEndpoint;
  readonly connection: Connection;
  readonly info: ObjectGroup | undefined;
  readonly cleanup: (() => void)[];
}

/** One handler per command, typed by the contract: a wrong result is a compile error. */
type CommandHandlers = {
  [C in CommandName]: (args: Commands[C]['args']) => Promise<Commands[C]['result']> | Commands[C]['result'];
};

export class HostSession implements BridgeSession {
  readonly objects = new Map<ObjectHandle, OpenObject>();
  private readonly listeners = new Set<BridgeEventListener>();
  private closed = false;
  private readonly handlers: CommandHandlers = {
    hello: () => this.core.hello(this.shell),
    templates: () => this.core.templates(),
    open: ({ xml, source, askAgain }) => this.open(xml, source, { askAgain: askAgain === true }),
    create: ({ template, title }) => this.create(template, title),
    close: ({ handle }) => {
      this.closeObject(handle);
      return null;
    },
    act: ({ handle, intent }) => {
      this.act(handle, intent);
      return null;
    },
    checkDrop: ({ handle, xml }) => this.checkDrop(handle, xml),
    checkTemplateDrop: ({ handle, template }) => this.checkTemplateDrop(handle, template),
    network: () => this.core.networkStatus(),
    storage: () => this.core.storageStatus(),
    'library.answer': (answer) => this.core.answerLibrary(answer),
    join: ({ xml, source }) => this.core.join(xml, source),
  };
  private readonly offNetwork: () => void;
  private readonly offStorage: () => void;
  private readonly offLibraries: () => void;

  constructor(
    private readonly core: HostCore,
    readonly shell: 'electron' | 'web',
  ) {
    this.offNetwork = core.onNetworkChange((status) => this.emit('network', status));
    this.offStorage = core.onStorageChange((status) => this.emit('storage', status));
    this.offLibraries = core.onLibraryDecided(({ url, sha256, decision }) =>
      this.emit('library.decided', { url, sha256, answer: decision ?? 'ask' }),
    );
  }

  onEvent(listener: BridgeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends keyof Events>(event: E, data: Events[E]): void {
    if (this.closed) return;
    for (const l of [...this.listeners]) {
      try {
        l(event, data);
      } catch {
        // A shell's listener bug must not stop the other listeners.
      }
    }
  }

  /** Runs a command whose arguments are already checked (the shells' go through `checkCall`). */
  async call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    if (this.closed) throw new Error('this session is closed');
    const handler: CommandHandlers[C] = this.handlers[command];
    return handler(args);
  }

  async open(
    xml: string,
    source = 'the reference',
    options: { readonly askAgain?: boolean } = {},
  ): Promise<OpenedObject> {
    if (isInvitation(xml)) {
      throw new Error(
        `${source} is an invitation to a workspace, not an object to show: join it (the app asks ` +
          'when you open it) or run `liveobjects join FILE`',
      );
    }
    const checked = checkOpenable(this.core.runtime.catalogue, xml, source);
    if (!checked.document)
      throw new Error(checked.verdict.ok ? `${source} could not be read` : checked.verdict.reason);
    if (!checked.verdict.ok) throw new Error(`cannot open ${source}: ${refusalText(checked.verdict)}`);
    const { endpoint } = checked;
    // Any coordinate stream (a library's too) can be shown as tracks.
    const kind = checked.kind ?? (endpoint === 'stream' ? 'coordinates' : undefined);
    if (!kind || !endpoint) {
      throw new Error(
        `cannot open ${source}: this build has no view for it (its template is not a known UI object)`,
      );
    }
    const document = checked.document;
    const proxy = await this.core.runtime.open(document).catch((e: unknown) => {
      throw this.consentNeeded(e, document.meta.title ?? source, options.askAgain === true) ?? e;
    });
    if (this.closed) {
      proxy.dispose();
      throw new Error('this session is closed');
    }
    const handle = `h-${randomBytes(6).toString('hex')}`;
    const stream = endpoint === 'stream' ? streamObjectInfo(proxy) : undefined;
    const info: ObjectGroup | undefined = uiObjectInfo(proxy) ?? stream;
    const view = viewProxyFor(endpoint, `view ${handle}`);
    let connection: Connection;
    try {
      connection = proxy.endpoint(endpoint).connect(view.endpoint(endpoint));
    } catch (e) {
      view.dispose();
      proxy.dispose();
      throw new Error(`cannot open ${source}: ${errorText(e)}`);
    }
    const title = document.meta.title ?? `${KIND_TITLES[kind]}${info ? ` ${info.group}` : ''}`;
    const opened: OpenedObject = {
      handle,
      kind,
      title,
      reference: writeLiveObject(document),
      type: checked.type ? formatObjectTypeName(checked.type) : 'UI',
      private: info?.sealed ?? false,
    };
    const entry: OpenObject = { handle, opened, proxy, view, endpoint, connection, info, cleanup: [] };
    this.objects.set(handle, entry);
    if (endpoint === 'stream') {
      entry.cleanup.push(
        attachStreamView(view, stream, {
          state: (state) => this.emit('state', { handle, state }),
          samples: (samples) => this.emit('stream.samples', { handle, samples }),
        }),
      );
    } else {
      view.portal(endpoint).on('show', (bytes) => this.onShow(handle, bytes as Uint8Array));
    }
    if (info) {
      const presence = (): void => this.emitPresence(entry);
      entry.cleanup.push(info.onMembers(presence), this.core.onPresenceChange(presence));
      entry.cleanup.push(this.core.track(info.key, this, handle));
      queueMicrotask(presence);
    }
    return opened;
  }

  async create(template: TemplateKind, title: string | undefined): Promise<OpenedObject> {
    const available = this.core.templates().map((t) => t.kind);
    if (!available.includes(template)) {
      throw new Error(`cannot create '${template}': this build can create ${available.join(', ')}`);
    }
    const { xml } = mintReference(template, title?.trim() || undefined);
    return this.open(xml, `new ${template}`);
  }

  act(handle: ObjectHandle, intent: Intent): void {
    const entry = this.require(handle);
    if (entry.endpoint === 'stream')
      throw new Error(`${entry.opened.title} is a stream: it takes no intents`);
    entry.view.portal(entry.endpoint).send('act', encodeAct(intent));
  }

  checkDrop(handle: ObjectHandle, xml: string): DropVerdict {
    const entry = this.require(handle);
    return checkDropOn(this.core.runtime.catalogue, entry.opened, xml);
  }

  /** Checks a reference minted in memory only: nothing is opened or stored until `create`. */
  checkTemplateDrop(handle: ObjectHandle, template: TemplateKind): DropVerdict {
    return this.checkDrop(handle, mintReference(template).xml);
  }

  closeObject(handle: ObjectHandle): void {
    const entry = this.require(handle);
    this.objects.delete(handle);
    for (const c of entry.cleanup) c();
    entry.connection.dispose();
    entry.view.dispose();
    entry.proxy.dispose();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const handle of [...this.objects.keys()]) this.closeObject(handle);
    this.closed = true;
    this.offNetwork();
    this.offStorage();
    this.offLibraries();
    this.listeners.clear();
    this.core.sessionClosed(this);
  }

  /** When `error` is a library's missing consent: asks this window, and the open fails with
   * the placeholder the object shows meanwhile. */
  private consentNeeded(error: unknown, neededBy: string, askAgain: boolean): Error | undefined {
    const missing = consentErrorIn(error);
    if (!missing) return undefined;
    const { request, placeholder } = this.core.libraryConsentNeeded(missing, neededBy, askAgain);
    if (request) this.emit('library.consent', request);
    return new Error(placeholder, { cause: error });
  }

  private require(handle: ObjectHandle): OpenObject {
    const entry = this.objects.get(handle);
    if (!entry) throw new Error(`no open object with handle '${handle}' in this session`);
    return entry;
  }

  private onShow(handle: ObjectHandle, bytes: Uint8Array): void {
    let m: ShowMessage;
    try {
      m = decodeShow(bytes);
    } catch (e) {
      this.emit('error', { handle, message: `the object sent a malformed view update: ${errorText(e)}` });
      return;
    }
    switch (m.t) {
      case 'state':
        return this.emit('state', { handle, state: m.state });
      case 'note.update':
        return this.emit('note.update', { handle, update: m.update });
      case 'note.awareness':
        return this.emit('note.awareness', { handle, update: m.update });
      case 'stream.samples':
        return this.emit('stream.samples', { handle, samples: m.samples });
      case 'error':
        return this.emit('error', { handle, message: m.message });
    }
  }

  private emitPresence(entry: OpenObject): void {
    if (!entry.info || !this.objects.has(entry.handle)) return;
    const members = entry.info.members().map((id) => ({ id, name: this.core.nameOf(id) }));
    this.emit('presence', { handle: entry.handle, members });
  }
}
