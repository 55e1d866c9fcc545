// The Electron shell's transport: the preload's `window.liveobjects` (context-isolated IPC,
// whose structured clone carries Uint8Array payloads as they are).
import type {
  CommandName,
  Commands,
  EventName,
  Events,
  TemplateKind,
} from '../../src-shared/bridge/protocol';
import { EventHub } from './emitter';
import { HostError, errorMessage } from './errors';
import type { ConnectionStatus, MenuAction, RendererBridge } from './types';

/** What the preload exposes; typed loosely because it crosses the context-isolation boundary. */
export interface ElectronApi {
  readonly shell: 'electron';
  call(command: string, args: unknown): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): (() => void) | void;
  startDrag?(xml: string, title: string): void;
  saveReference?(xml: string, title: string): Promise<string | null>;
  copyReference?(xml: string): Promise<unknown>;
}

declare global {
  interface Window {
    liveobjects?: ElectronApi | { readonly shell: string };
  }
}

export function electronApi(candidate: unknown): ElectronApi | undefined {
  if (!candidate || typeof candidate !== 'object') return undefined;
  const api = candidate as Partial<ElectronApi>;
  return api.shell === 'electron' && typeof api.call === 'function' && typeof api.on === 'function'
    ? (api as ElectronApi)
    : undefined;
}

export class ElectronBridge implements RendererBridge {
  readonly shell = 'electron' as const;
  readonly #api: ElectronApi;
  readonly #events = new EventHub();
  readonly #unsubscribe: Array<() => void> = [];
  /** Listeners are attached to the preload once per event name, on first use. */
  readonly #wired = new Set<EventName>();

  readonly saveReference?: (xml: string, title: string) => Promise<string | null>;
  readonly copyReference?: (xml: string) => Promise<void>;

  constructor(api: ElectronApi) {
    this.#api = api;
    const { saveReference, copyReference } = api;
    if (typeof saveReference === 'function') {
      this.saveReference = (xml, title) => saveReference.call(api, xml, title);
    }
    if (typeof copyReference === 'function') {
      this.copyReference = async (xml) => {
        await copyReference.call(api, xml);
      };
    }
  }

  async call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    try {
      return (await this.#api.call(command, args)) as Commands[C]['result'];
    } catch (error) {
      throw new HostError(errorMessage(error));
    }
  }

  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    if (!this.#wired.has(event)) {
      this.#wired.add(event);
      const off = this.#api.on(event, (data) => this.#events.receive(event, data));
      if (typeof off === 'function') this.#unsubscribe.push(off);
    }
    return this.#events.on(event, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    // IPC to our own main process does not drop: one session for the window's lifetime.
    listener({ state: 'open', session: 1 });
    return () => {};
  }

  startDrag(xml: string, title: string): boolean {
    if (typeof this.#api.startDrag !== 'function') return false;
    this.#api.startDrag(xml, title);
    return true;
  }

  onMenu(listener: (action: MenuAction) => void): () => void {
    const off = this.#api.on('menu', (data) => {
      const action = menuAction(data);
      if (action) listener(action);
    });
    return typeof off === 'function' ? off : () => {};
  }

  dispose(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }
}

const TEMPLATES: readonly TemplateKind[] = ['desktop', 'note', 'image', 'space3d'];

function isTemplate(value: unknown): value is TemplateKind {
  return TEMPLATES.some((t) => t === value);
}

/** Validates a menu action crossing IPC. */
export function menuAction(data: unknown): MenuAction | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { action, template } = data as Record<string, unknown>;
  if (action === 'save-reference' || action === 'copy-reference') return { action };
  if (action === 'create' && isTemplate(template)) return { action, template };
  return undefined;
}
