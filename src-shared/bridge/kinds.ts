// Human titles of the view kinds, shared by the host (default titles, toolbox templates) and
// the renderer (labels of items whose reference has no title).
import type { ViewKind } from './protocol';

export const KIND_TITLES: Readonly<Record<ViewKind, string>> = {
  desktop: 'Desktop',
  note: 'Note',
  image: 'Image',
  space3d: '3D space',
  airplane: 'Airplane',
  building: 'Building',
  map: 'Map',
  coordinates: 'Coordinate stream',
  flights: 'Flights',
};

export function isViewKind(kind: string): kind is ViewKind {
  return Object.hasOwn(KIND_TITLES, kind);
}
