// GmsClient.retarget: a node moves to another membership service (a successor after the one
// serving it is gone, or the winner when two services meet) and keeps its groups and state.
import { afterEach, describe, expect, it } from 'vitest';
import type { MembershipState } from '../membership';
import { GmsClient } from './client';
import type { GmsConnection } from './client';
import { GmsServer } from './server';
import type { GmsServerOptions } from './server';
import { waitFor } from '../../../testing/wait';

const fast = { heartbeatMs: 50, suspectMs: 400, batchMs: 20 };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: GmsServerOptions = {}): Promise<{ server: GmsServer; port: number }> {
  const s = new GmsServer({ ...fast, ...options });
  const { port } = await s.start();
  cleanups.push(() => s.close());
  return { server: s, port };
}

/** A client in group A whose states and connection changes are recorded. */
function member(name: string, port: number) {
  const c = new GmsClient({
    gms: { host: '127.0.0.1', port },
    self: { id: `${name}/1`, host: '127.0.0.1', port: 1000 + name.charCodeAt(0) },
    heartbeatIntervalMs: 50,
    reconnectDelayMs: 30,
    maxReconnectDelayMs: 100,
  });
  c.join('A');
  const epochs: number[] = [];
  const connections: GmsConnection[] = [];
  c.onState((s) => epochs.push(s.epoch));
  c.onConnection((e) => connections.push(e));
  cleanups.push(() => c.close());
  return { client: c, epochs, connections };
}

const membersOfA = (c: GmsClient): readonly string[] =>
  c.current?.groups.find((g) => g.group === 'A')?.members ?? [];

describe('GmsClient.retarget', () => {
  it('moves a node to another live GMS with its groups; epochs only go up', async () => {
    const first = await server();
    const second = await server();
    const a = member('a', first.port);
    const b = member('b', first.port);
    const lone = member('z', second.port);
    await Promise.all([a.client.start(), b.client.start(), lone.client.start()]);
    await waitFor('a and b together', () => membersOfA(a.client).length === 2);
    // The second GMS numbers its epochs from its own clock; moving there must not go back.
    a.client.retarget({ host: '127.0.0.1', port: second.port });
    b.client.retarget({ host: '127.0.0.1', port: second.port });
    expect(a.client.target).toEqual({ host: '127.0.0.1', port: second.port });
    await waitFor('all three on the second GMS', () =>
      [a, b, lone].every((m) => membersOfA(m.client).join() === 'a/1,b/1,z/1'),
    );
    for (const m of [a, b]) {
      expect([...m.epochs].sort((x, y) => x - y)).toEqual(m.epochs);
      expect(new Set(m.epochs).size).toBe(m.epochs.length);
      expect(m.connections.filter((e) => e.connected).map((e) => e.gms.port)).toEqual([
        first.port,
        second.port,
      ]);
    }
    expect(second.server.stats().nodes).toBe(3);
    await waitFor('the first GMS to see them go', () => first.server.stats().nodes === 0);
  });

  it('after the GMS is gone, survivors keep their state and all appear in the successor’s first view', async () => {
    const first = await server();
    const a = member('a', first.port);
    const b = member('b', first.port);
    await Promise.all([a.client.start(), b.client.start()]);
    await waitFor('a and b together', () => membersOfA(b.client).length === 2);
    const before = a.client.current as MembershipState;
    await first.server.close();
    await waitFor('both to notice', () => [a, b].every((m) => m.connections.at(-1)?.connected === false));
    expect(a.client.current).toBe(before);
    expect(a.connections.at(-1)?.error).toBeTruthy();
    // The successor comes up; one survivor moves at once, the other 150 ms later.
    const successor = await server({ restartGraceMs: 400 });
    const installs: number[] = [];
    successor.server.onEpoch((s) => installs.push(s.nodes));
    a.client.retarget({ host: '127.0.0.1', port: successor.port });
    await new Promise((r) => setTimeout(r, 150));
    b.client.retarget({ host: '127.0.0.1', port: successor.port });
    await waitFor('both on the successor', () =>
      [a, b].every(
        (m) => m.connections.at(-1)?.connected && m.connections.at(-1)?.gms.port === successor.port,
      ),
    );
    // The grace kept the first view from excluding the survivor that came 150 ms later.
    expect(installs[0]).toBe(2);
    expect(membersOfA(a.client)).toEqual(['a/1', 'b/1']);
    expect((a.client.current as MembershipState).epoch).toBeGreaterThan(before.epoch);
  });

  it('refuses to give a loopback address to a membership service on another machine', () => {
    const c = member('c', 1).client;
    expect(() => c.retarget({ host: '10.0.0.5', port: 7070 })).toThrow(
      /127\.0\.0\.1 is loopback, but the membership service at 10\.0\.0\.5:7070 is not/,
    );
    expect(c.target).toEqual({ host: '127.0.0.1', port: 1 });
    expect(
      () =>
        new GmsClient({
          gms: { host: '192.168.1.2', port: 7070 },
          self: { id: 'x', host: '127.0.0.1', port: 1 },
        }),
    ).toThrow(/is loopback/);
  });
});
