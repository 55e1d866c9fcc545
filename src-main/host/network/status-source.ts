// The live network status of a host: its parts read from the running engine node, the presence
// names and the membership service, assembled by status.ts, and a change notification that the
// bridge turns into `network` events. Much of what the status shows changes without an event
// (traffic heard, a region switching transport), so the source also looks every `pollMs`; it
// tells listeners only when the status differs, and at most once per `minIntervalMs`, so a busy
// network cannot flood the renderer.
import type {
  MembershipService,
  NetworkInterface,
  LanNetworkStatus,
  NetworkStatus,
  RegionTransport,
} from '../../../src-shared/bridge/network';
import type { WorkspaceStatus } from '../../../src-shared/bridge/workspace';
import type { QsmNode } from '../../engine';
import { HOSTS_GROUP } from '../presence';
import type { PeerSighting, StatusParts } from './status';
import { networkStatus } from './status';

export interface NetworkStatusSource<S extends NetworkStatus = NetworkStatus> {
  status(): S;
  /** Called with each changed status; returns an unsubscribe function. */
  onChange(listener: (status: S) => void): () => void;
}

export interface StatusSourceTiming {
  /** Looks for changes this often while anyone listens (default 1000 ms). */
  readonly pollMs?: number;
  /** At most one notification per this long (default 500 ms); later changes are folded into
   * the next one. */
  readonly minIntervalMs?: number;
}

/** Subscribes `changed` to one thing the status is made of; returns the unsubscribe function. */
export type ChangeSignal = (changed: () => void) => () => void;

/** A NetworkStatusSource over a function that computes the status, told of changes by its
 * signals (and by changed()). */
export class ThrottledStatusSource<
  S extends NetworkStatus = NetworkStatus,
> implements NetworkStatusSource<S> {
  private readonly listeners = new Set<(status: S) => void>();
  private last: string | undefined;
  private lastNotified = -Infinity;
  private trailing: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly pollMs: number;
  private readonly minIntervalMs: number;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly compute: () => S,
    timing: StatusSourceTiming = {},
    signals: readonly ChangeSignal[] = [],
  ) {
    this.pollMs = timing.pollMs ?? 1000;
    this.minIntervalMs = timing.minIntervalMs ?? 500;
    this.unsubscribe = signals.map((signal) => signal(() => this.changed()));
  }

  status(): S {
    return this.compute();
  }

  onChange(listener: (status: S) => void): () => void {
    if (this.closed) return () => undefined;
    if (this.listeners.size === 0) {
      // What listeners are told is relative to what they got from status() just before.
      this.last = JSON.stringify(this.compute());
      this.poller = setInterval(() => this.changed(), this.pollMs);
      this.poller.unref();
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimers();
    };
  }

  /** Something the status is made of changed: listeners hear of it if the status did. */
  changed(): void {
    if (this.closed || this.listeners.size === 0 || this.trailing) return;
    const wait = this.lastNotified + this.minIntervalMs - performance.now();
    if (wait > 0) {
      this.trailing = setTimeout(() => {
        this.trailing = undefined;
        this.changed();
      }, wait);
      this.trailing.unref();
      return;
    }
    const status = this.compute();
    const text = JSON.stringify(status);
    if (text === this.last) return;
    this.last = text;
    this.lastNotified = performance.now();
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch {
        // One session's failure must not keep the others uninformed.
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    this.listeners.clear();
    this.stopTimers();
  }

  private stopTimers(): void {
    clearInterval(this.poller);
    clearTimeout(this.trailing);
    this.poller = undefined;
    this.trailing = undefined;
  }
}

/** What a running host reads its status from. */
export interface LiveNetwork {
  readonly node: QsmNode;
  interface(): NetworkInterface;
  membership(): MembershipService;
  /** The user name a peer announced (host/presence.ts). */
  nameOf(id: string): string;
  /** The host's workspace (its name is shown with the status). */
  workspace?(): WorkspaceStatus;
  /** See StatusParts.silentAfterMs. */
  readonly silentAfterMs?: number;
  /** See StatusParts.bridge. */
  readonly bridge?: readonly string[];
}

/** A reader of StatusParts from the live node. It remembers when each peer appeared, so call
 * the same reader every time. */
export function liveStatusParts(live: LiveNetwork): () => StatusParts {
  const since = new Map<string, number>();
  return () => {
    const now = performance.now();
    const { node } = live;
    const members = node.view?.groups.find((g) => g.group === HOSTS_GROUP)?.members ?? [];
    const peers: PeerSighting[] = [];
    const present = new Set<string>();
    for (const id of members) {
      if (id === node.id) continue;
      present.add(id);
      let at = since.get(id);
      if (at === undefined) since.set(id, (at = now));
      const info = node.lookup(id);
      peers.push({
        id,
        name: live.nameOf(id),
        address: info ? `${info.host}:${info.port}` : (id.split('/')[0] ?? id),
        since: at,
        heardAt: node.lastHeard(id),
      });
    }
    for (const id of since.keys()) if (!present.has(id)) since.delete(id);
    return {
      ...(live.workspace && { workspace: live.workspace() }),
      interface: live.interface(),
      membership: live.membership(),
      ...engineTransport(node),
      peers,
      now,
      unicastByChoice: node.tun.fanout,
      ...(live.silentAfterMs !== undefined && { silentAfterMs: live.silentAfterMs }),
      ...(live.bridge && { bridge: live.bridge }),
    };
  };
}

/** How the traffic of each region of this node goes, from the engine's report: a region is on
 * unicast fan-out where this node sends to it so (its multicast does not reach a member), and
 * this node's own region also where a member's multicast does not arrive here (that member
 * then sends to this node by unicast). */
export function engineTransport(
  node: QsmNode,
): Pick<StatusParts, 'regions' | 'multicastNotReaching' | 'multicastNotArriving'> {
  const stats = node.stats();
  const own = stats.recovery.region?.region;
  const notArriving = stats.multicastUnheardFrom;
  const notReaching = new Set<string>();
  const regions = stats.regions.map((r): RegionTransport => {
    for (const id of r.unheardBy) notReaching.add(id);
    const unicast = r.transport === 'unicast' || (r.region === own && notArriving.length > 0);
    return { region: r.region, transport: unicast ? 'unicast' : 'multicast', members: r.members };
  });
  return { regions, multicastNotReaching: [...notReaching], multicastNotArriving: [...notArriving] };
}

/** The live status of a running host: changes of the node's views and of the names are passed
 * on at once (throttled), the rest is found by polling. Close it with the host. */
export function hostNetworkStatus(
  live: LiveNetwork,
  signals: readonly ChangeSignal[] = [],
  timing: StatusSourceTiming = {},
): ThrottledStatusSource<LanNetworkStatus> {
  const read = liveStatusParts(live);
  return new ThrottledStatusSource(() => networkStatus(read()), timing, [
    (changed) => live.node.onView(changed),
    ...signals,
  ]);
}
