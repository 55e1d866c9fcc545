// The part of a host that depends on the platform its `QuickSilver` groups run on
// (platforms.ts): who this host is among the others (its member id), the hosts group that
// presence runs on, and the network status the connection area and `liveobjects doctor` show.
// On the LAN that is a QSM engine node registered with the membership service (DNS-SD, an
// embedded or given GMS); on NATS only it is the NATS connection, with no engine node, no
// membership service and no DNS-SD of its own.
import type { NatsPlatform, NetworkInterface, NetworkStatus } from '../../src-shared/bridge/network';
import type { WorkspaceStatus } from '../../src-shared/bridge/workspace';
import type { NodeId, QsmNode } from '../engine';
import type { GroupChannel } from '../objects/channel/group-channel';
import { EngineGroupChannel } from '../objects/qsm';
import type { QsmService, SharedNode } from '../objects/qsm';
import type { Membership } from './network/membership';
import type { ChangeSignal, NetworkStatusSource } from './network/status-source';
import { ThrottledStatusSource, hostNetworkStatus } from './network/status-source';
import type { PeerSighting } from './network/status';
import { natsNetworkStatus } from './network/status';
import type { PlatformChoice } from './platforms';
import { HOSTS_GROUP, PresenceDirectory } from './presence';

/** What the host decided about the LAN, for its status (UI, `liveobjects doctor`). */
export interface HostNetwork {
  /** The interface the engine binds, multicasts on and advertises. */
  readonly interface: NetworkInterface;
  /** The membership service in use: `status()`, `onStatus(listener)`, `address`. */
  readonly membership: Membership;
  /** The host's engine node (region transports, statistics). */
  readonly node: QsmNode;
  /** The last view of the hosts group (`liveobjects.hosts`): every host of the service. */
  hosts(): readonly NodeId[];
  /** The user name a host announced, else a short form of its node id. */
  nameOf(node: NodeId): string;
}

/** A running host's platform. */
export interface HostPlatform {
  readonly choice: PlatformChoice;
  /** This host among the others: its engine node id on the LAN, its NATS member id on NATS. */
  readonly nodeId: string;
  /** User names of the hosts; undefined where the platform has no hosts group (names then
   * show as member ids). */
  readonly presence: PresenceDirectory | undefined;
  /** The LAN's interface, membership service and engine node; undefined on NATS only. */
  readonly network: HostNetwork | undefined;
  /** True while this process serves the membership service it uses (never on NATS). */
  readonly servesGms: boolean;
  readonly status: NetworkStatusSource & { close(): void };
  /** Closes presence and the status; the platform's own connections close with their owner
   * (the QsmService, the NATS client). */
  close(): Promise<void>;
}

export interface PlatformContext {
  readonly userName: string;
  readonly workspace: () => WorkspaceStatus;
  readonly workspaceChanges: ChangeSignal;
}

/** The LAN: the QSM node registered with the membership service the network set-up chose. */
export async function startLanPlatform(
  context: PlatformContext,
  lan: {
    readonly qsm: QsmService;
    readonly interface: NetworkInterface;
    readonly membership: Membership;
    /** The membership service given (--gms or registry.json); undefined when discovered. */
    readonly given: { host: string; port: number } | undefined;
    /** The address references name for it (DEFAULT_GMS when it was not given). */
    readonly gms: { host: string; port: number };
    /** --bridge, recorded for the status. */
    readonly bridge?: readonly string[];
  },
): Promise<HostPlatform> {
  const { qsm, membership } = lan;
  const node: SharedNode = await qsm.node(membership.address);
  if (!lan.given) qsm.alias(lan.gms, membership.address);
  const hostsLease = node.lease(HOSTS_GROUP);
  const presence = new PresenceDirectory(new EngineGroupChannel(hostsLease), context.userName);
  membership.attach({
    id: node.id,
    get connected() {
      return node.started.membership.stats.connected;
    },
    // A short-lived probe (liveobjects doctor) never serves: passing it over at once saves
    // the wait for a successor that does not appear. A host that has not yet heard a probe
    // announce itself picks it and, after that wait, the same next host as everyone else.
    hosts: () => hostsLease.members.filter((m) => !presence.isProbe(m)),
    retarget: (to) => qsm.retarget(node, to),
    onConnection: (listener) => node.onConnection(listener),
  });
  const status = hostNetworkStatus(
    {
      node: node.started.node,
      interface: () => lan.interface,
      membership: () => membership.status(),
      nameOf: (id) => presence.nameOf(id),
      workspace: context.workspace,
      ...(lan.bridge && { bridge: lan.bridge }),
    },
    [
      (changed) => presence.onChange(changed),
      (changed) => membership.onStatus(changed),
      context.workspaceChanges,
    ],
  );
  return {
    choice: { kind: 'lan' },
    nodeId: node.id,
    presence,
    network: {
      interface: lan.interface,
      membership,
      node: node.started.node,
      hosts: () => node.members(HOSTS_GROUP),
      nameOf: (id) => presence.nameOf(id),
    },
    get servesGms() {
      return membership.servedHere;
    },
    status,
    async close() {
      status.close();
      await presence.close();
    },
  };
}

/** The connection state of the NATS platform, as the state field of the status shows it. */
export interface NatsConnectionState {
  readonly state: NatsPlatform['state'];
  /** While not connected: what went wrong last. */
  readonly detail?: string;
}

/**
 * What a host on NATS only needs of the NATS platform's client (objects/nats): its state for the
 * connection area, the member id its channels give this host, and, where the platform offers
 * membership views, the hosts group for presence.
 */
export interface NatsConnection {
  readonly memberId: string;
  state(): NatsConnectionState;
  onState(listener: () => void): () => void;
  /** The hosts group (`liveobjects.hosts`) over NATS; undefined: presence is not available. */
  hostsChannel?(): Promise<GroupChannel>;
  close(): Promise<void>;
}

/** Makes the NATS connection for a host started on a NATS platform. */
export type NatsConnector = (choice: Extract<PlatformChoice, { kind: 'nats' }>) => NatsConnection;

/** NATS only: the connection's state, and presence over its hosts group when it has one. */
export async function startNatsPlatform(
  context: PlatformContext,
  choice: Extract<PlatformChoice, { kind: 'nats' }>,
  connection: NatsConnection,
): Promise<HostPlatform> {
  // Servers out of reach: the host still runs (its connection area says why), without presence.
  const hosts = await connection.hostsChannel?.().catch(() => undefined);
  const presence = hosts && new PresenceDirectory(hosts, context.userName);
  const since = new Map<string, number>();
  const peers = (): PeerSighting[] | undefined => {
    if (!hosts || !presence) return undefined;
    const now = performance.now();
    const others = hosts.members.filter((m) => m !== hosts.self);
    for (const id of since.keys()) if (!others.includes(id)) since.delete(id);
    return others.map((id) => {
      const at = since.get(id) ?? now;
      since.set(id, at);
      // The NATS server relays every member's traffic: one seen in the group is heard.
      return { id, name: presence.nameOf(id), address: 'NATS', since: at, heardAt: at };
    });
  };
  const platform = (): NatsPlatform => {
    const { state, detail } = connection.state();
    return {
      kind: 'nats',
      servers: [...choice.servers],
      given: choice.given,
      state,
      ...(detail !== undefined && { detail }),
    };
  };
  const status = new ThrottledStatusSource<NetworkStatus>(
    () => natsNetworkStatus({ workspace: context.workspace(), platform: platform(), peers: peers() }),
    {},
    [
      (changed) => connection.onState(changed),
      context.workspaceChanges,
      ...(presence ? [(changed: () => void) => presence.onChange(changed)] : []),
    ],
  );
  return {
    choice,
    nodeId: hosts?.self ?? connection.memberId,
    presence,
    network: undefined,
    servesGms: false,
    status,
    async close() {
      status.close();
      await presence?.close();
      await connection.close();
    },
  };
}
