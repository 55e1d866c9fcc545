// The words for a network status, shared by the renderer's connection area and `liveobjects
// doctor`, so that the window and the terminal say the same thing.
import type {
  BridgeStatus,
  LanNetworkStatus,
  MembershipService,
  NatsNetworkStatus,
  NatsPlatform,
  NetworkInterface,
  NetworkProblem,
  NetworkStatus,
  Peer,
  RegionTransport,
} from './network';
import { isNatsStatus } from './network';
import type { WorkspaceStatus } from './workspace';

/** How the interface was chosen, as a phrase after its name. */
export const CHOSEN_BY: Readonly<Record<NetworkInterface['chosenBy'], string>> = {
  option: 'given with --interface',
  registry: 'set in registry.json',
  route: 'on the route to the membership service',
  lan: 'the first LAN interface (this host serves the membership service)',
  loopback: 'loopback: no other interface is up',
};

/** How the membership service was found, as a phrase after its address. */
export const FOUND_BY: Readonly<Record<MembershipService['foundBy'], string>> = {
  option: 'given with --gms',
  registry: 'configured in registry.json',
  'dns-sd': 'found on the LAN (DNS-SD)',
  serving: 'served by this host (none answered on the LAN)',
  'took-over': 'taken over when the host serving it left',
  merged: 'kept when two membership services met',
};

export const MEMBERSHIP_STATES: Readonly<Record<MembershipService['state'], string>> = {
  connecting: 'connecting',
  connected: 'connected',
  lost: 'lost, retrying',
};

export const TRANSPORTS_TEXT: Readonly<Record<LanNetworkStatus['transport'], string>> = {
  multicast: 'multicast',
  unicast: 'unicast fan-out',
  mixed: 'multicast and unicast fan-out',
  none: 'no region yet',
};

/** A problem in a few words, for a summary line. */
export const PROBLEM_TITLES: Readonly<Record<NetworkProblem['kind'], string>> = {
  'no-route': 'no route to the membership service',
  'membership-unreachable': 'membership service unreachable',
  'multicast-blocked': 'multicast blocked',
  'silent-peers': 'peers not heard',
  'loopback-only': 'this machine only',
  'not-member': 'not a member of this workspace',
  'nats-unreachable': 'NATS unreachable',
};

/** The platform's name as the connection area and `liveobjects doctor` show it. */
export const LAN_PLATFORM_TEXT = 'LAN (QuickSilver)';

export const NATS_STATES_TEXT: Readonly<Record<NatsPlatform['state'], string>> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  failed: 'failed',
};

/** How the NATS platform was chosen, as a phrase after its servers. */
export const NATS_GIVEN: Readonly<Record<NatsPlatform['given'], string>> = {
  option: 'given with --platform',
  registry: 'configured in registry.json',
};

/** `LAN (QuickSilver)` or `NATS at nats://hub:4222, nats://hub2:4222`. */
export function platformText(status: NetworkStatus): string {
  return isNatsStatus(status) ? `NATS at ${status.platform.servers.join(', ')}` : LAN_PLATFORM_TEXT;
}

export function natsStateText(platform: NatsPlatform): string {
  const state = NATS_STATES_TEXT[platform.state];
  return platform.detail && platform.state !== 'connected' ? `${state} (${platform.detail})` : state;
}

/** What became of --bridge: recorded, but the bridge itself is not in this version. */
export function bridgeText(bridge: BridgeStatus): string {
  return `to NATS at ${bridge.servers.join(', ')}: not available yet`;
}

/** Where no platform tells which hosts are there (a NATS platform without presence). */
export const NO_PRESENCE_TEXT = 'not known: this platform does not tell which hosts are there';

/** `eth0 10.0.0.5`. */
export function interfaceText(iface: NetworkInterface): string {
  return `${iface.name} ${iface.address}`;
}

/** The service's address, or what stands for none (a probe that found none). */
export function membershipAddress(membership: MembershipService): string {
  return membership.address || 'none found';
}

/** How it was found, and whether this host serves it. */
export function membershipHowText(membership: MembershipService): string {
  const served = membership.servedHere && membership.foundBy !== 'serving';
  return `${FOUND_BY[membership.foundBy]}${served ? '; served by this host' : ''}`;
}

export function membershipStateText(membership: MembershipService): string {
  const state = MEMBERSHIP_STATES[membership.state];
  return membership.detail && membership.state !== 'connected' ? `${state} (${membership.detail})` : state;
}

export function countText(n: number, one: string, many = `${one}s`): string {
  return `${n === 0 ? 'no' : n} ${n === 1 ? one : many}`;
}

export function regionText(region: RegionTransport): string {
  return `${TRANSPORTS_TEXT[region.transport]} to ${countText(region.members, 'member')}`;
}

export function peerStateText(peer: Peer): string {
  return peer.heard ? 'heard' : 'not heard';
}

/** One line for the connection area: `LAN · eth0 10.0.0.5 · 3 peers · multicast`, or the
 * first problem in front when there is one. */
export function networkSummary(status: NetworkStatus): string {
  return isNatsStatus(status) ? natsSummary(status) : lanSummary(status);
}

/** The first problem in a few words, with how many more. */
function problemSummary(problems: readonly NetworkProblem[]): string | undefined {
  const [first, ...more] = problems;
  return first && `${capitalize(PROBLEM_TITLES[first.kind])}${more.length ? ` (+${more.length})` : ''}`;
}

/** `NATS · hub:4222 · connected`, with the workspace and the first problem in front. */
function natsSummary(status: NatsNetworkStatus): string {
  const { platform } = status;
  const hosts = platform.servers.map((s) => s.replace(/^nats:\/\//, ''));
  return [
    ...(status.workspace ? [status.workspace.name] : []),
    problemSummary(status.problems) ?? 'NATS',
    hosts.length > 1 ? `${hosts[0] ?? ''} (+${hosts.length - 1})` : (hosts[0] ?? ''),
    ...(status.presence ? [countText(status.peers.length, 'peer')] : []),
    NATS_STATES_TEXT[platform.state],
  ].join(' · ');
}

function lanSummary(status: LanNetworkStatus): string {
  const where = status.interface.loopback ? 'Loopback' : 'LAN';
  const parts = [
    ...(status.workspace ? [status.workspace.name] : []),
    problemSummary(status.problems) ?? where,
    interfaceText(status.interface),
    countText(status.peers.length, 'peer'),
  ];
  if (status.membership.state !== 'connected')
    parts.push(`membership ${MEMBERSHIP_STATES[status.membership.state]}`);
  else parts.push(TRANSPORTS_TEXT[status.transport]);
  return parts.join(' · ');
}

/** The workspace's name, and the one joined since the host started (in effect at restart). */
export function workspaceText(workspace: WorkspaceStatus): string {
  return workspace.joined
    ? `${workspace.name} (joined ${workspace.joined.name}: restart the app to move to it)`
    : workspace.name;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
