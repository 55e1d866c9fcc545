// Which renderer view shows an object: decided by the primitive template id of its reference
// (`<parameterized><template><primitive id="liveobjects.note"/>…`).
import type { ViewKind } from '../../../src-shared/bridge/protocol';
import type { Reference } from '../../../src-shared/format/document';

export const VIEW_KIND_BY_TEMPLATE: ReadonlyMap<string, ViewKind> = new Map<string, ViewKind>([
  ['liveobjects.desktop', 'desktop'],
  ['liveobjects.note', 'note'],
  ['liveobjects.image', 'image'],
  ['liveobjects.space3d', 'space3d'],
  ['liveobjects.airplane', 'airplane'],
  ['liveobjects.building', 'building'],
  ['liveobjects.map', 'map'],
  ['liveobjects.coordinates', 'coordinates'],
  ['liveobjects.flights', 'flights'],
]);

/** The primitive id naming the object: a primitive itself, or a parameterized's template. */
export function primitiveIdOf(reference: Reference): string | undefined {
  if (reference.kind === 'primitive') return reference.id;
  if (reference.kind === 'parameterized' && reference.template.kind === 'primitive')
    return reference.template.id;
  return undefined;
}

export function viewKindOf(reference: Reference): ViewKind | undefined {
  const id = primitiveIdOf(reference);
  return id === undefined ? undefined : VIEW_KIND_BY_TEMPLATE.get(id.toLowerCase());
}
