// The words a refusal uses for the objects it talks about: "an airplane", "Notes", the way
// people name them, not their type or template id.
import type { ViewKind } from '../../../src-shared/bridge/protocol';

interface Noun {
  /** With its article: "an airplane". */
  readonly one: string;
  /** Plural, capitalised to open a sentence: "Airplanes". */
  readonly many: string;
}

const NOUNS: Readonly<Record<ViewKind, Noun>> = {
  desktop: { one: 'a desktop', many: 'Desktops' },
  note: { one: 'a note', many: 'Notes' },
  image: { one: 'an image', many: 'Images' },
  space3d: { one: 'a 3D space', many: '3D spaces' },
  airplane: { one: 'an airplane', many: 'Airplanes' },
  building: { one: 'a building', many: 'Buildings' },
  map: { one: 'a map', many: 'Maps' },
  coordinates: { one: 'a coordinate stream', many: 'Coordinate streams' },
  flights: { one: 'a flight stream', many: 'Flight streams' },
};

/** What a dropped object is called: its kind's noun, else its title in quotes, else "this object". */
export interface DroppedName {
  readonly kind?: ViewKind;
  readonly title?: string;
}

/** "an airplane", "“Route 66”", "this object". */
export function oneOf(name: DroppedName): string {
  if (name.kind) return NOUNS[name.kind].one;
  return name.title ? `“${name.title}”` : 'this object';
}

/** The subject of a sentence about all such objects ("Airplanes"); undefined when the kind is unknown. */
export function manyOf(name: DroppedName): string | undefined {
  return name.kind ? NOUNS[name.kind].many : undefined;
}

/**
 * "Airplanes fly in 3D spaces" when the kind is known (`plural` is the verb phrase for all
 * of them), else "“Route 66” belongs in a 3D space" (`singular` for this one).
 */
export function ruleSentence(name: DroppedName, plural: string, singular: string): string {
  const many = manyOf(name);
  return many ? `${many} ${plural}` : `${capitalised(oneOf(name))} ${singular}`;
}

/** Sentence case: the first letter up. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
