// Multi-process tests: real GMS and node processes over real loopback UDP multicast.

import { afterEach, describe, expect, it } from 'vitest';
import { until } from './testing/harness';
import { Cluster, readReport, type Proc } from './testing/procs';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.killAll();
  cluster = undefined;
});

const FAST = ['--token-ms', '100', '--size', '32'];

function total(r: ReturnType<typeof readReport>, group: string): number {
  let n = 0;
  for (const [k, v] of Object.entries(r.delivery.counts)) if (k.startsWith(group + '|')) n += v;
  return n;
}

describe('QSM multi-process', () => {
  it('3 senders x 20000 messages, overlapping groups, 5% loss + bursts at one receiver: FIFO, exactly once, buffers freed', async () => {
    cluster = new Cluster();
    await cluster.startGms();
    const c = cluster;
    const N = 20_000;
    const loss = ['--loss', '0.05'];
    const s1 = c.node([
      '--join',
      'a',
      '--to',
      'a',
      '--count',
      `${N}`,
      '--wait-members',
      '4',
      ...FAST,
      ...loss,
    ]);
    const s2 = c.node([
      '--join',
      'a,b',
      '--to',
      'b',
      '--count',
      `${N}`,
      '--wait-members',
      '3',
      ...FAST,
      ...loss,
    ]);
    const s3 = c.node([
      '--join',
      'b',
      '--to',
      'b',
      '--count',
      `${N}`,
      '--wait-members',
      '3',
      ...FAST,
      ...loss,
    ]);
    const r1 = c.node(['--join', 'a,b', ...FAST, ...loss, '--burst', '1000:30']);
    const r2 = c.node(['--join', 'a', ...FAST, ...loss]);
    // Expected deliveries: a has 1 sender (s1), b has 2 (s2, s3).
    const expected = new Map<Proc, { a: number; b: number }>([
      [s1, { a: N, b: 0 }],
      [s2, { a: N, b: 2 * N }],
      [s3, { a: 0, b: 2 * N }],
      [r1, { a: N, b: 2 * N }],
      [r2, { a: N, b: 0 }],
    ]);
    const all = [...expected.keys()];
    const done = await until(
      () =>
        all.every((p) => {
          const e = expected.get(p)!;
          return (
            p.last !== undefined && p.last.sendDone && p.last.delivered >= e.a + e.b && p.last.held === 0
          );
        }),
      150_000,
      200,
    );
    await Promise.all(all.map((p) => p.stop()));
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
});

describe('QSM multi-process faults', () => {
  const GMS_FAST = ['--heartbeat-ms', '200', '--suspect-ms', '1500'];

  async function sendScenario(
    count: number,
    rate: number,
    receivers: number,
    fault: (c: Cluster, s: Proc, rs: Proc[]) => Promise<void>,
  ): Promise<{ c: Cluster; s: Proc; rs: Proc[] }> {
    cluster = new Cluster();
    const c = cluster;
    await c.startGms(GMS_FAST);
    const rs = Array.from({ length: receivers }, () => c.node(['--join', 'a', ...FAST]));
    const s = c.node([
      '--join',
      'a',
      '--to',
      'a',
      '--count',
      `${count}`,
      '--send',
      `${rate}`,
      '--wait-members',
      `${receivers + 1}`,
      ...FAST,
    ]);
    await until(() => (s.last?.sent ?? 0) > count / 5, 20_000);
    await fault(c, s, rs);
    return { c, s, rs };
  }

  it('SIGKILL of a receiver: others keep delivering, a new view is installed, sender buffers freed', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(N, 2000, 3, async (_c, _s, rs) => rs[2]!.signal('SIGKILL'));
    const ok = await until(
      () =>
        rs.slice(0, 2).every((r) => r.last?.delivered === N) &&
        s.last?.sendDone === true &&
        s.last.held === 0 &&
        s.last.members[0]?.[1] === 3,
      30_000,
      100,
    );
    await Promise.all([s, rs[0]!, rs[1]!].map((p) => p.stop()));
    for (const p of [s, rs[0]!, rs[1]!]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates).toBe(0);
      expect(total(r, 'a')).toBe(N);
    }
    expect(ok).toBe(true);
  }, 60_000);

  it('SIGSTOP/SIGCONT of a receiver: healthy ones finish, the sleeper is excluded or catches up cleanly', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(N, 2000, 3, async (_c, _s, rs) => {
      rs[2]!.signal('SIGSTOP');
      await new Promise((r) => setTimeout(r, 3000));
      rs[2]!.signal('SIGCONT');
    });
    const ok = await until(
      () => rs.slice(0, 2).every((r) => r.last?.delivered === N) && s.last?.held === 0,
      30_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 500));
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
    let late: Proc | undefined;
    const { s, rs } = await sendScenario(N, 1000, 1, async (c) => {
      late = c.node(['--join', 'a', ...FAST]);
    });
    const ok = await until(
      () => rs[0]!.last?.delivered === N && s.last?.held === 0 && s.last.sendDone,
      30_000,
      100,
    );
    await Promise.all([s, rs[0]!, late!].map((p) => p.stop()));
    const lr = readReport(late!.report);
    expect(lr.delivery.fifoViolations + lr.delivery.duplicates).toBe(0);
    expect(total(lr, 'a')).toBeGreaterThan(N / 4);
    expect(total(readReport(rs[0]!.report), 'a')).toBe(N);
    expect(ok).toBe(true);
  }, 60_000);

  it('GMS restart: delivery among existing members continues', async () => {
    const N = 6000;
    const { s, rs } = await sendScenario(N, 1500, 2, async (c) => {
      c.gms!.signal('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      await c.startGms(GMS_FAST, c.gmsPort);
    });
    const ok = await until(
      () => rs.every((r) => r.last?.delivered === N) && s.last?.held === 0 && s.last.sendDone,
      40_000,
      100,
    );
    await Promise.all([s, ...rs].map((p) => p.stop()));
    for (const p of [s, ...rs]) {
      const r = readReport(p.report);
      expect(r.delivery.fifoViolations + r.delivery.duplicates).toBe(0);
      expect(total(r, 'a')).toBe(N);
    }
    expect(ok).toBe(true);
  }, 60_000);
});
