// A scripted RendererBridge for unit tests: answers calls from handlers, records them, and
// lets the test fire events and status changes.
import type { CommandName, Commands, EventName, Events } from '../../src-shared/bridge/protocol';
import { EventHub } from '../bridge/emitter';
import type { ConnectionStatus, MenuAction, RendererBridge } from '../bridge/types';

type Handlers = {
  [C in CommandName]?: (args: Commands[C]['args']) => Commands[C]['result'] | Promise<Commands[C]['result']>;
};

export class FakeBridge implements RendererBridge {
  readonly shell = 'web' as const;
  readonly calls: Array<{ command: CommandName; args: unknown }> = [];
  readonly #events = new EventHub();
  readonly #status = new Set<(s: ConnectionStatus) => void>();
  readonly #menu = new Set<(a: MenuAction) => void>();
  #current: ConnectionStatus = { state: 'connecting' };

  constructor(public handlers: Handlers = {}) {}

  async call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    this.calls.push({ command, args });
    const handler = this.handlers[command] as ((a: Commands[C]['args']) => Commands[C]['result']) | undefined;
    if (!handler) throw new Error(`no handler for ${command}`);
    return handler(args);
  }

  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  fire<E extends EventName>(event: E, data: Events[E]): void {
    this.#events.emit(event, data);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#status.add(listener);
    listener(this.#current);
    return () => this.#status.delete(listener);
  }

  setStatus(status: ConnectionStatus): void {
    this.#current = status;
    for (const l of this.#status) l(status);
  }

  onMenu(listener: (action: MenuAction) => void): () => void {
    this.#menu.add(listener);
    return () => this.#menu.delete(listener);
  }

  menu(action: MenuAction): void {
    for (const l of this.#menu) l(action);
  }

  startDrag(): boolean {
    return false;
  }

  dispose(): void {}

  commands(): CommandName[] {
    return this.calls.map((c) => c.command);
  }
}

/** Lets pending promise chains run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}
