// The desktop's document: its field groups, limits and clamps, and the schema its updates and
// states are read with. On the wire (doc-codec.ts, docs/objects.md) every group travels flat,
// e.g. position as { t, s, x, y }. JSON keeps messages readable in captures; references
// dominate the size anyway. Decoding validates everything and clamps numbers
// deterministically, so every replica stores the same values for the same message.
import { utf8Length } from '../../../src-shared/format/parse';
import type { DocSchema, Readers } from './doc-codec';
import { Invalid, MAX_ITEM_ID_LENGTH, asObject } from './doc-codec';

/** The desktop's field groups: one LWW register each (the desktop has no root registers). */
export interface DesktopFields {
  content: { readonly reference: string; readonly title?: string };
  position: { readonly x: number; readonly y: number };
  size: { readonly width: number; readonly height: number };
  layer: { readonly z: number };
}
export type DesktopRoot = Record<never, never>;

export const DESKTOP_LIMITS = {
  /** Placed items a user may have on one desktop. */
  maxItems: 1000,
  /** Size of one item's .liveobject reference, in UTF-8 bytes. */
  maxReferenceBytes: 64 * 1024,
  maxTitleLength: 256,
  maxIdLength: MAX_ITEM_ID_LENGTH,
  /** |x|, |y| are clamped to this (desktop units, i.e. CSS pixels at zoom 1). */
  maxCoordinate: 10_000_000,
  minSize: 1,
  maxSize: 1_000_000,
  /** |z| is clamped to this; raise() adds 1 to the top, so it is never reached in practice. */
  maxZ: 1e12,
  /** Updates larger than this are dropped (states and checkpoints are not limited). */
  maxUpdateBytes: 1024 * 1024,
} as const;

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export const clampCoordinate = (v: number): number =>
  clamp(v, -DESKTOP_LIMITS.maxCoordinate, DESKTOP_LIMITS.maxCoordinate);
export const clampSize = (v: number): number => clamp(v, DESKTOP_LIMITS.minSize, DESKTOP_LIMITS.maxSize);
export const clampZ = (v: number): number => clamp(v, -DESKTOP_LIMITS.maxZ, DESKTOP_LIMITS.maxZ);

/** The schema of the desktop's updates and states; references are bounded by `maxReferenceBytes`. */
export function desktopSchema(maxReferenceBytes: number): DocSchema<DesktopRoot, DesktopFields> {
  const item: Readers<DesktopFields> = {
    content: (raw) => {
      const o = asObject(raw, 'content');
      const reference = o['reference'];
      if (typeof reference !== 'string') throw new Invalid('reference is not a string');
      if (utf8Length(reference) > maxReferenceBytes) throw new Invalid('reference is too large');
      const title = o['title'];
      if (title === undefined) return { reference };
      if (typeof title !== 'string' || title.length > DESKTOP_LIMITS.maxTitleLength)
        throw new Invalid('title is invalid');
      return { reference, title };
    },
    position: (raw) => {
      const o = asObject(raw, 'position');
      return { x: clampCoordinate(readNumber(o, 'x')), y: clampCoordinate(readNumber(o, 'y')) };
    },
    size: (raw) => {
      const o = asObject(raw, 'size');
      return { width: clampSize(readNumber(o, 'width')), height: clampSize(readNumber(o, 'height')) };
    },
    layer: (raw) => ({ z: clampZ(readNumber(asObject(raw, 'layer'), 'z')) }),
  };
  return { name: 'desktop', flat: true, root: {}, item };
}

function readNumber(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${key} is not a finite number`);
  return v;
}
