// Map outlines (scene polylines from outlinesInArea) → one LineSegments position buffer, and
// the area's land plane. Pure, so it is tested in node.
import type { GeoArea, Polyline } from '../../../src-shared/spatial/geodata';
import { areaExtent } from '../../../src-shared/spatial/geodata';

/** Pairs of points (x, y, z) for THREE.LineSegments: one draw call for every outline. */
export function outlineSegments(polylines: readonly Polyline[], y = 0): Float32Array {
  let count = 0;
  for (const line of polylines) count += Math.max(0, line.length - 1);
  const out = new Float32Array(count * 6);
  let i = 0;
  for (const line of polylines) {
    for (let k = 1; k < line.length; k += 1) {
      const a = line[k - 1] as readonly [number, number];
      const b = line[k] as readonly [number, number];
      out.set([a[0], y, a[1], b[0], y, b[1]], i);
      i += 6;
    }
  }
  return out;
}

/** The land plane: centre and size in scene metres (the area is an axis-aligned rectangle). */
export function areaPlane(area: GeoArea): { center: [number, number]; width: number; depth: number } {
  const e = areaExtent(area);
  return { center: [(e.minX + e.maxX) / 2, (e.minZ + e.maxZ) / 2], width: e.width, depth: e.depth };
}
