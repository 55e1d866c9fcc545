import { describe, expect, it } from 'vitest';
import { median, pairedRatios, percentile } from './stats';

describe('bench statistics', () => {
  it('median and percentiles by nearest rank', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNull();
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
  });

  it('paired ratios: each value against its own round, missing rounds left out of the median', () => {
    const p = pairedRatios([90, 200, null, 110], [100, 100, 100, 100]);
    expect(p.ratios).toEqual([0.9, 2, null, 1.1]);
    expect(p.median).toBe(1.1);
    // A machine whose speed drifts between rounds: every round says 0.9.
    const drift = pairedRatios([90, 180, 270], [100, 200, 300]);
    expect(drift.ratios.map((r) => r?.toFixed(2))).toEqual(['0.90', '0.90', '0.90']);
    expect(drift.median).toBeCloseTo(0.9);
    expect(pairedRatios([1], [0]).median).toBeNull();
  });
});
