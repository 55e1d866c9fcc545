// The bundled world atlas (offline: vite bundles the JSON) and outline buffers per area.
import countries from 'world-atlas/countries-110m.json';
import type { GeoArea, TopoTopology } from '../../../src-shared/spatial/geodata';
import { outlinesInArea } from '../../../src-shared/spatial/geodata';
import { outlineSegments } from './map-geometry';

const topology = countries as unknown as TopoTopology;
const cache = new Map<string, Float32Array>();

/**
 * Country borders and coastlines inside `area` as LineSegments positions at height y; the same
 * array for the same bounds and height (views rebuild their geometry only when it changes).
 */
export function areaOutlineSegments(area: GeoArea, y: number): Float32Array {
  const key = `${area.bounds.join(',')}@${y}`;
  let segments = cache.get(key);
  if (!segments) {
    segments = outlineSegments(outlinesInArea(topology, 'countries', area), y);
    if (cache.size > 16) cache.clear();
    cache.set(key, segments);
  }
  return segments;
}
