import { describe, expect, it } from 'vitest';
import type { LanNetworkStatus, NatsNetworkStatus } from '../../src-shared/bridge/network';
import { networkReport } from './network-report';

const STATUS: LanNetworkStatus = {
  interface: { name: 'eth0', address: '10.0.0.5', mtu: 1500, loopback: false, chosenBy: 'lan' },
  membership: { address: '10.0.0.5:7070', foundBy: 'took-over', servedHere: true, state: 'connected' },
  transport: 'mixed',
  regions: [
    { region: 'r1', transport: 'multicast', members: 3 },
    { region: 'r2', transport: 'unicast', members: 2 },
  ],
  peers: [
    { id: 'a', name: 'Bob', address: '10.0.0.6:41000', heard: true },
    { id: 'b', name: 'Carol', address: '10.0.0.7:5000', heard: false },
  ],
  problems: [
    { kind: 'silent-peers', message: `A peer is registered ${'and so on '.repeat(12)}end.` },
    { kind: 'multicast-blocked', message: 'IP multicast does not arrive.' },
  ],
};

describe('networkReport', () => {
  it('prints the sections, the regions when they differ, aligned peers and problems within 96 columns', () => {
    expect(networkReport(STATUS)).toBe(
      [
        'Platform',
        '  LAN (QuickSilver)',
        'Interface',
        '  eth0 10.0.0.5, MTU 1500: the first LAN interface (this host serves the membership service)',
        'Membership service',
        '  10.0.0.5:7070: taken over when the host serving it left; served by this host',
        '  connected',
        'Transport',
        '  multicast and unicast fan-out (2 regions)',
        '    multicast to 3 members (region r1)',
        '    unicast fan-out to 2 members (region r2)',
        'Peers (2)',
        '  Bob    10.0.0.6:41000  heard',
        '  Carol  10.0.0.7:5000   not heard',
        '',
        'Problems (2)',
        '  1.  A peer is registered and so on and so on and so on and so on and so on and so on and so on',
        '      and so on and so on and so on and so on and so on end.',
        '  2.  IP multicast does not arrive.',
      ].join('\n'),
    );
  });

  it('says when there is no peer and no problem', () => {
    const text = networkReport({ ...STATUS, transport: 'none', regions: [], peers: [], problems: [] });
    expect(text).toContain('Transport\n  no region yet\nPeers (0)\n  no other host\n\nNo problems found.');
  });

  it('shows a bridge asked for with --bridge as not available yet', () => {
    const text = networkReport({
      ...STATUS,
      bridge: { servers: ['nats://hub:4222'], state: 'not-available' },
    });
    expect(text).toContain(
      'LAN (QuickSilver)\nBridge\n  to NATS at nats://hub:4222: not available yet\nInterface',
    );
  });

  it('shows a NATS platform: its servers, how it was given, its state; no LAN sections', () => {
    const nats: NatsNetworkStatus = {
      workspace: { id: 'a'.repeat(32), name: 'Team' },
      platform: {
        kind: 'nats',
        servers: ['nats://hub:4222', 'tls://hub2:4222'],
        given: 'option',
        state: 'reconnecting',
        detail: 'connection refused',
      },
      presence: false,
      peers: [],
      problems: [],
    };
    expect(networkReport(nats)).toBe(
      [
        'Workspace',
        '  Team',
        'Platform',
        '  NATS at nats://hub:4222, tls://hub2:4222',
        '  given with --platform',
        '  reconnecting (connection refused)',
        'Peers',
        '  not known: this platform does not tell which hosts are there',
        '',
        'No problems found.',
      ].join('\n'),
    );
    const seen = networkReport({
      ...nats,
      presence: true,
      peers: [{ id: 'x', name: 'Dana', address: 'nats', heard: true }],
    });
    expect(seen).toContain('Peers (1)\n  Dana  nats  heard');
    expect(seen).not.toContain('Interface');
  });
});
