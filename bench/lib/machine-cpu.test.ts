import { describe, expect, it } from 'vitest';
import { cpuShares, parseProcStat, readCpuTimes } from './machine-cpu';

const stat = (user: number, idle: number, steal: number): string =>
  `cpu  ${user} 0 10 ${idle} 5 1 4 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2\n`;

describe('machine CPU shares', () => {
  it('parses the aggregate line: busy = user+nice+system+irq+softirq, idle includes iowait', () => {
    expect(parseProcStat(stat(100, 200, 7))).toEqual({ busy: 115, idle: 205, steal: 7 });
  });

  it('splits a window into busy, idle and steal shares', () => {
    const s = cpuShares(parseProcStat(stat(100, 200, 0)), parseProcStat(stat(160, 220, 20)));
    expect(s).toEqual({ busy: 0.6, idle: 0.2, steal: 0.2 });
  });

  it('has no answer without a cpu line or without elapsed time', () => {
    expect(parseProcStat('intr 1 2\n')).toBeUndefined();
    expect(parseProcStat('cpu  1 2 x 4 5 6 7 8\n')).toBeUndefined();
    const a = parseProcStat(stat(1, 1, 1));
    expect(cpuShares(a, a)).toBeUndefined();
    expect(cpuShares(undefined, a)).toBeUndefined();
  });

  it('reads this machine (Linux) with shares that add up to one', () => {
    const a = readCpuTimes();
    if (!a) return expect(process.platform).not.toBe('linux');
    const until = Date.now() + 100;
    while (Date.now() < until) {
      /* burn a little CPU so that time passes on the counters */
    }
    const s = cpuShares(a, readCpuTimes());
    expect(s).toBeDefined();
    expect(s!.busy + s!.idle + s!.steal).toBeCloseTo(1, 9);
    expect(s!.busy).toBeGreaterThan(0);
  });
});
