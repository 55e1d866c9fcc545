import { describe, expect, it } from 'vitest';
import { assignMulticast, computeRegions, parseMulticastRange, regionIdOf } from './regions';

// Six nodes in three overlapping groups (A ⊃ part of B, B overlaps C):
//   n1 {A}  n2 {A}  n3 {A,B}  n4 {A,B}  n5 {B,C}  n6 {C}
const table = new Map<string, ReadonlySet<string>>([
  ['n1', new Set(['A'])],
  ['n2', new Set(['A'])],
  ['n3', new Set(['B', 'A'])],
  ['n4', new Set(['A', 'B'])],
  ['n5', new Set(['C', 'B'])],
  ['n6', new Set(['C'])],
]);

describe('regionIdOf', () => {
  it('depends only on the set of groups', () => {
    expect(regionIdOf(['B', 'A'])).toBe(regionIdOf(['A', 'B', 'A']));
    expect(regionIdOf(['A', 'B'])).toMatch(/^r-[0-9a-f]{12}$/);
    expect(regionIdOf(['A', 'B'])).not.toBe(regionIdOf(['A']));
    // Joining names naively would confuse {"a,b"} with {"a","b"}.
    expect(regionIdOf(['a,b'])).not.toBe(regionIdOf(['a', 'b']));
  });
});

describe('computeRegions', () => {
  it('groups 6 nodes in 3 overlapping groups into the expected regions', () => {
    const layout = computeRegions(table);
    const rA = regionIdOf(['A']);
    const rAB = regionIdOf(['A', 'B']);
    const rBC = regionIdOf(['B', 'C']);
    const rC = regionIdOf(['C']);
    expect(Object.fromEntries(layout.regions)).toEqual({
      [rA]: { groups: ['A'], members: ['n1', 'n2'] },
      [rAB]: { groups: ['A', 'B'], members: ['n3', 'n4'] },
      [rBC]: { groups: ['B', 'C'], members: ['n5'] },
      [rC]: { groups: ['C'], members: ['n6'] },
    });
    const sorted = (ids: string[]): string[] => [...ids].sort();
    expect(Object.fromEntries(layout.groupRegions)).toEqual({
      A: sorted([rA, rAB]),
      B: sorted([rAB, rBC]),
      C: sorted([rBC, rC]),
    });
    expect(Object.fromEntries(layout.nodeRegion)).toEqual({
      n1: rA,
      n2: rA,
      n3: rAB,
      n4: rAB,
      n5: rBC,
      n6: rC,
    });
  });

  it('gives a node without groups no region', () => {
    const layout = computeRegions(new Map([['lonely', new Set<string>()]]));
    expect(layout.regions.size).toBe(0);
    expect(layout.nodeRegion.has('lonely')).toBe(false);
  });
});

describe('assignMulticast', () => {
  const ids = ['r-1', 'r-2', 'r-3', 'r-4'];

  it('is deterministic, inside the default range, and unique per region', () => {
    const a = assignMulticast(ids, new Map());
    const b = assignMulticast([...ids].reverse(), new Map());
    expect(Object.fromEntries(a)).toEqual(Object.fromEntries(b));
    const addresses = new Set([...a.values()].map((m) => m.address));
    expect(addresses.size).toBe(ids.length);
    for (const m of a.values()) {
      expect(m.address).toMatch(/^239\.255\.\d+\.\d+$/);
      expect(m.port).toBeGreaterThanOrEqual(20000);
      expect(m.port).toBeLessThanOrEqual(29999);
    }
  });

  it('probes linearly on collision and keeps existing assignments', () => {
    const range = { cidr: '239.1.2.0/30', portMin: 5000, portMax: 5000 };
    const first = assignMulticast(['x', 'y'], new Map(), range);
    // A new region never moves a live one.
    const second = assignMulticast(['x', 'y', 'z', 'w'], first, range);
    expect(second.get('x')).toEqual(first.get('x'));
    expect(second.get('y')).toEqual(first.get('y'));
    expect(new Set([...second.values()].map((m) => m.address)).size).toBe(4);
    expect(() => assignMulticast(['x', 'y', 'z', 'w', 'v'], second, range)).toThrow(/exhausted/);
  });

  it('shares addresses (not address:port pairs) once addresses run out', () => {
    const range = { cidr: '239.1.2.0/31', portMin: 5000, portMax: 5001 };
    const all = assignMulticast(['a', 'b', 'c', 'd'], new Map(), range);
    expect(new Set([...all.values()].map((m) => `${m.address}:${m.port}`)).size).toBe(4);
  });

  it('rejects ranges outside 224.0.0.0/4 and bad ports', () => {
    expect(() => parseMulticastRange({ cidr: '10.0.0.0/8', portMin: 1, portMax: 2 })).toThrow(/224/);
    expect(() => parseMulticastRange({ cidr: '239.0.0.0/8', portMin: 3, portMax: 2 })).toThrow(/port/);
    expect(() => parseMulticastRange({ cidr: 'nonsense', portMin: 1, portMax: 2 })).toThrow(/CIDR/);
  });
});
