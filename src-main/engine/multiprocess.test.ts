// Multi-process tests: real GMS and node processes over real loopback UDP multicast. They run
// one at a time (describe.sequential) since each starts several processes on a 2-core machine;
// waits poll for events with generous deadlines that cost nothing when things work.

import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { inTime, waitFor } from '../../testing/wait';
import {
  EngineCluster,
  readReport,
  senderArgs as clusterSenderArgs,
  type NodeProcess,
  type Report,
} from './testing/engine-cluster';
import { encodeData, encodeNak, encodeToken, PacketType, TokenLevel } from './wire/packets';

let cluster: EngineCluster | undefined;
afterEach(async () => {
  await cluster?.killAll();
  cluster = undefined;
});

const FAST = ['--token-ms', '50', '--size', '32'];
// Failure detection tuned for the fault tests (a SIGSTOPped node must be excluded quickly).
const GMS_FAST = ['--heartbeat-ms', '200', '--suspect-ms', '1500', '--batch-ms', '50'];
// Everything else runs with the product's conservative suspicion timeout: on a loaded 2-core
// machine a node's event loop can stall past 1.5 s, and a false exclusion (harmless, see the
// in-process test of a re-admitted sender, but slow) is not what those tests are about.
const GMS_STEADY = ['--heartbeat-ms', '200', '--suspect-ms', '5000', '--batch-ms', '50'];
const POLL = 50;

/** A `liveobjects node` that sends `count` messages to group a at `rate`/s once it has `members`. */
function senderArgs(count: number, rate: number, members: number): string[] {
  return [...clusterSenderArgs(count, rate, members), ...FAST];
}

function total(r: Report, group: string): number {
  let n = 0;
  for (const [k, v] of Object.entries(r.delivery.counts)) if (k.startsWith(group + '|')) n += v;
  return n;
}

function portOf(id: string | undefined): number {
  const m = /:(\d+)\//.exec(id ?? '');
  if (!m) throw new Error(`no port in node id ${id}`);
  return Number(m[1]);
}

/** Recovery state of the nodes (from their reports), for a test that stalled. */
function diagnose(ps: readonly NodeProcess[]): string {
  const lines = ps.map((p) => {
    try {
      const r = readReport(p.report);
      const s = r.stats as Report['stats'] & { recovery?: unknown; naksSent?: number; rounds?: number };
      return `${r.id}: delivered ${r.stats.messagesDelivered} held ${r.stats.senderHeldMessages} naks ${s.naksSent} rounds ${s.rounds} ${JSON.stringify(s.recovery)}`;
    } catch {
      return `${p.id}: no report`;
    }
  });
  return '\n' + lines.join('\n');
}

async function startCluster(gmsArgs: string[] = GMS_STEADY): Promise<EngineCluster> {
  cluster = new EngineCluster();
  await cluster.startGms(gmsArgs);
  return cluster;
}

describe.sequential('QSM multi-process', () => {
  it('3 senders x 20000 messages, overlapping groups, 5% loss + bursts at one receiver: FIFO, exactly once, buffers freed', async () => {
    const c = await startCluster();
    const N = 20_000;
    const loss = ['--loss', '0.05'];
    const send = (join: string, to: string, members: number): NodeProcess =>
      c.node([
        '--join',
        join,
        '--to',
        to,
        '--count',
        `${N}`,
        '--wait-members',
        `${members}`,
        ...FAST,
        ...loss,
      ]);
    const s1 = send('a', 'a', 4);
    const s2 = send('a,b', 'b', 3);
    const s3 = send('b', 'b', 3);
    const r1 = c.node(['--join', 'a,b', ...FAST, ...loss, '--burst', '1000:30']);
    const r2 = c.node(['--join', 'a', ...FAST, ...loss]);
    // Expected deliveries: a has 1 sender (s1), b has 2 (s2, s3).
    const expected = new Map<NodeProcess, { a: number; b: number }>([
      [s1, { a: N, b: 0 }],
      [s2, { a: N, b: 2 * N }],
      [s3, { a: 0, b: 2 * N }],
      [r1, { a: N, b: 2 * N }],
      [r2, { a: N, b: 0 }],
    ]);
    const all = [...expected.keys()];
    const done = await inTime(
      waitFor(
        'every node to deliver everything and free its buffers',
        () =>
          all.every((p) => {
            const e = expected.get(p)!;
            return (
              p.last !== undefined && p.last.sendDone && p.last.delivered >= e.a + e.b && p.last.held === 0
            );
          }),
        { timeout: 150_000, interval: POLL },
      ),
    );
    await Promise.all(all.map((p) => p.stop()));
    if (!done) console.error('stalled:', diagnose(all));
    for (const p of all) {
      const r = readReport(p.report);
      const e = expected.get(p)!;
      expect(r.delivery.fifoViolations, p.report).toBe(0);
      expect(r.delivery.duplicates).toBe(0);
      expect(r.delivery.corrupt).toBe(0);
      expect(total(r, 'a')).toBe(e.a);
      expect(total(r, 'b')).toBe(e.b);
      for (const v of Object.values(r.delivery.counts)) expect(v).toBe(N);
      expect(r.stats.senderHeldMessages).toBe(0);
    }
    expect(done).toBe(true);
  }, 180_000);

  it('fan-out mode (unicast copy per member) with 2% loss at one receiver: everything delivered', async () => {
    const c = await startCluster();
    const N = 5000;
    const fan = ['--fanout', ...FAST];
    const rs = [c.node(['--join', 'a', ...fan, '--loss', '0.02']), c.node(['--join', 'a', ...fan])];
    const s = c.node(['--join', 'a', '--to', 'a', '--count', `${N}`, '--wait-members', '3', ...fan]);
    const ok = await inTime(
      waitFor(
        'the receivers to deliver everything',
        () => rs.every((r) => r.last?.delivered === N) && s.last?.sendDone === true && s.last.held === 0,
        { timeout: 60_000, interval: POLL },
      ),
    );
    await Promise.all([s, ...rs].map((p) => p.stop()));
    for (const p of [s, ...rs]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates + r.delivery.corrupt).toBe(0);
      expect(total(r, 'a')).toBe(N);
      expect(r.stats.dropped['listen-failed'] ?? 0).toBe(0);
    }
    // Packed, 5000 small messages are only ~100 datagrams: loss may or may not hit data.
    expect(ok).toBe(true);
  }, 90_000);

  it('a receiver on a network that drops multicast (--multicast-loss 1) gets everything; its senders switch to unicast, and back once it leaves', async () => {
    const c = await startCluster();
    const N = 4000;
    const blocked = c.node(['--join', 'a', ...FAST, '--multicast-loss', '1']);
    const r = c.node(['--join', 'a', ...FAST]);
    const s = c.node(senderArgs(N, 400, 3));
    const transports = (p: NodeProcess): string[] => (p.last?.regions ?? []).map(([, t]) => t);
    await inTime(
      waitFor('the sender to start', () => (s.last?.sent ?? 0) > 0, { timeout: 30_000, interval: POLL }),
    );
    const t0 = performance.now();
    const switched = await inTime(
      waitFor('both senders to go unicast', () => [s, r].every((p) => transports(p).includes('unicast')), {
        timeout: 20_000,
        interval: POLL,
      }),
    );
    const detectMs = performance.now() - t0;
    expect(switched, JSON.stringify([s, r, blocked].map((p) => p.last?.regions))).toBe(true);
    // Its own multicast arrives, so it keeps multicasting.
    expect(transports(blocked)).toEqual(['multicast']);
    const ok = await inTime(
      waitFor(
        'every message delivered and freed',
        () =>
          [blocked, r].every((p) => p.last?.delivered === N) &&
          s.last?.sendDone === true &&
          s.last.held === 0,
        { timeout: 60_000, interval: POLL },
      ),
    );
    expect(ok, diagnose([s, r, blocked])).toBe(true);
    await blocked.stop();
    const t1 = performance.now();
    const back = await inTime(
      waitFor(
        'the senders to go back to multicast',
        () => [s, r].every((p) => transports(p).every((t) => t === 'multicast')),
        {
          timeout: 20_000,
          interval: POLL,
        },
      ),
    );
    const backMs = performance.now() - t1;
    await Promise.all([s, r].map((p) => p.stop()));
    for (const p of [s, r, blocked]) {
      const rep = readReport(p.report);
      expect(rep.delivery.fifoViolations + rep.delivery.duplicates + rep.delivery.corrupt).toBe(0);
      expect(total(rep, 'a')).toBe(N);
    }
    expect(readReport(blocked.report).stats['faultDrops']).toBeGreaterThan(0);
    console.log(
      `multi-process: unicast ${Math.round(detectMs)} ms after sending began; multicast ${Math.round(backMs)} ms after the blocked member left`,
    );
    expect(back).toBe(true);
  }, 150_000);

  it('malformed and forged datagrams sent at a real node process are counted, never delivered', async () => {
    const c = await startCluster();
    const N = 500;
    const r = c.node(['--join', 'a', ...FAST]);
    const s = c.node(senderArgs(N, 2000, 2));
    expect(
      await inTime(
        waitFor('a first delivery', () => r.id !== undefined && (r.last?.delivered ?? 0) > 0, {
          timeout: 30_000,
          interval: POLL,
        }),
      ),
    ).toBe(true);
    const port = portOf(r.id);
    const sock = dgram.createSocket('udp4');
    const send = (b: Uint8Array): Promise<void> =>
      new Promise((done) => sock.send(b, port, '127.0.0.1', () => done()));
    const RANDOM = 1000;
    for (let i = 0; i < RANDOM; i++) {
      const b = new Uint8Array(1 + Math.floor(Math.random() * 300));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(Math.random() * 256);
      if (i % 3 === 0 && b.length > 8) b.set([0x51, 0x53, 2, 1 + (i % 5)]); // plausible header
      await send(b);
    }
    const data = encodeData(PacketType.Data, s.id ?? 'x', {
      region: 'nowhere',
      viewId: 1,
      inc: 1,
      seq: 1,
      gi: 0,
      groupSeq: 1,
      payload: new Uint8Array(32),
    });
    const forged = [
      data.subarray(0, data.length - 3),
      encodeNak({
        sender: 'stranger:1/x',
        region: 'r',
        viewId: 1,
        origin: s.id ?? 'x',
        inc: 1,
        ranges: [{ from: 1, to: 9 }],
        flags: 0,
      }),
      encodeToken({
        sender: 'stranger:1/x',
        region: 'r',
        viewId: 1,
        round: 1,
        level: TokenLevel.Partition,
        partition: 0,
        records: [],
      }),
    ];
    for (const f of forged) await send(f);
    sock.close();
    const ok = await inTime(
      waitFor('every message delivered', () => r.last?.delivered === N && s.last?.held === 0, {
        timeout: 30_000,
        interval: POLL,
      }),
    );
    await Promise.all([s, r].map((p) => p.stop()));
    const rep = readReport(r.report);
    const dropped = Object.values(rep.stats.dropped).reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThanOrEqual(RANDOM + 2);
    expect(rep.stats.dropped['nak-unknown-node']).toBe(1);
    expect(rep.stats.dropped['token-other-view']).toBe(1);
    expect(rep.stats.messagesDelivered).toBe(N);
    expect(rep.delivery.corrupt + rep.delivery.fifoViolations + rep.delivery.duplicates).toBe(0);
    expect(ok).toBe(true);
  }, 60_000);

  it('graceful leave and close: the remaining members deliver every message of the leaving senders', async () => {
    const c = await startCluster();
    const N = 3000;
    const rs = [c.node(['--join', 'a', ...FAST, '--loss', '0.02']), c.node(['--join', 'a', ...FAST])];
    const leaver = c.apiNode(['--group', 'a', '--count', `${N}`, '--wait-members', '4', '--then', 'leave']);
    const closer = c.apiNode(['--group', 'a', '--count', `${N}`, '--wait-members', '4', '--then', 'close']);
    await Promise.race([
      Promise.all([leaver.proc.exited, closer.proc.exited]),
      new Promise((r) => setTimeout(r, 60_000)),
    ]);
    // Both are gone from the view.
    const gone = await inTime(
      waitFor('both to leave the view', () => rs.every((r) => r.last?.members[0]?.[1] === 2), {
        timeout: 20_000,
        interval: POLL,
      }),
    );
    await Promise.all(rs.map((p) => p.stop()));
    const diag = (p: NodeProcess): string =>
      JSON.stringify(p.events) +
      p.proc.log() +
      diagnose(rs) +
      [...rs, closer].map((x) => x.proc.log()).join('\n');
    expect(
      leaver.events.find((e) => e.t === 'left'),
      diag(leaver),
    ).toMatchObject({ held: 0 });
    expect(
      closer.events.some((e) => e.t === 'closed'),
      diag(closer),
    ).toBe(true);
    expect(gone).toBe(true);
    for (const r of rs) {
      const rep = readReport(r.report);
      expect(rep.delivery.fifoViolations + rep.delivery.duplicates + rep.delivery.corrupt).toBe(0);
      expect(rep.delivery.counts[`a|${leaver.id}`], r.report).toBe(N);
      expect(rep.delivery.counts[`a|${closer.id}`], r.report).toBe(N);
    }
  }, 90_000);
});

describe.sequential('QSM multi-process faults', () => {
  async function sendScenario(
    count: number,
    rate: number,
    receivers: number,
    fault: (c: EngineCluster, s: NodeProcess, rs: NodeProcess[]) => Promise<void>,
    gmsArgs: string[] = GMS_STEADY,
  ): Promise<{ c: EngineCluster; s: NodeProcess; rs: NodeProcess[] }> {
    const c = await startCluster(gmsArgs);
    const rs = Array.from({ length: receivers }, () => c.node(['--join', 'a', ...FAST]));
    const s = c.node(senderArgs(count, rate, receivers + 1));
    // The fault comes after a fifth of the messages, or after 30 s on a slow start.
    await inTime(
      waitFor('a fifth sent', () => (s.last?.sent ?? 0) > count / 5, { timeout: 30_000, interval: POLL }),
    );
    await fault(c, s, rs);
    return { c, s, rs };
  }

  it('SIGKILL of a receiver: others keep delivering, a new view is installed, sender buffers freed', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(N, 3000, 3, async (_c, _s, rs) => rs[2]!.signal('SIGKILL'));
    const ok = await inTime(
      waitFor(
        'the others to deliver everything in a view without the killed one',
        () =>
          rs.slice(0, 2).every((r) => r.last?.delivered === N) &&
          s.last?.sendDone === true &&
          s.last.held === 0 &&
          s.last.members[0]?.[1] === 3,
        { timeout: 40_000, interval: POLL },
      ),
    );
    await Promise.all([s, rs[0]!, rs[1]!].map((p) => p.stop()));
    for (const p of [s, rs[0]!, rs[1]!]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates).toBe(0);
      expect(total(r, 'a')).toBe(N);
    }
    expect(ok).toBe(true);
  }, 60_000);

  it('SIGKILL of the sender: the survivors deliver the same messages, a lossy one included', async () => {
    const N = 20_000;
    const c = await startCluster(GMS_FAST);
    const rs = [
      c.node(['--join', 'a', ...FAST]),
      c.node(['--join', 'a', ...FAST]),
      c.node(['--join', 'a', '--loss', '0.2', ...FAST]),
    ];
    const s = c.node(senderArgs(N, 4000, 4));
    await inTime(
      waitFor('a fifth sent', () => (s.last?.sent ?? 0) > N / 5, { timeout: 30_000, interval: POLL }),
    );
    s.signal('SIGKILL');
    // The GMS notices, every survivor installs a view without the sender, and the survivors
    // complete its stream among themselves; then their counts agree and stay put.
    const counts = (): number[] => rs.map((r) => r.last?.delivered ?? -1);
    let stableFor = 0;
    const settled = await inTime(
      waitFor(
        'the survivors to agree',
        () => {
          const [a, ...rest] = counts();
          const agreed =
            a! > 0 && rest.every((x) => x === a) && rs.every((r) => r.last?.members[0]?.[1] === 3);
          stableFor = agreed ? stableFor + 1 : 0;
          return stableFor >= 10;
        },
        { timeout: 40_000, interval: POLL },
      ),
    );
    await Promise.all(rs.map((p) => p.stop()));
    const reports = rs.map((p) => readReport(p.report));
    for (const r of reports) {
      expect(r.delivery.fifoViolations + r.delivery.duplicates + r.delivery.corrupt + r.delivery.gaps).toBe(
        0,
      );
    }
    expect(settled, `${counts().join(' / ')} delivered\n${diagnose([s, ...rs])}`).toBe(true);
    expect(new Set(reports.map((r) => total(r, 'a'))).size).toBe(1);
  }, 60_000);

  it('SIGSTOP/SIGCONT of a receiver: healthy ones finish, the sleeper is excluded or catches up cleanly', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(
      N,
      3000,
      3,
      async (_c, _s, rs) => {
        rs[2]!.signal('SIGSTOP');
        // Longer than the GMS's suspect timeout (1.5 s): the sleeper is excluded meanwhile.
        await new Promise((r) => setTimeout(r, 2000));
        rs[2]!.signal('SIGCONT');
      },
      GMS_FAST,
    );
    const ok = await inTime(
      waitFor(
        'the healthy receivers to deliver everything',
        () => rs.slice(0, 2).every((r) => r.last?.delivered === N) && s.last?.held === 0,
        { timeout: 40_000, interval: POLL },
      ),
    );
    await Promise.all([s, ...rs].map((p) => p.stop()));
    for (const p of [s, ...rs]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates + r.delivery.corrupt).toBe(0);
      if (p !== rs[2]) expect(total(r, 'a')).toBe(N);
    }
    expect(ok).toBe(true);
  }, 60_000);

  it('late join: the joiner delivers a FIFO suffix, existing members everything', async () => {
    const N = 4000;
    let late: NodeProcess | undefined;
    const { s, rs } = await sendScenario(N, 1000, 1, async (c) => {
      late = c.node(['--join', 'a', ...FAST]);
    });
    const ok = await inTime(
      waitFor(
        'the existing member to deliver everything',
        () => rs[0]!.last?.delivered === N && s.last?.held === 0 && s.last.sendDone,
        { timeout: 40_000, interval: POLL },
      ),
    );
    await Promise.all([s, rs[0]!, late!].map((p) => p.stop()));
    const lr = readReport(late!.report);
    expect(lr.delivery.fifoViolations + lr.delivery.duplicates).toBe(0);
    // A FIFO suffix: something delivered, no holes after the first message, through the end.
    expect(total(lr, 'a')).toBeGreaterThan(0);
    expect(lr.delivery.gaps).toBe(0);
    expect(Object.values(lr.delivery.next ?? {})).toEqual([N]);
    expect(total(readReport(rs[0]!.report), 'a')).toBe(N);
    expect(ok).toBe(true);
  }, 60_000);

  it('GMS restart: delivery among existing members continues, nothing lost or duplicated', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(N, 1500, 2, async (c) => {
      await c.gms!.proc.kill();
      await new Promise((r) => setTimeout(r, 300));
      await c.startGms(GMS_STEADY, c.gmsPort);
    });
    const ok = await inTime(
      waitFor(
        'every receiver to deliver everything',
        () => rs.every((r) => r.last?.delivered === N) && s.last?.held === 0 && s.last.sendDone,
        { timeout: 40_000, interval: POLL },
      ),
    );
    await Promise.all([s, ...rs].map((p) => p.stop()));
    for (const p of [s, ...rs]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates, p.report).toBe(0);
      expect(total(r, 'a'), p.report).toBe(N);
    }
    expect(ok).toBe(true);
  }, 60_000);
});
