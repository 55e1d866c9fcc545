// Offline geodata for maps and geographic 3D scenes. A scene is laid out around an area: an
// equirectangular projection about the area's centre, in metres, x east, y up, z south (so
// north is −z and the frame is right-handed, as in three.js). Within a few hundred km the
// distortion is small (≈ 1 % at 400 km from the centre along a meridian, less elsewhere),
// which is all a live map of aircraft needs. Areas crossing the antimeridian or reaching the
// poles (|lat| > 85°) are not supported.

/** [minLon, minLat, maxLon, maxLat] in degrees. */
export type LonLatBounds = readonly [number, number, number, number];

export interface GeoArea {
  readonly name: string;
  readonly bounds: LonLatBounds;
}

/** A point in scene coordinates: [x, z] in metres. */
export type ScenePoint = readonly [number, number];
export type Polyline = readonly ScenePoint[];

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
export const MAX_AREA_NAME_LENGTH = 128;
const MAX_ABS_LAT = 85;

export const AREAS = {
  /** The Alps where France, Switzerland, Italy, Germany and Austria meet (≈ 370 × 255 km). */
  centralAlps: { name: 'Central Alps', bounds: [5.8, 45.6, 10.6, 47.9] },
  /** San Francisco Bay (≈ 110 × 110 km); at 1:110m only the coastline crosses it. */
  sanFranciscoBay: { name: 'San Francisco Bay', bounds: [-123.0, 37.2, -121.75, 38.2] },
} as const satisfies Record<string, GeoArea>;

/** Country borders make the default area readable even with the coarse 1:110m atlas. */
export const DEFAULT_AREA: GeoArea = AREAS.centralAlps;

const RAD = Math.PI / 180;

/** Why `area` is not usable, or undefined. Never throws. */
export function areaProblem(area: unknown): string | undefined {
  if (typeof area !== 'object' || area === null) return 'not an object';
  const { name, bounds } = area as { name?: unknown; bounds?: unknown };
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_AREA_NAME_LENGTH) {
    return `name must be 1 to ${MAX_AREA_NAME_LENGTH} characters`;
  }
  if (
    !Array.isArray(bounds) ||
    bounds.length !== 4 ||
    !bounds.every((x) => typeof x === 'number' && Number.isFinite(x))
  ) {
    return 'bounds must be four finite numbers';
  }
  const [minLon, minLat, maxLon, maxLat] = bounds as [number, number, number, number];
  if (!(minLon >= -180 && maxLon <= 180 && minLon < maxLon))
    return 'longitudes must satisfy −180 ≤ min < max ≤ 180';
  if (!(minLat >= -MAX_ABS_LAT && maxLat <= MAX_ABS_LAT && minLat < maxLat)) {
    return `latitudes must satisfy −${MAX_ABS_LAT} ≤ min < max ≤ ${MAX_ABS_LAT}`;
  }
  return undefined;
}

/** [lon, lat] of the area's centre: the origin of its scene. */
export function areaCenter(area: GeoArea): readonly [number, number] {
  const [minLon, minLat, maxLon, maxLat] = area.bounds;
  return [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
}

/** Scene [x, z] in metres of a lon/lat in degrees. */
export function projectLonLat(area: GeoArea, lon: number, lat: number): ScenePoint {
  const [lon0, lat0] = areaCenter(area);
  return [EARTH_RADIUS_M * (lon - lon0) * RAD * Math.cos(lat0 * RAD), -EARTH_RADIUS_M * (lat - lat0) * RAD];
}

/** The inverse of projectLonLat: [lon, lat] in degrees. */
export function unprojectXZ(area: GeoArea, x: number, z: number): readonly [number, number] {
  const [lon0, lat0] = areaCenter(area);
  return [lon0 + x / (EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD)), lat0 - z / (EARTH_RADIUS_M * RAD)];
}

export interface SceneExtent {
  readonly minX: number;
  readonly maxX: number;
  readonly minZ: number;
  readonly maxZ: number;
  readonly width: number;
  readonly depth: number;
}

/** The area's bounds in scene metres (a rectangle, since the projection is affine). */
export function areaExtent(area: GeoArea): SceneExtent {
  const [minLon, minLat, maxLon, maxLat] = area.bounds;
  const [minX, maxZ] = projectLonLat(area, minLon, minLat);
  const [maxX, minZ] = projectLonLat(area, maxLon, maxLat);
  return { minX, maxX, minZ, maxZ, width: maxX - minX, depth: maxZ - minZ };
}

// ---- TopoJSON (world-atlas) ------------------------------------------------------------------

/** The part of a TopoJSON topology we read (passed in: src-shared reads no files). */
export interface TopoTopology {
  readonly type: 'Topology';
  readonly arcs: readonly (readonly (readonly number[])[])[];
  readonly transform?: { readonly scale: readonly number[]; readonly translate: readonly number[] };
  readonly objects: Readonly<Record<string, TopoGeometry>>;
}

export interface TopoGeometry {
  readonly type: string;
  readonly arcs?: unknown;
  readonly geometries?: readonly TopoGeometry[];
}

/**
 * The outlines of a TopoJSON object (e.g. world-atlas `countries`: borders and coastlines)
 * inside `area`, as scene polylines. Every arc appears once, so a shared border is drawn once;
 * arcs are clipped to the area's rectangle and cut where they leave it.
 */
export function outlinesInArea(topology: TopoTopology, objectName: string, area: GeoArea): Polyline[] {
  const object = topology.objects[objectName];
  if (!object) throw new RangeError(`the topology has no object "${objectName}"`);
  const indices = new Set<number>();
  collectArcs(object, indices);
  const out: Polyline[] = [];
  for (const index of [...indices].sort((a, b) => a - b)) {
    const arc = decodeArc(topology, index);
    for (const piece of clipPolyline(arc, area.bounds)) {
      out.push(piece.map(([lon, lat]) => projectLonLat(area, lon, lat)));
    }
  }
  return out;
}

function collectArcs(geometry: TopoGeometry, into: Set<number>): void {
  for (const g of geometry.geometries ?? []) collectArcs(g, into);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') into.add(v < 0 ? ~v : v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
  };
  walk(geometry.arcs);
}

type LonLat = readonly [number, number];

/** Absolute lon/lat points of one arc (undoing delta encoding and quantisation). */
function decodeArc(topology: TopoTopology, index: number): LonLat[] {
  const arc = topology.arcs[index] ?? [];
  const t = topology.transform;
  const points: LonLat[] = [];
  if (!t) {
    for (const p of arc) points.push([p[0] ?? 0, p[1] ?? 0]);
    return points;
  }
  const [sx = 1, sy = 1] = t.scale;
  const [tx = 0, ty = 0] = t.translate;
  let x = 0;
  let y = 0;
  for (const p of arc) {
    x += p[0] ?? 0;
    y += p[1] ?? 0;
    points.push([x * sx + tx, y * sy + ty]);
  }
  return points;
}

/** Cuts a polyline to the rectangle (Liang–Barsky per segment), joining consecutive pieces. */
export function clipPolyline(points: readonly LonLat[], bounds: LonLatBounds): LonLat[][] {
  const pieces: LonLat[][] = [];
  let current: LonLat[] | undefined;
  const flush = (): void => {
    if (current && current.length >= 2) pieces.push(current);
    current = undefined;
  };
  for (let i = 1; i < points.length; i += 1) {
    const clipped = clipSegment(points[i - 1] as LonLat, points[i] as LonLat, bounds);
    if (!clipped) {
      flush();
      continue;
    }
    const [p, q, u0, u1] = clipped;
    if (!current || u0 > 0) {
      flush();
      current = [p];
    }
    current.push(q);
    if (u1 < 1) flush();
  }
  flush();
  return pieces;
}

function clipSegment(
  a: LonLat,
  b: LonLat,
  bounds: LonLatBounds,
): [LonLat, LonLat, number, number] | undefined {
  const [minX, minY, maxX, maxY] = bounds;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let u0 = 0;
  let u1 = 1;
  const edges: [number, number][] = [
    [-dx, a[0] - minX],
    [dx, maxX - a[0]],
    [-dy, a[1] - minY],
    [dy, maxY - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > u1) return undefined;
      if (r > u0) u0 = r;
    } else {
      if (r < u0) return undefined;
      if (r < u1) u1 = r;
    }
  }
  // Clamped, so rounding cannot put an end a hair outside the rectangle.
  const at = (u: number): LonLat =>
    u === 0 ? a : u === 1 ? b : [clamp(a[0] + dx * u, minX, maxX), clamp(a[1] + dy * u, minY, maxY)];
  return [at(u0), at(u1), u0, u1];
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}
