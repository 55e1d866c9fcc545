import { describe, expect, it } from 'vitest';
import type { SpaceObject } from '../../../src-shared/bridge/view-state';
import { DEFAULT_AREA } from '../../../src-shared/spatial/geodata';
import { createDebugHook } from './debug-hook';
import { poseStore } from './pose-store';
import { shownObjects } from './scene-registry';
import {
  AIRPLANE_BEFORE_STATE,
  AIRPLANE_DEFAULT_COLOR,
  BUILDING_BEFORE_STATE,
  DEFAULT_FOOTPRINT,
  MAP_BEFORE_STATE,
  placedObjects,
  trackInfo,
} from './spatial-state';

describe('view states in the 3D views', () => {
  it('makes placed rotations unit, the identity for a degenerate one', () => {
    const placed = (id: string, rotation: readonly [number, number, number, number]): SpaceObject => ({
      id,
      reference: '<x/>',
      kind: 'airplane',
      position: [1, 2, 3],
      rotation,
      scale: [1, 1, 1],
    });
    expect(placedObjects([placed('a', [0, 0, 0, 2]), placed('b', [0, 0, 0, 0])])).toEqual([
      { ...placed('a', [0, 0, 0, 1]) },
      { ...placed('b', [0, 0, 0, 1]) },
    ]);
    expect(placedObjects(undefined)).toEqual([]);
  });

  it("draws defaults until an object's first state arrives", () => {
    expect(AIRPLANE_BEFORE_STATE).toMatchObject({
      callsign: '',
      color: AIRPLANE_DEFAULT_COLOR,
      stream: null,
    });
    expect(BUILDING_BEFORE_STATE.footprint).toBe(DEFAULT_FOOTPRINT);
    expect(MAP_BEFORE_STATE.area).toEqual(DEFAULT_AREA);
  });

  it('labels tracks from a flights state', () => {
    const info = trackInfo({
      kind: 'flights',
      count: 1,
      seed: 1,
      rateHz: 1,
      publisher: null,
      publishing: false,
      tracks: [{ track: 1, callsign: 'LX1', color: '#112233' }],
    });
    expect([...info.values()]).toEqual([{ track: 1, callsign: 'LX1', color: '#112233' }]);
    expect(trackInfo(undefined).size).toBe(0);
  });
});

describe('debug hook', () => {
  it('exposes copies of what is shown and of interpolated stream poses', () => {
    const hook = createDebugHook();
    poseStore.push(
      'flights',
      [{ track: 0, t: 0, position: [1, 2, 3], orientation: [0, 0, 0, 1], velocity: [0, 0, 0] }],
      0,
    );
    expect(hook.streamPoses(0).flights?.[0]?.position).toEqual([1, 2, 3]);
    shownObjects.set('s a', {
      space: 's',
      id: 'a',
      kind: 'map',
      title: 'Map',
      reference: '<m/>',
      position: [0, 0, 0],
      rotation: [0, 0, 0, 1],
      scale: [1, 1, 1],
    });
    const objects = hook.objects();
    expect(objects).toHaveLength(1);
    (objects[0] as { title: string }).title = 'changed';
    expect(shownObjects.get('s a')?.title).toBe('Map');
    poseStore.clear();
    shownObjects.clear();
  });
});
