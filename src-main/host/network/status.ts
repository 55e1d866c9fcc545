// What a host sees of the network (src-shared/bridge/network.ts), assembled from its parts, and
// the problems it can name: each as a sentence saying what is wrong, the likely cause and what
// to do (docs/doctor.md). Pure: the same parts give the same status, in the connection area and
// in `liveobjects doctor`.
import type {
  BridgeStatus,
  LanNetworkStatus,
  MembershipService,
  NatsNetworkStatus,
  NatsPlatform,
  NetworkInterface,
  NetworkProblem,
  Peer,
  RegionTransport,
} from '../../../src-shared/bridge/network';
import type { WorkspaceStatus } from '../../../src-shared/bridge/workspace';
import { isMembershipRefused, notMemberText } from '../workspace/refused';
import { interfaceText, membershipAddress } from '../../../src-shared/bridge/network-text';

/** A peer not heard this long after it appeared is called silent. Every host announces its name
 * to the hosts group when a member appears (host/presence.ts), so a peer that can reach this one
 * is heard within a token round or two of appearing. */
export const SILENT_AFTER_MS = 8000;

/** Another host as this one saw it. Times are on one clock, the same as `StatusParts.now`. */
export interface PeerSighting {
  readonly id: string;
  readonly name: string;
  /** `host:port`. */
  readonly address: string;
  /** When it appeared in this host's view of the hosts group. */
  readonly since: number;
  /** When its engine datagrams last arrived; undefined when none has since it appeared. */
  readonly heardAt: number | undefined;
}

export interface StatusParts {
  readonly workspace?: WorkspaceStatus;
  readonly interface: NetworkInterface;
  readonly membership: MembershipService;
  /** How each region's traffic between this node and its members goes (engineTransport in
   * status-source.ts: unicast where this node's multicast does not reach a member, or where a
   * member's multicast does not arrive here). */
  readonly regions: readonly RegionTransport[];
  /** Members reporting that this node's IP multicast does not reach them. */
  readonly multicastNotReaching?: readonly string[];
  /** Members whose IP multicast does not arrive here. */
  readonly multicastNotArriving?: readonly string[];
  readonly peers: readonly PeerSighting[];
  readonly now: number;
  /** Finding a route to the membership service failed with this (e.g. ENETUNREACH). */
  readonly routeError?: string;
  /** Unicast fan-out was asked for (the engine's `fanout`): not a problem then. */
  readonly unicastByChoice?: boolean;
  /** Default SILENT_AFTER_MS; a short probe waits less. */
  readonly silentAfterMs?: number;
  /** NATS servers given with --bridge (recorded; the bridge is not in this version). */
  readonly bridge?: readonly string[];
}

/** The errors of a connection attempt that mean there is no path to the address at all. */
const NO_ROUTE = /\b(ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN)\b|no route/i;

export function networkStatus(parts: StatusParts): LanNetworkStatus {
  const silentAfter = parts.silentAfterMs ?? SILENT_AFTER_MS;
  const silent = parts.peers.filter((p) => p.heardAt === undefined && parts.now - p.since >= silentAfter);
  return {
    ...(parts.workspace && { workspace: parts.workspace }),
    platform: { kind: 'lan' },
    ...(parts.bridge && { bridge: bridgeStatus(parts.bridge) }),
    interface: parts.interface,
    membership: parts.membership,
    transport: overallTransport(parts.regions),
    regions: [...parts.regions],
    peers: sortedPeers(parts.peers),
    problems: networkProblems(parts, silent),
  };
}

function sortedPeers(sightings: readonly PeerSighting[]): Peer[] {
  return [...sightings]
    .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
    .map((p) => ({ id: p.id, name: p.name, address: p.address, heard: p.heardAt !== undefined }));
}

function bridgeStatus(servers: readonly string[]): BridgeStatus {
  return { servers: [...servers], state: 'not-available' };
}

/** What a host on NATS only sees: the platform's connection, and the hosts its presence names
 * (when the platform tells; `peers` undefined when it does not). */
export interface NatsStatusParts {
  readonly workspace?: WorkspaceStatus;
  readonly platform: NatsPlatform;
  readonly peers: readonly PeerSighting[] | undefined;
}

export function natsNetworkStatus(parts: NatsStatusParts): NatsNetworkStatus {
  const { platform } = parts;
  const problems: NetworkProblem[] = [];
  if (platform.state === 'failed' || (platform.state !== 'connected' && platform.detail)) {
    problems.push(natsUnreachable(platform));
  }
  return {
    ...(parts.workspace && { workspace: parts.workspace }),
    platform,
    presence: parts.peers !== undefined,
    peers: sortedPeers(parts.peers ?? []),
    problems,
  };
}

function natsUnreachable(platform: NatsPlatform): NetworkProblem {
  const servers = platform.servers.join(', ');
  const detail = platform.detail ? ` (${platform.detail})` : '';
  const state = platform.state === 'failed' ? 'cannot be used' : 'do not answer';
  return {
    kind: 'nats-unreachable',
    message:
      `The NATS servers at ${servers} ${state}${detail}. Edits made meanwhile are kept and sent ` +
      'when they are back. Likely cause: the server is not running or a firewall blocks its port, ' +
      'the address is wrong, or the credentials were refused. Check with the team that runs it, ' +
      'and the URLs (--platform or registry.json) and credentials file you gave.',
  };
}

export function overallTransport(regions: readonly RegionTransport[]): LanNetworkStatus['transport'] {
  const first = regions[0];
  if (!first) return 'none';
  return regions.every((r) => r.transport === first.transport) ? first.transport : 'mixed';
}

function networkProblems(parts: StatusParts, silent: readonly PeerSighting[]): NetworkProblem[] {
  const { membership, interface: iface } = parts;
  const problems: NetworkProblem[] = [];
  const routeError =
    parts.routeError ??
    (membership.state !== 'connected' && membership.detail && NO_ROUTE.test(membership.detail)
      ? membership.detail
      : undefined);
  const refused = membership.state !== 'connected' && isMembershipRefused(membership.detail);
  if (refused) problems.push({ kind: 'not-member', message: notMemberText(membership.address) });
  else if (routeError !== undefined) problems.push(noRoute(membership, routeError));
  else if (membership.state === 'lost' || (membership.state === 'connecting' && membership.detail))
    problems.push(membershipUnreachable(membership));
  if (iface.loopback && !loopbackChosen(parts)) problems.push(loopbackOnly(iface));
  // Without the membership service the peers listed are its last view: stale, not silent.
  if (membership.state === 'connected' && silent.length > 0) problems.push(silentPeers(iface, silent));
  const unicast = parts.regions.filter((r) => r.transport === 'unicast');
  if (unicast.length > 0 && !parts.unicastByChoice) problems.push(multicastBlocked(parts, unicast.length));
  return problems;
}

/** Loopback is what the user asked for: the interface named, or a membership service that was
 * configured on this machine's loopback (a single-machine setup, tests). */
function loopbackChosen({ interface: iface, membership }: StatusParts): boolean {
  if (iface.chosenBy === 'option' || iface.chosenBy === 'registry') return true;
  const configured = membership.foundBy === 'option' || membership.foundBy === 'registry';
  return configured && isLoopbackAddress(hostOf(membership.address));
}

function noRoute(membership: MembershipService, error: string): NetworkProblem {
  return {
    kind: 'no-route',
    message:
      `There is no route to the membership service at ${membershipAddress(membership)} (${error}). ` +
      'Likely cause: the address is wrong, or this machine is not on that network (cable, Wi-Fi ' +
      'or VPN down). Check the address you gave (--gms or registry.json) and the network ' +
      'connection of this machine.',
  };
}

function membershipUnreachable(membership: MembershipService): NetworkProblem {
  const port = portOf(membership.address);
  const tcp = port ? `TCP port ${port}` : 'its TCP port';
  const detail = membership.detail ? ` (${membership.detail})` : '';
  if (!membership.address) {
    return {
      kind: 'membership-unreachable',
      message:
        `No membership service answered on this network${detail}. Likely cause: no Live Objects ` +
        'host runs on this LAN yet, or multicast DNS (UDP port 5353) is blocked. Start the app on ' +
        'one machine (it serves one), or give the address of a running one with --gms HOST:PORT.',
    };
  }
  const what = membership.state === 'lost' ? 'was lost' : 'does not answer';
  const explicit = membership.foundBy === 'option' || membership.foundBy === 'registry';
  return {
    kind: 'membership-unreachable',
    message:
      `The membership service at ${membership.address} ${what}${detail}. ` +
      (explicit
        ? `Likely cause: it is not running there, or a firewall blocks ${tcp}. Start it (\`liveobjects ` +
          `gms\` or a host with this --gms) or let ${tcp} through.`
        : `Likely cause: the host that served it quit or crashed, or a firewall blocks ${tcp}. The ` +
          `remaining hosts take it over by themselves within seconds; if this lasts, let ${tcp} ` +
          'through the firewall.'),
  };
}

function loopbackOnly(iface: NetworkInterface): NetworkProblem {
  return {
    kind: 'loopback-only',
    message:
      `This host uses the loopback interface (${interfaceText(iface)}): nobody on another ` +
      'machine can reach it, and it cannot reach them. Likely cause: no network connection (cable ' +
      'unplugged, Wi-Fi off) when the app started. Connect to the network and restart the app, ' +
      'or name an interface with --interface NAME.',
  };
}

function silentPeers(iface: NetworkInterface, silent: readonly PeerSighting[]): NetworkProblem {
  const names = silent
    .slice(0, 5)
    .map((p) => `${p.name} (${p.address})`)
    .join(', ');
  const more = silent.length > 5 ? ` and ${silent.length - 5} more` : '';
  const loopbackPeers = !iface.loopback && silent.some((p) => isLoopbackAddress(hostOf(p.address)));
  const cause = loopbackPeers
    ? 'Likely cause: they advertise a loopback address (127.x), which no other machine can reach. ' +
      'On those machines, choose the LAN interface with --interface NAME.'
    : 'Likely cause: a firewall on this machine or on theirs drops UDP between the hosts. Let UDP ' +
      'between the hosts of this network through (their unicast ports and IP multicast) on every ' +
      'machine.';
  return {
    kind: 'silent-peers',
    message:
      `${silent.length === 1 ? 'A peer is' : `${silent.length} peers are`} registered with the ` +
      `membership service, but no traffic from ${silent.length === 1 ? 'it' : 'them'} arrives ` +
      `here: ${names}${more}. ${cause}`,
  };
}

function multicastBlocked(parts: StatusParts, unicast: number): NetworkProblem {
  const nameOf = (id: string): string => parts.peers.find((p) => p.id === id)?.name ?? `node ${id}`;
  const notReaching = (parts.multicastNotReaching ?? []).map(nameOf);
  const notArriving = (parts.multicastNotArriving ?? []).map(nameOf);
  const seen = [
    notReaching.length > 0 && `this host’s multicast does not reach ${names(notReaching)}`,
    notArriving.length > 0 && `multicast from ${names(notArriving)} does not arrive here`,
  ].filter(Boolean);
  const regions = parts.regions.length;
  const what = seen.length
    ? `IP multicast does not get through (${seen.join('; ')}), so that traffic goes by unicast fan-out`
    : `IP multicast does not arrive in ${regions === 1 ? 'this host’s region' : `${unicast} of this host’s ${regions} regions`}, so it goes by unicast fan-out`;
  return {
    kind: 'multicast-blocked',
    message:
      `${what}: everything still arrives, but each message is sent once per member. Likely ` +
      'cause: a switch or Wi-Fi access point that drops multicast (IGMP snooping without a ' +
      'querier, client isolation), or a firewall dropping UDP to 224.0.0.0/4. Enable multicast on ' +
      'the network (an IGMP querier, multicast on the Wi-Fi) or let it through the firewall.',
  };
}

/** `A`, `A and B`, `A, B and 3 more`. */
function names(list: readonly string[]): string {
  if (list.length <= 2) return list.join(' and ');
  if (list.length === 3) return `${list[0]}, ${list[1]} and ${list[2]}`;
  return `${list[0]}, ${list[1]} and ${list.length - 2} more`;
}

function hostOf(address: string): string {
  const colon = address.lastIndexOf(':');
  return colon < 0 ? address : address.slice(0, colon);
}

function portOf(address: string): string | undefined {
  const colon = address.lastIndexOf(':');
  return colon < 0 ? undefined : address.slice(colon + 1);
}

function isLoopbackAddress(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost' || host === '::1';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
