// The NATS connections of one host process: one per server list and credentials, shared by every
// channel over it, closed when the last channel releases it. The client reconnects by itself
// (without limit) and buffers what is published meanwhile; each connection reports its state
// (connecting, connected, reconnecting, failed with the reason) for the host's connection area.
import { readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { credsAuthenticator } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { errorText } from '../../../src-shared/util/error-text';

export type NatsConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly server: string }
  | { readonly kind: 'reconnecting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export interface NatsEndpoint {
  /** One or more `nats://host:port` URLs, comma-separated. */
  readonly servers: string;
  /** Path of a NATS `.creds` file, if the servers require one. */
  readonly credentials?: string;
}

/** One use of a shared connection; release() closes it once nobody uses it. */
export interface NatsConnectionLease {
  readonly servers: readonly string[];
  readonly connection: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly state: NatsConnectionState;
  onState(listener: (state: NatsConnectionState) => void): () => void;
  /** Claims `group` for a protocol that identifies members by id (as GroupLease.claim). */
  claim(group: string, what: string): () => void;
  release(): void;
}

/** Parses the `servers` parameter: `nats://host:port` URLs, comma-separated. */
export function parseServers(servers: string): string[] {
  const list = servers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) throw new Error('servers: give at least one NATS server URL, e.g. nats://hub:4222');
  for (const url of list) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`servers: ${JSON.stringify(url)} is not a URL; write nats://host:port`);
    }
    if (parsed.protocol !== 'nats:' && parsed.protocol !== 'tls:') {
      throw new Error(
        `servers: ${JSON.stringify(url)} is not a nats:// (or tls://) URL; write nats://host:port`,
      );
    }
  }
  return list;
}

/** Why a connection attempt failed, in words a user can act on. */
function failureReason(error: unknown): string {
  const text = errorText(error);
  if (/authoriz|authenticat|credentials|user/i.test(text)) return `credentials refused: ${text}`;
  return text;
}

class SharedConnection {
  state: NatsConnectionState = { kind: 'connecting' };
  refs = 0;
  readonly claims = new Map<string, string>();
  private readonly listeners = new Set<(state: NatsConnectionState) => void>();

  constructor(
    readonly servers: readonly string[],
    readonly connection: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {
    this.state = { kind: 'connected', server: connection.getServer() };
    void this.watch();
  }

  onState(listener: (state: NatsConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: NatsConnectionState): void {
    this.state = state;
    for (const l of [...this.listeners]) l(state);
  }

  private async watch(): Promise<void> {
    let lastError = 'the connection was lost';
    for await (const status of this.connection.status() as AsyncIterable<Status>) {
      switch (status.type) {
        case 'disconnect':
          this.set({ kind: 'reconnecting', reason: `disconnected from ${status.server}` });
          break;
        case 'reconnecting':
          if (this.state.kind !== 'reconnecting') this.set({ kind: 'reconnecting', reason: lastError });
          break;
        case 'reconnect':
          this.set({ kind: 'connected', server: status.server });
          break;
        case 'error':
          lastError = failureReason(status.error);
          if (this.state.kind !== 'connected') this.set({ kind: 'reconnecting', reason: lastError });
          break;
        default:
          break;
      }
    }
    const closed = await this.connection.closed();
    this.set({ kind: 'failed', reason: closed ? failureReason(closed) : 'the connection was closed' });
  }
}

export interface NatsServiceOptions {
  /** Name the connections carry on the server (its monitoring shows it); default `liveobjects`. */
  readonly name?: string;
}

/** The NATS connections of one host process, by server list and credentials. */
export class NatsService {
  private readonly connections = new Map<string, Promise<SharedConnection>>();
  private readonly states = new Map<string, NatsConnectionState>();
  private readonly stateListeners = new Set<(key: string, state: NatsConnectionState) => void>();
  private closed = false;

  constructor(private readonly options: NatsServiceOptions = {}) {}

  /** Every connection's state, by `servers` (and credentials path): for the connection area. */
  connectionStates(): ReadonlyMap<string, NatsConnectionState> {
    return new Map(this.states);
  }

  onConnectionState(listener: (key: string, state: NatsConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async lease(endpoint: NatsEndpoint): Promise<NatsConnectionLease> {
    if (this.closed) throw new Error('the NATS service is closed');
    const servers = parseServers(endpoint.servers);
    const key = endpoint.credentials ? `${servers.join(',')} (${endpoint.credentials})` : servers.join(',');
    let p = this.connections.get(key);
    if (!p) {
      p = this.open(key, servers, endpoint.credentials);
      this.connections.set(key, p);
      p.catch(() => this.connections.delete(key));
    }
    const shared = await p;
    shared.refs++;
    let released = false;
    return {
      servers,
      connection: shared.connection,
      js: shared.js,
      jsm: shared.jsm,
      get state() {
        return shared.state;
      },
      onState: (l) => shared.onState(l),
      claim: (group, what) => {
        const holder = shared.claims.get(group);
        if (holder !== undefined)
          throw new Error(`group ${group} is already used by ${holder} in this process`);
        shared.claims.set(group, what);
        return () => {
          if (shared.claims.get(group) === what) shared.claims.delete(group);
        };
      },
      release: () => {
        if (released) return;
        released = true;
        if (--shared.refs > 0 || this.connections.get(key) !== p) return;
        this.connections.delete(key);
        this.states.delete(key);
        void shared.connection.drain().catch(() => shared.connection.close());
      },
    };
  }

  private setState(key: string, state: NatsConnectionState): void {
    this.states.set(key, state);
    for (const l of [...this.stateListeners]) l(key, state);
  }

  private async open(
    key: string,
    servers: string[],
    credentials: string | undefined,
  ): Promise<SharedConnection> {
    this.setState(key, { kind: 'connecting' });
    try {
      let creds: Uint8Array | undefined;
      if (credentials !== undefined) {
        try {
          creds = readFileSync(credentials);
        } catch (error) {
          throw new Error(`cannot read the NATS credentials file ${credentials}: ${errorText(error)}`);
        }
      }
      let connection: NatsConnection;
      try {
        connection = await connect({
          servers,
          name: this.options.name ?? 'liveobjects',
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          ...(creds ? { authenticator: credsAuthenticator(creds) } : {}),
        });
      } catch (error) {
        throw new Error(`cannot connect to NATS at ${servers.join(', ')}: ${failureReason(error)}`, {
          cause: error,
        });
      }
      const shared = new SharedConnection(
        servers,
        connection,
        jetstream(connection),
        await jetstreamManager(connection),
      );
      this.setState(key, shared.state);
      shared.onState((state) => {
        if (this.connections.has(key)) this.setState(key, state);
      });
      return shared;
    } catch (error) {
      this.setState(key, { kind: 'failed', reason: errorText(error) });
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      all.map(async (p) => {
        const shared = await p.catch(() => undefined);
        await shared?.connection.close();
      }),
    );
  }
}
