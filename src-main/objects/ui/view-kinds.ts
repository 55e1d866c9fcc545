// Which renderer view shows an object: decided by the primitive template id of its reference
// (`<parameterized><template><primitive id="liveobjects.note"/>…`).
import type { TemplateKind, ViewKind } from '../../../src-shared/bridge/protocol';
import type { Reference } from '../../../src-shared/format/document';

/** The template behind each toolbox kind; each kind is also the view that shows it. */
export const TEMPLATE_IDS: Readonly<Record<TemplateKind, string>> = {
  desktop: 'liveobjects.desktop',
  note: 'liveobjects.note',
  image: 'liveobjects.image',
  space3d: 'liveobjects.space3d',
  airplane: 'liveobjects.airplane',
  building: 'liveobjects.building',
  map: 'liveobjects.map',
  coordinates: 'liveobjects.coordinates',
  flights: 'liveobjects.flights',
};

export const VIEW_KIND_BY_TEMPLATE: ReadonlyMap<string, ViewKind> = new Map(
  (Object.entries(TEMPLATE_IDS) as [TemplateKind, string][]).map(([kind, id]) => [id, kind]),
);

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
