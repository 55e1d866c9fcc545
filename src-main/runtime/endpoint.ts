// Endpoints (live-objects-model.md, "Language entities"). Each endpoint of a proxy has two
// faces: the internal one (Portal) that only the proxy holds, to send events and register
// handlers, and the external one that anybody may hold and can only `connect`. Events are
// delivered asynchronously (one microtask per event, FIFO per direction) so a handler never
// runs inside the sender's call stack.
import type { EndpointType } from '../../src-shared/model/types';
import { TypeCheckError } from '../../src-shared/model/types';
import { EndpointError } from './errors';
import { argumentsMismatch } from './event-values';
import { matchEndpoints } from './type-checks';

export interface Disposable {
  dispose(): void;
}

export type EventHandler = (...args: unknown[]) => void;

/** The internal endpoint: the proxy's own portal. Never serializable, never handed out. */
export interface Portal {
  readonly name: string;
  readonly type: EndpointType;
  readonly connected: boolean;
  /** Sends an outgoing event to the connected peer; throws when not connected. */
  send(event: string, ...args: unknown[]): void;
  /** Handles an incoming event declared in the endpoint type's `in` list. */
  on(event: string, handler: EventHandler): Disposable;
  onConnect(handler: () => void): Disposable;
  /** Called once when the connection goes away (either side disposed it). */
  onDisconnect(handler: () => void): Disposable;
}

/** The external endpoint: obtained from a proxy by name; the only operation is connect. */
export interface ExternalEndpoint {
  readonly name: string;
  readonly type: EndpointType;
  /** Label of the owning proxy, for messages. */
  readonly owner: string;
  readonly connected: boolean;
  /** Checks τ ∝ τ′ and connects; an endpoint instance connects at most once. */
  connect(other: ExternalEndpoint): Connection;
}

/** A lifetime handle: disposing disconnects and both sides get a disconnect notification. */
export interface Connection extends Disposable {
  readonly a: ExternalEndpoint;
  readonly b: ExternalEndpoint;
  readonly disposed: boolean;
}

export interface EndpointOptions {
  /** Check event names and argument values at send time (dev); default: not in production. */
  readonly checkEvents?: boolean;
}

const defaultCheckEvents = process.env.NODE_ENV !== 'production';

// External faces → the endpoint they stand for (composite exports rename the same endpoint).
const endpointOf = new WeakMap<ExternalEndpoint, Endpoint>();

function listeners<T>(set: Set<T>, item: T): Disposable {
  set.add(item);
  return { dispose: () => void set.delete(item) };
}

/** One endpoint instance of a proxy. Owned by a LocalProxy; not exported to object code. */
export class Endpoint {
  readonly portal: Portal;
  readonly external: ExternalEndpoint;
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly connectHandlers = new Set<() => void>();
  private readonly disconnectHandlers = new Set<() => void>();
  private peer: Endpoint | undefined;
  private connection: ConnectionImpl | undefined;
  private everConnected = false;
  private readonly checkEvents: boolean;

  constructor(
    readonly name: string,
    readonly type: EndpointType,
    readonly owner: string,
    options: EndpointOptions = {},
  ) {
    this.checkEvents = options.checkEvents ?? defaultCheckEvents;
    this.portal = this.makePortal();
    this.external = this.face(name);
  }

  get qualifiedName(): string {
    return `endpoint '${this.name}' of ${this.owner}`;
  }

  get connected(): boolean {
    return this.peer !== undefined;
  }

  get currentConnection(): Connection | undefined {
    return this.connection;
  }

  /** An external face under another name (composite export); connects the same endpoint. */
  face(name: string): ExternalEndpoint {
    const self = this as Endpoint;
    const face: ExternalEndpoint = {
      name,
      type: this.type,
      owner: this.owner,
      get connected() {
        return self.connected;
      },
      connect: (other) => self.connect(other, face),
    };
    endpointOf.set(face, this);
    return face;
  }

  private connect(otherFace: ExternalEndpoint, ownFace: ExternalEndpoint): Connection {
    const other = endpointOf.get(otherFace);
    if (!other)
      throw new EndpointError(
        `cannot connect ${this.qualifiedName}: the other side is not a runtime endpoint`,
      );
    if (other === this) throw new EndpointError(`cannot connect ${this.qualifiedName} to itself`);
    for (const e of [this, other]) {
      if (e.everConnected) {
        throw new EndpointError(
          `${e.qualifiedName} is already ${e.connected ? 'connected' : 'used'}: an endpoint instance connects at most once`,
        );
      }
    }
    const check = matchEndpoints(this.type, other.type);
    if (!check.ok) {
      throw new TypeCheckError(
        `cannot connect ${this.qualifiedName} (${this.type.name}) to ${other.qualifiedName} (${other.type.name}): the endpoint types do not match`,
        check.reasons,
      );
    }
    const connection = new ConnectionImpl(ownFace, otherFace, this, other);
    this.attach(other, connection);
    other.attach(this, connection);
    return connection;
  }

  private attach(peer: Endpoint, connection: ConnectionImpl): void {
    this.peer = peer;
    this.connection = connection;
    this.everConnected = true;
    for (const h of [...this.connectHandlers]) h();
  }

  /** Called by the connection on dispose. */
  detach(): void {
    if (!this.peer) return;
    this.peer = undefined;
    this.connection = undefined;
    for (const h of [...this.disconnectHandlers]) h();
  }

  /** Disposes the current connection, if any (proxy disposal). */
  disconnect(): void {
    this.connection?.dispose();
  }

  private deliver(event: string, args: readonly unknown[], connection: ConnectionImpl): void {
    queueMicrotask(() => {
      // Events still in flight when the connection goes away are dropped.
      if (connection.disposed || this.connection !== connection) return;
      const set = this.handlers.get(event);
      if (set) for (const h of [...set]) h(...args);
    });
  }

  private makePortal(): Portal {
    const self = this as Endpoint;
    return {
      name: this.name,
      type: this.type,
      get connected() {
        return self.connected;
      },
      send: (event, ...args) => {
        if (self.checkEvents) {
          const declared = self.type.out.find((e) => e.name === event);
          if (!declared) {
            throw new EndpointError(
              `${self.qualifiedName} cannot send '${event}': not an outgoing event of ${self.type.name} (declared: ${self.type.out.map((e) => e.name).join(', ') || 'none'})`,
            );
          }
          const problem = argumentsMismatch(declared, args);
          if (problem) throw new EndpointError(`${self.qualifiedName}: ${problem}`);
        }
        const peer = self.peer;
        const connection = self.connection;
        if (!peer || !connection)
          throw new EndpointError(`${self.qualifiedName} cannot send '${event}': not connected`);
        peer.deliver(event, args, connection);
      },
      on: (event, handler) => {
        if (self.checkEvents && !self.type.in.some((e) => e.name === event)) {
          throw new EndpointError(
            `${self.qualifiedName} cannot handle '${event}': not an incoming event of ${self.type.name} (declared: ${self.type.in.map((e) => e.name).join(', ') || 'none'})`,
          );
        }
        let set = self.handlers.get(event);
        if (!set) self.handlers.set(event, (set = new Set()));
        return listeners(set, handler);
      },
      onConnect: (handler) => listeners(self.connectHandlers, handler),
      onDisconnect: (handler) => listeners(self.disconnectHandlers, handler),
    };
  }
}

class ConnectionImpl implements Connection {
  private isDisposed = false;

  constructor(
    readonly a: ExternalEndpoint,
    readonly b: ExternalEndpoint,
    private readonly ea: Endpoint,
    private readonly eb: Endpoint,
  ) {}

  get disposed(): boolean {
    return this.isDisposed;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.ea.detach();
    this.eb.detach();
  }
}

/** The same endpoint instance under another name (a composite's export). */
export function renameEndpoint(endpoint: ExternalEndpoint, name: string): ExternalEndpoint {
  const e = endpointOf.get(endpoint);
  if (!e) throw new EndpointError(`cannot export '${endpoint.name}': not a runtime endpoint`);
  return name === endpoint.name ? endpoint : e.face(name);
}
