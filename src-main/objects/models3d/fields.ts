// Field readers shared by the 3D models. Each validates an untrusted value and returns it in
// canonical form (clamped, -0 → 0, lower-case colours); applying one twice changes nothing,
// which is what keeps a locally applied intent equal to the value peers decode.
import { areaProblem } from '../../../src-shared/spatial/geodata';
import type { GeoArea } from '../../../src-shared/spatial/geodata';
import type { Quat, Vec3 } from '../../../src-shared/spatial/vec';
import { utf8Length } from '../../../src-shared/format/parse';
import { clamp } from '../models/desktop-codec';
import { Invalid } from '../models/doc-codec';
import type { Reader } from '../models/doc-codec';

/** A finite number, clamped to [min, max]. */
export function finiteIn(what: string, min: number, max: number): Reader<number> {
  return (raw) => {
    if (typeof raw !== 'number' || !Number.isFinite(raw))
      throw new Invalid(`${what} must be a finite number.`);
    const v = clamp(raw, min, max);
    return v === 0 ? 0 : v;
  };
}

export function text(what: string, maxLength: number, minLength = 0): Reader<string> {
  return (raw) => {
    if (typeof raw !== 'string' || raw.length < minLength || raw.length > maxLength) {
      throw new Invalid(
        minLength > 0
          ? `${what} must be a string of ${minLength} to ${maxLength} characters.`
          : `${what} must be a string of at most ${maxLength} characters.`,
      );
    }
    return raw;
  };
}

/** A .liveobject reference (XML), bounded in UTF-8 bytes; the host type-checks it. */
export function reference(what: string, maxBytes: number): Reader<string> {
  return (raw) => {
    if (typeof raw !== 'string' || raw.length === 0) throw new Invalid(`${what} must be a non-empty string.`);
    if (utf8Length(raw) > maxBytes)
      throw new Invalid(`${what} is too large (limit ${maxBytes} bytes).`, 'too-large');
    return raw;
  };
}

export function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (raw) => (raw === null ? null : read(raw));
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** '#rrggbb', stored in lower case. */
export function color(what: string): Reader<string> {
  return (raw) => {
    if (typeof raw !== 'string' || !COLOR.test(raw))
      throw new Invalid(`${what} must be a colour like "#ff8800".`);
    return raw.toLowerCase();
  };
}

export function vec3(what: string, min: number, max: number): Reader<Vec3> {
  const component = finiteIn(what, min, max);
  return (raw) => {
    if (!Array.isArray(raw) || raw.length !== 3) throw new Invalid(`${what} must be [x, y, z].`);
    return [component(raw[0]), component(raw[1]), component(raw[2])];
  };
}

/**
 * A rotation quaternion [x, y, z, w], stored as given (normalising is not idempotent in
 * floating point); views normalise. Its length must be within [1e-3, 1e3].
 */
export function quat(what: string): Reader<Quat> {
  const component = finiteIn(what, -1e3, 1e3);
  return (raw) => {
    if (!Array.isArray(raw) || raw.length !== 4)
      throw new Invalid(`${what} must be a quaternion [x, y, z, w].`);
    const q: Quat = [component(raw[0]), component(raw[1]), component(raw[2]), component(raw[3])];
    const n = Math.hypot(...q);
    if (!(n >= 1e-3 && n <= 1e3)) throw new Invalid(`${what} is not a rotation (its length is ${n}).`);
    return q;
  };
}

export function area(what: string): Reader<GeoArea> {
  return (raw) => {
    const problem = areaProblem(raw);
    if (problem !== undefined) throw new Invalid(`${what}: ${problem}.`);
    const a = raw as GeoArea;
    const b = a.bounds.map((x) => (x === 0 ? 0 : x));
    return { name: a.name, bounds: [b[0] as number, b[1] as number, b[2] as number, b[3] as number] };
  };
}

export type Point2 = readonly [number, number];

export interface PolygonLimits {
  readonly minPoints: number;
  readonly maxPoints: number;
  readonly maxCoordinate: number;
  /** Smallest |area| accepted, in square units. */
  readonly minArea: number;
}

/** A simple polygon (no self-intersections, no repeated vertices), either winding. */
export function simplePolygon(what: string, limits: PolygonLimits): Reader<Point2[]> {
  const c = finiteIn(`${what} coordinates`, -limits.maxCoordinate, limits.maxCoordinate);
  return (raw) => {
    if (!Array.isArray(raw) || raw.length < limits.minPoints || raw.length > limits.maxPoints) {
      throw new Invalid(`${what} must have ${limits.minPoints} to ${limits.maxPoints} points.`);
    }
    const points: Point2[] = raw.map((p: unknown) => {
      if (!Array.isArray(p) || p.length !== 2) throw new Invalid(`${what} points must be [x, z].`);
      return [c(p[0]), c(p[1])];
    });
    const problem = polygonProblem(points, limits.minArea);
    if (problem !== undefined) throw new Invalid(`${what} ${problem}.`);
    return points;
  };
}

export function polygonArea(points: readonly Point2[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i += 1) {
    const [x1, z1] = points[i] as Point2;
    const [x2, z2] = points[(i + 1) % points.length] as Point2;
    twice += x1 * z2 - x2 * z1;
  }
  return twice / 2;
}

function polygonProblem(points: readonly Point2[], minArea: number): string | undefined {
  const n = points.length;
  const seen = new Set<string>();
  for (const [x, z] of points) {
    const key = `${x},${z}`;
    if (seen.has(key)) return 'has a repeated point';
    seen.add(key);
  }
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      // Adjacent edges share a vertex by construction; only check the others.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      const a = points[i] as Point2;
      const b = points[(i + 1) % n] as Point2;
      const c = points[j] as Point2;
      const d = points[(j + 1) % n] as Point2;
      if (segmentsTouch(a, b, c, d)) return 'crosses itself';
    }
  }
  // Adjacent edges folding back onto each other (a spike) also overlap.
  for (let i = 0; i < n; i += 1) {
    const a = points[(i + n - 1) % n] as Point2;
    const b = points[i] as Point2;
    const c = points[(i + 1) % n] as Point2;
    if (orient(a, b, c) === 0 && (c[0] - b[0]) * (a[0] - b[0]) + (c[1] - b[1]) * (a[1] - b[1]) > 0) {
      return 'folds back on itself';
    }
  }
  if (!(Math.abs(polygonArea(points)) >= minArea)) return 'has (almost) no area';
  return undefined;
}

function orient(a: Point2, b: Point2, c: Point2): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Point2, b: Point2, p: Point2): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

function segmentsTouch(a: Point2, b: Point2, c: Point2, d: Point2): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}
