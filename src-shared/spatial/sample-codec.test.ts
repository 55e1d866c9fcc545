import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoordinateSample } from './sample';
import {
  COORDINATE_SAMPLES_KIND,
  MAX_SAMPLES_PER_MESSAGE,
  decodeSamples,
  encodeSample,
  encodeSamples,
  encodedSize,
} from './sample-codec';
import type { TrackSample } from './sample-codec';
import { lengthQ } from './vec';

const coord = (bound: number): fc.Arbitrary<number> =>
  fc.double({ min: -bound, max: bound, noNaN: true, noDefaultInfinity: true });
const quatArb = fc
  .tuple(coord(1), coord(1), coord(1), coord(1))
  .filter((q) => Math.hypot(...q) > 0.6 && Math.hypot(...q) < 1.9);
export const sampleArb: fc.Arbitrary<CoordinateSample> = fc.record({
  t: coord(1e13),
  position: fc.tuple(coord(1e7), coord(1e7), coord(1e7)),
  orientation: quatArb,
  velocity: fc.tuple(coord(1e4), coord(1e4), coord(1e4)),
});
const trackSampleArb: fc.Arbitrary<TrackSample> = fc.record({
  track: fc.integer({ min: 0, max: 0xffff }),
  sample: sampleArb,
});

const f32 = (v: readonly number[]): number[] => v.map((x) => Math.fround(x));

describe('coordinate sample encoding', () => {
  it('round-trips time exactly and vectors at Float32 precision', () => {
    fc.assert(
      fc.property(
        fc.array(trackSampleArb, { minLength: 1, maxLength: MAX_SAMPLES_PER_MESSAGE }),
        (samples) => {
          const bytes = encodeSamples(samples);
          expect(bytes.length).toBe(encodedSize(samples.length));
          expect(bytes.length).toBeLessThanOrEqual(1400);
          const decoded = decodeSamples(bytes);
          if (!decoded.ok) throw new Error(decoded.reason);
          expect(decoded.samples).toHaveLength(samples.length);
          decoded.samples.forEach(({ track, sample }, i) => {
            const original = samples[i] as TrackSample;
            expect(track).toBe(original.track);
            expect(sample.t).toBe(original.sample.t);
            expect(sample.position).toEqual(f32(original.sample.position));
            expect(sample.velocity).toEqual(f32(original.sample.velocity));
            expect(Math.abs(lengthQ(sample.orientation) - 1)).toBeLessThan(1e-12);
            const q = f32(original.sample.orientation);
            const n = Math.hypot(...q);
            sample.orientation.forEach((c, k) => expect(c).toBeCloseTo((q[k] as number) / n, 12));
          });
        },
      ),
    );
  });

  it('is 53 bytes for one sample, starting with kind and version', () => {
    const bytes = encodeSample({ t: 1, position: [1, 2, 3], orientation: [0, 0, 0, 1], velocity: [0, 0, 0] });
    expect(bytes.length).toBe(53);
    expect([...bytes.slice(0, 3)]).toEqual([COORDINATE_SAMPLES_KIND, 1, 1]);
  });

  it('never throws on arbitrary or mutated bytes, and what it accepts is valid', () => {
    const valid = encodeSamples([
      { track: 3, sample: { t: 5, position: [1, 2, 3], orientation: [0, 0, 0, 1], velocity: [4, 5, 6] } },
      { track: 4, sample: { t: 6, position: [1, 2, 3], orientation: [0, 1, 0, 0], velocity: [4, 5, 6] } },
    ]);
    const check = (bytes: Uint8Array): void => {
      const decoded = decodeSamples(bytes);
      if (!decoded.ok) return;
      for (const { sample } of decoded.samples) {
        for (const x of [sample.t, ...sample.position, ...sample.orientation, ...sample.velocity]) {
          expect(Number.isFinite(x)).toBe(true);
        }
        expect(Math.abs(lengthQ(sample.orientation) - 1)).toBeLessThan(1e-6);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 500 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const bytes = valid.slice();
          for (const [i, b] of edits) bytes[i] = b;
          check(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects wrong headers, lengths and non-finite or degenerate values', () => {
    const good = encodeSample({ t: 5, position: [1, 2, 3], orientation: [0, 0, 0, 1], velocity: [0, 0, 0] });
    const edit = (offset: number, f: (v: DataView) => void): Uint8Array => {
      const b = good.slice();
      f(new DataView(b.buffer, offset));
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(), /too short/],
      [edit(0, (v) => v.setUint8(0, 0x10)), /kind/],
      [edit(0, (v) => v.setUint8(1, 2)), /version/],
      [edit(0, (v) => v.setUint8(2, 0)), /count/],
      [edit(0, (v) => v.setUint8(2, 2)), /length/],
      [good.slice(0, -1), /length/],
      [edit(5, (v) => v.setFloat64(0, Number.NaN, true)), /time/],
      [edit(13, (v) => v.setFloat32(0, Number.POSITIVE_INFINITY, true)), /position/],
      [edit(13, (v) => v.setFloat32(0, 2e8, true)), /position/],
      [edit(25, (v) => v.setFloat32(12, 0, true)), /orientation/],
      [edit(41, (v) => v.setFloat32(0, Number.NaN, true)), /velocity/],
    ];
    for (const [bytes, reason] of cases) {
      const decoded = decodeSamples(bytes);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason).toMatch(reason);
    }
  });

  it('refuses to encode invalid samples', () => {
    const s: CoordinateSample = { t: 1, position: [0, 0, 0], orientation: [0, 0, 0, 1], velocity: [0, 0, 0] };
    expect(() => encodeSamples([])).toThrow(RangeError);
    expect(() => encodeSamples(Array.from({ length: 25 }, () => ({ track: 0, sample: s })))).toThrow(
      RangeError,
    );
    expect(() => encodeSample(s, -1)).toThrow(/track/);
    expect(() => encodeSample({ ...s, position: [Number.NaN, 0, 0] })).toThrow(/position/);
    expect(() => encodeSample({ ...s, orientation: [0, 0, 0, 0] })).toThrow(/orientation/);
  });
});
