// Attacks on a keyed cluster of real processes (a `liveobjects gms` and `liveobjects node`s
// holding a packet key), from a process that does not hold it (testing/attacker.ts): it
// overhears the region's multicast and answers every datagram with a replay, a copy with bytes
// changed and the CRC-32 recomputed, and forged tokens (the stall attack), and it tries to
// register with the membership service. Nothing stalls, nothing is delivered twice, every
// attack is counted, and the intruder is refused.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTsx } from '../../testing/liveobjects';
import type { ManagedProcess } from '../../testing/processes';
import { inTime, waitFor } from '../../testing/wait';
import { fetchGmsStats } from '../engine/gms/embedded';
import { EngineCluster, readReport, senderArgs } from '../engine/testing/engine-cluster';
import { packetKey, workspaceAt } from '../host/workspace';
import { writeTeamInvitation } from '../host/workspace/testing/team';

const ATTACKER = join(import.meta.dirname, '..', 'engine', 'testing', 'attacker.ts');
const FAST = ['--token-ms', '50', '--size', '64'];
const GMS_STEADY = ['--heartbeat-ms', '200', '--suspect-ms', '5000', '--batch-ms', '50'];

let cluster: EngineCluster | undefined;
let attacker: ManagedProcess | undefined;
afterEach(async () => {
  await attacker?.kill();
  await cluster?.killAll();
  cluster = attacker = undefined;
});

function portOf(id: string | undefined): number {
  const m = /:(\d+)\//.exec(id ?? '');
  if (!m) throw new Error(`no port in node id ${id}`);
  return Number(m[1]);
}

interface AttackCounts {
  overheard: number;
  replayed: number;
  tampered: number;
  forged: number;
}

describe.sequential('QSM multi-process with a packet key, attacked by a process without it', () => {
  it('forged tokens, altered and replayed datagrams and a fake registration: all refused and counted, delivery completes once', async () => {
    const c = (cluster = new EngineCluster());
    const invitation = writeTeamInvitation(c.dir);
    const key = packetKey(workspaceAt(invitation));
    const keyed = ['--workspace', invitation];
    // One region on one known multicast address: the attacker listens there, as anyone on a LAN can.
    const group = `239.254.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const mport = 20_000 + Math.floor(Math.random() * 9_000);
    await c.startGms([...GMS_STEADY, ...keyed, '--multicast', `${group}/32`, '--ports', `${mport}-${mport}`]);
    const N = 20_000;
    const receivers = [
      c.node(['--join', 'a', ...keyed, ...FAST]),
      c.node(['--join', 'a', ...keyed, ...FAST]),
    ];
    await waitFor('the receivers to be ready', () => receivers.every((r) => r.id !== undefined), {
      timeout: 30_000,
    });
    const s = c.node([...senderArgs(N, 5000, 3), ...keyed, ...FAST]);
    await waitFor('the sender to be ready', () => s.id !== undefined, { timeout: 30_000 });
    const targets = [...receivers, s].map((n) => portOf(n.id)).join(',');
    attacker = spawnTsx('attacker', ATTACKER, [
      '--overhear',
      `${group}:${mport}`,
      '--targets',
      targets,
      '--gms',
      `127.0.0.1:${c.gmsPort}`,
    ]);
    let counts: AttackCounts = { overheard: 0, replayed: 0, tampered: 0, forged: 0 };
    attacker.onJson((m) => {
      if (m['t'] === 'attack') counts = m as unknown as AttackCounts;
    });
    const registration = await attacker.waitForJson(
      (m) => m['t'] === 'registration',
      20_000,
      'the registration attempt',
    );

    const all = [...receivers, s];
    const delivered = await inTime(
      waitFor(
        'every member to deliver every message under attack',
        () => all.every((n) => n.last?.delivered === N) && s.last?.held === 0,
        { timeout: 60_000, interval: 100 },
      ),
    );
    const gmsStats = await fetchGmsStats('127.0.0.1', c.gmsPort, 2000, key);
    await attacker.stop(2000);
    await Promise.all(all.map((n) => n.stop()));

    expect(registration).toMatchObject({
      registered: false,
      error: 'MembershipRefusedError',
      rawAnswer: JSON.stringify({ t: 'refused', reason: 'the workspace key does not match' }),
    });
    expect(registration['message']).toMatch(
      /^the membership service at 127\.0\.0\.1:\d+ refused this node: the workspace key does not match — ask a member of the workspace for an invitation$/,
    );
    expect(gmsStats).toMatchObject({ nodes: 3, refused: 2 });
    expect(c.gms!.proc.stderr.join('\n')).toMatch(/gms: refused a node at 127\.0\.0\.1:\d+: no key/);
    expect(counts.overheard).toBeGreaterThan(100);
    expect(delivered).toBe(true);
    for (const r of receivers) {
      const rep = readReport(r.report);
      const st = rep.stats as typeof rep.stats & { authFailures: number; replays: number };
      expect(rep.stats.messagesDelivered).toBe(N);
      expect(rep.delivery.duplicates + rep.delivery.fifoViolations + rep.delivery.corrupt).toBe(0);
      // Each overheard datagram came back once replayed, once altered and as two forged tokens.
      expect(st.replays).toBeGreaterThan(0);
      expect(st.authFailures).toBeGreaterThan(0);
      expect(rep.stats.dropped['unauthenticated']).toBeGreaterThan(0);
      expect(rep.stats.dropped['auth-failed']).toBeGreaterThan(0);
      // What the forged tokens did to a cluster without a key (the real stream dropped as
      // stale by every member): none of them reached the token logic.
      expect(rep.stats.dropped['stale-stream'] ?? 0).toBe(0);
    }
  }, 120_000);
});
