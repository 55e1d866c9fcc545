// Reads the 3D objects' view states defensively (docs/spatial.md, docs/host.md): a missing or
// odd field falls back to the model's default and never throws, like desktop-state.ts.
import type { GeoArea, LonLatBounds } from '../../../src-shared/spatial/geodata';
import { DEFAULT_AREA, areaProblem, projectLonLat } from '../../../src-shared/spatial/geodata';
import { FlightGenerator } from '../../../src-shared/spatial/flight-generator';
import type { PlacedObject } from '../../../src-shared/spatial/placement';
import type { Quat, Vec3 } from '../../../src-shared/spatial/vec';
import { IDENTITY_QUAT, normalizeQ } from '../../../src-shared/spatial/vec';

export interface AirplaneState {
  readonly callsign: string;
  readonly color: string;
  readonly stream: string | null;
  readonly track: number;
  readonly livery: string | null;
}

export interface BuildingState {
  readonly name: string;
  readonly footprint: readonly (readonly [number, number])[];
  readonly height: number;
  readonly color: string;
}

export interface MapAnnotationState {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly text: string;
  readonly author: string;
  readonly x: number;
  readonly z: number;
}

export interface MapState {
  readonly area: GeoArea;
  readonly annotations: readonly MapAnnotationState[];
}

/** What a flights/coordinates object may say about its tracks (all optional). */
export interface TrackInfo {
  readonly track: number;
  readonly callsign?: string;
  readonly color?: string;
}

export const AIRPLANE_DEFAULT_COLOR = '#d8dde6';
const BUILDING_DEFAULT_COLOR = '#b9b2a6';
export const DEFAULT_FOOTPRINT: readonly (readonly [number, number])[] = [
  [-10, -10],
  [10, -10],
  [10, 10],
  [-10, 10],
];

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

function readVec3(v: unknown, fallback: Vec3): Vec3 {
  if (!Array.isArray(v) || v.length !== 3 || !v.every(finite)) return fallback;
  const [x, y, z] = v as [number, number, number];
  return [x, y, z];
}

/** A unit quaternion (the model stores rotations as given and normalises only in views). */
function readQuat(v: unknown): Quat {
  if (!Array.isArray(v) || v.length !== 4 || !v.every(finite)) return IDENTITY_QUAT;
  const q = v as unknown as Quat;
  return Math.hypot(...q) > 1e-9 ? normalizeQ(q) : IDENTITY_QUAT;
}

function readColor(v: unknown, fallback: string): string {
  return typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v) ? v.toLowerCase() : fallback;
}

export function parseSpace3DState(state: unknown): readonly PlacedObject[] {
  const items = rec(state).objects;
  if (!Array.isArray(items)) return [];
  const seen = new Set<string>();
  return items.flatMap((raw: unknown): PlacedObject[] => {
    const r = rec(raw);
    const id = typeof r.id === 'number' ? String(r.id) : str(r.id);
    const reference = str(r.reference);
    if (!id || !reference || seen.has(id)) return [];
    seen.add(id);
    return [
      {
        id,
        reference,
        ...(typeof r.kind === 'string' && r.kind ? { kind: r.kind } : {}),
        ...(typeof r.title === 'string' && r.title ? { title: r.title } : {}),
        position: readVec3(r.position, [0, 0, 0]),
        rotation: readQuat(r.rotation),
        scale: readVec3(r.scale, [1, 1, 1]),
      },
    ];
  });
}

export function parseAirplaneState(state: unknown): AirplaneState {
  const r = rec(state);
  // The model's `stream` register is `{ reference, track }`; hosts may also flatten it.
  const streamRec = rec(r.stream);
  const stream =
    typeof r.stream === 'string' && r.stream
      ? r.stream
      : typeof streamRec.reference === 'string' && streamRec.reference
        ? streamRec.reference
        : null;
  const trackRaw = finite(r.track) ? r.track : finite(streamRec.track) ? streamRec.track : 0;
  return {
    callsign: str(r.callsign),
    color: readColor(r.color, AIRPLANE_DEFAULT_COLOR),
    stream,
    track: Math.max(0, Math.trunc(trackRaw)),
    livery: typeof r.livery === 'string' && r.livery ? r.livery : null,
  };
}

export function parseBuildingState(state: unknown): BuildingState {
  const r = rec(state);
  const fp = Array.isArray(r.footprint)
    ? r.footprint.flatMap((p: unknown): [number, number][] =>
        Array.isArray(p) && p.length >= 2 && finite(p[0]) && finite(p[1]) ? [[p[0], p[1]]] : [],
      )
    : [];
  return {
    name: str(r.name),
    footprint: fp.length >= 3 ? fp : DEFAULT_FOOTPRINT,
    height: finite(r.height) ? Math.min(2000, Math.max(0, r.height)) : 10,
    color: readColor(r.color, BUILDING_DEFAULT_COLOR),
  };
}

function parseArea(v: unknown): GeoArea {
  if (areaProblem(v) !== undefined) return DEFAULT_AREA;
  const a = v as { name: string; bounds: LonLatBounds };
  return { name: a.name, bounds: [a.bounds[0], a.bounds[1], a.bounds[2], a.bounds[3]] };
}

export function parseMapState(state: unknown): MapState {
  const r = rec(state);
  const area = parseArea(r.area);
  const annotations = Array.isArray(r.annotations)
    ? r.annotations.flatMap((raw: unknown): MapAnnotationState[] => {
        const a = rec(raw);
        const id = typeof a.id === 'number' ? String(a.id) : str(a.id);
        if (!id || !finite(a.lon) || !finite(a.lat)) return [];
        // The host projects for us; recompute only when it did not.
        const [px, pz] = projectLonLat(area, a.lon, a.lat);
        return [
          {
            id,
            lon: a.lon,
            lat: a.lat,
            text: str(a.text),
            author: str(a.author),
            x: finite(a.x) ? a.x : px,
            z: finite(a.z) ? a.z : pz,
          },
        ];
      })
    : [];
  return { area, annotations };
}

/** Per-track labels and colours, from `tracks` or `plans` (a flight generator's) when present. */
export function parseTrackInfo(state: unknown): ReadonlyMap<number, TrackInfo> {
  const r = rec(state);
  const list = Array.isArray(r.tracks) ? r.tracks : Array.isArray(r.plans) ? r.plans : plansOf(r);
  const out = new Map<number, TrackInfo>();
  for (const raw of list) {
    const t = rec(raw);
    if (!finite(t.track)) continue;
    out.set(t.track, {
      track: t.track,
      ...(typeof t.callsign === 'string' ? { callsign: t.callsign } : {}),
      ...(typeof t.color === 'string' ? { color: readColor(t.color, AIRPLANE_DEFAULT_COLOR) } : {}),
    });
  }
  return out;
}

/** A flights object that reports only its seed and count: its plans are deterministic. */
function plansOf(r: Rec): readonly unknown[] {
  if (!finite(r.seed) || !finite(r.count) || r.count < 1 || r.count > 1024) return [];
  try {
    return new FlightGenerator({ seed: r.seed, count: Math.trunc(r.count) }).plans;
  } catch {
    return [];
  }
}
