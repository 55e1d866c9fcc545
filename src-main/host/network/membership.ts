// Which membership service (GMS) the host uses, and keeping one (docs/network.md):
// - given (--gms, registry.json): used as it is; an embedded GMS is started there only when
//   the address is this machine's and nobody answers; no discovery, no takeover;
// - otherwise found by DNS-SD on the chosen interface; none within ~2 s → this host serves
//   one on its interface address and advertises it;
// - two live services seen at once → everybody moves to `preferredService`, and the loser
//   stops serving once its members have moved;
// - the host serving it quits or crashes → every survivor computes the same successor from
//   the last view of the hosts group without the node that served it; the successor serves
//   and advertises, the others move to it (at once to its address, and to whatever DNS-SD
//   shows); a successor that does not appear within `successorWaitMs` is passed over.
import { networkInterfaces } from 'node:os';
import type { MembershipService } from '../../../src-shared/bridge/network';
import type { NodeId } from '../../engine';
import {
  GmsServer,
  isLoopbackHost,
  preferredService,
  probeGms,
  startEmbeddedGms,
  successorOf,
} from '../../engine/gms';
import type { EmbeddedGms, GmsAddress, GmsConnection, GmsServerOptions } from '../../engine/gms';
import { errorText } from '../../../src-shared/util/error-text';
import { Discovery, SERVICE_TYPE } from './discovery';

/** The port a host serving the membership service tries first (then the next ones). */
export const GMS_PORT = 7070;
const PORTS_TRIED = 20;

export type MembershipMode =
  | {
      readonly kind: 'given';
      readonly gms: GmsAddress;
      readonly foundBy: 'option' | 'registry';
      /** Start one at `gms` when it is this machine's address and nobody answers there. */
      readonly embedded: boolean;
    }
  | {
      readonly kind: 'discover';
      /** Serve one when none is found (default true). */
      readonly serve?: boolean;
    };

/** Timings and ports; the defaults are the product's, tests shorten them. */
export interface MembershipTunables {
  /** mDNS port (default 5353). */
  readonly mdnsPort?: number;
  /** Where a serving host listens first (default 7070; the next free one if taken). */
  readonly gmsPort?: number;
  /** How long DNS-SD is given for a first answer (default 2000 ms). */
  readonly firstAnswerMs?: number;
  /** A successor not answering after this long is passed over (default 3000 ms). */
  readonly successorWaitMs?: number;
  /** A merge's loser stops serving at the latest this long after it lost (default 5000 ms). */
  readonly loserGraceMs?: number;
  /** How long a probe of a membership service may take (default 500 ms). */
  readonly probeTimeoutMs?: number;
  /** Options of the GMS this host serves (heartbeats, restartGraceMs…). */
  readonly server?: Omit<GmsServerOptions, 'host' | 'port' | 'log'>;
  /** DNS-SD re-query period (default 10 s). */
  readonly requeryMs?: number;
}

export interface MembershipOptions extends MembershipTunables {
  readonly mode: MembershipMode;
  /** The chosen interface's address: served, advertised and discovered there. */
  readonly address: string;
  /** The id of the host's workspace: DNS-SD finds and advertises only its services. The key
   * the served GMS requires is `server.packetKey`. */
  readonly workspace?: string;
  readonly log?: (line: string) => void;
}

/** The host's engine node, as the controller needs it. */
export interface MembershipNode {
  readonly id: NodeId;
  /** Registered and synced with its GMS right now. */
  readonly connected: boolean;
  /** The last view of the hosts group (`liveobjects.hosts`) this node saw. */
  hosts(): readonly NodeId[];
  /** Moves the node (same groups, same objects) to another membership service. */
  retarget(gms: GmsAddress): void;
  onConnection(listener: (connection: GmsConnection) => void): () => void;
}

type FoundBy = MembershipService['foundBy'];

const key = (a: GmsAddress): string => `${a.host}:${a.port}`;
const same = (a: GmsAddress, b: GmsAddress): boolean => a.host === b.host && a.port === b.port;

/** The unicast host of a node id `host:port/incarnation`. */
export function hostOfNode(id: NodeId): string {
  const endpoint = id.split('/')[0] ?? id;
  return endpoint.slice(0, endpoint.lastIndexOf(':'));
}

/** True when `host` is this machine's: loopback, or an address of one of its interfaces. */
export function isLocalAddress(host: string): boolean {
  if (isLoopbackHost(host) || host === '0.0.0.0') return true;
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((e) => e.address === host));
}

/** Listens on `host`, at `port` or the next free one of PORTS_TRIED. */
async function serveOn(
  host: string,
  port: number,
  options: MembershipTunables['server'],
): Promise<GmsServer> {
  let last: unknown;
  for (let p = port; p < port + PORTS_TRIED && p <= 65535; p++) {
    const server = new GmsServer({ ...options, host, port: p });
    try {
      await server.start();
      return server;
    } catch (e) {
      last = e;
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
    }
  }
  throw new Error(
    `cannot serve the membership service on ${host} (ports ${port}–${port + PORTS_TRIED - 1}): ${errorText(last)}`,
    {
      cause: last,
    },
  );
}

export class Membership {
  private target: GmsAddress;
  private foundBy: FoundBy;
  private state: MembershipService['state'] = 'connecting';
  private detail: string | undefined;
  /** The node of the host serving `target`, when known (this host's, or the TXT record's). */
  private servingNode: NodeId | undefined;
  private server: GmsServer | undefined;
  /** Served before a merge moved everyone away; closed once its members are gone. */
  private losing = new Set<GmsServer>();
  private node: MembershipNode | undefined;
  private connectedToTarget = false;
  /** While the membership service is gone: the nodes passed over so far. */
  private takeover: { gone: Set<NodeId>; timer?: NodeJS.Timeout } | undefined;
  private evaluating: Promise<void> | undefined;
  private evaluateAgain = false;
  private readonly listeners = new Set<(status: MembershipService) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** When the service in use was lost, until connected to another (or the same) again. */
  private lostAt: number | undefined;
  private gapMs: number | undefined;
  private reported = '';

  private readonly discovery: Discovery | undefined;
  private readonly embedded: EmbeddedGms | undefined;
  /** What the served GMS requires; the services this host probes are its workspace's. */
  private get packetKey(): Uint8Array | undefined {
    return this.options.server?.packetKey;
  }

  private constructor(
    private readonly options: MembershipOptions,
    start: {
      readonly target: GmsAddress;
      readonly foundBy: FoundBy;
      readonly discovery?: Discovery;
      readonly embedded?: EmbeddedGms;
      readonly server?: GmsServer;
      readonly servingNode?: NodeId;
    },
  ) {
    this.target = start.target;
    this.foundBy = start.foundBy;
    this.discovery = start.discovery;
    this.embedded = start.embedded;
    this.server = start.server ?? start.embedded?.server;
    this.servingNode = start.servingNode;
  }

  /** Decides the membership service: the given one, or one found on the LAN, or serves one. */
  static async start(options: MembershipOptions): Promise<Membership> {
    const log = options.log ?? (() => undefined);
    const { mode } = options;
    if (mode.kind === 'given') {
      let embedded: EmbeddedGms | undefined;
      if (mode.embedded && isLocalAddress(mode.gms.host)) {
        try {
          embedded = await startEmbeddedGms({ ...options.server, host: mode.gms.host, port: mode.gms.port });
        } catch (e) {
          throw new Error(
            `no membership service at ${key(mode.gms)}, and none could be started there: ${errorText(e)}`,
            { cause: e },
          );
        }
      }
      return new Membership(options, {
        target: mode.gms,
        foundBy: mode.foundBy,
        ...(embedded && { embedded }),
      });
    }
    const discovery = new Discovery({
      address: options.address,
      ...(options.workspace !== undefined && { workspace: options.workspace }),
      ...(options.mdnsPort !== undefined && { port: options.mdnsPort }),
      ...(options.requeryMs !== undefined && { requeryMs: options.requeryMs }),
      log,
    });
    try {
      const answers = await discovery.firstAnswer(options.firstAnswerMs ?? 2000);
      const found = preferredService(
        await liveServices(answers, options.probeTimeoutMs ?? 500, options.server?.packetKey),
      );
      if (found) {
        log(`membership: found ${key(found)} by DNS-SD`);
        return new Membership(options, {
          target: found,
          foundBy: 'dns-sd',
          discovery,
          ...(found.node !== undefined && { servingNode: found.node }),
        });
      }
      if (mode.serve === false) {
        throw new Error(
          `no membership service answered on the LAN (DNS-SD ${SERVICE_TYPE} on ${options.address}) ` +
            'and this host may not serve one; give one with --gms HOST:PORT',
        );
      }
      const server = await serveOn(options.address, options.gmsPort ?? GMS_PORT, options.server);
      log(`membership: none answered; serving ${key(server.address)}`);
      return new Membership(options, { target: server.address, foundBy: 'serving', discovery, server });
    } catch (e) {
      await discovery.close();
      throw e;
    }
  }

  /** Where the membership service this host uses is now. */
  get address(): GmsAddress {
    return this.target;
  }

  get servedHere(): boolean {
    return this.server !== undefined;
  }

  /** The last gap: from losing the service to being connected again (after a takeover). */
  get lastGapMs(): number | undefined {
    return this.gapMs;
  }

  /** The serving GMS, when this host serves the one it uses. */
  get gmsServer(): GmsServer | undefined {
    return this.server;
  }

  status(): MembershipService {
    return {
      address: key(this.target),
      foundBy: this.foundBy,
      servedHere: this.server !== undefined,
      state: this.state,
      ...(this.detail !== undefined && this.state !== 'connected' && { detail: this.detail }),
    };
  }

  onStatus(listener: (status: MembershipService) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts keeping the service for `node` (registered with `address` already). */
  attach(node: MembershipNode): void {
    if (this.node) throw new Error('Membership.attach: a node is attached already');
    this.node = node;
    this.unsubscribe.push(node.onConnection((c) => this.connection(c)));
    if (node.connected) this.connection({ connected: true, gms: this.target });
    if (!this.discovery) return;
    if (this.server) {
      this.servingNode = node.id;
      this.discovery.advertise({ ...this.server.address, node: node.id });
    }
    this.unsubscribe.push(this.discovery.onChange(() => this.evaluate()));
    this.evaluate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe.splice(0)) u();
    for (const t of this.timers) clearTimeout(t);
    clearTimeout(this.takeover?.timer);
    this.listeners.clear();
    await this.discovery?.close();
    for (const s of this.losing) await s.close();
    if (this.embedded) await this.embedded.close();
    else await this.server?.close();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private setStatus(change: {
    state?: MembershipService['state'];
    detail?: string | undefined;
    foundBy?: FoundBy;
  }): void {
    if (change.state !== undefined) this.state = change.state;
    if ('detail' in change) this.detail = change.detail;
    if (change.foundBy !== undefined) this.foundBy = change.foundBy;
    // Compared with what listeners last got: the address may have changed before this call.
    const now = this.status();
    const text = JSON.stringify(now);
    if (text === this.reported) return;
    this.reported = text;
    for (const l of [...this.listeners]) {
      try {
        l(now);
      } catch (e) {
        this.log(`membership: a status listener failed: ${errorText(e)}`);
      }
    }
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private connection(c: GmsConnection): void {
    if (this.closed || !same(c.gms, this.target)) return;
    if (c.connected) {
      this.connectedToTarget = true;
      if (this.takeover) {
        clearTimeout(this.takeover.timer);
        this.takeover = undefined;
      }
      if (this.lostAt !== undefined) {
        this.gapMs = Date.now() - this.lostAt;
        this.log(`membership: connected to ${key(this.target)} ${this.gapMs} ms after losing the service`);
        this.lostAt = undefined;
      }
      this.setStatus({ state: 'connected', detail: undefined });
      return;
    }
    const wasConnected = this.connectedToTarget;
    this.connectedToTarget = false;
    this.setStatus({ state: wasConnected || this.state === 'lost' ? 'lost' : 'connecting', detail: c.error });
    if (wasConnected && this.discovery && !this.takeover) void this.lost();
  }

  /** The service this host used is gone or going: find where everybody goes next. */
  private async lost(): Promise<void> {
    const gone = this.target;
    this.lostAt ??= Date.now();
    const probe = await probeGms(gone.host, gone.port, this.options.probeTimeoutMs ?? 500, this.packetKey);
    if (this.closed || !same(gone, this.target) || this.connectedToTarget) return;
    if (probe.kind === 'gms') return; // still there: the client reconnects by itself
    this.log(`membership: the membership service at ${key(gone)} is gone`);
    this.takeover = { gone: new Set(this.servingNode ? [this.servingNode] : []) };
    if (!this.servingNode) {
      // Unknown server node: pass over the nodes on its address (they are all alike to everyone).
      for (const m of this.node?.hosts() ?? []) if (hostOfNode(m) === gone.host) this.takeover.gone.add(m);
    }
    this.discovery?.refresh();
    // Another live service already advertised (a merge's winner, a successor) is where to go.
    const live = await liveServices(
      (this.discovery?.services ?? []).filter((s) => !same(s, gone)),
      this.options.probeTimeoutMs ?? 500,
      this.packetKey,
    );
    if (this.closed || !this.takeover) return;
    const best = preferredService(live);
    if (best) return this.moveTo(best, best.node, 'took-over');
    this.succeed();
  }

  /** Serves, or moves to the successor's expected address, or passes over a silent successor. */
  private succeed(): void {
    const node = this.node;
    const takeover = this.takeover;
    if (!node || !takeover || this.closed) return;
    const successor = successorOf(node.hosts(), takeover.gone);
    if (successor === undefined || successor === node.id) {
      void this.serve();
      return;
    }
    const expected = { host: hostOfNode(successor), port: this.options.gmsPort ?? GMS_PORT };
    this.log(`membership: ${successor} takes over; moving to ${key(expected)}`);
    this.moveTo(expected, successor, 'took-over');
    this.takeover = takeover;
    takeover.timer = this.later(this.options.successorWaitMs ?? 3000, () => {
      if (this.takeover !== takeover || this.connectedToTarget) return;
      void probeGms(
        this.target.host,
        this.target.port,
        this.options.probeTimeoutMs ?? 500,
        this.packetKey,
      ).then((p) => {
        if (this.takeover !== takeover || this.closed) return;
        // Answering but not yet installed: the successor's restart grace is running.
        if (p.kind === 'gms') {
          takeover.timer = this.later(this.options.successorWaitMs ?? 3000, () =>
            this.passOver(takeover, successor),
          );
          return;
        }
        this.passOver(takeover, successor);
      });
    });
  }

  private passOver(takeover: { gone: Set<NodeId> }, successor: NodeId): void {
    if (this.takeover !== takeover || this.connectedToTarget || this.closed) return;
    this.log(`membership: ${successor} did not take over; passing it over`);
    takeover.gone.add(successor);
    this.succeed();
  }

  private async serve(): Promise<void> {
    const node = this.node;
    if (!node || this.closed) return;
    let server: GmsServer;
    try {
      server = await serveOn(this.options.address, this.options.gmsPort ?? GMS_PORT, this.options.server);
    } catch (e) {
      this.setStatus({ state: 'lost', detail: errorText(e) });
      return;
    }
    if (this.closed) return void server.close();
    this.server = server;
    this.log(`membership: taking over; serving ${key(server.address)}`);
    this.moveTo(server.address, node.id, 'took-over');
    this.discovery?.advertise({ ...server.address, node: node.id });
  }

  /** Retargets the node to `to`. */
  private moveTo(to: GmsAddress, servingNode: NodeId | undefined, foundBy: FoundBy): void {
    const node = this.node;
    if (!node || this.closed) return;
    if (this.takeover) clearTimeout(this.takeover.timer);
    this.takeover = undefined;
    const mine = this.server;
    if (mine && !same(mine.address, to)) {
      // This host served the one it leaves and lost a merge: stop once its members moved.
      this.server = undefined;
      this.retire(mine);
    }
    this.target = { host: to.host, port: to.port };
    this.servingNode = servingNode;
    this.connectedToTarget = false;
    // Also to the same address (a successor on the machine that served): connect now, rather
    // than after the client's back-off.
    try {
      node.retarget(this.target);
    } catch (e) {
      this.setStatus({ state: 'lost', detail: errorText(e), foundBy });
      return;
    }
    this.setStatus({ state: 'connecting', detail: undefined, foundBy });
  }

  /** A served GMS nobody should use any more: withdrawn now, closed when empty or after a grace. */
  private retire(server: GmsServer): void {
    this.losing.add(server);
    void this.discovery?.withdraw();
    const deadline = Date.now() + (this.options.loserGraceMs ?? 5000);
    const check = (): void => {
      if (server.stats().nodes > 0 && Date.now() < deadline) {
        this.later(200, check);
        return;
      }
      this.losing.delete(server);
      this.log(`membership: stopped serving ${key(server.address)} after a merge`);
      void server.close();
    };
    this.later(200, check);
  }

  /** Looks at the advertised services: two live ones → everybody takes the preferred one. */
  private evaluate(): void {
    if (this.evaluating) {
      this.evaluateAgain = true;
      return;
    }
    this.evaluating = this.evaluateOnce().finally(() => {
      this.evaluating = undefined;
      if (this.evaluateAgain && !this.closed) {
        this.evaluateAgain = false;
        this.evaluate();
      }
    });
  }

  private async evaluateOnce(): Promise<void> {
    const discovery = this.discovery;
    if (!discovery || this.closed || !this.node) return;
    const timeoutMs = this.options.probeTimeoutMs ?? 500;
    const target = this.target;
    const others = discovery.services.filter((s) => !same(s, target));
    const [live, targetProbe] = await Promise.all([
      liveServices(others, timeoutMs, this.packetKey),
      this.server ? undefined : probeGms(target.host, target.port, timeoutMs, this.packetKey),
    ]);
    if (this.closed || !same(target, this.target)) return;
    const best = preferredService<GmsAddress & { node?: NodeId }>(live);
    if (!best) return;
    const targetLive = this.server !== undefined || targetProbe?.kind === 'gms';
    if (targetLive && preferredService([best, target]) === target) {
      const advertised = discovery.services.find((s) => same(s, target));
      if (advertised?.node && !this.server) this.servingNode = advertised.node;
      return;
    }
    // Two live services: everybody takes the preferred one. Or the one used is not (or no
    // longer) there, and another is advertised: a successor, typically.
    this.log(`membership: moving from ${key(target)} to ${key(best)}${targetLive ? ' (merge)' : ''}`);
    this.moveTo(
      best,
      best.node,
      targetLive ? 'merged' : this.takeover || this.lostAt ? 'took-over' : 'dns-sd',
    );
  }
}

/** The services among `candidates` that answer as a membership service. */
async function liveServices<T extends { host: string; port: number }>(
  candidates: readonly T[],
  timeoutMs: number,
  packetKey: Uint8Array | undefined,
): Promise<T[]> {
  const probes = await Promise.all(candidates.map((c) => probeGms(c.host, c.port, timeoutMs, packetKey)));
  return candidates.filter((_, i) => probes[i]?.kind === 'gms');
}
