// `liveobjects doctor` as users run it: a real process against a membership service on loopback
// with a peer node in the hosts group, against an address where none listens, and finding one
// by DNS-SD (a host in this process serving it; loopback addresses, a private mDNS port).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LanNetworkStatus, NatsNetworkStatus } from '../../src-shared/bridge/network';
import { createHost } from '../host/host';
import { freeUdpPort, loopbackAddresses } from '../host/network/testing/loopback';
import { FAST, tempHome } from '../host/test-helpers';
import { CLI, ROOT, privateNetworkArgs, spawnCli, startGms } from '../../testing/liveobjects';
import type { GmsProcess } from '../../testing/liveobjects';
import { freeTcpPort } from '../../testing/ports';
import { runCommand } from '../../testing/processes';
import type { ManagedProcess } from '../../testing/processes';
import { HOSTS_GROUP } from '../host/presence';
import { newWorkspace } from '../host/workspace';

/** Runs `liveobjects doctor ARGS` with a home (default: one that joined the test workspace, no
 * registry.json of the user's); a run longer than the bound counts as a hang. */
async function doctorIn(env: NodeJS.ProcessEnv, args: readonly string[], home = tempHome()) {
  const started = performance.now();
  const result = await runCommand(process.execPath, [CLI, 'doctor', '--home', home, ...args], {
    cwd: ROOT,
    env,
    timeoutMs: 20_000,
  });
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

const doctor = (...args: string[]) => doctorIn(process.env, args);

describe('liveobjects doctor', () => {
  let gms: GmsProcess;
  let peer: ManagedProcess;

  beforeAll(async () => {
    // The service and the peer are the test workspace's, as the doctor's home is.
    const workspace = ['--workspace', tempHome()];
    gms = await startGms({ args: [...privateNetworkArgs(), ...workspace] });
    // A peer in the hosts group that keeps sending: its traffic arrives.
    peer = spawnCli('peer node', [
      'node',
      ...workspace,
      '--gms',
      gms.address,
      '--to',
      HOSTS_GROUP,
      '--send',
      '5',
      '--size',
      '16',
    ]);
    await peer.waitForLine(/"t":"ready"/, 30_000);
  }, 60_000);

  afterAll(async () => {
    await peer?.stop();
    await gms?.proc.stop();
  });

  it('reports a healthy loopback setup: the interface, the service, the peer heard; exit 0', async () => {
    const r = await doctor('--gms', gms.address, '--timeout', '3');
    expect(r.stderr).toContain(`doctor: registering with ${gms.address}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Interface\n {2}\S+ 127\.0\.0\.1, MTU \d+: on the route to the membership service$/m,
    );
    expect(r.stdout).toContain(`Membership service\n  ${gms.address}: given with --gms\n  connected`);
    expect(r.stdout).toMatch(/^Transport\n {2}multicast \(1 region\)$/m);
    expect(r.stdout).toMatch(/^Peers \(1\)\n {2}node 127\.0\.0\.1:\d+\/\w+ +127\.0\.0\.1:\d+ +heard$/m);
    expect(r.stdout).toMatch(/No problems found\.$/);
    expect(r.seconds).toBeLessThan(10);
  });

  it('prints the LanNetworkStatus as JSON with --json', async () => {
    const r = await doctor('--gms', gms.address, '--json', '--timeout', '2');
    expect(r.code, r.stderr).toBe(0);
    const status = LanNetworkStatus.parse(JSON.parse(r.stdout));
    expect(status.interface).toMatchObject({ address: '127.0.0.1', loopback: true, chosenBy: 'route' });
    expect(status.membership).toEqual({
      address: gms.address,
      foundBy: 'option',
      servedHere: false,
      state: 'connected',
    });
    expect(status.peers).toEqual([expect.objectContaining({ heard: true })]);
    expect(status.problems).toEqual([]);
  });

  it('names the problem when no membership service answers, exit 1, without waiting long', async () => {
    const port = await freeTcpPort();
    const r = await doctor('--gms', `127.0.0.1:${port}`, '--json');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`doctor: 127.0.0.1:${port}: nothing listens there`);
    const status = LanNetworkStatus.parse(JSON.parse(r.stdout));
    expect(status.problems.map((p) => p.kind)).toEqual(['membership-unreachable']);
    expect(status.problems[0]?.message).toContain(
      `The membership service at 127.0.0.1:${port} does not answer`,
    );
    expect(r.seconds).toBeLessThan(10);

    const text = await doctor('--gms', `127.0.0.1:${port}`);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /\n\nProblem\n {2}1\. {2}The membership service at 127\.0\.0\.1:\d+ does not answer/,
    );
  });

  // Needs the engine's authentication (wire-auth): without it the service cannot tell a key.
  it('names a home of another workspace "not a member" of the service, and says to ask for an invitation', async () => {
    const r = await doctorIn(
      process.env,
      ['--gms', gms.address, '--json', '--timeout', '3'],
      tempHome({ workspace: null }),
    );
    expect(r.code).toBe(1);
    const status = LanNetworkStatus.parse(JSON.parse(r.stdout));
    expect(status.problems.map((p) => p.kind)).toEqual(['not-member']);
    expect(status.problems[0]?.message).toContain(
      `This machine is not a member of the workspace served at ${gms.address}: ask a member for an invitation`,
    );
  });

  it('answers bad options with a usage error, exit 2', async () => {
    const r = await doctor('--gms', 'nowhere');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("liveobjects doctor: --gms expects HOST:PORT, got 'nowhere'");
    const slow = await doctor('--timeout', '0');
    expect(slow.code).toBe(2);
    expect(slow.stderr).toContain('--timeout expects a number of seconds from 1 to 600');
  });
});

describe('liveobjects doctor without --gms', () => {
  it('finds the membership service a host serves by DNS-SD, and names none found on another LAN', async () => {
    const mdnsPort = await freeUdpPort();
    const [served, probe] = loopbackAddresses(2) as [string, string];
    const alice = await createHost({
      shell: 'web',
      home: tempHome(),
      userName: 'Alice',
      interface: served,
      network: { mdnsPort },
      ...FAST,
    });
    try {
      const env = { ...process.env, LIVEOBJECTS_MDNS_PORT: String(mdnsPort) };
      const r = await doctorIn(env, ['--interface', probe, '--json', '--timeout', '4']);
      expect(r.stderr).toContain(`doctor: membership: found ${served}:7070 by DNS-SD`);
      expect(r.code, r.stderr).toBe(0);
      const status = LanNetworkStatus.parse(JSON.parse(r.stdout));
      expect(status.interface).toMatchObject({ address: probe, chosenBy: 'option' });
      expect(status.membership).toEqual({
        address: `${served}:7070`,
        foundBy: 'dns-sd',
        servedHere: false,
        state: 'connected',
      });
      expect(status.peers).toEqual([
        { id: alice.nodeId, name: 'Alice', address: expect.stringMatching(`^${served}:`), heard: true },
      ]);

      // Another private mDNS port: a LAN where nobody serves one.
      const elsewhere = { ...process.env, LIVEOBJECTS_MDNS_PORT: String(await freeUdpPort()) };
      const none = await doctorIn(elsewhere, ['--interface', probe, '--json', '--timeout', '3']);
      expect(none.code, none.stderr).toBe(1);
      const lonely = LanNetworkStatus.parse(JSON.parse(none.stdout));
      expect(lonely.membership).toMatchObject({ address: '', foundBy: 'dns-sd', state: 'connecting' });
      expect(lonely.problems.map((p) => p.kind)).toEqual(['membership-unreachable']);
      expect(lonely.problems[0]?.message).toMatch(/^No membership service answered on this network/);
      expect(none.seconds).toBeLessThan(10);

      // The same LAN, from a home of another workspace: Alice's service is none of its own.
      const stranger = await doctorIn(
        env,
        ['--interface', probe, '--json', '--timeout', '3'],
        tempHome({ workspace: newWorkspace('another team') }),
      );
      expect(stranger.code, stranger.stderr).toBe(1);
      const outsider = LanNetworkStatus.parse(JSON.parse(stranger.stdout));
      expect(outsider.workspace).toMatchObject({ name: 'another team' });
      expect(outsider.membership).toMatchObject({ address: '', foundBy: 'dns-sd', state: 'connecting' });
      expect(stranger.stderr).not.toContain(`found ${served}:7070`);
    } finally {
      await alice.close();
    }
  });
});

describe('liveobjects doctor on a NATS platform', () => {
  it('reports the NATS platform and its connection instead of the LAN; exit 1 when it cannot connect', async () => {
    const r = await doctor('--platform', 'nats://127.0.0.1:1', '--json', '--timeout', '1');
    expect(r.code).toBe(1);
    const status = NatsNetworkStatus.parse(JSON.parse(r.stdout));
    // Nothing listens on port 1: whatever the client's state at the end, it is not connected.
    expect(status.platform).toMatchObject({ kind: 'nats', servers: ['nats://127.0.0.1:1'], given: 'option' });
    expect(status.platform.state).not.toBe('connected');
    expect(status.problems.map((p) => p.kind)).toEqual(['nats-unreachable']);
    expect(r.stderr).toContain('doctor: connecting to the NATS platform at nats://127.0.0.1:1');
    expect(r.stderr).not.toMatch(/membership service/);
  });

  it('refuses --platform with LAN options, and bad URLs: exit 2', async () => {
    const both = await doctor('--platform', 'nats://hub:4222', '--interface', 'lo');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--platform runs this host on NATS only, so --interface does not apply');
    const bad = await doctor('--bridge', 'ftp://hub');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--bridge expects nats:// or tls:// URLs, not ftp://, got 'ftp://hub'");
  });
});
