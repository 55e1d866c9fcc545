import { describe, expect, it } from 'vitest';
import type { MembershipService, NetworkInterface } from '../../../src-shared/bridge/network';
import { LanNetworkStatus, NetworkStatus } from '../../../src-shared/bridge/network';
import type { PeerSighting, StatusParts } from './status';
import { networkStatus, overallTransport, SILENT_AFTER_MS } from './status';

const ETH0: NetworkInterface = {
  name: 'eth0',
  address: '10.0.0.5',
  mtu: 1500,
  loopback: false,
  chosenBy: 'lan',
};
const LO: NetworkInterface = {
  name: 'lo',
  address: '127.0.0.1',
  mtu: 65536,
  loopback: true,
  chosenBy: 'loopback',
};
const SERVING: MembershipService = {
  address: '10.0.0.5:7070',
  foundBy: 'serving',
  servedHere: true,
  state: 'connected',
};
const NOW = 100_000;

const peer = (name: string, heardAt: number | undefined, since = NOW - 60_000): PeerSighting => ({
  id: `10.0.0.${name.length}:4000/${name}`,
  name,
  address: `10.0.0.${name.length}:4000`,
  since,
  heardAt,
});

const healthy: StatusParts = {
  interface: ETH0,
  membership: SERVING,
  regions: [{ region: 'r1', transport: 'multicast', members: 3 }],
  peers: [peer('Carol', NOW - 5000), peer('Bob', NOW - 10)],
  now: NOW,
};

const status = (changes: Partial<StatusParts>) => networkStatus({ ...healthy, ...changes });
const kinds = (changes: Partial<StatusParts>) => status(changes).problems.map((p) => p.kind);
const message = (changes: Partial<StatusParts>, kind: string) =>
  status(changes).problems.find((p) => p.kind === kind)?.message ?? '';

describe('networkStatus', () => {
  it('assembles a healthy status: peers by name, heard, no problems, valid by the contract', () => {
    const s = networkStatus(healthy);
    expect(NetworkStatus.parse(s)).toEqual(s);
    expect(LanNetworkStatus.parse(s)).toEqual(s);
    expect(s).toEqual({
      platform: { kind: 'lan' },
      interface: ETH0,
      membership: SERVING,
      transport: 'multicast',
      regions: [{ region: 'r1', transport: 'multicast', members: 3 }],
      peers: [
        { id: '10.0.0.3:4000/Bob', name: 'Bob', address: '10.0.0.3:4000', heard: true },
        { id: '10.0.0.5:4000/Carol', name: 'Carol', address: '10.0.0.5:4000', heard: true },
      ],
      problems: [],
    });
  });

  it('sums up the transport of the regions', () => {
    expect(overallTransport([])).toBe('none');
    expect(overallTransport([{ region: 'a', transport: 'unicast', members: 2 }])).toBe('unicast');
    expect(
      overallTransport([
        { region: 'a', transport: 'unicast', members: 2 },
        { region: 'b', transport: 'multicast', members: 2 },
      ]),
    ).toBe('mixed');
  });

  it('names no route: from the route lookup, or from a connection error that means it', () => {
    const given: MembershipService = {
      address: '10.9.9.9:7070',
      foundBy: 'option',
      servedHere: false,
      state: 'connecting',
    };
    expect(kinds({ membership: given, routeError: 'connect ENETUNREACH 10.9.9.9:7070' })).toEqual([
      'no-route',
    ]);
    const fromDetail = { ...given, detail: 'connect EHOSTUNREACH 10.9.9.9:7070' };
    expect(kinds({ membership: fromDetail })).toEqual(['no-route']);
    const text = message({ membership: fromDetail }, 'no-route');
    expect(text).toContain('no route to the membership service at 10.9.9.9:7070 (connect EHOSTUNREACH');
    expect(text).toMatch(/Likely cause: the address is wrong/);
    expect(text).toMatch(/Check the address you gave \(--gms or registry\.json\)/);
  });

  it('names an unreachable membership service while connecting after a failure, or lost', () => {
    const connecting: MembershipService = {
      ...SERVING,
      foundBy: 'dns-sd',
      servedHere: false,
      state: 'connecting',
    };
    // Connecting for the first time, with nothing gone wrong yet, is no problem.
    expect(kinds({ membership: connecting })).toEqual([]);
    const refused = { ...connecting, detail: 'connect ECONNREFUSED 10.0.0.5:7070' };
    expect(kinds({ membership: refused })).toEqual(['membership-unreachable']);
    const lost = { ...connecting, state: 'lost' as const, detail: 'GMS silent for 5000 ms' };
    const text = message({ membership: lost }, 'membership-unreachable');
    expect(text).toMatch(/^The membership service at 10\.0\.0\.5:7070 was lost \(GMS silent for 5000 ms\)\./);
    expect(text).toMatch(/the host that served it quit or crashed, or a firewall blocks TCP port 7070/);
    expect(text).toMatch(/take it over by themselves/);
    // One the user configured is not taken over: they are told to start it.
    const configured = message({ membership: { ...lost, foundBy: 'registry' } }, 'membership-unreachable');
    expect(configured).toMatch(/it is not running there, or a firewall blocks TCP port 7070/);
    expect(configured).toMatch(/Start it \(`liveobjects gms` or a host with this --gms\)/);
    // A probe that found none on the LAN.
    const none = message(
      { membership: { ...connecting, address: '', detail: 'none answered DNS-SD within 2 s' } },
      'membership-unreachable',
    );
    expect(none).toMatch(/^No membership service answered on this network \(none answered DNS-SD/);
    expect(none).toMatch(/multicast DNS \(UDP port 5353\)/);
  });

  it('names multicast blocked when a region runs on unicast fan-out, unless fan-out was asked for', () => {
    const regions = [
      { region: 'r1', transport: 'multicast' as const, members: 3 },
      { region: 'r2', transport: 'unicast' as const, members: 2 },
    ];
    const s = status({ regions });
    expect(s.transport).toBe('mixed');
    expect(s.problems.map((p) => p.kind)).toEqual(['multicast-blocked']);
    expect(s.problems[0]?.message).toMatch(/^IP multicast does not arrive in 1 of this host’s 2 regions/);
    expect(s.problems[0]?.message).toMatch(/everything still arrives/);
    expect(s.problems[0]?.message).toMatch(/IGMP/);
    expect(kinds({ regions, unicastByChoice: true })).toEqual([]);
  });

  it('says whose multicast does not get through, in either direction', () => {
    const regions = [{ region: 'r1', transport: 'unicast' as const, members: 3 }];
    const [carol, bob] = healthy.peers as [PeerSighting, PeerSighting];
    expect(message({ regions, multicastNotReaching: [bob.id] }, 'multicast-blocked')).toMatch(
      /^IP multicast does not get through \(this host’s multicast does not reach Bob\), so that traffic goes by unicast fan-out: everything still arrives/,
    );
    expect(message({ regions, multicastNotArriving: [carol.id, bob.id] }, 'multicast-blocked')).toMatch(
      /^IP multicast does not get through \(multicast from Carol and Bob does not arrive here\)/,
    );
    expect(
      message(
        { regions, multicastNotReaching: [bob.id], multicastNotArriving: ['a', 'b', carol.id] },
        'multicast-blocked',
      ),
    ).toMatch(/\(this host’s multicast does not reach Bob; multicast from node a, node b and Carol does not/);
  });

  it('names silent peers: registered, unheard past the grace period; the newly seen are not yet', () => {
    const ann = peer('Ann', undefined, NOW - SILENT_AFTER_MS);
    const dan = peer('Dan', undefined, NOW - 1000);
    const s = status({ peers: [...healthy.peers, ann, dan] });
    expect(s.peers.map((p) => [p.name, p.heard])).toEqual([
      ['Ann', false],
      ['Bob', true],
      ['Carol', true],
      ['Dan', false],
    ]);
    expect(s.problems.map((p) => p.kind)).toEqual(['silent-peers']);
    const text = s.problems[0]?.message ?? '';
    expect(text).toMatch(
      /^A peer is registered with the membership service, but no traffic from it arrives here: Ann \(10\.0\.0\.3:4000\)\./,
    );
    expect(text).not.toContain('Dan');
    expect(text).toMatch(/a firewall on this machine or on theirs drops UDP/);
    // A shorter grace (a probe that listened for 1 s) names Dan too.
    expect(message({ peers: [ann, dan], silentAfterMs: 1000 }, 'silent-peers')).toMatch(
      /^2 peers are registered .* no traffic from them arrives here: Ann .*, Dan /,
    );
    // Peers advertising loopback to a LAN service: another cause, another remedy.
    const local = { ...ann, address: '127.0.0.1:4000' };
    expect(message({ peers: [local] }, 'silent-peers')).toMatch(/they advertise a loopback address/);
    // While the membership service is away, its last view is stale: nobody is called silent.
    expect(kinds({ peers: [ann], membership: { ...SERVING, state: 'lost' } })).toEqual([
      'membership-unreachable',
    ]);
  });

  it('names loopback only, unless loopback is what the user chose', () => {
    const alone: MembershipService = { ...SERVING, address: '127.0.0.1:7070' };
    expect(kinds({ interface: LO, membership: alone, peers: [] })).toEqual(['loopback-only']);
    expect(message({ interface: LO, membership: alone, peers: [] }, 'loopback-only')).toMatch(
      /^This host uses the loopback interface \(lo 127\.0\.0\.1\): nobody on another machine can reach it/,
    );
    // --interface lo, or --gms on this machine's loopback: a single-machine setup.
    expect(kinds({ interface: { ...LO, chosenBy: 'option' }, membership: alone })).toEqual([]);
    const onLoopback: MembershipService = { ...alone, foundBy: 'option', servedHere: false };
    expect(kinds({ interface: { ...LO, chosenBy: 'route' }, membership: onLoopback })).toEqual([]);
  });

  it('names several problems at once, the most basic first', () => {
    expect(
      kinds({
        interface: LO,
        membership: { ...SERVING, state: 'lost' },
        regions: [{ region: 'r', transport: 'unicast', members: 2 }],
      }),
    ).toEqual(['membership-unreachable', 'loopback-only', 'multicast-blocked']);
  });
});

describe('the workspace in the status', () => {
  it('carries the workspace, and names a refused registration "not a member", not unreachable', () => {
    const workspace = { id: 'ab'.repeat(16), name: 'Design' };
    expect(networkStatus({ ...healthy, workspace }).workspace).toEqual(workspace);
    const refused = networkStatus({
      ...healthy,
      workspace,
      membership: {
        address: '10.0.0.7:7070',
        foundBy: 'option',
        servedHere: false,
        state: 'connecting',
        detail: 'MembershipRefusedError: the membership service refused this node: its key does not match',
      },
    });
    expect(refused.problems).toEqual([
      {
        kind: 'not-member',
        message:
          'This machine is not a member of the workspace served at 10.0.0.7:7070: ask a member for an ' +
          'invitation (`liveobjects invite` on their machine), then open it or run `liveobjects join FILE`.',
      },
    ]);
    expect(LanNetworkStatus.parse(refused)).toEqual(refused);
    // As the engine's client reports it on a reconnection.
    const again = networkStatus({
      ...healthy,
      membership: {
        ...refused.membership,
        detail:
          'the membership service at 10.0.0.7:7070 refused this node: it runs without a workspace key, ' +
          'and this node holds one',
      },
    });
    expect(again.problems.map((p) => p.kind)).toEqual(['not-member']);
    // Only a refusal: another error is still the service being unreachable.
    const down = networkStatus({ ...healthy, membership: { ...refused.membership, detail: 'ECONNREFUSED' } });
    expect(down.problems.map((p) => p.kind)).toEqual(['membership-unreachable']);
  });
});
