// The centralized Global Membership Service (qsm-protocol.md "GMS", D4392–4416). Nodes
// register over TCP, join and leave groups and heartbeat; the GMS batches those changes and
// failures, installs a new epoch of group views, region views and group → region mapping, and
// sends every node incremental updates of what concerns it.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { NodeId, NodeInfo } from '../membership';
import { FramedConnection } from './connection';
import { exclusionRefusal, type ExcludeMessage } from './exclusion';
import { MAX_GROUPS_PER_NODE, PROTOCOL_VERSION, parseClientMessage } from './protocol';
import type { ClientMessage, GmsStats, ServerMessage } from './protocol';
import type { MulticastRange } from './regions';
import { defaultMulticastRange, parseMulticastRange } from './regions';
import { ViewBook } from './views';
import type { InstallSummary } from './views';

export interface GmsServerOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (an ephemeral port; `start` tells which). */
  readonly port?: number;
  /** How often the GMS heartbeats each node (nodes heartbeat on their own schedule). */
  readonly heartbeatMs?: number;
  /** A node silent for this long is declared failed and removed. */
  readonly suspectMs?: number;
  /** Changes are collected for this long before one epoch installs them all. */
  readonly batchMs?: number;
  readonly multicast?: MulticastRange;
  /** Largest frame a node may send; a bigger length prefix closes its connection. */
  readonly maxFrameBytes?: number;
  /** A node whose unsent updates exceed this is disconnected (it re-registers for a snapshot). */
  readonly maxPendingBytes?: number;
  readonly maxConnections?: number;
  /** A restarted GMS (its first registrant reports an earlier epoch) waits this long for the
   * other survivors to re-register before installing views, so that live members are not
   * briefly excluded (messages sent in such a partial view never reach them). */
  readonly restartGraceMs?: number;
  readonly log?: (line: string) => void;
  /** Registrations and frames not authenticated under this key are refused (StartNodeOptions.packetKey). */
  readonly packetKey?: Uint8Array;
}

/** How long an excluded member's connection stays open for the error telling it why. */
const EXCLUDED_GRACE_MS = 1000;

export const gmsDefaults = {
  heartbeatMs: 500,
  suspectMs: 5000,
  batchMs: 100,
  maxFrameBytes: 1 << 20,
  maxPendingBytes: 32 << 20,
  maxConnections: 10_000,
  restartGraceMs: 2000,
} as const;

/** What concerns one connected node, and what it has been told so far. */
interface Session {
  readonly connection: FramedConnection;
  node: NodeInfo | undefined;
  lastHeard: number;
  needsSnapshot: boolean;
  readonly sentGroups: Map<string, number>;
  readonly sentRegions: Map<string, number>;
}

export class GmsServer {
  private readonly options: Required<Omit<GmsServerOptions, 'log' | 'packetKey'>>;
  private readonly log: (line: string) => void;
  private readonly book: ViewBook;
  private readonly sessions = new Set<Session>();
  private readonly byNode = new Map<NodeId, Session>();
  private readonly epochListeners = new Set<(summary: InstallSummary) => void>();
  private server: Server | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastCheck = 0;
  /** Highest epoch any node reported seeing: a restarted GMS must number above it. */
  private epochFloor = 0;
  private epochsInstalled = 0;
  /** Until when installs wait for survivors of a previous GMS to re-register (0: no wait). */
  private graceUntil = 0;
  private malformedFrames = 0;
  private exclusionCount = 0;

  constructor(options: GmsServerOptions = {}) {
    this.options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      heartbeatMs: options.heartbeatMs ?? gmsDefaults.heartbeatMs,
      suspectMs: options.suspectMs ?? gmsDefaults.suspectMs,
      batchMs: options.batchMs ?? gmsDefaults.batchMs,
      multicast: options.multicast ?? defaultMulticastRange,
      maxFrameBytes: options.maxFrameBytes ?? gmsDefaults.maxFrameBytes,
      maxPendingBytes: options.maxPendingBytes ?? gmsDefaults.maxPendingBytes,
      restartGraceMs: options.restartGraceMs ?? gmsDefaults.restartGraceMs,
      maxConnections: options.maxConnections ?? gmsDefaults.maxConnections,
    };
    const { heartbeatMs, suspectMs, batchMs } = this.options;
    for (const [name, value] of Object.entries({ heartbeatMs, suspectMs, batchMs })) {
      if (!(Number.isFinite(value) && value > 0)) throw new Error(`GmsServer: ${name} must be positive`);
    }
    if (suspectMs <= heartbeatMs) throw new Error('GmsServer: suspectMs must exceed heartbeatMs');
    parseMulticastRange(this.options.multicast);
    this.log = options.log ?? (() => undefined);
    this.book = new ViewBook(this.options.multicast);
  }

  /** Listens; resolves with the bound address (the port is real even if 0 was asked). */
  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('GmsServer already started');
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    server.on('error', (error) => this.log(`gms: server error: ${error.message}`));
    this.lastCheck = Date.now();
    this.heartbeatTimer = setInterval(() => this.tick(), this.options.heartbeatMs);
    return this.address;
  }

  get address(): { host: string; port: number } {
    const bound = this.server?.address();
    if (!bound || typeof bound === 'string') throw new Error('GmsServer is not listening');
    return { host: bound.address, port: bound.port };
  }

  async close(): Promise<void> {
    clearTimeout(this.batchTimer);
    clearInterval(this.heartbeatTimer);
    this.batchTimer = this.heartbeatTimer = undefined;
    for (const session of this.sessions) session.connection.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stats(): GmsStats {
    return {
      nodes: this.byNode.size,
      groups: this.book.groupCount,
      regions: this.book.regionCount,
      connections: this.sessions.size,
      epoch: this.book.epoch,
      epochsInstalled: this.epochsInstalled,
      malformedFrames: this.malformedFrames,
    };
  }

  /** Members removed because another member reported them holding back stability. */
  get exclusions(): number {
    return this.exclusionCount;
  }

  /** Called after each installed epoch; returns an unsubscribe function. */
  onEpoch(listener: (summary: InstallSummary) => void): () => void {
    this.epochListeners.add(listener);
    return () => this.epochListeners.delete(listener);
  }

  private accept(socket: Socket): void {
    const session: Session = {
      connection: new FramedConnection(socket, this.options.maxFrameBytes, {
        message: (value) => this.receive(session, value),
        malformed: (reason, fatal) => this.malformed(session, reason, fatal),
        closed: () => this.disconnected(session),
      }),
      node: undefined,
      lastHeard: Date.now(),
      needsSnapshot: true,
      sentGroups: new Map(),
      sentRegions: new Map(),
    };
    this.sessions.add(session);
  }

  private malformed(session: Session, reason: string, fatal: boolean): void {
    this.malformedFrames++;
    const who = session.node?.id ?? this.peer(session);
    this.log(`gms: malformed frame from ${who}: ${reason}${fatal ? ' (connection closed)' : ''}`);
  }

  private peer(session: Session): string {
    const { remoteAddress, remotePort } = session.connection.socket;
    return `${remoteAddress ?? '?'}:${remotePort ?? '?'}`;
  }

  private send(session: Session, message: ServerMessage): void {
    session.connection.send(message);
    if (session.connection.pendingBytes > this.options.maxPendingBytes) {
      this.log(`gms: ${session.node?.id ?? this.peer(session)} is not reading its updates; disconnecting`);
      session.connection.close();
    }
  }

  private receive(session: Session, value: unknown): void {
    const message = parseClientMessage(value);
    if (!message) return this.malformed(session, 'not a valid GMS message', false);
    session.lastHeard = Date.now();
    switch (message.t) {
      case 'register':
        return this.register(session, message);
      case 'ping':
        return this.send(session, { t: 'pong', v: PROTOCOL_VERSION, epoch: this.book.epoch });
      case 'stats':
        return this.send(session, { t: 'stats', stats: this.stats() });
      case 'heartbeat':
        return;
      case 'join':
      case 'leave': {
        const node = session.node;
        if (!node) return this.malformed(session, `${message.t} before register`, false);
        if (message.t === 'join' && this.book.groupCountOf(node.id) >= MAX_GROUPS_PER_NODE) {
          return this.malformed(session, `more than ${MAX_GROUPS_PER_NODE} groups`, false);
        }
        const changed =
          message.t === 'join'
            ? this.book.join(node.id, message.group)
            : this.book.leave(node.id, message.group);
        if (changed) this.changed();
        return;
      }
      case 'exclude':
        return this.exclude(session, message);
    }
  }

  /** A member reports another holding back stability (exclusion.ts): removed like a silent
   * member, its connection closed; a live one re-registers and catches up. */
  private exclude(from: Session, message: ExcludeMessage): void {
    const reporter = from.node;
    if (!reporter) return this.malformed(from, 'exclude before register', false);
    const suspect = this.byNode.get(message.node);
    const refusal = suspect
      ? exclusionRefusal(reporter.id, message, this.book.relevantTo(reporter.id).regions)
      : `${message.node} is not registered`;
    if (!suspect || refusal) {
      this.log(`gms: ${reporter.id} asked to exclude ${message.node}; refused: ${refusal}`);
      return;
    }
    this.exclusionCount++;
    const what = `${reporter.id} reports ${message.node} holding back stability in region ${message.region} (${message.reason})`;
    this.log(`gms: ${what}; excluding it`);
    // Removed now, as if its connection had closed; told why first, so that a live member's
    // log says it (it then re-registers, as after any lost connection).
    this.send(suspect, { t: 'error', message: `excluded: ${what}` });
    this.disconnected(suspect);
    suspect.node = undefined;
    suspect.connection.socket.end();
    setTimeout(() => suspect.connection.close(), EXCLUDED_GRACE_MS).unref();
  }

  private register(session: Session, message: Extract<ClientMessage, { t: 'register' }>): void {
    if (message.v !== PROTOCOL_VERSION) {
      this.send(session, { t: 'error', message: `unsupported GMS protocol version ${message.v}` });
      session.connection.socket.end();
      return;
    }
    if (session.node && session.node.id !== message.node.id) {
      return this.malformed(session, 'register as a different node on one connection', false);
    }
    const previous = this.byNode.get(message.node.id);
    if (previous && previous !== session) {
      // The node reconnected before its old connection was noticed dead: the new one wins.
      previous.node = undefined;
      previous.connection.close();
    }
    session.node = message.node;
    session.needsSnapshot = true;
    this.byNode.set(message.node.id, session);
    if (message.lastEpoch > 0 && this.epochsInstalled === 0 && this.graceUntil === 0) {
      this.graceUntil = Date.now() + this.options.restartGraceMs;
      this.log(
        `gms: nodes of an earlier GMS are back; installing views in ${this.options.restartGraceMs} ms`,
      );
    }
    this.epochFloor = Math.max(this.epochFloor, message.lastEpoch);
    this.book.setNode(message.node, message.groups);
    this.log(`gms: ${message.node.id} registered with ${message.groups.length} group(s)`);
    this.send(session, {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      heartbeatMs: this.options.heartbeatMs,
      suspectMs: this.options.suspectMs,
    });
    // Even with no view change the node needs its snapshot, which goes out with an install.
    this.changed();
  }

  private disconnected(session: Session): void {
    this.sessions.delete(session);
    const node = session.node;
    if (!node || this.byNode.get(node.id) !== session) return;
    this.byNode.delete(node.id);
    this.book.removeNode(node.id);
    this.log(`gms: ${node.id} disconnected`);
    this.changed();
  }

  private tick(): void {
    const now = Date.now();
    const late = now - this.lastCheck;
    this.lastCheck = now;
    // If the GMS itself was stalled (stopped, swapped), everyone looks silent; forgive them.
    const stalled = late > Math.max(2 * this.options.heartbeatMs, this.options.suspectMs / 2);
    for (const session of this.sessions) {
      if (stalled) session.lastHeard = now;
      if (now - session.lastHeard > this.options.suspectMs) {
        this.log(
          `gms: ${session.node?.id ?? this.peer(session)} silent for ${now - session.lastHeard} ms; removing`,
        );
        session.connection.close();
      } else if (session.node) {
        this.send(session, { t: 'heartbeat' });
      }
    }
  }

  private changed(): void {
    if (this.batchTimer || !this.server) return;
    const delay = Math.max(this.options.batchMs, this.graceUntil - Date.now());
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.install();
    }, delay);
  }

  private install(): void {
    // Wall-clock seeded so that a restarted GMS (which remembers nothing) still numbers above
    // its predecessor; at most one install per batch period keeps epochs from outrunning it.
    const epoch = Math.max(this.book.epoch + 1, this.epochFloor + 1, Date.now());
    const summary = this.book.install(epoch);
    this.epochsInstalled++;
    for (const session of this.byNode.values()) this.update(session);
    for (const listener of this.epochListeners) {
      try {
        listener(summary);
      } catch (error) {
        this.log(`gms: epoch listener failed: ${String(error)}`);
      }
    }
  }

  /** Sends `session` a snapshot or a delta of what concerns it, if anything changed. */
  private update(session: Session): void {
    const node = session.node;
    if (!node) return;
    const { groups, regions } = this.book.relevantTo(node.id);
    const epoch = this.book.epoch;
    if (session.needsSnapshot) {
      session.needsSnapshot = false;
      session.sentGroups.clear();
      session.sentRegions.clear();
      for (const g of groups) session.sentGroups.set(g.group, g.viewId);
      for (const r of regions) session.sentRegions.set(r.region, r.viewId);
      return this.send(session, { t: 'snapshot', epoch, groups, regions });
    }
    const changedGroups = groups.filter((g) => session.sentGroups.get(g.group) !== g.viewId);
    const changedRegions = regions.filter((r) => session.sentRegions.get(r.region) !== r.viewId);
    const removedGroups = without(session.sentGroups, new Set(groups.map((g) => g.group)));
    const removedRegions = without(session.sentRegions, new Set(regions.map((r) => r.region)));
    if (changedGroups.length + changedRegions.length + removedGroups.length + removedRegions.length === 0)
      return;
    for (const g of changedGroups) session.sentGroups.set(g.group, g.viewId);
    for (const r of changedRegions) session.sentRegions.set(r.region, r.viewId);
    this.send(session, {
      t: 'delta',
      epoch,
      groups: changedGroups,
      regions: changedRegions,
      removedGroups,
      removedRegions,
    });
  }
}

/** Deletes from `sent` every key not in `keep`; returns the deleted keys. */
function without(sent: Map<string, number>, keep: ReadonlySet<string>): string[] {
  const removed = [...sent.keys()].filter((k) => !keep.has(k));
  for (const k of removed) sent.delete(k);
  return removed;
}
