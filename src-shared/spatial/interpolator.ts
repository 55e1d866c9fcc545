// Turns a jittery stream of coordinate samples into a smooth pose at any local time.
//
// Time: a sample's `t` is the sender's clock. Every arrival gives `arrival − t` = clock offset +
// network delay; the smallest over the retained samples estimates offset + minimum delay, so
// rendering at `local − estimate − renderDelay` shows the sender's past with `renderDelay` of
// slack for jitter. The applied offset slews towards the estimate (≤ 10 % of elapsed time) so
// window changes do not make objects jump; large changes (a clock step) snap.
//
// Shape: cubic Hermite on position using the sampled velocities, slerp on orientation; past
// the newest sample, linear extrapolation with its velocity for at most maxExtrapolationMs,
// then hold. The retained samples are the newest `capacity` distinct times whatever the
// arrival order, so out-of-order and duplicated input ends in the same state as sorted input.
import type { CoordinateSample } from './sample';
import { normalizeSample } from './sample';
import type { Quat, Vec3 } from './vec';
import { ZERO3, isFiniteVec, slerpQ } from './vec';

export interface InterpolatorOptions {
  /** How far behind the estimated sender time to render (slack for jitter). Default 100. */
  readonly renderDelayMs?: number;
  /** How long to extrapolate past the newest sample before holding. Default 500. */
  readonly maxExtrapolationMs?: number;
  /** Samples kept (2..4096). Default 64: 3.2 s at 20 Hz. */
  readonly capacity?: number;
  /** A known offset `local − sender` (e.g. 0 for the same clock); estimated when omitted. */
  readonly clockOffsetMs?: number;
  /** Max rate at which the applied offset follows the estimate. Default 0.1 (10 %). */
  readonly slewRate?: number;
  /** Estimate changes larger than this are applied at once. Default 1000. */
  readonly snapMs?: number;
}

export type PoseMode = 'interpolated' | 'extrapolated' | 'held';

export interface Pose {
  /** The sender time this pose shows. */
  readonly t: number;
  readonly position: Vec3;
  readonly orientation: Quat;
  readonly velocity: Vec3;
  readonly mode: PoseMode;
}

/**
 * accepted: stored; late: stored, but its time had already been rendered (we extrapolated
 * instead); duplicate: a time already held; stale: older than everything retained while full;
 * invalid: malformed.
 */
export type PushResult = 'accepted' | 'late' | 'duplicate' | 'stale' | 'invalid';

export const INTERPOLATOR_DEFAULTS = {
  renderDelayMs: 100,
  maxExtrapolationMs: 500,
  capacity: 64,
  slewRate: 0.1,
  snapMs: 1000,
} as const;

export class Interpolator {
  readonly renderDelayMs: number;
  readonly maxExtrapolationMs: number;
  readonly capacity: number;
  readonly #fixedOffset: number | undefined;
  readonly #slewRate: number;
  readonly #snapMs: number;
  /** Sorted by t, distinct t; #arrivals[i] is the earliest local arrival of #samples[i]. */
  readonly #samples: CoordinateSample[] = [];
  readonly #arrivals: number[] = [];
  #estimate: number | undefined;
  #applied: number | undefined;
  #lastLocal = -Infinity;
  #lastRendered = -Infinity;

  constructor(options: InterpolatorOptions = {}) {
    const d = INTERPOLATOR_DEFAULTS;
    this.renderDelayMs = bounded(options.renderDelayMs, d.renderDelayMs, 0, 60_000);
    this.maxExtrapolationMs = bounded(options.maxExtrapolationMs, d.maxExtrapolationMs, 0, 60_000);
    this.capacity = Math.round(bounded(options.capacity, d.capacity, 2, 4096));
    this.#slewRate = bounded(options.slewRate, d.slewRate, 0, 1);
    this.#snapMs = bounded(options.snapMs, d.snapMs, 0, 1e12);
    const fixed = options.clockOffsetMs;
    this.#fixedOffset = typeof fixed === 'number' && Number.isFinite(fixed) ? fixed : undefined;
  }

  get size(): number {
    return this.#samples.length;
  }

  /** The estimated `local − sender` offset (including the minimum delay), if any. */
  get offsetMs(): number | undefined {
    return this.#fixedOffset ?? this.#estimate;
  }

  /** The newest sample held. */
  latest(): CoordinateSample | undefined {
    return this.#samples[this.#samples.length - 1];
  }

  samples(): CoordinateSample[] {
    return [...this.#samples];
  }

  /** Adds a sample that arrived at local time `arrivalMs`. Never throws. */
  push(input: CoordinateSample, arrivalMs: number): PushResult {
    const sample = normalizeSample(input);
    if (!sample || !Number.isFinite(arrivalMs)) return 'invalid';
    const samples = this.#samples;
    const arrivals = this.#arrivals;
    const i = lowerBound(samples, sample.t);
    const existing = samples[i];
    if (existing && existing.t === sample.t) {
      // Same time twice: keep the earliest arrival and, should the contents differ, the
      // smaller sample, so the result does not depend on which copy came first.
      if (compareSamples(sample, existing) < 0) samples[i] = sample;
      if (arrivalMs < (arrivals[i] as number)) {
        arrivals[i] = arrivalMs;
        this.#estimate = Math.min(this.#estimate ?? Infinity, arrivalMs - sample.t);
      }
      return 'duplicate';
    }
    if (samples.length >= this.capacity && i === 0) return 'stale';
    samples.splice(i, 0, sample);
    arrivals.splice(i, 0, arrivalMs);
    if (samples.length > this.capacity) {
      samples.shift();
      arrivals.shift();
      let estimate = Infinity;
      for (let k = 0; k < samples.length; k += 1) {
        estimate = Math.min(estimate, (arrivals[k] as number) - (samples[k] as CoordinateSample).t);
      }
      this.#estimate = estimate;
    } else {
      this.#estimate = Math.min(this.#estimate ?? Infinity, arrivalMs - sample.t);
    }
    return sample.t <= this.#lastRendered ? 'late' : 'accepted';
  }

  /** The pose to show at local time `localMs`; undefined before any sample. Never NaN. */
  at(localMs: number): Pose | undefined {
    if (this.#samples.length === 0 || !Number.isFinite(localMs)) return undefined;
    const offset = this.#appliedOffset(localMs);
    const t = localMs - offset - this.renderDelayMs;
    if (t > this.#lastRendered) this.#lastRendered = t;
    return poseAt(this.#samples, t, this.maxExtrapolationMs);
  }

  clear(): void {
    this.#samples.length = 0;
    this.#arrivals.length = 0;
    this.#estimate = undefined;
    this.#applied = undefined;
    this.#lastLocal = -Infinity;
    this.#lastRendered = -Infinity;
  }

  #appliedOffset(localMs: number): number {
    if (this.#fixedOffset !== undefined) return this.#fixedOffset;
    const target = this.#estimate ?? 0;
    if (this.#applied === undefined || Math.abs(target - this.#applied) > this.#snapMs) {
      this.#applied = target;
    } else if (localMs > this.#lastLocal) {
      const step = this.#slewRate * (localMs - this.#lastLocal);
      this.#applied += Math.max(-step, Math.min(step, target - this.#applied));
    }
    if (localMs > this.#lastLocal) this.#lastLocal = localMs;
    return this.#applied;
  }
}

/**
 * The pose at sender time `t` from samples sorted by distinct `t`: Hermite/slerp between
 * neighbours, bounded extrapolation after the last, hold before the first.
 */
export function poseAt(
  samples: readonly CoordinateSample[],
  t: number,
  maxExtrapolationMs: number,
): Pose | undefined {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return undefined;
  if (t < first.t) return hold(first, first.t);
  if (t >= last.t) {
    const ahead = t - last.t;
    if (ahead > maxExtrapolationMs) {
      const shown = last.t + maxExtrapolationMs;
      return hold({ ...last, position: advance(last, maxExtrapolationMs) }, shown);
    }
    const pose: Pose = {
      t,
      position: advance(last, ahead),
      orientation: last.orientation,
      velocity: last.velocity,
      mode: 'extrapolated',
    };
    return isFinitePose(pose) ? pose : hold(last, last.t);
  }
  const j = Math.max(1, lowerBound(samples, t));
  const a = samples[j - 1] as CoordinateSample;
  const b = samples[j] as CoordinateSample;
  const pose = hermite(a, b, t);
  return isFinitePose(pose) ? pose : hold(t - a.t < b.t - t ? a : b, t);
}

function hermite(a: CoordinateSample, b: CoordinateSample, t: number): Pose {
  const span = b.t - a.t;
  const u = (t - a.t) / span;
  const orientation = slerpQ(a.orientation, b.orientation, u);
  if (span < 1e-3) {
    // Samples closer than a microsecond: a cubic's derivative would divide by ~0.
    const lerp = (p: Vec3, q: Vec3): Vec3 => [
      p[0] + (q[0] - p[0]) * u,
      p[1] + (q[1] - p[1]) * u,
      p[2] + (q[2] - p[2]) * u,
    ];
    return {
      t,
      position: lerp(a.position, b.position),
      orientation,
      velocity: lerp(a.velocity, b.velocity),
      mode: 'interpolated',
    };
  }
  const dt = span / 1000; // velocities are per second
  const u2 = u * u;
  const u3 = u2 * u;
  const h00 = 2 * u3 - 3 * u2 + 1;
  const h10 = u3 - 2 * u2 + u;
  const h01 = -2 * u3 + 3 * u2;
  const h11 = u3 - u2;
  const d00 = (6 * u2 - 6 * u) / dt;
  const d10 = 3 * u2 - 4 * u + 1;
  const d01 = (-6 * u2 + 6 * u) / dt;
  const d11 = 3 * u2 - 2 * u;
  const position: number[] = [];
  const velocity: number[] = [];
  for (let k = 0; k < 3; k += 1) {
    const p0 = a.position[k] as number;
    const p1 = b.position[k] as number;
    const v0 = a.velocity[k] as number;
    const v1 = b.velocity[k] as number;
    position.push(h00 * p0 + h10 * dt * v0 + h01 * p1 + h11 * dt * v1);
    velocity.push(d00 * p0 + d10 * v0 + d01 * p1 + d11 * v1);
  }
  return {
    t,
    position: position as unknown as Vec3,
    orientation,
    velocity: velocity as unknown as Vec3,
    mode: 'interpolated',
  };
}

function advance(s: CoordinateSample, ms: number): Vec3 {
  const k = ms / 1000;
  return [
    s.position[0] + s.velocity[0] * k,
    s.position[1] + s.velocity[1] * k,
    s.position[2] + s.velocity[2] * k,
  ];
}

function hold(s: CoordinateSample, t: number): Pose {
  return { t, position: s.position, orientation: s.orientation, velocity: ZERO3, mode: 'held' };
}

function isFinitePose(p: Pose): boolean {
  return (
    isFiniteVec(p.position) && isFiniteVec(p.orientation) && isFiniteVec(p.velocity) && Number.isFinite(p.t)
  );
}

/** First index whose sample time is ≥ t. */
function lowerBound(samples: readonly CoordinateSample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as CoordinateSample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareSamples(a: CoordinateSample, b: CoordinateSample): number {
  const x = [...a.position, ...a.orientation, ...a.velocity];
  const y = [...b.position, ...b.orientation, ...b.velocity];
  for (let i = 0; i < x.length; i += 1) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function bounded(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
