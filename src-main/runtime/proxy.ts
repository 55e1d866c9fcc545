// Proxies: the part of a live object running on this node. A proxy exposes its external
// endpoints by name; object code builds one with LocalProxy and keeps the portals to itself.
import type { ObjectType } from '../../src-shared/model/types';
import type { Disposable, EndpointOptions, ExternalEndpoint, Portal } from './endpoint';
import { Endpoint } from './endpoint';
import { EndpointError } from './errors';

export interface Proxy extends Disposable {
  /** Short description for messages, e.g. `liveobjects.registry` or `composite`. */
  readonly label: string;
  readonly type: ObjectType;
  readonly disposed: boolean;
  /** The external endpoint `name`; throws naming the known endpoints when there is none. */
  endpoint(name: string): ExternalEndpoint;
  readonly endpointNames: readonly string[];
  /** Runs `fn` when the proxy is disposed (immediately if it already is). */
  onDispose(fn: () => void): Disposable;
}

export function unknownEndpoint(label: string, name: string, known: readonly string[]): EndpointError {
  return new EndpointError(
    `${label} has no endpoint '${name}' (its endpoints: ${known.length ? known.join(', ') : 'none'})`,
  );
}

/** Base for proxies: tracks disposables and runs them once, newest first. */
export abstract class ProxyBase implements Proxy {
  private readonly cleanups: (() => void)[] = [];
  private isDisposed = false;

  constructor(
    readonly label: string,
    readonly type: ObjectType,
  ) {}

  abstract endpoint(name: string): ExternalEndpoint;
  abstract get endpointNames(): readonly string[];

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Ties `resource` to this proxy's lifetime. */
  own<T extends Disposable>(resource: T): T {
    this.onDispose(() => resource.dispose());
    return resource;
  }

  onDispose(fn: () => void): Disposable {
    if (this.isDisposed) {
      fn();
      return { dispose: () => {} };
    }
    this.cleanups.push(fn);
    return {
      dispose: () => {
        const i = this.cleanups.indexOf(fn);
        if (i >= 0) this.cleanups.splice(i, 1);
      },
    };
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposeEndpoints();
    const errors: unknown[] = [];
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        fn();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, `${errors.length} errors while disposing ${this.label}`);
  }

  protected abstract disposeEndpoints(): void;
}

/**
 * A proxy implemented in this process: one Endpoint per endpoint of its type. The object's
 * code gets the portals (`portal(name)`); everyone else sees only external endpoints.
 */
export class LocalProxy extends ProxyBase {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(label: string, type: ObjectType, options: EndpointOptions = {}) {
    super(label, type);
    for (const [name, endpointType] of type.endpoints) {
      this.endpoints.set(name, new Endpoint(name, endpointType, label, options));
    }
  }

  get endpointNames(): readonly string[] {
    return [...this.endpoints.keys()];
  }

  endpoint(name: string): ExternalEndpoint {
    const e = this.endpoints.get(name);
    if (!e) throw unknownEndpoint(this.label, name, this.endpointNames);
    return e.external;
  }

  /** The internal endpoint; for the object's own code only. */
  portal(name: string): Portal {
    const e = this.endpoints.get(name);
    if (!e) throw unknownEndpoint(this.label, name, this.endpointNames);
    return e.portal;
  }

  protected disposeEndpoints(): void {
    for (const e of this.endpoints.values()) e.disconnect();
  }
}
