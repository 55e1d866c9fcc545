// What a host sees of the network: the interface it chose, the membership service it uses and
// how it found it, the transport of its regions, its peers and the problems it can name. The
// UI's connection area and `liveobjects doctor` show the same status (docs/network.md).
import { NonNegativeInt } from './values';
import { WorkspaceStatus } from './workspace';
import type { Infer } from './zod';
import { z } from './zod';

/** The IPv4 interface the engine binds, multicasts on and advertises. */
export const NetworkInterface = z.object({
  /** The OS name, e.g. `eth0`, `lo`. */
  name: z.string(),
  address: z.string(),
  /** Datagrams stay below this (no IP fragmentation off loopback). */
  mtu: NonNegativeInt,
  loopback: z.boolean(),
  /**
   * How it was chosen: `option` (--interface), `registry` (registry.json), `route` (the one on
   * the route to a membership service on another machine), `lan` (the first up,
   * multicast-capable, non-loopback IPv4 interface, for a host serving the service itself),
   * `loopback` (no other interface is up).
   */
  chosenBy: z.enum(['option', 'registry', 'route', 'lan', 'loopback']),
});
export type NetworkInterface = Infer<typeof NetworkInterface>;

/** The membership service (GMS) this host registers with. */
export const MembershipService = z.object({
  /** `host:port`. */
  address: z.string(),
  /**
   * How this host came to use it: `option` (--gms), `registry` (registry.json), `dns-sd` (found
   * on the LAN), `serving` (none answered, so this host serves it), `took-over` (this host or
   * another took over from a host that left), `merged` (two services met; this one won).
   */
  foundBy: z.enum(['option', 'registry', 'dns-sd', 'serving', 'took-over', 'merged']),
  /** This host serves it (and advertises it by DNS-SD). */
  servedHere: z.boolean(),
  state: z.enum(['connecting', 'connected', 'lost']),
  /** While connecting or lost: what went wrong last. */
  detail: z.optional(z.string()),
});
export type MembershipService = Infer<typeof MembershipService>;

export const TRANSPORTS = ['multicast', 'unicast'] as const;

/** How the traffic of one of this node's regions goes: IP multicast, or a unicast copy per
 * member (chosen by the engine where multicast does not arrive: this node's at a member, or a
 * member's here). */
export const RegionTransport = z.object({
  region: z.string(),
  transport: z.enum(TRANSPORTS),
  members: NonNegativeInt,
});
export type RegionTransport = Infer<typeof RegionTransport>;

/** Another host of the same membership service. */
export const Peer = z.object({
  /** Engine node id. */
  id: z.string(),
  /** The user name it announced, else a short form of its id. */
  name: z.string(),
  /** Its unicast address. */
  address: z.string(),
  /** Engine traffic from it arrived recently; false for a peer that is registered but silent
   * (a firewall dropping its datagrams, typically). */
  heard: z.boolean(),
});
export type Peer = Infer<typeof Peer>;

/** The states of a connection to NATS servers, as the NATS client reports them. */
export const NATS_STATES = ['connecting', 'connected', 'reconnecting', 'failed'] as const;

export const NETWORK_PROBLEMS = [
  /** No route to the membership service's address. */
  'no-route',
  /** The membership service does not answer or was lost. */
  'membership-unreachable',
  /** IP multicast does not arrive (from this node at a member, or from a member here); that
   * traffic runs on unicast fan-out. */
  'multicast-blocked',
  /** Peers are registered but none of their traffic arrives: a firewall, typically. */
  'silent-peers',
  /** Only loopback is up: nobody on another machine can reach this host. */
  'loopback-only',
  /** The membership service refused this host: it does not hold the workspace's key. */
  'not-member',
  /** The NATS servers of the platform cannot be reached, or refused this host. */
  'nats-unreachable',
] as const;

/** A problem named for the user: what is wrong, the likely cause, what to do. */
export const NetworkProblem = z.object({
  kind: z.enum(NETWORK_PROBLEMS),
  message: z.string(),
});
export type NetworkProblem = Infer<typeof NetworkProblem>;

/** The LAN platform (QSM): the default. */
export const LanPlatform = z.object({ kind: z.literal('lan') });

/** A NATS platform the team runs (--platform, or a nats.platform in registry.json). */
export const NatsPlatform = z.object({
  kind: z.literal('nats'),
  /** `nats://host:port` URLs. */
  servers: z.array(z.string()),
  /** `option` (--platform) or `registry` (registry.json). */
  given: z.enum(['option', 'registry']),
  state: z.enum(NATS_STATES),
  /** While not connected: what went wrong last (refused credentials, no route…). */
  detail: z.optional(z.string()),
});
export type NatsPlatform = Infer<typeof NatsPlatform>;

/** NATS servers this LAN host was asked to bridge its objects to (--bridge). */
export const BridgeStatus = z.object({
  servers: z.array(z.string()),
  /** The bridge between QSM and NATS is not in this version: the option is recorded only. */
  state: z.enum(['not-available']),
});
export type BridgeStatus = Infer<typeof BridgeStatus>;

/** A host on the LAN (QSM), or a probe of it. */
export const LanNetworkStatus = z.object({
  /** The workspace this host belongs to (absent for a probe of a home without one). */
  workspace: z.optional(WorkspaceStatus),
  /** Absent means the LAN too (a probe). */
  platform: z.optional(LanPlatform),
  bridge: z.optional(BridgeStatus),
  interface: NetworkInterface,
  membership: MembershipService,
  /** `mixed` when regions differ; `none` while this node is in no region. */
  transport: z.enum(['multicast', 'unicast', 'mixed', 'none']),
  regions: z.array(RegionTransport),
  peers: z.array(Peer),
  problems: z.array(NetworkProblem),
});
export type LanNetworkStatus = Infer<typeof LanNetworkStatus>;

/** A host on NATS only: no interface choice, membership service or regions of its own. */
export const NatsNetworkStatus = z.object({
  workspace: z.optional(WorkspaceStatus),
  platform: NatsPlatform,
  /** Whether the platform tells which hosts are there (presence); when false `peers` is empty
   * because nobody can tell, not because nobody is there. */
  presence: z.boolean(),
  peers: z.array(Peer),
  problems: z.array(NetworkProblem),
});
export type NatsNetworkStatus = Infer<typeof NatsNetworkStatus>;

/** What the connection area and `liveobjects doctor` show. */
export const NetworkStatus = z.union([NatsNetworkStatus, LanNetworkStatus]);
export type NetworkStatus = Infer<typeof NetworkStatus>;

export function isNatsStatus(status: NetworkStatus): status is NatsNetworkStatus {
  return status.platform?.kind === 'nats';
}
