// A network status for a terminal (`liveobjects doctor`): the connection area's sections in
// plain text, in the same words (src-shared/bridge/network-text.ts), the problems last with
// what to do.
import type {
  LanNetworkStatus,
  NatsNetworkStatus,
  NetworkStatus,
  Peer,
} from '../../src-shared/bridge/network';
import { isNatsStatus } from '../../src-shared/bridge/network';
import {
  CHOSEN_BY,
  NATS_GIVEN,
  NO_PRESENCE_TEXT,
  bridgeText,
  natsStateText,
  platformText,
  TRANSPORTS_TEXT,
  countText,
  interfaceText,
  membershipAddress,
  membershipHowText,
  membershipStateText,
  peerStateText,
  regionText,
  workspaceText,
} from '../../src-shared/bridge/network-text';
import { wrap } from '../args/options';

const WIDTH = 96;
const INDENT = '  ';

export function networkReport(status: NetworkStatus): string {
  const out = [
    ...(status.workspace ? ['Workspace', `${INDENT}${workspaceText(status.workspace)}`] : []),
    'Platform',
    `${INDENT}${platformText(status)}`,
    ...(isNatsStatus(status) ? natsSections(status) : lanSections(status)),
  ];
  const { problems } = status;
  if (problems.length === 0) {
    out.push('', 'No problems found.');
  } else {
    out.push('', problems.length === 1 ? 'Problem' : `Problems (${problems.length})`);
    for (const [i, p] of problems.entries()) {
      const [first = '', ...rest] = wrap(p.message, WIDTH - 6);
      out.push(`${INDENT}${`${i + 1}.`.padEnd(4)}${first}`, ...rest.map((line) => `${INDENT}    ${line}`));
    }
  }
  return out.join('\n');
}

function natsSections(status: NatsNetworkStatus): string[] {
  const { platform } = status;
  return [
    `${INDENT}${NATS_GIVEN[platform.given]}`,
    `${INDENT}${natsStateText(platform)}`,
    ...(status.presence ? peerSection(status.peers) : ['Peers', `${INDENT}${NO_PRESENCE_TEXT}`]),
  ];
}

function lanSections(status: LanNetworkStatus): string[] {
  const { interface: iface, membership } = status;
  const out = [
    ...(status.bridge ? ['Bridge', `${INDENT}${bridgeText(status.bridge)}`] : []),
    'Interface',
    `${INDENT}${interfaceText(iface)}, MTU ${iface.mtu}: ${CHOSEN_BY[iface.chosenBy]}`,
    'Membership service',
    `${INDENT}${membershipAddress(membership)}: ${membershipHowText(membership)}`,
    `${INDENT}${membershipStateText(membership)}`,
    'Transport',
    `${INDENT}${TRANSPORTS_TEXT[status.transport]}${
      status.regions.length ? ` (${countText(status.regions.length, 'region')})` : ''
    }`,
  ];
  if (status.transport === 'mixed') {
    for (const r of status.regions) out.push(`${INDENT}${INDENT}${regionText(r)} (region ${r.region})`);
  }
  return [...out, ...peerSection(status.peers)];
}

function peerSection(peers: readonly Peer[]): string[] {
  const out = [`Peers (${peers.length})`];
  if (peers.length === 0) out.push(`${INDENT}no other host`);
  const nameWidth = Math.min(32, Math.max(0, ...peers.map((p) => p.name.length)));
  const addressWidth = Math.max(0, ...peers.map((p) => p.address.length));
  for (const p of peers) {
    out.push(`${INDENT}${p.name.padEnd(nameWidth)}  ${p.address.padEnd(addressWidth)}  ${peerStateText(p)}`);
  }
  return out;
}
