// A small in-memory BridgeHost for the web shell's tests: records what the shell does.
import type { BridgeEventListener, BridgeHost, BridgeSession } from '../../host/bridge-host';
import type { CommandName, Commands, EventName, Events } from '../../../src-shared/bridge/protocol';

export class TestSession implements BridgeSession {
  readonly calls: { command: CommandName; args: unknown }[] = [];
  private readonly listeners = new Set<BridgeEventListener>();
  closed = false;
  private resolveClosed!: () => void;
  readonly whenClosed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  async call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    this.calls.push({ command, args });
    const result = await this.answer(command, args);
    return result as Commands[C]['result'];
  }

  private async answer(command: CommandName, args: unknown): Promise<unknown> {
    switch (command) {
      case 'hello':
        return { shell: 'web', nodeId: 'n1', userName: 'tester', version: '0.0.0' };
      case 'templates':
        return [];
      case 'open':
        throw new Error('line 1, column 1: not a liveobject');
      case 'close': {
        // A host bug: a result that cannot be encoded.
        const cyclic: { self?: unknown } = {};
        cyclic.self = cyclic;
        return cyclic;
      }
      case 'act': {
        const { handle, intent } = args as Commands['act']['args'];
        this.emit('state', { handle, state: { kind: 'coordinates', senders: [intent.kind] } });
        // Echoes a note's bytes, so tests see binary payloads cross both ways.
        if (intent.kind === 'note.update') this.emit('note.update', { handle, update: intent.update });
        return null;
      }
      default:
        throw new Error(`not implemented: ${command}`);
    }
  }

  emit<E extends EventName>(event: E, data: Events[E]): void {
    for (const listener of this.listeners) listener(event, data);
  }

  onEvent(listener: BridgeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.resolveClosed();
  }
}

export class TestHost implements BridgeHost {
  readonly sessions: TestSession[] = [];
  readonly openedFiles: string[] = [];
  private readonly waiters: ((session: TestSession) => void)[] = [];

  readonly shells: ('electron' | 'web')[] = [];

  openSession(shell: 'electron' | 'web'): BridgeSession {
    this.shells.push(shell);
    const session = new TestSession();
    this.sessions.push(session);
    for (const waiter of this.waiters.splice(0)) waiter(session);
    return session;
  }

  nextSession(): Promise<TestSession> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async openFile(path: string): Promise<void> {
    this.openedFiles.push(path);
  }

  async close(): Promise<void> {}
}
