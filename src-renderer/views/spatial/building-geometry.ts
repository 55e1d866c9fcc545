// A building's footprint → an extruded three.js geometry. A Shape lives in its own x/y plane,
// so it is built from (x, −z) and the mesh is turned −90° about x (docs/spatial.md).
import { ExtrudeGeometry, Shape } from 'three';

export function buildingGeometry(
  footprint: readonly (readonly [number, number])[],
  height: number,
): ExtrudeGeometry {
  const shape = new Shape();
  footprint.forEach(([x, z], i) => (i === 0 ? shape.moveTo(x, -z) : shape.lineTo(x, -z)));
  shape.closePath();
  return new ExtrudeGeometry(shape, { depth: Math.max(0.01, height), bevelEnabled: false });
}

export const BUILDING_ROTATION: [number, number, number] = [-Math.PI / 2, 0, 0];
