import { describe, expect, it } from 'vitest';
import type { PoseSample } from '../../../src-shared/bridge/protocol';
import { PoseStore } from './pose-store';

const sample = (track: number, t: number, x: number): PoseSample => ({
  track,
  t,
  position: [x, 100, 0],
  orientation: [0, 0, 0, 1],
  velocity: [10, 0, 0],
});

describe('PoseStore', () => {
  it('interpolates each track of a handle on its own', () => {
    const store = new PoseStore();
    // Same clock (arrival = t): render time is now − 100 ms.
    store.push('h', [sample(0, 0, 0), sample(1, 0, 500)], 0);
    store.push('h', [sample(0, 1000, 10), sample(1, 1000, 510)], 1000);
    const poses = store.poses('h', 600);
    expect(poses.map((p) => p.track)).toEqual([0, 1]);
    expect(poses[0]?.position[0]).toBeCloseTo(5, 6);
    expect(poses[1]?.position[0]).toBeCloseTo(505, 6);
    expect(poses[0]?.mode).toBe('interpolated');
  });

  it("follows the track heard last by default (an airplane's stream carries one)", () => {
    const store = new PoseStore();
    store.push('plane', [sample(3, 0, 7)], 0);
    expect(store.pose('plane', 0)?.position).toEqual([7, 100, 0]);
    expect(store.pose('plane', 0, 4)).toBeUndefined();
  });

  it('ignores malformed samples and never creates NaN poses', () => {
    const store = new PoseStore();
    const bad = [
      { ...sample(0, 0, 0), position: [Number.NaN, 0, 0] },
      { ...sample(-1, 0, 0) },
      null,
      { ...sample(0, 0, 0), orientation: [0, 0, 0, 0] },
    ] as unknown as PoseSample[];
    store.push('h', bad, 0);
    expect(store.poses('h', 10)).toEqual([]);
    store.push('h', 'nope' as unknown as PoseSample[], 0);
    expect(store.pose('x', 0)).toBeUndefined();
  });

  it('lists the tracks that have samples without interpolating them', () => {
    const store = new PoseStore();
    store.push(
      'h',
      [sample(2, 0, 0), { ...sample(1, 0, 0), position: [Number.NaN, 0, 0] }, sample(0, 0, 0)],
      0,
    );
    expect(store.tracks('h')).toEqual([0, 2]);
    expect(store.tracks('h')).toEqual(store.poses('h', 0).map((p) => p.track));
    expect(store.tracks('none')).toEqual([]);
  });

  it('bounds the number of tracks and forgets handles', () => {
    const store = new PoseStore({ maxTracks: 2 });
    store.push('h', [sample(0, 0, 0), sample(1, 0, 0), sample(2, 0, 0)], 0);
    expect(store.poses('h', 0).map((p) => p.track)).toEqual([0, 1]);
    store.forget('h');
    expect(store.has('h')).toBe(false);
    expect(store.handles()).toEqual([]);
  });
});
