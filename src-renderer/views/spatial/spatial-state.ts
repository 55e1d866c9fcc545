// What the 3D views make of their objects' view states (src-shared/bridge/view-state.ts):
// what to draw before an object's first state arrives, unit rotations for placed objects
// (the space stores rotations as placed), and per-track labels of a flights stream.
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';
import type { SpaceObject } from '../../../src-shared/bridge/view-state';
import { DEFAULT_AREA } from '../../../src-shared/spatial/geodata';
import type { PlacedObject } from '../../../src-shared/spatial/placement';
import { IDENTITY_QUAT, normalizeQ } from '../../../src-shared/spatial/vec';

export type BuildingState = ViewStateOf<'building'>;

/** What a flights stream says about one of its tracks. */
export interface TrackInfo {
  readonly track: number;
  readonly callsign: string;
  readonly color: string;
}

export const AIRPLANE_DEFAULT_COLOR = '#d8dde6';
export const DEFAULT_FOOTPRINT: readonly (readonly [number, number])[] = [
  [-10, -10],
  [10, -10],
  [10, 10],
  [-10, 10],
];

/** Drawn until an airplane's first state arrives. */
export const AIRPLANE_BEFORE_STATE: ViewStateOf<'airplane'> = {
  kind: 'airplane',
  callsign: '',
  color: AIRPLANE_DEFAULT_COLOR,
  stream: null,
  track: 0,
  livery: null,
};

/** Drawn until a building's first state arrives. */
export const BUILDING_BEFORE_STATE: BuildingState = {
  kind: 'building',
  name: '',
  footprint: DEFAULT_FOOTPRINT,
  height: 10,
  color: '#b9b2a6',
};

/** Drawn until a map's first state arrives. */
export const MAP_BEFORE_STATE: ViewStateOf<'map'> = { kind: 'map', area: DEFAULT_AREA, annotations: [] };

const NO_OBJECTS: readonly PlacedObject[] = [];

/** A space's objects ready to draw: rotations made unit (the identity for a degenerate one). */
export function placedObjects(objects: readonly SpaceObject[] | undefined): readonly PlacedObject[] {
  if (!objects) return NO_OBJECTS;
  return objects.map((o) => ({
    ...o,
    rotation: Math.hypot(...o.rotation) > 1e-9 ? normalizeQ(o.rotation) : IDENTITY_QUAT,
  }));
}

/** Labels and colours per track: a flights stream knows its aircraft, a coordinates one does not. */
export function trackInfo(state: ViewStateOf<'flights'> | undefined): ReadonlyMap<number, TrackInfo> {
  return new Map((state?.tracks ?? []).map((t) => [t.track, t]));
}
