// Deterministic simulated flights for demos and benchmarks. Each aircraft flies a closed loop
// of straight legs and constant-radius coordinated turns at constant ground speed, with a
// gentle altitude wave; the pose at any time is computed in closed form (no integration
// drift), so every node given the same seed sees the same sky. Plans depend only on
// (seed, track), never on how many aircraft there are.
import type { GeoArea, SceneExtent } from './geodata';
import { DEFAULT_AREA, areaExtent } from './geodata';
import type { CoordinateSample } from './sample';
import type { TrackSample } from './sample-codec';
import { MAX_TRACK } from './sample-codec';
import { attitudeQ } from './vec';
import { mulberry32 } from '../util/seeded-random';

export type FlightPattern = 'circuit' | 'figure-eight' | 'legs';
export const FLIGHT_PATTERNS: readonly FlightPattern[] = ['circuit', 'figure-eight', 'legs'];

/** Straight leg, or an arc turning left (k = 1) or right (k = −1). */
type Segment =
  | { readonly kind: 'straight'; readonly length: number }
  | { readonly kind: 'arc'; readonly radius: number; readonly angle: number; readonly k: 1 | -1 };

interface Placed {
  readonly segment: Segment;
  readonly s0: number;
  readonly x0: number;
  readonly z0: number;
  readonly heading0: number;
}

export interface FlightPlan {
  readonly track: number;
  readonly callsign: string;
  /** '#rrggbb' */
  readonly color: string;
  readonly pattern: FlightPattern;
  /** Ground speed, m/s (constant). */
  readonly speed: number;
  /** Mean altitude (scene y), m. */
  readonly altitude: number;
  /** Amplitude (m) and period (s) of the altitude wave. */
  readonly climbAmplitude: number;
  readonly climbPeriod: number;
  /** Radius of every turn, m (from the bank angle). */
  readonly turnRadius: number;
  /** Bank angle in turns, radians. */
  readonly bank: number;
  /** Length of one loop, m. */
  readonly loopLength: number;
}

export interface FlightGeneratorOptions {
  readonly seed: number;
  /** Aircraft, 0..65536; track i is aircraft i. */
  readonly count: number;
  readonly area?: GeoArea;
  /** Ground speed range, m/s. Default 60–240 (light aircraft to airliner). */
  readonly minSpeed?: number;
  readonly maxSpeed?: number;
  readonly patterns?: readonly FlightPattern[];
  /** Sender time (ms) at which every loop is at its phase origin. Default 0. */
  readonly epochMs?: number;
}

const G = 9.81;
const CALLSIGN_PREFIXES = ['SWR', 'DLH', 'AFR', 'EZY', 'KLM', 'AUA', 'ITY', 'BAW', 'LO'];

interface Flight {
  readonly plan: FlightPlan;
  readonly segments: readonly Placed[];
  readonly offsetX: number;
  readonly offsetZ: number;
  /** Loop position (m) at epoch. */
  readonly phase: number;
  readonly climbPhase: number;
}

export class FlightGenerator {
  readonly area: GeoArea;
  readonly plans: readonly FlightPlan[];
  readonly #flights: readonly Flight[];
  readonly #epochMs: number;

  constructor(options: FlightGeneratorOptions) {
    const count = options.count;
    if (!Number.isInteger(count) || count < 0 || count > MAX_TRACK + 1) {
      throw new RangeError(`count must be an integer from 0 to ${MAX_TRACK + 1}`);
    }
    const minSpeed = options.minSpeed ?? 60;
    const maxSpeed = options.maxSpeed ?? 240;
    if (!(minSpeed > 0 && maxSpeed >= minSpeed && maxSpeed <= 1000)) {
      throw new RangeError('speeds must satisfy 0 < minSpeed ≤ maxSpeed ≤ 1000 m/s');
    }
    const patterns = options.patterns ?? FLIGHT_PATTERNS;
    if (patterns.length === 0 || !patterns.every((p) => FLIGHT_PATTERNS.includes(p))) {
      throw new RangeError(`patterns must be some of ${FLIGHT_PATTERNS.join(', ')}`);
    }
    this.area = options.area ?? DEFAULT_AREA;
    this.#epochMs = options.epochMs ?? 0;
    const extent = areaExtent(this.area);
    const flights: Flight[] = [];
    for (let track = 0; track < count; track += 1) {
      flights.push(makeFlight(options.seed, track, extent, minSpeed, maxSpeed, patterns));
    }
    this.#flights = flights;
    this.plans = flights.map((f) => f.plan);
  }

  get count(): number {
    return this.#flights.length;
  }

  /** The pose of aircraft `track` at sender time `tMs`. */
  sample(track: number, tMs: number): CoordinateSample {
    const flight = this.#flights[track];
    if (!flight) throw new RangeError(`no aircraft ${track}`);
    return sampleFlight(flight, tMs, tMs - this.#epochMs);
  }

  /** Every aircraft's pose at `tMs`, ready for CoordinateStreamPublisher. */
  samples(tMs: number): TrackSample[] {
    return this.#flights.map((f) => ({
      track: f.plan.track,
      sample: sampleFlight(f, tMs, tMs - this.#epochMs),
    }));
  }
}

function makeFlight(
  seed: number,
  track: number,
  extent: SceneExtent,
  minSpeed: number,
  maxSpeed: number,
  patterns: readonly FlightPattern[],
): Flight {
  const rnd = mulberry32(hash(seed, track));
  const pattern = patterns[Math.floor(rnd() * patterns.length)] as FlightPattern;
  const speed = minSpeed + (maxSpeed - minSpeed) * rnd();
  const bank = (20 + 10 * rnd()) * (Math.PI / 180);
  const turnRadius = (speed * speed) / (G * Math.tan(bank));
  const k: 1 | -1 = rnd() < 0.5 ? 1 : -1;
  let segments: Segment[];
  if (pattern === 'circuit') {
    const leg = 5000 + 15000 * rnd();
    const turn: Segment = { kind: 'arc', radius: turnRadius, angle: Math.PI, k };
    segments = [{ kind: 'straight', length: leg }, turn, { kind: 'straight', length: leg }, turn];
  } else if (pattern === 'figure-eight') {
    // Two circles touching where the loop starts: the heading is continuous there.
    segments = [
      { kind: 'arc', radius: turnRadius, angle: 2 * Math.PI, k },
      { kind: 'arc', radius: turnRadius, angle: 2 * Math.PI, k: k === 1 ? -1 : 1 },
    ];
  } else {
    const legs = 3 + Math.floor(rnd() * 4);
    const leg = 3000 + 20000 * rnd();
    segments = [];
    for (let i = 0; i < legs; i += 1) {
      segments.push(
        { kind: 'straight', length: leg },
        { kind: 'arc', radius: turnRadius, angle: (2 * Math.PI) / legs, k },
      );
    }
  }
  const heading0 = 2 * Math.PI * rnd();
  const placed = place(segments, heading0);
  const loopLength = placed.reduce((sum, p) => sum + segmentLength(p.segment), 0);
  // Centre the loop's bounding box somewhere it fits inside the area (or in the middle).
  let minX = Infinity;
  let maxX = -Infinity;
  let minZ = Infinity;
  let maxZ = -Infinity;
  for (let i = 0; i < 256; i += 1) {
    const [x, z] = along(placed, (loopLength * i) / 256);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minZ = Math.min(minZ, z);
    maxZ = Math.max(maxZ, z);
  }
  const margin = 0.05;
  const pick = (lo: number, hi: number, bbLo: number, bbHi: number): number => {
    const inset = (hi - lo) * margin;
    const from = lo + inset - bbLo;
    const to = hi - inset - bbHi;
    return from <= to ? from + (to - from) * rnd() : (lo + hi) / 2 - (bbLo + bbHi) / 2;
  };
  const offsetX = pick(extent.minX, extent.maxX, minX, maxX);
  const offsetZ = pick(extent.minZ, extent.maxZ, minZ, maxZ);
  const altitude = 600 + 10_400 * rnd();
  const climbAmplitude = Math.min(150 * rnd(), altitude - 300);
  const climbPeriod = 60 + 180 * rnd();
  const plan: FlightPlan = {
    track,
    callsign: `${CALLSIGN_PREFIXES[Math.floor(rnd() * CALLSIGN_PREFIXES.length)]}${100 + Math.floor(rnd() * 9000)}`,
    color: hslHex((track * 0.618033988749895 + hash(seed, 0) / 2 ** 32) % 1, 0.65, 0.55),
    pattern,
    speed,
    altitude,
    climbAmplitude,
    climbPeriod,
    turnRadius,
    bank,
    loopLength,
  };
  return {
    plan,
    segments: placed,
    offsetX,
    offsetZ,
    phase: loopLength * rnd(),
    climbPhase: 2 * Math.PI * rnd(),
  };
}

function segmentLength(s: Segment): number {
  return s.kind === 'straight' ? s.length : s.radius * s.angle;
}

/** Lays segments end to end from the origin, heading `heading0`. */
function place(segments: readonly Segment[], heading0: number): Placed[] {
  const out: Placed[] = [];
  let s0 = 0;
  let x0 = 0;
  let z0 = 0;
  let h = heading0;
  for (const segment of segments) {
    out.push({ segment, s0, x0, z0, heading0: h });
    const length = segmentLength(segment);
    [x0, z0, h] = state({ segment, s0, x0, z0, heading0: h }, length);
    s0 += length;
  }
  return out;
}

/**
 * [x, z, heading] at distance `d` into a placed segment. Heading a means direction
 * (sin a, cos a) in (x, z), i.e. yaw about +y from +z; a left turn increases it.
 */
function state(p: Placed, d: number): [number, number, number] {
  const { segment, x0, z0, heading0: a0 } = p;
  if (segment.kind === 'straight') return [x0 + d * Math.sin(a0), z0 + d * Math.cos(a0), a0];
  const { radius: r, k } = segment;
  const a = a0 + (k * d) / r;
  return [x0 + k * r * (Math.cos(a0) - Math.cos(a)), z0 + k * r * (Math.sin(a) - Math.sin(a0)), a];
}

function locate(segments: readonly Placed[], s: number): Placed {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((segments[mid] as Placed).s0 <= s) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo] as Placed;
}

function along(segments: readonly Placed[], s: number): [number, number, number] {
  const p = locate(segments, s);
  return state(p, s - p.s0);
}

function sampleFlight(flight: Flight, t: number, pathMs: number): CoordinateSample {
  const { plan, segments } = flight;
  const seconds = pathMs / 1000;
  const travelled = flight.phase + plan.speed * seconds;
  const s = ((travelled % plan.loopLength) + plan.loopLength) % plan.loopLength;
  const p = locate(segments, s);
  const [x, z, heading] = state(p, s - p.s0);
  const w = (2 * Math.PI) / plan.climbPeriod;
  const y = plan.altitude + plan.climbAmplitude * Math.sin(w * seconds + flight.climbPhase);
  const vy = plan.climbAmplitude * w * Math.cos(w * seconds + flight.climbPhase);
  const roll = p.segment.kind === 'arc' ? -p.segment.k * plan.bank : 0;
  return {
    t,
    position: [x + flight.offsetX, y, z + flight.offsetZ],
    orientation: attitudeQ(heading, Math.atan2(vy, plan.speed), roll),
    velocity: [plan.speed * Math.sin(heading), vy, plan.speed * Math.cos(heading)],
  };
}

function hash(seed: number, n: number): number {
  let h = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (n + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function hslHex(h: number, s: number, l: number): string {
  const f = (n: number): string => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
