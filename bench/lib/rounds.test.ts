import { describe, expect, it } from 'vitest';
import type { EngineResult } from './engine-nodes';
import { measureRounds, medianOver, perRound, stealByRound } from './rounds';

const result = (rate: number, problems: string[] = []): EngineResult =>
  ({ meanMsgsPerSec: rate, problems, method: `method ${rate}` }) as unknown as EngineResult;

describe('interleaved rounds', () => {
  it('measures every variant once per round, in turn, and keeps failed rounds in their slot', async () => {
    const order: string[] = [];
    const out = { errors: [] as string[], notes: [] as string[] };
    const runs = await measureRounds(
      ['a', 'b'],
      3,
      (v) => `variant ${v}`,
      async (v, tag) => {
        order.push(`${v}${tag}`);
        if (v === 'b' && tag.includes('round 2')) throw new Error('no receivers');
        return result(v === 'a' ? 100 * order.length : 10, v === 'a' && order.length === 1 ? ['late'] : []);
      },
      out,
    );
    expect(order).toEqual([
      'a (round 1 of 3)',
      'b (round 1 of 3)',
      'a (round 2 of 3)',
      'b (round 2 of 3)',
      'a (round 3 of 3)',
      'b (round 3 of 3)',
    ]);
    const rate = (r: EngineResult): number | null => r.meanMsgsPerSec;
    expect(perRound(runs.get('a'), rate)).toEqual([100, 300, 500]);
    expect(perRound(runs.get('b'), rate)).toEqual([10, null, 10]);
    expect(medianOver(runs.get('a'), rate)).toBe(300);
    expect(out.errors).toEqual(['variant a (round 1 of 3): late', 'variant b (round 2 of 3): no receivers']);
    expect(out.notes).toEqual(['variant a: method 100', 'variant b: method 10']);
  });

  it('one round: no round tags', async () => {
    const tags: string[] = [];
    await measureRounds(['x'], 1, String, async (_v, tag) => (tags.push(tag), result(1)), {
      errors: [],
      notes: [],
    });
    expect(tags).toEqual(['']);
  });

  it('host steal by round pairs each run with its baseline; empty without /proc/stat', () => {
    const withSteal = (steal: number | null): EngineResult =>
      ({ machineCpu: steal === null ? null : { busy: 0.5, steal } }) as unknown as EngineResult;
    expect(stealByRound([withSteal(0.052), undefined], [withSteal(0.001), withSteal(0.2)])).toBe(
      '5.2/0.1, n/a/20.0',
    );
    expect(stealByRound([withSteal(null)], [withSteal(null)])).toBe('');
  });
});
