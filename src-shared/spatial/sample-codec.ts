// Coordinate samples on the wire (docs/spatial.md): a 3-byte header, then fixed 50-byte
// records — Float64 time (sub-millisecond precision on epoch clocks), Float32 vectors (a
// 100 km scene keeps centimetres), little-endian. One message carries the samples of up to
// MAX_SAMPLES_PER_MESSAGE tracks taken at once, so it fits in one Ethernet frame.
import type { CoordinateSample } from './sample';
import { normalizeSample, sampleProblem } from './sample';

/** The message kind byte; equal to MessageKind.CoordinateSamples in src-main's kinds.ts. */
export const COORDINATE_SAMPLES_KIND = 0x50;
export const COORDINATE_SAMPLES_VERSION = 1;
export const MAX_SAMPLES_PER_MESSAGE = 24;
export const MAX_TRACK = 0xffff;
export const SAMPLE_RECORD_BYTES = 2 + 8 + 10 * 4;
const HEADER_BYTES = 3;

/** A sample of one of the sender's tracks (a sender that moves one thing uses track 0). */
export interface TrackSample {
  readonly track: number;
  readonly sample: CoordinateSample;
}

export type DecodedSamples = { ok: true; samples: TrackSample[] } | { ok: false; reason: string };

export function encodedSize(count: number): number {
  return HEADER_BYTES + count * SAMPLE_RECORD_BYTES;
}

/** Encodes 1..MAX_SAMPLES_PER_MESSAGE samples; throws RangeError on invalid input. */
export function encodeSamples(samples: readonly TrackSample[]): Uint8Array {
  if (samples.length < 1 || samples.length > MAX_SAMPLES_PER_MESSAGE) {
    throw new RangeError(`a message carries 1 to ${MAX_SAMPLES_PER_MESSAGE} samples, not ${samples.length}`);
  }
  const bytes = new Uint8Array(encodedSize(samples.length));
  const view = new DataView(bytes.buffer);
  bytes[0] = COORDINATE_SAMPLES_KIND;
  bytes[1] = COORDINATE_SAMPLES_VERSION;
  bytes[2] = samples.length;
  let o = HEADER_BYTES;
  for (const { track, sample } of samples) {
    if (!Number.isInteger(track) || track < 0 || track > MAX_TRACK)
      throw new RangeError(`bad track ${track}`);
    const problem = sampleProblem(sample);
    if (problem !== undefined) throw new RangeError(`invalid sample: ${problem}`);
    view.setUint16(o, track, true);
    view.setFloat64(o + 2, sample.t, true);
    o += 10;
    for (const x of [...sample.position, ...sample.orientation, ...sample.velocity]) {
      view.setFloat32(o, x, true);
      o += 4;
    }
  }
  return bytes;
}

export function encodeSample(sample: CoordinateSample, track = 0): Uint8Array {
  return encodeSamples([{ track, sample }]);
}

/** Decodes and validates a message; never throws. Orientations come back unit length. */
export function decodeSamples(bytes: Uint8Array): DecodedSamples {
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER_BYTES)
    return { ok: false, reason: 'message too short' };
  if (bytes[0] !== COORDINATE_SAMPLES_KIND)
    return { ok: false, reason: `unexpected message kind ${bytes[0]}` };
  if (bytes[1] !== COORDINATE_SAMPLES_VERSION)
    return { ok: false, reason: `unsupported version ${bytes[1]}` };
  const count = bytes[2] as number;
  if (count < 1 || count > MAX_SAMPLES_PER_MESSAGE) return { ok: false, reason: `bad sample count ${count}` };
  if (bytes.length !== encodedSize(count)) return { ok: false, reason: 'length does not match the count' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples: TrackSample[] = [];
  let o = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const track = view.getUint16(o, true);
    const t = view.getFloat64(o + 2, true);
    o += 10;
    const f: number[] = [];
    for (let k = 0; k < 10; k += 1, o += 4) f.push(view.getFloat32(o, true));
    const sample = normalizeSample({
      t,
      position: [f[0], f[1], f[2]],
      orientation: [f[3], f[4], f[5], f[6]],
      velocity: [f[7], f[8], f[9]],
    });
    if (!sample)
      return {
        ok: false,
        reason: `sample ${i}: ${sampleProblem({ t, position: f.slice(0, 3), orientation: f.slice(3, 7), velocity: f.slice(7) })}`,
      };
    samples.push({ track, sample });
  }
  return { ok: true, samples };
}
