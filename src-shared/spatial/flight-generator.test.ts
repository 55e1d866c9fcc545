import { describe, expect, it } from 'vitest';
import { FlightGenerator } from './flight-generator';
import { AREAS, areaExtent } from './geodata';
import type { CoordinateSample } from './sample';
import { dot3, length3, lengthQ, rotate3, scale3, sub3 } from './vec';

describe('FlightGenerator', () => {
  it('is deterministic per seed, and plans do not depend on the number of aircraft', () => {
    const a = new FlightGenerator({ seed: 42, count: 20 });
    const b = new FlightGenerator({ seed: 42, count: 20 });
    const fewer = new FlightGenerator({ seed: 42, count: 5 });
    const other = new FlightGenerator({ seed: 43, count: 20 });
    for (const t of [0, 1234.5, 3_600_000, -5000, 1.7e12]) {
      expect(a.samples(t)).toEqual(b.samples(t));
      expect(fewer.samples(t)).toEqual(a.samples(t).slice(0, 5));
      expect(other.samples(t)).not.toEqual(a.samples(t));
    }
    expect(a.plans).toEqual(b.plans);
    expect(new Set(a.plans.map((p) => p.pattern))).toEqual(new Set(['circuit', 'figure-eight', 'legs']));
    for (const p of a.plans) {
      expect(p.callsign).toMatch(/^[A-Z]{2,3}\d{3,4}$/);
      expect(p.color).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('flies at realistic speeds and altitudes inside the area', () => {
    for (const area of [AREAS.centralAlps, AREAS.sanFranciscoBay]) {
      const gen = new FlightGenerator({ seed: 7, count: 15, area });
      const e = areaExtent(area);
      for (const plan of gen.plans) {
        expect(plan.speed).toBeGreaterThanOrEqual(60);
        expect(plan.speed).toBeLessThanOrEqual(240);
        const loopMs = (plan.loopLength / plan.speed) * 1000;
        for (let i = 0; i < 100; i += 1) {
          const s = gen.sample(plan.track, (loopMs * i) / 100);
          const horizontal = Math.hypot(s.velocity[0], s.velocity[2]);
          expect(horizontal).toBeCloseTo(plan.speed, 6);
          expect(Math.abs(s.velocity[1])).toBeLessThan(20); // climb rate below 20 m/s
          expect(length3(s.velocity)).toBeLessThanOrEqual(250);
          expect(s.position[1]).toBeGreaterThanOrEqual(300);
          expect(s.position[1]).toBeLessThanOrEqual(11_200);
          expect(s.position[0]).toBeGreaterThanOrEqual(e.minX);
          expect(s.position[0]).toBeLessThanOrEqual(e.maxX);
          expect(s.position[2]).toBeGreaterThanOrEqual(e.minZ);
          expect(s.position[2]).toBeLessThanOrEqual(e.maxZ);
          expect(Math.abs(lengthQ(s.orientation) - 1)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('reports velocities and attitudes consistent with the path', () => {
    const gen = new FlightGenerator({ seed: 3, count: 12 });
    const h = 5; // ms
    for (const plan of gen.plans) {
      for (let i = 0; i < 100; i += 1) {
        const t = i * 7919;
        const s = gen.sample(plan.track, t);
        const before = gen.sample(plan.track, t - h);
        const after = gen.sample(plan.track, t + h);
        const fd = scale3(sub3(after.position, before.position), 1000 / (2 * h));
        // The path is continuous (no jumps at segment ends or loop wrap) and v is its derivative.
        expect(length3(sub3(fd, s.velocity))).toBeLessThan(0.5);
        // The nose (+z) points along the velocity.
        const nose = rotate3(s.orientation, [0, 0, 1]);
        expect(dot3(nose, s.velocity) / length3(s.velocity)).toBeGreaterThan(1 - 1e-9);
        // In turns the lift (body +y) leans towards the centre of the turn.
        const accel = scale3(sub3(after.velocity, before.velocity), 1000 / (2 * h));
        const up = rotate3(s.orientation, [0, 1, 0]);
        if (Math.hypot(accel[0], accel[2]) > 0.5)
          expect(up[0] * accel[0] + up[2] * accel[2]).toBeGreaterThan(0);
        else expect(Math.abs(up[0] * s.velocity[2] - up[2] * s.velocity[0])).toBeLessThan(1e-6);
      }
    }
  });

  it('validates its options', () => {
    expect(() => new FlightGenerator({ seed: 1, count: -1 })).toThrow(RangeError);
    expect(() => new FlightGenerator({ seed: 1, count: 1, minSpeed: 300, maxSpeed: 200 })).toThrow(
      RangeError,
    );
    expect(() => new FlightGenerator({ seed: 1, count: 1, patterns: [] })).toThrow(RangeError);
    const gen = new FlightGenerator({ seed: 1, count: 1, patterns: ['figure-eight'] });
    expect(gen.plans[0]?.pattern).toBe('figure-eight');
    expect(() => gen.sample(1, 0)).toThrow(/no aircraft 1/);
    const samples: CoordinateSample[] = gen.samples(0).map((x) => x.sample);
    expect(samples).toHaveLength(1);
  });
});
