// The module under test stays isomorphic; only this test reads the atlas from disk.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GeoArea, TopoTopology } from './geodata';
import {
  AREAS,
  DEFAULT_AREA,
  areaExtent,
  areaProblem,
  clipPolyline,
  outlinesInArea,
  projectLonLat,
  unprojectXZ,
} from './geodata';

function atlas(name: string): TopoTopology {
  const url = new URL(`../../node_modules/world-atlas/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as TopoTopology;
}

describe('geodata projection', () => {
  it('puts the area centre at the origin, east at +x and north at −z, in metres', () => {
    const area = DEFAULT_AREA;
    const [minLon, minLat, maxLon, maxLat] = area.bounds;
    const lon0 = (minLon + maxLon) / 2;
    const lat0 = (minLat + maxLat) / 2;
    expect(projectLonLat(area, lon0, lat0)).toEqual([0, -0]);
    const [, zNorth] = projectLonLat(area, lon0, lat0 + 1);
    expect(zNorth).toBeCloseTo(-111_195, -1);
    const [xEast] = projectLonLat(area, lon0 + 1, lat0);
    expect(xEast).toBeCloseTo(111_195 * Math.cos((lat0 * Math.PI) / 180), -1);
  });

  it('unprojects what it projects', () => {
    for (const area of Object.values(AREAS)) {
      for (const [lon, lat] of [
        [area.bounds[0], area.bounds[1]],
        [area.bounds[2], area.bounds[3]],
        [(area.bounds[0] + area.bounds[2]) / 2, area.bounds[1] + 0.3],
      ] as const) {
        const [x, z] = projectLonLat(area, lon, lat);
        const [lon2, lat2] = unprojectXZ(area, x, z);
        expect(lon2).toBeCloseTo(lon, 9);
        expect(lat2).toBeCloseTo(lat, 9);
      }
    }
  });

  it('gives the extent of an area in metres', () => {
    const e = areaExtent(AREAS.sanFranciscoBay);
    expect(e.width).toBeGreaterThan(100_000);
    expect(e.width).toBeLessThan(115_000);
    expect(e.depth).toBeCloseTo(111_195, -2);
    expect(e.minX).toBeCloseTo(-e.maxX, 6);
    expect(e.minZ).toBeLessThan(0);
  });

  it('validates areas', () => {
    expect(areaProblem(DEFAULT_AREA)).toBeUndefined();
    expect(areaProblem({ name: '', bounds: [0, 0, 1, 1] })).toMatch(/name/);
    expect(areaProblem({ name: 'x', bounds: [0, 0, 1] })).toMatch(/four/);
    expect(areaProblem({ name: 'x', bounds: [1, 0, 0, 1] })).toMatch(/longitudes/);
    expect(areaProblem({ name: 'x', bounds: [0, 0, 1, 89] })).toMatch(/latitudes/);
    expect(areaProblem({ name: 'x', bounds: [0, 0, 1, Number.NaN] })).toMatch(/finite/);
    expect(areaProblem(null)).toBeDefined();
  });
});

describe('clipPolyline', () => {
  const box = [0, 0, 10, 10] as const;
  it('keeps what is inside and cuts where the line leaves and re-enters', () => {
    expect(
      clipPolyline(
        [
          [1, 1],
          [2, 2],
          [3, 1],
        ],
        box,
      ),
    ).toEqual([
      [
        [1, 1],
        [2, 2],
        [3, 1],
      ],
    ]);
    expect(
      clipPolyline(
        [
          [-5, 5],
          [5, 5],
          [15, 5],
        ],
        box,
      ),
    ).toEqual([
      [
        [0, 5],
        [5, 5],
        [10, 5],
      ],
    ]);
    expect(
      clipPolyline(
        [
          [5, 5],
          [5, 15],
          [8, 15],
          [8, 5],
        ],
        box,
      ),
    ).toEqual([
      [
        [5, 5],
        [5, 10],
      ],
      [
        [8, 10],
        [8, 5],
      ],
    ]);
    expect(
      clipPolyline(
        [
          [-1, -1],
          [-5, 20],
        ],
        box,
      ),
    ).toEqual([]);
  });
});

describe('country outlines from world-atlas', () => {
  const topology = atlas('countries-110m.json');

  function checkInside(area: GeoArea, lines: readonly (readonly (readonly [number, number])[])[]): void {
    const e = areaExtent(area);
    for (const line of lines) {
      expect(line.length).toBeGreaterThanOrEqual(2);
      for (const [x, z] of line) {
        expect(x).toBeGreaterThanOrEqual(e.minX - 1e-6);
        expect(x).toBeLessThanOrEqual(e.maxX + 1e-6);
        expect(z).toBeGreaterThanOrEqual(e.minZ - 1e-6);
        expect(z).toBeLessThanOrEqual(e.maxZ + 1e-6);
      }
    }
  }

  function totalLength(lines: readonly (readonly (readonly [number, number])[])[]): number {
    let sum = 0;
    for (const line of lines) {
      for (let i = 1; i < line.length; i += 1) {
        const a = line[i - 1] as readonly [number, number];
        const b = line[i] as readonly [number, number];
        sum += Math.hypot(b[0] - a[0], b[1] - a[1]);
      }
    }
    return sum;
  }

  it('draws the borders around the Alps, clipped to the area', () => {
    const lines = outlinesInArea(topology, 'countries', DEFAULT_AREA);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    checkInside(DEFAULT_AREA, lines);
    // Swiss, French, Italian, German and Austrian borders: many hundreds of km.
    expect(totalLength(lines)).toBeGreaterThan(800_000);
  });

  it('draws the Pacific coast through the San Francisco Bay area', () => {
    const lines = outlinesInArea(topology, 'countries', AREAS.sanFranciscoBay);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    checkInside(AREAS.sanFranciscoBay, lines);
  });

  it('finds nothing in open ocean, works with the 50m atlas and refuses unknown objects', () => {
    expect(outlinesInArea(topology, 'countries', { name: 'Atlantic', bounds: [-40, 20, -30, 30] })).toEqual(
      [],
    );
    const fine = outlinesInArea(atlas('countries-50m.json'), 'countries', DEFAULT_AREA);
    checkInside(DEFAULT_AREA, fine);
    expect(fine.reduce((n, l) => n + l.length, 0)).toBeGreaterThan(
      outlinesInArea(topology, 'countries', DEFAULT_AREA).reduce((n, l) => n + l.length, 0),
    );
    expect(() => outlinesInArea(topology, 'rivers', DEFAULT_AREA)).toThrow(/no object "rivers"/);
  });
});
