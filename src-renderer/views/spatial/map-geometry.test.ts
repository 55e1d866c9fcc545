import { describe, expect, it } from 'vitest';
import countries from 'world-atlas/countries-110m.json';
import type { TopoTopology } from '../../../src-shared/spatial/geodata';
import { AREAS, DEFAULT_AREA, areaExtent, outlinesInArea } from '../../../src-shared/spatial/geodata';
import { buildingGeometry } from './building-geometry';
import { areaPlane, outlineSegments } from './map-geometry';

describe('outlineSegments', () => {
  it('turns polylines into pairs of 3D points at the given height', () => {
    const segments = outlineSegments(
      [
        [
          [0, 0],
          [10, 0],
          [10, 5],
        ],
        [[1, 1]],
      ],
      2,
    );
    expect([...segments]).toEqual([0, 2, 0, 10, 2, 0, 10, 2, 0, 10, 2, 5]);
  });

  it('draws the real atlas borders of the default area inside the area', () => {
    const polylines = outlinesInArea(countries as unknown as TopoTopology, 'countries', DEFAULT_AREA);
    const segments = outlineSegments(polylines, 1);
    expect(segments.length).toBeGreaterThan(60);
    const e = areaExtent(DEFAULT_AREA);
    for (let i = 0; i < segments.length; i += 3) {
      expect(segments[i]).toBeGreaterThanOrEqual(e.minX - 1);
      expect(segments[i]).toBeLessThanOrEqual(e.maxX + 1);
      expect(segments[i + 1]).toBe(1);
      expect(segments[i + 2]).toBeGreaterThanOrEqual(e.minZ - 1);
      expect(segments[i + 2]).toBeLessThanOrEqual(e.maxZ + 1);
    }
  });

  it('gives the land plane of an area centred on the origin', () => {
    const plane = areaPlane(AREAS.sanFranciscoBay);
    expect(plane.center[0]).toBeCloseTo(0, 3);
    expect(plane.center[1]).toBeCloseTo(0, 3);
    expect(plane.width).toBeGreaterThan(100_000);
    expect(plane.depth).toBeGreaterThan(100_000);
  });
});

describe('buildingGeometry', () => {
  it('extrudes the footprint upwards from the ground once turned into the scene', () => {
    const g = buildingGeometry(
      [
        [-10, -5],
        [10, -5],
        [10, 5],
        [-10, 5],
      ],
      30,
    );
    g.rotateX(-Math.PI / 2);
    g.computeBoundingBox();
    const box = g.boundingBox;
    expect(box?.min.y).toBeCloseTo(0);
    expect(box?.max.y).toBeCloseTo(30);
    expect(box?.min.x).toBeCloseTo(-10);
    expect(box?.max.z).toBeCloseTo(5);
    expect(box?.min.z).toBeCloseTo(-5);
  });
});
