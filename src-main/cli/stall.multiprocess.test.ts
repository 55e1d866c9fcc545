// A member that stops acknowledging, against real processes of one workspace: a GMS, a
// `liveobjects node` sender and receiver (all with `--workspace`), and a fake member that holds
// the same packet key (a real GMS client that registers, heartbeats and joins the group, but
// never takes part in the token rings): the key keeps outsiders out, not a member that
// misbehaves. The sender must not stall, the receiver must get every message, and the fake must
// be reported and excluded; a receiver that is slow but progresses must not be.

import { afterEach, describe, expect, it } from 'vitest';
import { inTime, waitFor } from '../../testing/wait';
import { spawnMember, type MemberProcess } from '../engine/gms/testing/processes';
import { EngineCluster, readReport, senderArgs, type NodeProcess } from '../engine/testing/engine-cluster';
import { packetKey, workspaceAt } from '../host/workspace';
import { writeTeamInvitation } from '../host/workspace/testing/team';

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

/** A cluster whose GMS serves a fresh workspace; `keyed` is the nodes' `--workspace` option. */
async function keyedCluster(): Promise<{ c: EngineCluster; keyed: string[]; key: Uint8Array }> {
  const c = (cluster = new EngineCluster());
  const invitation = writeTeamInvitation(c.dir);
  const keyed = ['--workspace', invitation];
  await c.startGms([...GMS, ...keyed]);
  return { c, keyed, key: packetKey(workspaceAt(invitation)) };
}

function sender(c: EngineCluster, members: number, node: string[]): NodeProcess {
  return c.node([...senderArgs(N, RATE, members), ...node]);
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
      const { c, keyed, key } = await keyedCluster();
      fake = await spawnMember(c.gmsPort, ['a'], { id: fakeId, packetKey: key });
      const r = c.node(['--join', 'a', ...keyed, ...NODE]);
      const s = sender(c, 3, [...keyed, ...NODE]);
      const ok = await streamAll(s, [r]);
      const gmsLog = c.gms!.proc.stderr.join('\n');
      expect(ok, gmsLog).toBe(true);
      // The fake held the key: it was a member, not an intruder refused at the door.
      expect(gmsLog).not.toContain('refused a node');
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
    const { c, keyed } = await keyedCluster();
    // A bound with room for a loaded machine's stalls: half of it is dropped at a time.
    const node = [...keyed, ...nodeArgs(2000)];
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
