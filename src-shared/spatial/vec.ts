// Tiny vector and quaternion helpers on plain tuples. Own functions rather than three's math
// classes: they allocate nothing hidden, serialise as JSON and keep src-shared dependency-free.

export type Vec3 = readonly [number, number, number];
/** A rotation as [x, y, z, w] (three.js order); unit length wherever a function says so. */
export type Quat = readonly [number, number, number, number];

export const ZERO3: Vec3 = [0, 0, 0];
export const IDENTITY_QUAT: Quat = [0, 0, 0, 1];

export const sub3 = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale3 = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
export const dot3 = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const length3 = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const distance3 = (a: Vec3, b: Vec3): number => length3(sub3(a, b));

export function isFiniteVec(v: readonly number[]): boolean {
  for (const x of v) if (!Number.isFinite(x)) return false;
  return true;
}

export const dotQ = (a: Quat, b: Quat): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
export const lengthQ = (q: Quat): number => Math.hypot(q[0], q[1], q[2], q[3]);

/** Unit quaternion; the identity for a (near) zero or non-finite input, so callers never see NaN. */
export function normalizeQ(q: Quat): Quat {
  const n = lengthQ(q);
  if (!Number.isFinite(n) || n < 1e-12) return IDENTITY_QUAT;
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Hamilton product a·b: rotate by b, then by a. */
export function multiplyQ(a: Quat, b: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

/** Rotation by `angle` radians about a unit `axis`. */
export function axisAngleQ(axis: Vec3, angle: number): Quat {
  const s = Math.sin(angle / 2);
  return [axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(angle / 2)];
}

/** Rotates vector v by unit quaternion q. */
export function rotate3(q: Quat, v: Vec3): Vec3 {
  const [qx, qy, qz, qw] = q;
  // t = 2 q×v; v' = v + w t + q×t
  const tx = 2 * (qy * v[2] - qz * v[1]);
  const ty = 2 * (qz * v[0] - qx * v[2]);
  const tz = 2 * (qx * v[1] - qy * v[0]);
  return [
    v[0] + qw * tx + (qy * tz - qz * ty),
    v[1] + qw * ty + (qz * tx - qx * tz),
    v[2] + qw * tz + (qx * ty - qy * tx),
  ];
}

/** The rotation angle between two unit quaternions, in [0, π]. */
export function angleBetweenQ(a: Quat, b: Quat): number {
  const d = Math.min(1, Math.abs(dotQ(a, b)));
  return 2 * Math.acos(d);
}

/** Spherical linear interpolation of unit quaternions along the shorter arc. */
export function slerpQ(a: Quat, b: Quat, u: number): Quat {
  let cos = dotQ(a, b);
  let bb: Quat = b;
  if (cos < 0) {
    cos = -cos;
    bb = [-b[0], -b[1], -b[2], -b[3]];
  }
  if (cos > 0.9995) {
    // Nearly parallel: sin θ ≈ 0, so lerp and renormalise instead of dividing by it.
    return normalizeQ([
      a[0] + (bb[0] - a[0]) * u,
      a[1] + (bb[1] - a[1]) * u,
      a[2] + (bb[2] - a[2]) * u,
      a[3] + (bb[3] - a[3]) * u,
    ]);
  }
  const theta = Math.acos(cos);
  const sin = Math.sin(theta);
  const wa = Math.sin((1 - u) * theta) / sin;
  const wb = Math.sin(u * theta) / sin;
  return normalizeQ([
    a[0] * wa + bb[0] * wb,
    a[1] * wa + bb[1] * wb,
    a[2] * wa + bb[2] * wb,
    a[3] * wa + bb[3] * wb,
  ]);
}

const X: Vec3 = [1, 0, 0];
const Y: Vec3 = [0, 1, 0];
const Z: Vec3 = [0, 0, 1];

/**
 * The attitude of a body whose nose is +z and top +y (the glTF convention), from yaw about
 * world +y (0 = nose towards +z), pitch (positive = nose up) and roll (positive = right wing
 * down, i.e. banking into a right turn). All in radians.
 */
export function attitudeQ(yaw: number, pitch: number, roll: number): Quat {
  // Intrinsic yaw, then pitch about the body x axis (+z towards +y is a negative x rotation),
  // then roll about the body z axis (+x, the left wing, rising is a positive z rotation).
  return normalizeQ(multiplyQ(multiplyQ(axisAngleQ(Y, yaw), axisAngleQ(X, -pitch)), axisAngleQ(Z, roll)));
}
