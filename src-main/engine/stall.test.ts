// A member that stops acknowledging, against real processes: a GMS, a `liveobjects node`
// sender and receiver, and a fake member (a real GMS client that registers, heartbeats and
// joins the group, but never takes part in the token rings). The sender must not stall, the
// receiver must get every message, and the fake must be reported and excluded; a receiver
// that is slow but progresses must not be.

import { afterEach, describe, expect, it } from 'vitest';
import { inTime, waitFor } from '../../testing/wait';
import { spawnMember, type MemberProcess } from './gms/testing/processes';
import { EngineCluster, readReport, type NodeProcess } from './testing/engine-cluster';

let cluster: EngineCluster | undefined;
let fake: MemberProcess | undefined;
afterEach(async () => {
  await fake?.proc.kill();
  await cluster?.killAll();
  cluster = fake = undefined;
});

// Small messages through a small window: without exclusions it fills in about a second.
const nodeArgs = (stabilityMs: number): string[] => [
  '--token-ms',
  '50',
  '--size',
  '32',
  '--window-bytes',
  '64KiB',
  '--stability-ms',
  `${stabilityMs}`,
];
const NODE = nodeArgs(1000);
const GMS = ['--heartbeat-ms', '200', '--suspect-ms', '5000', '--batch-ms', '50'];
const N = 6000;
const RATE = 2000;

function sender(c: EngineCluster, members: number, node = NODE): NodeProcess {
  return c.node([
    '--join',
    'a',
    '--to',
    'a',
    '--count',
    `${N}`,
    '--send',
    `${RATE}`,
    '--wait-members',
    `${members}`,
    ...node,
  ]);
}

/** Waits for the receivers to deliver all N and the sender to free its buffers; stops all. */
async function streamAll(s: NodeProcess, receivers: readonly NodeProcess[]): Promise<boolean> {
  const ok = await inTime(
    waitFor(
      'every message delivered and the sender done, its buffers freed',
      () => receivers.every((r) => r.last?.delivered === N) && s.last?.sendDone === true && s.last.held === 0,
      { timeout: 90_000, interval: 50 },
    ),
  );
  await Promise.all([s, ...receivers].map((p) => p.stop()));
  return ok;
}

describe.sequential('a member that stops acknowledging (multi-process)', () => {
  it.each([
    // Ranks follow node ids, and a member chooses its own id.
    ['the region leader (rank 0)', '127.0.0.1:00000/fake'],
    ['the last member of the token ring', '127.0.0.1:99999/fake'],
  ])(
    'a fake member as %s is reported and excluded; the sender does not stall',
    async (_, fakeId) => {
      const c = (cluster = new EngineCluster());
      await c.startGms(GMS);
      fake = await spawnMember(c.gmsPort, ['a'], fakeId);
      const r = c.node(['--join', 'a', ...NODE]);
      const s = sender(c, 3);
      const ok = await streamAll(s, [r]);
      const gmsLog = c.gms!.proc.stderr.join('\n');
      expect(ok, gmsLog).toBe(true);
      const [sr, rr] = [readReport(s.report), readReport(r.report)];
      expect(rr.delivery.counts[`a|${sr.id}`]).toBe(N);
      expect(rr.delivery.fifoViolations + rr.delivery.duplicates + rr.delivery.corrupt).toBe(0);
      // The GMS excluded the fake, and only the fake, on a member's report.
      const exclusions = c.gms!.proc.stderr.filter((l) => l.includes('holding back stability'));
      expect(exclusions.length).toBeGreaterThan(0);
      for (const line of exclusions) expect(line).toContain(` reports ${fakeId} holding back stability`);
      // Rank 0 runs no rounds: the sender hears no MaxContiguous. Else the region leader (the
      // lower id of the two) finds the fake with its probes.
      const reporter = fakeId.includes(':00000/') ? sr : [sr, rr].sort((x, y) => (x.id < y.id ? -1 : 1))[0]!;
      expect(reporter.stats['stallReports']).toBeGreaterThan(0);
    },
    120_000,
  );

  it('a receiver that is slow but progresses (input dropped 500 ms of every 1000) is not reported', async () => {
    const c = (cluster = new EngineCluster());
    await c.startGms(GMS);
    // A bound with room for a loaded machine's stalls: half of it is dropped at a time.
    const node = nodeArgs(2000);
    const slow = c.node(['--join', 'a', '--burst', '1000:500', ...node]);
    const r = c.node(['--join', 'a', ...node]);
    const s = sender(c, 3, node);
    const ok = await streamAll(s, [slow, r]);
    expect(ok).toBe(true);
    // Its pauses cost it datagrams (tokens among them), yet nobody was reported.
    expect(readReport(slow.report).stats['faultDrops']).toBeGreaterThan(0);
    for (const p of [s, slow, r]) expect(readReport(p.report).stats['stallReports']).toBe(0);
    expect(c.gms!.proc.stderr.join('\n')).not.toContain('holding back stability');
    expect(s.last?.members).toEqual([['a', 3]]);
  }, 120_000);
});
