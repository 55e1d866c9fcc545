// The lab of simulated machines itself: real namespaces, veth pairs and a bridge (root only;
// elsewhere every test is skipped with the reason).
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './liveobjects';
import { NetLab, sweepStaleLabs, whyNoNamespaces } from './netns';
import type { Machine } from './netns';
import { ManagedProcess } from './processes';
import { waitFor } from './wait';

const noLab = await whyNoNamespaces();

/** Receives on PORT (unicast) and GROUP:PORT (joined on IFACE); prints each datagram. */
const RECEIVER = `
  const [group, port, iface] = process.argv.slice(1);
  const s = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
  s.on('message', (m) => console.log(JSON.stringify({ got: m.toString() })));
  s.bind(Number(port), () => {
    s.addMembership(group, iface);
    console.log(JSON.stringify({ ready: true }));
  });`;

/** Sends N datagrams to GROUP:PORT and N to TARGET:PORT, interleaved, then 'end' to TARGET. */
const SENDER = `
  const [group, port, iface, target, n] = process.argv.slice(1);
  const s = require('node:dgram').createSocket('udp4');
  s.bind(0, iface, () => {
    s.setMulticastInterface(iface);
    s.setMulticastTTL(1);
    for (let i = 0; i < Number(n); i++) {
      s.send('multicast ' + i, Number(port), group);
      s.send('unicast ' + i, Number(port), target);
    }
    s.send('end', Number(port), target, () => s.close());
  });`;

const GROUP = '239.254.77.7';
const PORT = 45_777;
const N = 20;

/**
 * What `to` receives of N multicast and N unicast datagrams `from` sends it: counted when the
 * unicast 'end' that follows them arrives (one link, one bridge: datagrams stay in order).
 */
async function deliveries(from: Machine, to: Machine): Promise<{ multicast: number; unicast: number }> {
  const receiver =
    from === to
      ? undefined
      : to.spawn(`receiver on ${to.name}`, process.execPath, [
          '-e',
          RECEIVER,
          GROUP,
          String(PORT),
          to.address,
        ]);
  if (!receiver) throw new Error('a machine does not send to itself here');
  try {
    await receiver.waitForJson((m) => m['ready'] === true, 10_000, 'ready');
    const counts = { multicast: 0, unicast: 0 };
    receiver.onJson((m) => {
      const kind = String(m['got']).split(' ')[0];
      if (kind === 'multicast' || kind === 'unicast') counts[kind]++;
    });
    const sender = from.spawn(`sender on ${from.name}`, process.execPath, [
      '-e',
      SENDER,
      GROUP,
      String(PORT),
      from.address,
      to.address,
      String(N),
    ]);
    await receiver.waitForJson((m) => m['got'] === 'end', 10_000, "the 'end' datagram");
    await sender.exited;
    return counts;
  } finally {
    await receiver.stop();
  }
}

function names(command: string[]): string {
  return execFileSync('ip', command, { encoding: 'utf8' });
}

describe('NetLab', () => {
  const labs: NetLab[] = [];
  const create = async (machines: number | string[]): Promise<NetLab> => {
    const lab = await NetLab.create({ machines });
    labs.push(lab);
    return lab;
  };
  beforeAll(() => {
    if (noLab) console.log(`netlab tests skipped: ${noLab}`);
  });
  afterEach(async () => {
    await Promise.all(labs.splice(0).map((lab) => lab.dispose()));
  });

  it('makes machines that reach each other by unicast and multicast, two labs apart, and removes them', async ({
    skip,
  }) => {
    skip(noLab !== undefined, noLab);
    const [one, two] = await Promise.all([create(['alice', 'bob']), create(2)]);
    expect(one.prefix).not.toBe(two.prefix);
    expect(one.subnet).not.toBe(two.subnet);
    expect(one.subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
    const [alice, bob] = one.machines as [Machine, Machine];
    expect(alice.namespace).toBe(`${one.prefix}alice`);
    expect(two.machines.map((m) => m.name)).toEqual(['m1', 'm2']);

    const inside = await alice.run('ip', ['-j', 'addr', 'show']);
    const links = JSON.parse(inside.stdout) as Array<{
      ifname: string;
      operstate: string;
      mtu: number;
      flags: string[];
      addr_info: Array<{ family: string; local: string }>;
    }>;
    const lo = links.find((l) => l.ifname === 'lo');
    const eth0 = links.find((l) => l.ifname === 'eth0');
    expect(lo?.flags).toContain('UP');
    expect(eth0?.operstate).toBe('UP');
    expect(eth0?.mtu).toBe(1500);
    expect(eth0?.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual([alice.address]);

    expect(await deliveries(alice, bob)).toEqual({ multicast: N, unicast: N });

    const created = [...one.machines, ...two.machines].map((m) => m.namespace);
    expect(names(['netns', 'list'])).toContain(alice.namespace);
    await Promise.all(labs.splice(0).map((lab) => lab.dispose()));
    const netns = names(['netns', 'list']);
    const linkNames = names(['-br', 'link', 'show']);
    for (const ns of created) expect(netns).not.toContain(ns);
    for (const prefix of [one.prefix, two.prefix]) expect(linkNames).not.toContain(prefix);
  });

  it('blocks multicast to one machine at the bridge while unicast passes, and unblocks it', async ({
    skip,
  }) => {
    skip(noLab !== undefined, noLab);
    const lab = await create(['alice', 'bob']);
    const [alice, bob] = lab.machines as [Machine, Machine];

    await lab.blockMulticast(bob);
    expect(await lab.multicastFlood(bob)).toBe(false);
    expect(await deliveries(alice, bob)).toEqual({ multicast: 0, unicast: N });
    // Only what goes to Bob is blocked: his own multicast still reaches Alice.
    expect(await deliveries(bob, alice)).toEqual({ multicast: N, unicast: N });

    await lab.unblockMulticast(bob);
    expect(await lab.multicastFlood(bob)).toBe(true);
    expect(await deliveries(alice, bob)).toEqual({ multicast: N, unicast: N });
  });

  it('unplugs a machine and plugs it back', async ({ skip }) => {
    skip(noLab !== undefined, noLab);
    const lab = await create(['alice', 'bob']);
    const [alice, bob] = lab.machines as [Machine, Machine];

    await lab.unplug(bob);
    const unplugged = await bob.run('ip', ['-br', 'link', 'show']);
    expect(unplugged.stdout).not.toContain('eth0');
    // Alice's datagrams go nowhere: Bob has no address to receive them on.
    const receiver = bob.spawn('receiver', process.execPath, [
      '-e',
      RECEIVER,
      GROUP,
      String(PORT),
      '127.0.0.1',
    ]);
    await receiver.waitForJson((m) => m['ready'] === true, 10_000, 'ready');
    const send = await alice.run(
      process.execPath,
      ['-e', SENDER, GROUP, String(PORT), alice.address, bob.address, '3'],
      { timeoutMs: 10_000 },
    );
    expect(send.code).toBe(0);
    expect(receiver.stdout.filter((l) => l.includes('got'))).toEqual([]);
    await receiver.stop();

    await lab.plug(bob);
    // Alice's kernel gave up resolving Bob's address while he was away: it drops what it queued
    // beyond a few datagrams while it asks again, as it would for a real machine plugged back.
    const back = await waitFor('Bob to get everything again', async () => {
      const got = await deliveries(alice, bob);
      return got.unicast === N && got;
    });
    expect(back).toEqual({ multicast: N, unicast: N });
  });

  it('runs a process on a machine with its own pid, so signals reach it', async ({ skip }) => {
    skip(noLab !== undefined, noLab);
    const lab = await create(1);
    const [m1] = lab.machines as [Machine];
    const p = m1.spawn('sleeper', process.execPath, [
      '-e',
      'console.log(process.pid); setInterval(() => {}, 1000)',
    ]);
    const [line] = await p.waitForLine(/^\d+$/);
    expect(Number(line)).toBe(p.pid);
    expect((await p.stop()).signal).toBe('SIGTERM');
  });

  it('lets several processes make and remove labs at once without touching each other’s', async ({
    skip,
  }) => {
    skip(noLab !== undefined, noLab);
    // Each creation sweeps what dead owners left; a sweep must never take a namespace of a lab
    // another live process is creating at that moment.
    const churners = [1, 2, 3].map(
      (i) =>
        new ManagedProcess(
          `churner ${i}`,
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', CHURNER, '15'],
          { cwd: ROOT },
        ),
    );
    const statuses = await Promise.all(churners.map((p) => p.closed));
    for (const [i, status] of statuses.entries()) {
      expect(status.code, churners[i]?.stderr.join('\n')).toBe(0);
      expect(churners[i]?.stdout).toContain(JSON.stringify({ done: true }));
    }
  });

  it('removes its labs when the owner is interrupted, and sweeps those of an owner that was killed', async ({
    skip,
  }) => {
    skip(noLab !== undefined, noLab);
    const owner = (label: string): ManagedProcess =>
      new ManagedProcess(label, process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OWNER], {
        cwd: ROOT,
      });
    const interrupted = owner('interrupted owner');
    const killed = owner('killed owner');
    const prefixOf = async (p: ManagedProcess): Promise<string> =>
      String((await p.waitForJson((m) => typeof m['prefix'] === 'string', 30_000, 'its lab'))['prefix']);
    const [a, b] = await Promise.all([prefixOf(interrupted), prefixOf(killed)]);
    expect(names(['netns', 'list'])).toContain(`${a}m1`);

    interrupted.signal('SIGINT');
    expect((await interrupted.exited).signal).toBe('SIGINT');
    expect(names(['netns', 'list'])).not.toContain(`${a}m1`);
    expect(names(['-br', 'link', 'show'])).not.toContain(`${a}br`);

    await killed.kill();
    expect(names(['netns', 'list'])).toContain(`${b}m1`);
    const swept = await sweepStaleLabs();
    expect(swept).toEqual(expect.arrayContaining([`${b}m1`, `${b}m2`, `${b}br`]));
    await waitFor(
      'the killed owner’s lab to be gone',
      () => !names(['netns', 'list']).includes(b) && !names(['-br', 'link', 'show']).includes(b),
    );
  });
});

/** A process that makes and removes ROUNDS labs one after the other, then says so. */
const CHURNER = `
  import { NetLab } from './testing/netns.ts';
  for (let i = 0; i < Number(process.argv[1]); i++) {
    const lab = await NetLab.create({ machines: 2 });
    await lab.dispose();
  }
  console.log(JSON.stringify({ done: true }));`;

/** A process that makes a lab, says its prefix and waits. */
const OWNER = `
  import { NetLab } from './testing/netns.ts';
  const lab = await NetLab.create({ machines: 2 });
  console.log(JSON.stringify({ prefix: lab.prefix }));
  setInterval(() => {}, 1000);`;
