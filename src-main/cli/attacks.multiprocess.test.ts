// Attacks on a keyed cluster of real processes (a `liveobjects gms` and `liveobjects node`s
// holding a packet key), from a process that does not hold it (testing/attacker.ts): it
// overhears the region's multicast and answers every datagram with a replay, a copy with bytes
// changed and the CRC-32 recomputed, and forged tokens (the stall attack), and it tries to
// register with the membership service. Nothing stalls, nothing is delivered twice, every
// attack is counted, and the intruder is refused. The same scenario runs with every process on
// loopback, and with each party on a simulated machine of its own (testing/netns.ts), the
// attacker overhearing the multicast on the LAN's bridge; where namespaces cannot be made, that
// variant is skipped with the reason.

import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnTsx } from '../../testing/liveobjects';
import { NetLab, whyNoNamespaces } from '../../testing/netns';
import { LOOPBACK } from '../../testing/place';
import type { Place } from '../../testing/place';
import type { ManagedProcess } from '../../testing/processes';
import { inTime, waitFor } from '../../testing/wait';
import { EngineCluster, readReport, senderArgs } from '../engine/testing/engine-cluster';
import { packetKey, workspaceAt } from '../host/workspace';
import { writeTeamInvitation } from '../host/workspace/testing/team';

const TESTING = join(import.meta.dirname, '..', 'engine', 'testing');
const ATTACKER = join(TESTING, 'attacker.ts');
const GMS_STATS = join(TESTING, 'gms-stats.ts');
const FAST = ['--token-ms', '50', '--size', '64'];
const GMS_STEADY = ['--heartbeat-ms', '200', '--suspect-ms', '5000', '--batch-ms', '50'];

const noLab = await whyNoNamespaces();

let cluster: EngineCluster | undefined;
let attacker: ManagedProcess | undefined;
let lab: NetLab | undefined;
afterEach(async () => {
  await attacker?.kill();
  await cluster?.killAll();
  await lab?.dispose();
  cluster = attacker = lab = undefined;
});

/** A node's unicast endpoint, HOST:PORT, from its id (`HOST:PORT/suffix`). */
function endpointOf(id: string | undefined): string {
  const m = /^([^/]+:\d+)\//.exec(id ?? '');
  if (!m?.[1]) throw new Error(`no HOST:PORT in node id ${id}`);
  return m[1];
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface AttackCounts {
  overheard: number;
  replayed: number;
  tampered: number;
  forged: number;
}

/** Where each party of the scenario runs. */
interface AttackPlacement {
  /** The GMS and the sender. */
  readonly gms: Place;
  readonly receivers: readonly [Place, Place];
  readonly attacker: Place;
}

const ALL_ON_LOOPBACK: AttackPlacement = {
  gms: LOOPBACK,
  receivers: [LOOPBACK, LOOPBACK],
  attacker: LOOPBACK,
};

async function attackedCluster(at: AttackPlacement): Promise<void> {
  const c = (cluster = new EngineCluster());
  const invitation = writeTeamInvitation(c.dir);
  const key = packetKey(workspaceAt(invitation));
  const keyed = ['--workspace', invitation];
  // One region on one known multicast address: the attacker listens there, as anyone on a LAN can.
  const group = `239.254.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const mport = 20_000 + Math.floor(Math.random() * 9_000);
  await c.startGms(
    [...GMS_STEADY, ...keyed, '--multicast', `${group}/32`, '--ports', `${mport}-${mport}`],
    undefined,
    at.gms,
  );
  const gmsAddress = `${c.gmsHost}:${c.gmsPort}`;
  const N = 20_000;
  const receivers = at.receivers.map((place) => c.node(['--join', 'a', ...keyed, ...FAST], place));
  await waitFor('the receivers to be ready', () => receivers.every((r) => r.id !== undefined), {
    timeout: 30_000,
  });
  const s = c.node([...senderArgs(N, 5000, 3), ...keyed, ...FAST], at.gms);
  await waitFor('the sender to be ready', () => s.id !== undefined, { timeout: 30_000 });
  const all = [...receivers, s];
  attacker = spawnTsx(
    'attacker',
    ATTACKER,
    [
      '--overhear',
      `${group}:${mport}`,
      '--targets',
      all.map((n) => endpointOf(n.id)).join(','),
      '--gms',
      gmsAddress,
      '--bind',
      at.attacker.address,
    ],
    { via: at.attacker.via },
  );
  let counts: AttackCounts = { overheard: 0, replayed: 0, tampered: 0, forged: 0 };
  attacker.onJson((m) => {
    if (m['t'] === 'attack') counts = m as unknown as AttackCounts;
  });
  const registration = await attacker.waitForJson(
    (m) => m['t'] === 'registration',
    20_000,
    'the registration attempt',
  );

  const delivered = await inTime(
    waitFor(
      'every member to deliver every message under attack',
      () => all.every((n) => n.last?.delivered === N) && s.last?.held === 0,
      { timeout: 60_000, interval: 100 },
    ),
  );
  // Asked from the GMS's machine: off loopback its address is reachable from the LAN only.
  const statsProcess = spawnTsx(
    'gms stats',
    GMS_STATS,
    ['--gms', gmsAddress, '--key', Buffer.from(key).toString('hex')],
    {
      via: at.gms.via,
    },
  );
  const gmsStats = await statsProcess.waitForJson(() => true, 20_000, 'the GMS stats');
  await attacker.stop(2000);
  await Promise.all(all.map((n) => n.stop()));

  expect(registration).toMatchObject({
    registered: false,
    error: 'MembershipRefusedError',
    rawAnswer: JSON.stringify({ t: 'refused', reason: 'the workspace key does not match' }),
  });
  expect(registration['message']).toMatch(
    new RegExp(
      `^the membership service at ${escaped(gmsAddress)} refused this node: the workspace key does not match — ask a member of the workspace for an invitation$`,
    ),
  );
  expect(gmsStats).toMatchObject({ nodes: 3, refused: 2 });
  expect(c.gms!.proc.stderr.join('\n')).toMatch(
    new RegExp(`gms: refused a node at ${escaped(at.attacker.address)}:\\d+: no key`),
  );
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
}

describe.sequential('QSM multi-process with a packet key, attacked by a process without it', () => {
  beforeAll(() => {
    if (noLab) console.log(`attacks from a machine of its own skipped: ${noLab}`);
  });

  it('forged tokens, altered and replayed datagrams and a fake registration: all refused and counted, delivery completes once (all on loopback)', async () => {
    await attackedCluster(ALL_ON_LOOPBACK);
  }, 120_000);

  it('the same with the GMS and sender, each receiver and the attacker on machines of their own, the attacker overhearing the LAN', async ({
    skip,
  }) => {
    skip(noLab !== undefined, noLab);
    lab = await NetLab.create({ machines: ['gms', 'receiver1', 'receiver2', 'attacker'] });
    await attackedCluster({
      gms: lab.machine('gms'),
      receivers: [lab.machine('receiver1'), lab.machine('receiver2')],
      attacker: lab.machine('attacker'),
    });
  }, 120_000);
});
