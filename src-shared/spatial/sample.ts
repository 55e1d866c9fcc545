// A coordinate sample: one pose of a moving thing, stamped with the sender's clock. Streams of
// these drive airplanes (liveobjects.coordinates); the receiver interpolates between them.
import type { Quat, Vec3 } from './vec';
import { isFiniteVec, lengthQ, normalizeQ } from './vec';

export interface CoordinateSample {
  /** Milliseconds on the sender's clock (any epoch; receivers estimate the offset). */
  readonly t: number;
  /** Scene units (metres in a geographic scene; see geodata.ts): x east, y up, z south. */
  readonly position: Vec3;
  /** Unit quaternion [x, y, z, w] of the body (nose +z, top +y). */
  readonly orientation: Quat;
  /** Scene units per second. */
  readonly velocity: Vec3;
}

export const SAMPLE_LIMITS = {
  /** |t| bound: far beyond any clock, yet exact in a double. */
  maxAbsTime: 1e15,
  /** |component| bound of a position; exactly representable in a Float32. */
  maxAbsPosition: 1e8,
  /** |component| bound of a velocity (100 km/s). */
  maxAbsVelocity: 1e5,
  /** A received orientation's length must be within these before it is renormalised. */
  minQuatLength: 0.5,
  maxQuatLength: 2,
} as const;

function withinAbs(v: readonly number[], bound: number): boolean {
  for (const x of v) if (!(Math.abs(x) <= bound)) return false;
  return true;
}

/** Why `sample` is not acceptable, or undefined when it is. Never throws. */
export function sampleProblem(sample: unknown): string | undefined {
  if (typeof sample !== 'object' || sample === null) return 'not an object';
  const s = sample as Partial<Record<keyof CoordinateSample, unknown>>;
  if (typeof s.t !== 'number' || !(Math.abs(s.t) <= SAMPLE_LIMITS.maxAbsTime)) return 'bad time';
  if (!isTuple(s.position, 3) || !withinAbs(s.position, SAMPLE_LIMITS.maxAbsPosition)) return 'bad position';
  if (!isTuple(s.velocity, 3) || !withinAbs(s.velocity, SAMPLE_LIMITS.maxAbsVelocity)) return 'bad velocity';
  if (!isTuple(s.orientation, 4) || !isFiniteVec(s.orientation)) return 'bad orientation';
  const n = lengthQ(s.orientation as unknown as Quat);
  if (!(n >= SAMPLE_LIMITS.minQuatLength && n <= SAMPLE_LIMITS.maxQuatLength))
    return 'orientation is not a rotation';
  return undefined;
}

function isTuple(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number');
}

/** A valid sample with a unit orientation and fresh tuples, or undefined. */
export function normalizeSample(sample: unknown): CoordinateSample | undefined {
  if (sampleProblem(sample) !== undefined) return undefined;
  const s = sample as CoordinateSample;
  return {
    t: s.t,
    position: [s.position[0], s.position[1], s.position[2]],
    orientation: normalizeQ(s.orientation),
    velocity: [s.velocity[0], s.velocity[1], s.velocity[2]],
  };
}
