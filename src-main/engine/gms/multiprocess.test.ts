// Real processes: the `liveobjects gms` command and member processes talking to it over TCP.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { MembershipState } from '../membership';
import { fetchGmsStats } from './embedded';
import { runCli, startGms } from '../../../testing/liveobjects';
import { killAll } from '../../../testing/processes';
import { delay, waitFor } from '../../../testing/wait';
import { spawnMember } from './testing/processes';
import type { MemberProcess } from './testing/processes';
import { mappingErrors, summarize } from './testing/summary';
import type { StateSummary } from './testing/summary';

// Short timeouts so failures are detected within a second.
const gmsArgs = ['--heartbeat-ms', '100', '--suspect-ms', '1000', '--batch-ms', '50'];

afterEach(killAll);

function sorted(ids: (string | undefined)[]): string[] {
  return ids.map((id) => id ?? '?').sort();
}

function matches(member: MemberProcess | undefined, want: StateSummary): boolean {
  const state = member?.latest();
  return state !== undefined && isDeepStrictEqual(summarize(state), want);
}

async function waitForViews(
  members: Record<string, MemberProcess>,
  want: Record<string, StateSummary>,
): Promise<void> {
  await waitFor(
    'the expected views',
    () => Object.entries(want).every(([name, summary]) => matches(members[name], summary)),
    { timeout: 10_000 },
  ).catch((error: Error) => {
    const got = Object.entries(want).map(
      ([n]) => `${n}: ${JSON.stringify(summarize(members[n]?.latest() ?? { groups: [], regions: [] }))}`,
    );
    throw new Error(`${error.message}\n${got.join('\n')}`);
  });
}

describe('GMS with real processes', () => {
  it('gives 6 member processes in 3 overlapping groups the expected regions; a SIGKILLed member disappears', async () => {
    const gms = await startGms({ args: gmsArgs });
    // n1 {A}  n2 {A}  n3 {A,B}  n4 {A,B}  n5 {B,C}  n6 {C}
    const layout: Record<string, string[]> = {
      n1: ['A'],
      n2: ['A'],
      n3: ['A', 'B'],
      n4: ['A', 'B'],
      n5: ['B', 'C'],
      n6: ['C'],
    };
    const names = Object.keys(layout);
    const started = await Promise.all(names.map((n) => spawnMember(gms.port, layout[n] ?? [])));
    const m = Object.fromEntries(names.map((n, i) => [n, started[i] as MemberProcess]));
    const id = (n: string): string | undefined => m[n]?.id;

    const A = sorted([id('n1'), id('n2'), id('n3'), id('n4')]);
    const B = sorted([id('n3'), id('n4'), id('n5')]);
    const C = sorted([id('n5'), id('n6')]);
    const rA = sorted([id('n1'), id('n2')]);
    const rAB = sorted([id('n3'), id('n4')]);
    const rBC = sorted([id('n5')]);
    const rC = sorted([id('n6')]);
    await waitForViews(m, {
      n1: { groups: { A }, regions: { A: rA, 'A+B': rAB } },
      n2: { groups: { A }, regions: { A: rA, 'A+B': rAB } },
      n3: { groups: { A, B }, regions: { A: rA, 'A+B': rAB, 'B+C': rBC } },
      n4: { groups: { A, B }, regions: { A: rA, 'A+B': rAB, 'B+C': rBC } },
      n5: { groups: { B, C }, regions: { 'A+B': rAB, 'B+C': rBC, C: rC } },
      n6: { groups: { C }, regions: { 'B+C': rBC, C: rC } },
    });
    for (const member of started) expect(mappingErrors(member.latest() as MembershipState)).toEqual([]);
    // Ranks follow ids and carry the real unicast endpoints.
    const region = m.n1?.latest()?.regions.find((r) => r.groups.join('+') === 'A');
    expect(region?.members.map((x) => `${x.host}:${x.port}/`)).toEqual(rA.map((x) => x.split('/')[0] + '/'));

    m.n3?.proc.signal('SIGKILL');
    const A2 = sorted([id('n1'), id('n2'), id('n4')]);
    const B2 = sorted([id('n4'), id('n5')]);
    await waitForViews(m, {
      n1: { groups: { A: A2 }, regions: { A: rA, 'A+B': [id('n4') ?? ''] } },
      n4: { groups: { A: A2, B: B2 }, regions: { A: rA, 'A+B': [id('n4') ?? ''], 'B+C': rBC } },
      n6: { groups: { C }, regions: { 'B+C': rBC, C: rC } },
    });
    // The connection closed, so the removal did not wait for the suspect timeout.
    expect(gms.proc.stderr.some((l) => l.includes(`${id('n3')} disconnected`))).toBe(true);
  });

  it('removes a member SIGSTOPped past the suspect timeout and takes it back after SIGCONT', async () => {
    const gms = await startGms({ args: gmsArgs });
    const [one, two] = await Promise.all([spawnMember(gms.port, ['A']), spawnMember(gms.port, ['A'])]);
    if (!one || !two) throw new Error('members did not start');
    const both = { groups: { A: sorted([one.id, two.id]) }, regions: { A: sorted([one.id, two.id]) } };
    const alone = { groups: { A: [one.id] }, regions: { A: [one.id] } };
    await waitForViews({ one, two }, { one: both, two: both });
    const stoppedAt = Date.now();
    two.proc.signal('SIGSTOP');
    await waitForViews({ one }, { one: alone });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(900);
    const epochBefore = two.latest()?.epoch ?? Infinity;
    two.proc.signal('SIGCONT');
    // two's last state (from before the stop) already shows both: wait for a newer one, or a
    // loaded machine lets the view check pass before two has even re-registered.
    await waitFor('a newer state at two', () => (two.latest()?.epoch ?? 0) > epochBefore, {
      timeout: 10_000,
    });
    await waitForViews({ one, two }, { one: both, two: both });
    expect(two.latest()?.epoch).toBeGreaterThan(epochBefore);
    expect(gms.proc.stderr.some((l) => l.includes(`${two.id} silent for`))).toBe(true);
  });

  it('survives a GMS restart: members keep their state, reconnect and get a higher epoch with the same regions', async () => {
    const gms = await startGms({ args: gmsArgs });
    const members = await Promise.all([
      spawnMember(gms.port, ['A']),
      spawnMember(gms.port, ['A', 'B']),
      spawnMember(gms.port, ['B']),
    ]);
    const [x, y, z] = members.map((member) => member.id);
    const A = sorted([x, y]);
    const B = sorted([y, z]);
    const want = {
      x: { groups: { A }, regions: { A: [x ?? ''], 'A+B': [y ?? ''] } },
      y: { groups: { A, B }, regions: { A: [x ?? ''], 'A+B': [y ?? ''], B: [z ?? ''] } },
      z: { groups: { B }, regions: { 'A+B': [y ?? ''], B: [z ?? ''] } },
    };
    const byName = { x: members[0], y: members[1], z: members[2] } as Record<string, MemberProcess>;
    await waitForViews(byName, want);
    const before = members.map((member) => member.latest() as MembershipState);
    const counts = members.map((member) => member.states.length);

    await gms.proc.kill();
    await delay(700);
    // No GMS, no new states: everyone keeps delivering in its last views.
    expect(members.map((member) => member.states.length)).toEqual(counts);
    expect(members.every((member) => !member.proc.hasExited)).toBe(true);

    await startGms({ port: gms.port, args: gmsArgs });
    await waitFor(
      'states from the new GMS',
      () => members.every((member, i) => member.states.length > (counts[i] ?? 0)),
      { timeout: 10_000 },
    );
    await waitForViews(byName, want);
    members.forEach((member, i) => {
      const now = member.latest() as MembershipState;
      const old = before[i] as MembershipState;
      expect(now.epoch).toBeGreaterThan(old.epoch);
      // Every state since the restart moved forward.
      for (const s of member.states.slice(counts[i])) expect(s.epoch).toBeGreaterThan(old.epoch);
      expect(now.regions.map((r) => [r.region, r.multicast])).toEqual(
        old.regions.map((r) => [r.region, r.multicast]),
      );
      now.regions.forEach((r, j) => expect(r.viewId).toBeGreaterThan(old.regions[j]?.viewId ?? Infinity));
    });
  });

  it('counts malformed frames (random bytes, huge length prefix, bad JSON) and keeps serving', async () => {
    const gms = await startGms({ args: gmsArgs });
    const first = await spawnMember(gms.port, ['A']);
    const attack = async (bytes: Buffer): Promise<void> => {
      const socket = connect({ host: '127.0.0.1', port: gms.port });
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.end(bytes);
      await new Promise((resolve) => socket.once('close', resolve));
    };
    const frame = (text: string): Buffer => {
      const payload = Buffer.from(text);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(payload.length);
      return Buffer.concat([head, payload]);
    };
    const noise = randomBytes(256);
    noise[0] = 0x10 + ((noise[0] ?? 0) % 0xe0); // a length prefix of at least 256 MiB
    await attack(noise);
    await attack(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await attack(frame('{"t":"register",'));
    await attack(
      frame('{"t":"register","v":1,"node":{"id":"","host":"x","port":-1},"groups":[],"lastEpoch":0}'),
    );
    await waitFor(
      'the GMS to log them',
      () => gms.proc.stderr.filter((l) => l.includes('malformed frame')).length >= 4,
      { timeout: 5_000 },
    );
    const stats = await fetchGmsStats('127.0.0.1', gms.port);
    expect(stats.malformedFrames).toBe(4);
    expect(stats.nodes).toBe(1);
    const second = await spawnMember(gms.port, ['A']);
    const both = sorted([first.id, second.id]);
    await waitForViews(
      { first, second },
      {
        first: { groups: { A: both }, regions: { A: both } },
        second: { groups: { A: both }, regions: { A: both } },
      },
    );
    expect(gms.proc.hasExited).toBe(false);
    second.proc.endInput();
    await second.proc.exited;
    await waitForViews({ first }, { first: { groups: { A: [first.id] }, regions: { A: [first.id] } } });
  });
});

describe('liveobjects gms command', () => {
  it('prints usage and exits 2 on bad arguments, and exits 0 on SIGTERM', async () => {
    const bad = await runCli('gms', '--listen', 'nowhere');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: liveobjects gms --listen HOST:PORT');
    const gms = await startGms({ args: gmsArgs });
    gms.proc.signal('SIGTERM');
    expect((await gms.proc.closed).code).toBe(0);
    expect(gms.proc.stderr.at(-1)).toContain('SIGTERM');
  });
});
