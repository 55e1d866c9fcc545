import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { MembershipState, NodeInfo } from '../membership';
import { GmsClient } from './client';
import { startEmbeddedGms, fetchGmsStats, probeGms } from './embedded';
import { encodeFrame } from './framing';
import { regionIdOf } from './regions';
import { GmsServer } from './server';
import { mappingErrors, summarize } from './testing/summary';
import { delay, waitFor } from '../../../testing/wait';

const fast = { heartbeatMs: 50, suspectMs: 400, batchMs: 20 };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(port = 0): Promise<{ server: GmsServer; port: number }> {
  const server = new GmsServer({ ...fast, port });
  const address = await server.start();
  cleanups.push(() => server.close());
  return { server, port: address.port };
}

function node(name: string): NodeInfo {
  return { id: `${name}/1`, host: '127.0.0.1', port: 1000 + Number(name.slice(1)) };
}

function client(port: number, name: string, groups: string[] = [], reconnectDelayMs = 30): GmsClient {
  const c = new GmsClient({
    gms: { host: '127.0.0.1', port },
    self: node(name),
    heartbeatIntervalMs: 50,
    reconnectDelayMs,
    maxReconnectDelayMs: Math.max(100, reconnectDelayMs),
    connectTimeoutMs: 2000,
  });
  for (const g of groups) c.join(g);
  cleanups.push(() => c.close());
  return c;
}

// n1 {A}  n2 {A}  n3 {A,B}  n4 {A,B}  n5 {B,C}  n6 {C}
const layout: Record<string, string[]> = {
  n1: ['A'],
  n2: ['A'],
  n3: ['A', 'B'],
  n4: ['A', 'B'],
  n5: ['B', 'C'],
  n6: ['C'],
};
const A = ['n1/1', 'n2/1', 'n3/1', 'n4/1'];
const B = ['n3/1', 'n4/1', 'n5/1'];
const C = ['n5/1', 'n6/1'];
const rA = ['n1/1', 'n2/1'];
const rAB = ['n3/1', 'n4/1'];
const rBC = ['n5/1'];
const rC = ['n6/1'];
const expected: Record<string, ReturnType<typeof summarize>> = {
  n1: { groups: { A }, regions: { A: rA, 'A+B': rAB } },
  n2: { groups: { A }, regions: { A: rA, 'A+B': rAB } },
  n3: { groups: { A, B }, regions: { A: rA, 'A+B': rAB, 'B+C': rBC } },
  n4: { groups: { A, B }, regions: { A: rA, 'A+B': rAB, 'B+C': rBC } },
  n5: { groups: { B, C }, regions: { 'A+B': rAB, 'B+C': rBC, C: rC } },
  n6: { groups: { C }, regions: { 'B+C': rBC, C: rC } },
};

/** `slow`: a node that waits 500 ms before reconnecting (so views without it are seen). */
async function startSix(port: number, slow?: string): Promise<Record<string, GmsClient>> {
  const clients = Object.fromEntries(
    Object.entries(layout).map(([name, groups]) => [
      name,
      client(port, name, groups, name === slow ? 500 : 30),
    ]),
  );
  await Promise.all(Object.values(clients).map((c) => c.start()));
  return clients;
}

function converged(clients: Record<string, GmsClient>, want = expected): boolean {
  return Object.entries(want).every(([name, summary]) => {
    const state = clients[name]?.current;
    return state !== undefined && isDeepStrictEqual(summarize(state), summary);
  });
}

describe('GmsServer + GmsClient in process', () => {
  it('gives 6 nodes in 3 overlapping groups the expected group and region views', async () => {
    const { server, port } = await startServer();
    const clients = await startSix(port);
    await waitFor('the expected views', () => converged(clients), { timeout: 5_000 });
    for (const c of Object.values(clients)) {
      expect(mappingErrors(c.current as MembershipState)).toEqual([]);
      const regions = (c.current as MembershipState).regions;
      for (const r of regions) expect(r.multicast.address).toMatch(/^239\.255\./);
    }
    // Every node agrees on each region's view, including its multicast address and ranks.
    const byRegion = new Map<string, string>();
    for (const c of Object.values(clients)) {
      for (const r of (c.current as MembershipState).regions) {
        const seen = byRegion.get(r.region);
        if (seen) expect(JSON.stringify(r)).toBe(seen);
        else byRegion.set(r.region, JSON.stringify(r));
      }
    }
    expect(server.stats()).toMatchObject({ nodes: 6, groups: 3, regions: 4, malformedFrames: 0 });
  });

  it('sends incremental updates only to the nodes concerned', async () => {
    const { port } = await startServer();
    const clients = await startSix(port);
    await waitFor('the expected views', () => converged(clients), { timeout: 5_000 });
    const states: Record<string, MembershipState[]> = {};
    for (const [name, c] of Object.entries(clients)) c.onState((s) => (states[name] ??= []).push(s));
    const before = clients.n1?.current as MembershipState;
    // n6 joins D: only C's members (n5, n6) see a change; n1 (only in A) hears nothing.
    clients.n6?.join('D');
    clients.n6?.join('D'); // idempotent
    await waitFor('n6 to be in C and D', () => (clients.n6?.current?.groups.length ?? 0) === 2, {
      timeout: 5_000,
    });
    await waitFor('n5 to hear of the change', () => (states.n5?.length ?? 0) > 0, { timeout: 5_000 });
    await delay(100);
    expect(states.n1 ?? []).toHaveLength(0);
    expect(states.n6).toHaveLength(1);
    const n6 = clients.n6?.current as MembershipState;
    expect(n6.epoch).toBeGreaterThan(before.epoch);
    expect(summarize(n6)).toEqual({
      groups: { C, D: ['n6/1'] },
      regions: { 'B+C': rBC, 'C+D': ['n6/1'] },
    });
    const groupC = n6.groups.find((g) => g.group === 'C');
    const oldC = clients.n5?.current?.groups.find((g) => g.group === 'C');
    expect(groupC?.viewId).toBe(oldC?.viewId);
    // n6 leaves D again: its old region id comes back with a fresh, higher view id.
    clients.n6?.leave('D');
    clients.n6?.leave('D');
    await waitFor('n6 to leave D', () => (clients.n6?.current?.groups.length ?? 0) === 1, { timeout: 5_000 });
    expect(summarize(clients.n6?.current as MembershipState)).toEqual(expected.n6);
  });

  it('removes a node at once when its connection closes, and a silent one after the suspect timeout', async () => {
    const { server, port } = await startServer();
    const clients = await startSix(port);
    await waitFor('the expected views', () => converged(clients), { timeout: 5_000 });
    await clients.n2?.close();
    await waitFor(
      'n2 to go',
      () => summarize(clients.n1?.current as MembershipState).groups.A?.length === 3,
      { timeout: 5_000 },
    );
    const t0 = Date.now();
    // A raw node that registers and then never heartbeats.
    const raw = connect({ host: '127.0.0.1', port });
    cleanups.push(() => void raw.destroy());
    await new Promise((resolve) => raw.once('connect', resolve));
    raw.write(encodeFrame({ t: 'register', v: 1, node: node('n9'), groups: ['A'], lastEpoch: 0 }));
    await waitFor(
      'n9',
      () => summarize(clients.n1?.current as MembershipState).groups.A?.includes('n9/1') === true,
      { timeout: 5_000 },
    );
    await waitFor(
      'n9 to be suspected',
      () => summarize(clients.n1?.current as MembershipState).groups.A?.length === 3,
      { timeout: 5_000 },
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(fast.suspectMs);
    expect(server.stats().nodes).toBe(5);
  });

  it('excludes a member on the report of a node of its region (or a sender to it), logs who asked, and lets it re-register', async () => {
    const log: string[] = [];
    const server = new GmsServer({ ...fast, log: (line) => log.push(line) });
    const { port } = await server.start();
    cleanups.push(() => server.close());
    const clients = await startSix(port, 'n3');
    await waitFor('the expected views', () => converged(clients), { timeout: 5_000 });
    const seen: MembershipState[] = [];
    clients.n1!.onState((state) => seen.push(state));
    const report = (from: string, member: string, groups: string[], viewId?: number): void => {
      const region = regionIdOf(groups);
      viewId ??= clients[from]!.current!.regions.find((r) => r.region === region)?.viewId ?? 0;
      clients[from]!.exclude({ member, region, viewId, groups, reason: 'test report' });
    };
    report('n6', 'n1/1', ['A']); // n6 is not in region A and sends to no group of it
    report('n1', 'n6/1', ['A']); // n6 is not a member of region A
    report('n2', 'n2/1', ['A']); // itself
    report('n1', 'n2/1', ['A'], 1); // about a view of region A long gone
    await waitFor('four refusals', () => log.filter((l) => l.includes('refused')).length === 4, {
      timeout: 5_000,
    });
    expect(log.filter((l) => l.includes('refused'))).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'n6/1 asked to exclude n1/1; refused: the reporter neither belongs to region',
        ),
        expect.stringContaining('n1/1 asked to exclude n6/1; refused: n6/1 is not a member of region'),
        expect.stringContaining('n2/1 asked to exclude n2/1; refused: a node cannot exclude itself'),
        expect.stringMatching(
          /n1\/1 asked to exclude n2\/1; refused: the report is about view 1 of region \S+, now at/,
        ),
      ]),
    );
    expect(server.exclusions).toBe(0);
    const told: string[] = [];
    clients.n3!.onConnection((c) => told.push(c.error ?? ''));
    // n1 sends to group A, which spans region A+B: it may report n3 there.
    report('n1', 'n3/1', ['A', 'B']);
    await waitFor('n3 excluded', () => server.exclusions === 1, { timeout: 5_000 });
    expect(log.find((l) => l.includes('excluding'))).toBe(
      `gms: n1/1 reports n3/1 holding back stability in region ${regionIdOf(['A', 'B'])} (test report); excluding it`,
    );
    await waitFor(
      'a view of A without n3',
      () => seen.some((state) => summarize(state).groups.A?.includes('n3/1') === false),
      { timeout: 5_000 },
    );
    // The excluded member is told why, and as a live member re-registers and is back.
    await waitFor('n3 to lose its connection', () => told.length > 0, { timeout: 5_000 });
    expect(told[0]).toMatch(/^GMS error: excluded: n1\/1 reports n3\/1 holding back stability/);
    await waitFor('n3 back', () => converged(clients) && clients.n3!.stats.registrations >= 2, {
      timeout: 5_000,
    });
  });

  it('keeps the last state across a GMS restart and then installs a higher epoch with the same regions', async () => {
    const first = await startServer();
    const clients = await startSix(first.port);
    await waitFor('the expected views', () => converged(clients), { timeout: 5_000 });
    const before = Object.fromEntries(
      Object.entries(clients).map(([n, c]) => [n, c.current as MembershipState]),
    );
    await first.server.close();
    await delay(150);
    for (const [name, c] of Object.entries(clients)) expect(c.current).toBe(before[name]);
    await startServer(first.port);
    await waitFor(
      'views after the restart',
      () => converged(clients) && Object.entries(clients).every(([n, c]) => c.current !== before[n]),
      { timeout: 5_000 },
    );
    for (const [name, c] of Object.entries(clients)) {
      const now = c.current as MembershipState;
      const old = before[name] as MembershipState;
      expect(now.epoch).toBeGreaterThan(old.epoch);
      expect(now.regions.map((r) => [r.region, r.multicast])).toEqual(
        old.regions.map((r) => [r.region, r.multicast]),
      );
      now.regions.forEach((r, i) => expect(r.viewId).toBeGreaterThan(old.regions[i]?.viewId ?? Infinity));
      expect(mappingErrors(now)).toEqual([]);
    }
  });

  it('replays joins and leaves made while disconnected', async () => {
    const first = await startServer();
    const c = client(first.port, 'n1', ['A']);
    await c.start();
    await first.server.close();
    c.join('B');
    c.leave('A');
    await startServer(first.port);
    await waitFor('B only', () => JSON.stringify(c.current?.groups.map((g) => g.group)) === '["B"]', {
      timeout: 5_000,
    });
  });

  it('counts malformed frames and keeps serving', async () => {
    const { server, port } = await startServer();
    const send = async (bytes: Buffer): Promise<Socket> => {
      const socket = connect({ host: '127.0.0.1', port });
      cleanups.push(() => void socket.destroy());
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(bytes);
      return socket;
    };
    const frame = (text: string): Buffer => {
      const payload = Buffer.from(text);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(payload.length);
      return Buffer.concat([head, payload]);
    };
    const huge = await send(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    await send(frame('{not json'));
    await send(
      Buffer.concat([frame('{"t":"register","v":1}'), frame('[1,2]'), frame('{"t":"join","group":"A"}')]),
    );
    await send(frame('\u00ff\u00fe'.replace(/./g, '\ud800')));
    await waitFor('malformed frames to be counted', () => server.stats().malformedFrames >= 5, {
      timeout: 5_000,
    });
    await waitFor('the oversized frame to close its connection', () => huge.destroyed || huge.readableEnded, {
      timeout: 5_000,
    });
    const c = client(port, 'n1', ['A']);
    await c.start();
    expect(summarize(c.current as MembershipState).groups).toEqual({ A: ['n1/1'] });
    const stats = await fetchGmsStats('127.0.0.1', port);
    expect(stats.malformedFrames).toBe(server.stats().malformedFrames);
    expect(stats.nodes).toBe(1);
  });

  it('start() rejects with a clear error when no GMS answers', async () => {
    const { server, port } = await startServer();
    await server.close();
    const c = new GmsClient({ gms: { host: '127.0.0.1', port }, self: node('n1'), connectTimeoutMs: 300 });
    await expect(c.start()).rejects.toThrow(`GMS at 127.0.0.1:${port} did not answer within 300 ms`);
  });

  it('startEmbeddedGms starts a GMS when none answers and reuses one that does', async () => {
    const { server, port } = await startServer();
    await server.close();
    const first = await startEmbeddedGms({ host: '127.0.0.1', port, ...fast });
    cleanups.push(() => first.close());
    expect(first.server).toBeDefined();
    const second = await startEmbeddedGms({ host: '127.0.0.1', port });
    expect(second.server).toBeUndefined();
    expect((await probeGms('127.0.0.1', port)).kind).toBe('gms');
  });
});
