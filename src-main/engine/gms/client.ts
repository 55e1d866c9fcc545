// A node's connection to the GMS: registers, replays its groups, heartbeats, and turns the
// GMS's snapshots and deltas into MembershipStates. When the GMS goes away the last state is
// kept (members keep delivering in their current views) while the client reconnects, to the
// same GMS or, after `retarget`, to another one (a successor, or the winner of a merge).
import { connect } from 'node:net';
import type {
  GroupView,
  MembershipSource,
  MembershipState,
  NodeInfo,
  RegionView,
  StallReport,
} from '../membership';
import { FramedConnection } from './connection';
import { excludeMessage } from './exclusion';
import { loopbackMismatch } from './failover';
import { PROTOCOL_VERSION, isName, parseServerMessage } from './protocol';
import type { ClientMessage, ServerMessage } from './protocol';
import { compareStrings } from './regions';
import { ViewInterner } from './view-interner';

export interface GmsClientOptions {
  readonly gms: { readonly host: string; readonly port: number };
  readonly self: NodeInfo;
  /** Default 500 ms; must be well below the GMS's suspect timeout. */
  readonly heartbeatIntervalMs?: number;
  /** First retry delay after losing the GMS; doubles up to maxReconnectDelayMs. Default 250 ms. */
  readonly reconnectDelayMs?: number;
  /** Default 5000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** How long `start` waits for the first state before rejecting. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** A GMS silent this long is presumed gone; default: the suspect timeout it announces. */
  readonly silenceTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  readonly log?: (line: string) => void;
  /** Authenticates the frames to and from the GMS (StartNodeOptions.packetKey). */
  readonly packetKey?: Uint8Array;
}

export interface GmsAddress {
  readonly host: string;
  readonly port: number;
}

/** A change of the client's connection: registered and synced with `gms`, or not (why). */
export interface GmsConnection {
  /** True once the GMS at `gms` accepted the registration and sent its first snapshot. */
  readonly connected: boolean;
  readonly gms: GmsAddress;
  /** While not connected: what went wrong last. */
  readonly error?: string;
}

export interface GmsClientStats {
  readonly connected: boolean;
  readonly registrations: number;
  readonly statesReceived: number;
  readonly malformedFrames: number;
}

type Listener = (state: MembershipState) => void;
type ConnectionListener = (connection: GmsConnection) => void;

export class GmsClient implements MembershipSource {
  readonly self: NodeInfo;
  private readonly groups = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private gms: GmsAddress;
  private readonly groupViews = new Map<string, GroupView>();
  private readonly regionViews = new Map<string, RegionView>();
  /** Views share names and lists (see ViewInterner); restarted when it outgrows the views. */
  private readonly interner = new ViewInterner();
  private state: MembershipState | undefined;
  private connection: FramedConnection | undefined;
  /** A snapshot arrived on the current connection, so deltas may be applied. */
  private synced = false;
  private registered = false;
  private lastHeard = 0;
  private lastTick = 0;
  private announcedSuspectMs: number | undefined;
  private attempt = 0;
  private lastError = 'no answer';
  private isClosed = false;
  private started = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private firstState: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private registrations = 0;
  private statesReceived = 0;
  private malformedFrames = 0;

  constructor(private readonly options: GmsClientOptions) {
    this.self = options.self;
    this.gms = { host: options.gms.host, port: options.gms.port };
    const mismatch = loopbackMismatch(this.self, this.gms);
    if (mismatch) throw new Error(mismatch);
  }

  /** The GMS this client registers with (the last one `retarget` named). */
  get target(): GmsAddress {
    return this.gms;
  }

  /**
   * Switches to the GMS at `gms` now: drops the current connection and registers there with
   * every joined group and the last epoch seen. The last state is kept until the new GMS sends
   * a newer one (its epochs number above it; an older epoch is never accepted).
   */
  retarget(gms: GmsAddress): void {
    const mismatch = loopbackMismatch(this.self, gms);
    if (mismatch) throw new Error(mismatch);
    if (this.isClosed) return;
    const previous = this.connection;
    this.gms = { host: gms.host, port: gms.port };
    this.connection = undefined;
    this.synced = this.registered = false;
    this.attempt = 0;
    this.lastError = 'no answer';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    previous?.close();
    this.log(`gms client: moving to the GMS at ${gms.host}:${gms.port}`);
    if (this.started) this.connect();
  }

  /** Called when the client becomes connected (registered and synced) or loses or fails a
   * connection; returns an unsubscribe function. */
  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Resolves once registered and the first state arrived; rejects if no GMS answers in time. */
  start(): Promise<void> {
    if (this.started) return Promise.reject(new Error('GmsClient already started'));
    this.started = true;
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.firstState = undefined;
        void this.close();
        const { host, port } = this.gms;
        reject(new Error(`GMS at ${host}:${port} did not answer within ${timeoutMs} ms (${this.lastError})`));
      }, timeoutMs);
      this.firstState = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.connect();
    });
  }

  get current(): MembershipState | undefined {
    return this.state;
  }

  get stats(): GmsClientStats {
    return {
      connected: this.synced && this.connection !== undefined,
      registrations: this.registrations,
      statesReceived: this.statesReceived,
      malformedFrames: this.malformedFrames,
    };
  }

  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  join(group: string): void {
    this.change('join', group);
  }

  leave(group: string): void {
    this.change('leave', group);
  }

  /** Asks the GMS to exclude a member found holding back stability (exclusion.ts). Not
   * queued while disconnected: the detector reports again if the member is still there. */
  exclude(report: StallReport): void {
    if (this.registered) this.send(excludeMessage(report));
  }

  async close(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    this.connection?.close();
    this.connection = undefined;
    this.firstState?.reject(new Error('GmsClient closed before the first state arrived'));
    this.firstState = undefined;
  }

  private change(kind: 'join' | 'leave', group: string): void {
    if (!isName(group)) throw new Error(`invalid group name ${JSON.stringify(group)}`);
    if (kind === 'join' ? this.groups.has(group) : !this.groups.has(group)) return;
    if (kind === 'join') this.groups.add(group);
    else this.groups.delete(group);
    // Otherwise the change rides on the next registration, which lists all our groups.
    if (this.registered) this.send({ t: kind, group });
  }

  private send(message: ClientMessage): void {
    this.connection?.send(message);
  }

  private connect(): void {
    if (this.isClosed) return;
    const { host, port } = this.gms;
    const socket = connect({ host, port });
    const connection = new FramedConnection(socket, this.options.maxFrameBytes ?? 64 << 20, {
      message: (value) => this.receive(connection, value),
      malformed: (reason) => {
        this.malformedFrames++;
        this.log(`gms client: malformed frame from GMS: ${reason}`);
      },
      closed: () => this.lost(connection),
    });
    this.connection = connection;
    // An unreachable host may swallow SYNs for minutes: give each attempt a bounded time.
    const attemptTimer = setTimeout(() => {
      this.lastError = 'connect attempt timed out';
      connection.close();
    }, this.options.connectTimeoutMs ?? 5000);
    socket.once('error', (error) => {
      this.lastError = error.message;
    });
    socket.once('close', () => clearTimeout(attemptTimer));
    socket.once('connect', () => {
      clearTimeout(attemptTimer);
      if (this.connection !== connection) return;
      // Stays the reason unless an error, a timeout or silence says otherwise.
      this.lastError = 'the GMS closed the connection';
      this.lastHeard = this.lastTick = Date.now();
      this.registered = true;
      this.registrations++;
      this.send({
        t: 'register',
        v: PROTOCOL_VERSION,
        node: { id: this.self.id, host: this.self.host, port: this.self.port },
        groups: [...this.groups].sort(compareStrings),
        lastEpoch: this.state?.epoch ?? 0,
      });
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => this.tick(), this.options.heartbeatIntervalMs ?? 500);
    });
  }

  private lost(connection: FramedConnection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.synced = this.registered = false;
    clearInterval(this.heartbeatTimer);
    if (this.isClosed) return;
    this.notifyConnection({ connected: false, gms: this.gms, error: this.lastError });
    const base = this.options.reconnectDelayMs ?? 250;
    const max = this.options.maxReconnectDelayMs ?? 5000;
    // Jitter spreads the reconnects of many nodes after a GMS restart.
    const delay = Math.min(max, base * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
    this.attempt = Math.min(this.attempt + 1, 20);
    if (this.state)
      this.log(`gms client: lost the GMS (${this.lastError}); retrying in ${Math.round(delay)} ms`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private tick(): void {
    const now = Date.now();
    const late = now - this.lastTick;
    this.lastTick = now;
    const interval = this.options.heartbeatIntervalMs ?? 500;
    const silenceMs = this.options.silenceTimeoutMs ?? this.announcedSuspectMs ?? 5000;
    // After our own stall (SIGSTOP, swap) the GMS's heartbeats may still be unread in the socket.
    if (late > Math.max(2 * interval, silenceMs / 2)) this.lastHeard = now;
    if (now - this.lastHeard > silenceMs) {
      this.lastError = `GMS silent for ${now - this.lastHeard} ms`;
      this.connection?.close();
      return;
    }
    this.send({ t: 'heartbeat' });
  }

  private receive(connection: FramedConnection, value: unknown): void {
    if (this.connection !== connection) return;
    const message = parseServerMessage(value);
    if (!message) {
      this.malformedFrames++;
      this.log('gms client: dropped an invalid message from the GMS');
      return;
    }
    this.lastHeard = Date.now();
    switch (message.t) {
      case 'welcome':
        this.announcedSuspectMs = message.suspectMs;
        return;
      case 'snapshot':
      case 'delta':
        return this.apply(message);
      case 'error':
        this.lastError = `GMS error: ${message.message}`;
        this.log(`gms client: ${this.lastError}`);
        connection.close();
        return;
      default:
        return;
    }
  }

  private apply(message: Extract<ServerMessage, { t: 'snapshot' | 'delta' }>): void {
    if (message.t === 'delta' && !this.synced) {
      this.malformedFrames++;
      return this.log('gms client: delta before snapshot; dropped');
    }
    // Receivers compare epochs and view ids: never go back, even if a GMS misbehaves.
    if (this.state && message.epoch <= this.state.epoch) {
      this.log(`gms client: stale epoch ${message.epoch} <= ${this.state.epoch}; dropped`);
      // Re-registering reports our epoch, which the GMS then numbers above.
      if (message.t === 'snapshot') this.connection?.close();
      return;
    }
    const interner = this.interner;
    if (
      message.t === 'snapshot' ||
      interner.size > 4 * (this.groupViews.size + this.regionViews.size) + 1024
    ) {
      interner.clear();
    }
    if (message.t === 'snapshot') {
      this.groupViews.clear();
      this.regionViews.clear();
      this.synced = true;
      this.attempt = 0;
    } else {
      for (const g of message.removedGroups) this.groupViews.delete(g);
      for (const r of message.removedRegions) this.regionViews.delete(r);
    }
    for (const g of message.groups) {
      const v = interner.group(g);
      this.groupViews.set(v.group, v);
    }
    for (const r of message.regions) {
      const v = interner.region(r);
      this.regionViews.set(v.region, v);
    }
    this.state = {
      epoch: message.epoch,
      self: this.self,
      groups: [...this.groupViews.values()].sort((a, b) => compareStrings(a.group, b.group)),
      regions: [...this.regionViews.values()].sort((a, b) => compareStrings(a.region, b.region)),
    };
    this.statesReceived++;
    if (message.t === 'snapshot') this.notifyConnection({ connected: true, gms: this.gms });
    this.firstState?.resolve();
    this.firstState = undefined;
    for (const listener of this.listeners) {
      try {
        listener(this.state);
      } catch (error) {
        this.log(`gms client: state listener failed: ${String(error)}`);
      }
    }
  }

  private notifyConnection(connection: GmsConnection): void {
    for (const listener of [...this.connectionListeners]) {
      try {
        listener(connection);
      } catch (error) {
        this.log(`gms client: connection listener failed: ${String(error)}`);
      }
    }
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
