// The host's side of a library process: loads the module there, and makes each instance of a
// library object a LocalProxy here whose endpoints forward to the instance's portals there.
// What the process sends is checked like any untrusted peer: only declared outgoing events
// with values of the declared types reach the host (the proxy's event checks are always on).
import type { ParamValue } from '../../../src-shared/format/document';
import type { LocalProxy } from '../../runtime/proxy';
import { LibraryError } from './errors';
import type { SandboxChannel, SandboxLauncher } from './sandbox-launcher';
import type { LibraryManifest, SandboxMessage } from './sandbox-protocol';

/** How long loading the module or creating an instance may take in the library process. */
export const SANDBOX_REQUEST_TIMEOUT_MS = 30_000;

interface Pending {
  resolve(message: SandboxMessage): void;
  reject(error: Error): void;
}

export interface InstanceRequest {
  readonly kind: 'object' | 'template';
  readonly name: string;
  readonly args?: ReadonlyMap<string, ParamValue>;
}

export class LibrarySandbox {
  private readonly pending = new Map<number, Pending>();
  private readonly proxies = new Map<number, LocalProxy>();
  private nextId = 1;
  private gone: string | undefined;

  private constructor(
    readonly url: string,
    private readonly channel: SandboxChannel,
    /** Where errors of library code outside a request go (a handler threw). */
    private readonly onError: (message: string) => void,
  ) {
    channel.onMessage((m) => this.receive(m));
    channel.onExit((reason) => this.exited(reason));
  }

  /** Starts a process and evaluates `code` in it; resolves with the definition as data. */
  static async load(
    url: string,
    code: Uint8Array,
    launch: SandboxLauncher,
    onError: (message: string) => void,
  ): Promise<{ sandbox: LibrarySandbox; manifest: LibraryManifest }> {
    const sandbox = new LibrarySandbox(url, launch(), onError);
    try {
      const id = sandbox.nextId++;
      const answer = await sandbox.request(id, () => sandbox.channel.send({ t: 'load', id, url, code }));
      if (answer.t !== 'loaded') throw new LibraryError(url, 'the library process answered out of turn');
      return { sandbox, manifest: answer.manifest };
    } catch (e) {
      sandbox.close();
      throw e;
    }
  }

  get alive(): boolean {
    return this.gone === undefined;
  }

  /** Creates the instance behind `proxy` (a fresh LocalProxy of the entry's type) in the process. */
  async instantiate(request: InstanceRequest, proxy: LocalProxy): Promise<void> {
    const instance = this.nextId++;
    const endpoints = proxy.endpointNames;
    this.proxies.set(instance, proxy);
    for (const name of endpoints) {
      const portal = proxy.portal(name);
      portal.onConnect(() => this.channel.send({ t: 'connect', instance, endpoint: name }));
      portal.onDisconnect(() => this.channel.send({ t: 'disconnect', instance, endpoint: name }));
      for (const { name: event } of portal.type.in) {
        portal.on(event, (...args) =>
          this.channel.send({ t: 'event', instance, endpoint: name, event, args }),
        );
      }
    }
    proxy.onDispose(() => {
      this.proxies.delete(instance);
      this.channel.send({ t: 'dispose', instance });
    });
    try {
      await this.request(instance, () =>
        this.channel.send({
          t: 'create',
          id: instance,
          instance,
          kind: request.kind,
          name: request.name,
          endpoints,
          ...(request.args && { args: [...request.args] }),
        }),
      );
    } catch (e) {
      proxy.dispose();
      throw e;
    }
  }

  close(): void {
    this.channel.close();
  }

  private request(id: number, send: () => void): Promise<SandboxMessage> {
    if (this.gone !== undefined)
      return Promise.reject(new LibraryError(this.url, `the library process is gone: ${this.gone}`));
    return new Promise<SandboxMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LibraryError(this.url, `the library did not answer within ${SANDBOX_REQUEST_TIMEOUT_MS} ms`),
        );
      }, SANDBOX_REQUEST_TIMEOUT_MS);
      timer.unref();
      const settle = (): void => {
        clearTimeout(timer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (m) => {
          settle();
          resolve(m);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      send();
    });
  }

  private receive(m: SandboxMessage): void {
    switch (m.t) {
      case 'loaded':
      case 'created':
        this.pending.get(m.id)?.resolve(m);
        return;
      case 'failed':
        this.pending.get(m.id)?.reject(new LibraryError(this.url, m.message));
        return;
      case 'send': {
        const proxy = this.proxies.get(m.instance);
        if (!proxy || proxy.disposed) return;
        try {
          proxy.portal(m.endpoint).send(m.event, ...m.args);
        } catch (e) {
          this.onError(`library ${this.url}: ${(e as Error).message}`);
        }
        return;
      }
      case 'error':
        this.onError(`library ${this.url}: ${m.message}`);
        return;
    }
  }

  private exited(reason: string): void {
    this.gone = reason;
    for (const p of [...this.pending.values()])
      p.reject(new LibraryError(this.url, `the library process ended: ${reason}`));
    for (const proxy of [...this.proxies.values()]) proxy.dispose();
    this.proxies.clear();
  }
}
