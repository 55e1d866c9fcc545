import { describe, expect, it } from 'vitest';
import type { NetworkStatus } from '../../src-shared/bridge/network';
import { networkReport } from './network-report';

const STATUS: NetworkStatus = {
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
});
