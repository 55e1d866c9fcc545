// Desktop updates and states on the wire: [kind, version] + UTF-8 JSON of a DesktopDelta
// (docs/objects.md). JSON keeps messages readable in captures; references dominate the size
// anyway. Decoding validates everything and clamps numbers deterministically, so every
// replica stores the same values for the same message.
import type { Stamp } from './lamport';
import { isValidSender, isValidTime } from './lamport';
import type {
  ContentField,
  DesktopDelta,
  ItemRecord,
  LayerField,
  PositionField,
  SizeField,
  Tombstone,
} from './desktop-state';

export const DESKTOP_LIMITS = {
  /** Placed items a user may have on one desktop. */
  maxItems: 1000,
  /** Size of one item's .liveobject reference, in UTF-8 bytes. */
  maxReferenceBytes: 64 * 1024,
  maxTitleLength: 256,
  maxIdLength: 128,
  /** |x|, |y| are clamped to this (desktop units, i.e. CSS pixels at zoom 1). */
  maxCoordinate: 10_000_000,
  minSize: 1,
  maxSize: 1_000_000,
  /** |z| is clamped to this; raise() adds 1 to the top, so it is never reached in practice. */
  maxZ: 1e12,
  /** Updates larger than this are dropped (states and checkpoints are not limited). */
  maxUpdateBytes: 1024 * 1024,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export const clampCoordinate = (v: number): number =>
  clamp(v, -DESKTOP_LIMITS.maxCoordinate, DESKTOP_LIMITS.maxCoordinate);
export const clampSize = (v: number): number => clamp(v, DESKTOP_LIMITS.minSize, DESKTOP_LIMITS.maxSize);
export const clampZ = (v: number): number => clamp(v, -DESKTOP_LIMITS.maxZ, DESKTOP_LIMITS.maxZ);

export function isValidItemId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= DESKTOP_LIMITS.maxIdLength;
}

export function encodeDelta(delta: DesktopDelta): Uint8Array {
  const items = delta.items.map((r) => {
    const out: Record<string, unknown> = { id: r.id };
    if (r.content) {
      const { stamp, reference, title } = r.content;
      out['content'] =
        title === undefined ? { ...wireStamp(stamp), reference } : { ...wireStamp(stamp), reference, title };
    }
    if (r.position) out['position'] = { ...wireStamp(r.position.stamp), x: r.position.x, y: r.position.y };
    if (r.size) out['size'] = { ...wireStamp(r.size.stamp), width: r.size.width, height: r.size.height };
    if (r.layer) out['layer'] = { ...wireStamp(r.layer.stamp), z: r.layer.z };
    return out;
  });
  const removed = delta.removed.map((t) => ({ id: t.id, ...wireStamp(t.stamp) }));
  return encoder.encode(JSON.stringify({ items, removed }));
}

function wireStamp(stamp: Stamp): { t: number; s: string } {
  return { t: stamp.t, s: stamp.s };
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

/** Parses and validates a delta; never throws. */
export function decodeDelta(payload: Uint8Array, maxReferenceBytes: number): Decoded<DesktopDelta> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(payload));
  } catch {
    return { ok: false, reason: 'desktop: not UTF-8 JSON' };
  }
  try {
    const root = asObject(json, 'root');
    const items = optionalArray(root['items'], 'items').map((x) => readItem(x, maxReferenceBytes));
    const removed = optionalArray(root['removed'], 'removed').map(readTombstone);
    return { ok: true, value: { items, removed } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: `desktop: ${error.message}` };
    throw error;
  }
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function optionalArray(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`${what} is not an array`);
  return v;
}

function readStamp(o: Record<string, unknown>, what: string): Stamp {
  const t = o['t'];
  const s = o['s'];
  if (!isValidTime(t)) fail(`${what}: bad Lamport time`);
  if (!isValidSender(s)) fail(`${what}: bad sender`);
  return { t, s };
}

function readNumber(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what}.${key} is not a finite number`);
  return v;
}

function readItem(x: unknown, maxReferenceBytes: number): ItemRecord {
  const o = asObject(x, 'item');
  const id = o['id'];
  if (!isValidItemId(id)) fail('item: bad id');
  const record: ItemRecord = { id };
  if (o['content'] !== undefined)
    record.content = readContent(asObject(o['content'], 'content'), maxReferenceBytes);
  if (o['position'] !== undefined) {
    const p = asObject(o['position'], 'position');
    const field: PositionField = {
      stamp: readStamp(p, 'position'),
      x: clampCoordinate(readNumber(p, 'x', 'position')),
      y: clampCoordinate(readNumber(p, 'y', 'position')),
    };
    record.position = field;
  }
  if (o['size'] !== undefined) {
    const p = asObject(o['size'], 'size');
    const field: SizeField = {
      stamp: readStamp(p, 'size'),
      width: clampSize(readNumber(p, 'width', 'size')),
      height: clampSize(readNumber(p, 'height', 'size')),
    };
    record.size = field;
  }
  if (o['layer'] !== undefined) {
    const p = asObject(o['layer'], 'layer');
    const field: LayerField = { stamp: readStamp(p, 'layer'), z: clampZ(readNumber(p, 'z', 'layer')) };
    record.layer = field;
  }
  return record;
}

function readContent(o: Record<string, unknown>, maxReferenceBytes: number): ContentField {
  const stamp = readStamp(o, 'content');
  const reference = o['reference'];
  if (typeof reference !== 'string') fail('content.reference is not a string');
  if (utf8Length(reference) > maxReferenceBytes) fail('content.reference is too large');
  const title = o['title'];
  if (title === undefined) return { stamp, reference };
  if (typeof title !== 'string' || title.length > DESKTOP_LIMITS.maxTitleLength)
    fail('content.title is invalid');
  return { stamp, reference, title };
}

function readTombstone(x: unknown): Tombstone {
  const o = asObject(x, 'removed');
  const id = o['id'];
  if (!isValidItemId(id)) fail('removed: bad id');
  return { id, stamp: readStamp(o, 'removed') };
}
