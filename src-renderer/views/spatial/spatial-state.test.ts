import { describe, expect, it } from 'vitest';
import { DEFAULT_AREA, projectLonLat } from '../../../src-shared/spatial/geodata';
import { createDebugHook } from './debug-hook';
import { poseStore } from './pose-store';
import { shownObjects } from './scene-registry';
import {
  AIRPLANE_DEFAULT_COLOR,
  DEFAULT_FOOTPRINT,
  parseAirplaneState,
  parseBuildingState,
  parseMapState,
  parseSpace3DState,
  parseTrackInfo,
} from './spatial-state';

describe('view states', () => {
  it('reads placed objects, skipping broken ones and normalising rotations', () => {
    const objects = parseSpace3DState({
      objects: [
        {
          id: 'a',
          reference: '<x/>',
          kind: 'liveobjects.airplane',
          position: [1, 2, 3],
          rotation: [0, 0, 0, 2],
        },
        { id: 'b', reference: '', position: [0, 0, 0] },
        { id: 7, reference: '<y/>', position: [1, 'x', 3], scale: [2, 2, 2], rotation: [0, 0, 0, 0] },
        { id: 'a', reference: '<dup/>' },
      ],
    });
    expect(objects).toEqual([
      {
        id: 'a',
        reference: '<x/>',
        kind: 'liveobjects.airplane',
        position: [1, 2, 3],
        rotation: [0, 0, 0, 1],
        scale: [1, 1, 1],
      },
      { id: '7', reference: '<y/>', position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [2, 2, 2] },
    ]);
    expect(parseSpace3DState(null)).toEqual([]);
  });

  it('reads an airplane, flat or with the model register { reference, track }', () => {
    expect(parseAirplaneState(undefined)).toEqual({
      callsign: '',
      color: AIRPLANE_DEFAULT_COLOR,
      stream: null,
      track: 0,
      livery: null,
    });
    expect(
      parseAirplaneState({ callsign: 'SWR1', color: '#AABBCC', stream: '<s/>', track: 4, livery: '<l/>' }),
    ).toEqual({
      callsign: 'SWR1',
      color: '#aabbcc',
      stream: '<s/>',
      track: 4,
      livery: '<l/>',
    });
    expect(parseAirplaneState({ stream: { reference: '<s/>', track: 2 }, color: 'red' })).toMatchObject({
      stream: '<s/>',
      track: 2,
      color: AIRPLANE_DEFAULT_COLOR,
    });
  });

  it('reads a building with defaults for a bad footprint and clamps the height', () => {
    expect(parseBuildingState({ footprint: [[0, 0], [1]], height: 5000 })).toMatchObject({
      footprint: DEFAULT_FOOTPRINT,
      height: 2000,
    });
  });

  it('reads a map, projecting annotations the host did not project', () => {
    const state = parseMapState({
      area: { name: 'bad', bounds: [10, 0, 5, 1] },
      annotations: [
        { id: 'n', lon: 8, lat: 46.5, text: 'Hi', author: 'ada' },
        { id: 'x', lon: 'no' },
      ],
    });
    expect(state.area).toEqual(DEFAULT_AREA);
    const [x, z] = projectLonLat(DEFAULT_AREA, 8, 46.5);
    expect(state.annotations).toEqual([{ id: 'n', lon: 8, lat: 46.5, text: 'Hi', author: 'ada', x, z }]);
  });

  it('reads optional track labels from tracks or plans', () => {
    const info = parseTrackInfo({ plans: [{ track: 1, callsign: 'LX1', color: '#112233' }, { track: 'x' }] });
    expect([...info.values()]).toEqual([{ track: 1, callsign: 'LX1', color: '#112233' }]);
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
