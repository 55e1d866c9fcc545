import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interpolator, poseAt } from './interpolator';
import type { Pose } from './interpolator';
import type { CoordinateSample } from './sample';
import type { Vec3 } from './vec';
import { angleBetweenQ, attitudeQ, distance3, isFiniteVec, length3 } from './vec';

/** A level circle of radius r (m) at speed v (m/s), nose along the velocity. */
function circle(r: number, v: number, phase: number): (t: number) => CoordinateSample {
  const w = v / r;
  return (t) => {
    const a = phase + (w * t) / 1000;
    // Heading a + π/2 (sin, cos) is the tangent of (r sin a … ) below: x = −r cos a, z = r sin a.
    return {
      t,
      position: [-r * Math.cos(a), 1000, r * Math.sin(a)],
      orientation: attitudeQ(a, 0, 0),
      velocity: [v * Math.sin(a), 0, v * Math.cos(a)],
    };
  };
}

function line(p0: Vec3, v: Vec3): (t: number) => CoordinateSample {
  return (t) => ({
    t,
    position: [p0[0] + (v[0] * t) / 1000, p0[1] + (v[1] * t) / 1000, p0[2] + (v[2] * t) / 1000],
    orientation: attitudeQ(Math.atan2(v[0], v[2]), 0, 0),
    velocity: v,
  });
}

function expectPoseFinite(pose: Pose | undefined): void {
  expect(pose).toBeDefined();
  if (!pose) return;
  expect(isFiniteVec(pose.position) && isFiniteVec(pose.orientation) && isFiniteVec(pose.velocity)).toBe(
    true,
  );
  expect(Number.isFinite(pose.t)).toBe(true);
}

describe('Interpolator accuracy', () => {
  it('reproduces a straight line exactly between samples', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -1e5, max: 1e5, noNaN: true }),
          fc.double({ min: 0, max: 1e4, noNaN: true }),
          fc.double({ min: -1e5, max: 1e5, noNaN: true }),
        ),
        fc.tuple(
          fc.double({ min: -300, max: 300, noNaN: true }),
          fc.double({ min: -30, max: 30, noNaN: true }),
          fc.double({ min: -300, max: 300, noNaN: true }),
        ),
        fc.integer({ min: 5, max: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (p0, v, hz, queries) => {
          const path = line(p0, v);
          const interp = new Interpolator({ clockOffsetMs: 0 });
          const step = 1000 / hz;
          for (let i = 0; i <= 40; i += 1) interp.push(path(i * step), i * step);
          for (const q of queries) {
            const local = 100 + q * 39 * step; // rendered time in [0, 39 step]
            const pose = interp.at(local) as Pose;
            expect(pose.mode).toBe('interpolated');
            expect(pose.t).toBeCloseTo(local - 100, 9);
            expect(distance3(pose.position, path(pose.t).position)).toBeLessThan(1e-6);
            expect(distance3(pose.velocity, v)).toBeLessThan(1e-6);
          }
        },
      ),
    );
  });

  it('follows a circle to within millimetres and its heading to within a milliradian', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 20_000, noNaN: true }),
        fc.double({ min: 50, max: 250, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.integer({ min: 10, max: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (r, v, phase, hz, queries) => {
          const path = circle(r, v, phase);
          const interp = new Interpolator({ clockOffsetMs: 0, capacity: 128 });
          const step = 1000 / hz;
          for (let i = 0; i <= 100; i += 1) interp.push(path(i * step), i * step);
          for (const q of queries) {
            const pose = interp.at(100 + q * 99 * step) as Pose;
            const truth = path(pose.t);
            // Hermite error ≈ r (ωΔt)^4 / 384: well below a millimetre at these rates.
            expect(distance3(pose.position, truth.position)).toBeLessThan(1e-3);
            expect(distance3(pose.velocity, truth.velocity)).toBeLessThan(0.05);
            expect(angleBetweenQ(pose.orientation, truth.orientation)).toBeLessThan(1e-3);
          }
        },
      ),
    );
  });

  it('estimates a sender clock offset from arrivals and stays on the path despite jitter', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.array(fc.double({ min: 5, max: 60, noNaN: true }), { minLength: 200, maxLength: 200 }),
        (offset, delays) => {
          const path = circle(3000, 200, 0);
          const interp = new Interpolator({ renderDelayMs: 100 });
          const minDelay = Math.min(...delays);
          const arrivals = delays.map((d, i) => ({ sample: path(i * 50), at: i * 50 + offset + d }));
          arrivals.sort((a, b) => a.at - b.at);
          let k = 0;
          // Render every 16 ms as samples trickle in.
          for (let local = offset + 300; local < offset + 9800; local += 16) {
            while (k < arrivals.length && (arrivals[k] as { at: number }).at <= local) {
              const a = arrivals[k] as { sample: CoordinateSample; at: number };
              interp.push(a.sample, a.at);
              k += 1;
            }
            const pose = interp.at(local) as Pose;
            expectPoseFinite(pose);
            // The shown sender time trails real time by the render delay plus at most the jitter
            // (and up to 10 % slew while the estimate settles).
            const behind = local - offset - pose.t;
            expect(behind).toBeGreaterThanOrEqual(100 + minDelay - 1e-3 - 0.1 * 60);
            expect(behind).toBeLessThanOrEqual(100 + 60 + 1e-3);
            if (pose.mode === 'interpolated') {
              expect(distance3(pose.position, path(pose.t).position)).toBeLessThan(1e-2);
            }
          }
          expect(interp.offsetMs).toBeCloseTo(offset + minDelay, 0);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('Interpolator robustness', () => {
  const sampleArb = fc.record({
    t: fc.integer({ min: 0, max: 5000 }),
    position: fc.tuple(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    ),
    orientation: fc.tuple(
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.constant(1),
    ),
    velocity: fc.tuple(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    ),
  });

  it('gives the same poses for shuffled and duplicated input as for sorted input', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ sample: sampleArb, delay: fc.integer({ min: 0, max: 200 }) }), {
          minLength: 1,
          maxLength: 40,
          selector: (e) => e.sample.t,
        }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 500 })), { maxLength: 30 }),
        fc.integer({ min: 2, max: 16 }),
        fc.array(fc.integer({ min: -1000, max: 7000 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (entries, dupes, capacity, queries, estimate) => {
          const options = estimate ? { capacity } : { capacity, clockOffsetMs: 7 };
          const sorted = new Interpolator(options);
          const messy = new Interpolator(options);
          const inOrder = [...entries].sort((a, b) => a.sample.t - b.sample.t);
          for (const e of inOrder) sorted.push(e.sample, e.sample.t + e.delay);
          // Same arrivals, in arrival order, plus later duplicates.
          const arrivals = entries.map((e) => ({ sample: e.sample, at: e.sample.t + e.delay }));
          for (const [i, extra] of dupes) {
            const e = entries[i % entries.length] as (typeof entries)[number];
            arrivals.push({ sample: e.sample, at: e.sample.t + e.delay + extra });
          }
          arrivals.sort((a, b) => a.at - b.at);
          for (const a of arrivals) messy.push(a.sample, a.at);
          expect(messy.samples()).toEqual(sorted.samples());
          expect(messy.offsetMs).toBe(sorted.offsetMs);
          for (const q of [...queries].sort((a, b) => a - b)) expect(messy.at(q)).toEqual(sorted.at(q));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never returns NaN and bounds extrapolation', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.double({ min: -1e4, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2000 }),
        (samples, queries, maxExtrapolationMs) => {
          const interp = new Interpolator({ clockOffsetMs: 0, renderDelayMs: 0, maxExtrapolationMs });
          for (const s of samples) interp.push(s, s.t);
          const last = interp.latest() as CoordinateSample;
          for (const q of queries) {
            const pose = interp.at(q);
            expectPoseFinite(pose);
            if (!pose) continue;
            if (q > last.t) {
              const bound = (length3(last.velocity) * maxExtrapolationMs) / 1000;
              expect(distance3(pose.position, last.position)).toBeLessThanOrEqual(bound * (1 + 1e-9) + 1e-6);
              expect(pose.mode).toBe(q - last.t > maxExtrapolationMs ? 'held' : 'extrapolated');
              expect(pose.t).toBeLessThanOrEqual(last.t + maxExtrapolationMs);
            }
          }
        },
      ),
    );
  });

  it('extrapolates along the velocity, then holds with zero velocity', () => {
    const path = line([0, 0, 0], [100, 0, 0]);
    const interp = new Interpolator({ clockOffsetMs: 0, renderDelayMs: 100, maxExtrapolationMs: 500 });
    interp.push(path(0), 0);
    interp.push(path(50), 50);
    expect(interp.at(350)).toMatchObject({
      mode: 'extrapolated',
      position: [25, 0, 0],
      velocity: [100, 0, 0],
    });
    expect(interp.at(2000)).toMatchObject({ mode: 'held', position: [55, 0, 0], velocity: [0, 0, 0] });
    expect(interp.at(50)).toMatchObject({ mode: 'held', position: [0, 0, 0] });
  });

  it('reports late, duplicate, stale and invalid samples and keeps memory bounded', () => {
    const path = line([0, 0, 0], [10, 0, 0]);
    const interp = new Interpolator({ clockOffsetMs: 0, renderDelayMs: 0, capacity: 4 });
    expect(interp.at(0)).toBeUndefined();
    expect(interp.push(path(100), 100)).toBe('accepted');
    interp.at(200);
    expect(interp.push(path(150), 160)).toBe('late');
    expect(interp.push(path(150), 170)).toBe('duplicate');
    for (let t = 300; t < 2000; t += 50) interp.push(path(t), t);
    expect(interp.size).toBe(4);
    expect(interp.push(path(0), 2000)).toBe('stale');
    expect(interp.push({ ...path(5000), position: [Number.NaN, 0, 0] }, 1)).toBe('invalid');
    expect(interp.push({ ...path(5000), orientation: [0, 0, 0, 0] }, 1)).toBe('invalid');
    expect(interp.push(path(5000), Number.NaN)).toBe('invalid');
    expect(interp.at(Number.NaN)).toBeUndefined();
    interp.clear();
    expect(interp.size).toBe(0);
  });

  it('slews towards a new offset estimate instead of jumping, and snaps on a clock step', () => {
    const path = line([0, 0, 0], [100, 0, 0]);
    const interp = new Interpolator({ renderDelayMs: 0, maxExtrapolationMs: 10_000 });
    interp.push(path(0), 50); // estimate 50
    expect(interp.at(1000)?.t).toBe(950);
    interp.push(path(100), 120); // estimate 20: 30 ms earlier
    expect(interp.at(1100)?.t).toBeCloseTo(1050 + 10, 9); // moved by 10 % of 100 ms
    expect(interp.at(1300)?.t).toBeCloseTo(1280, 9); // settled
    interp.push(path(200), 5200); // the sender's clock stepped back 5 s: estimate unchanged (min)
    interp.clear();
    interp.push(path(0), 10_000);
    expect(interp.at(10_000)?.t).toBe(0); // fresh: snaps
  });

  it('poseAt holds before the first sample and is undefined without samples', () => {
    expect(poseAt([], 0, 500)).toBeUndefined();
    const s = line([1, 2, 3], [1, 0, 0])(10);
    expect(poseAt([s], 0, 500)).toMatchObject({ mode: 'held', position: [1.01, 2, 3], velocity: [0, 0, 0] });
  });
});
