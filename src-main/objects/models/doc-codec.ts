// LWW document updates and states on the wire: [kind, version] + UTF-8 JSON of a DocDelta
// (docs/spatial.md, docs/objects.md). Registers travel as { t, s, v }, or flat as
// { t, s, ...value } (the desktop's form); every value goes through its field's reader on
// decode (and, in the 3D models, on every local intent), and readers are idempotent
// (validate, clamp, canonicalise), so all replicas store the same values.
import type { Stamp } from './lamport';
import { isValidSender, isValidTime } from './lamport';
import type { ModelErrorCode } from './model';
import type { DocDelta, Field, ItemWrite, Registers, Tombstone } from './lww-doc';

/** A value failed validation; `message` is user-facing, `code` is used when it is an intent. */
export class Invalid extends Error {
  readonly code: ModelErrorCode;

  constructor(message: string, code: ModelErrorCode = 'invalid-argument') {
    super(message);
    this.name = 'Invalid';
    this.code = code;
  }
}

/** Validates and canonicalises one register value; throws Invalid. Must be idempotent. */
export type Reader<T> = (raw: unknown) => T;
export type Readers<S> = { readonly [K in keyof S]-?: Reader<S[K]> };

export interface DocSchema<R, I> {
  /** Short model name for drop reasons, e.g. 'space3d'. */
  readonly name: string;
  /** Registers travel as { t, s, ...value } (object values only); readers then get that whole
   *  object. Default: { t, s, v }. */
  readonly flat?: boolean;
  readonly root: Readers<R>;
  /** Record field groups; 'id' is reserved. Empty for models without records (items and
   *  removals in their messages are then ignored, so they cannot grow the state). */
  readonly item: Readers<I>;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Ids of records (items) and tombstones: 1–128 characters. */
export const MAX_ITEM_ID_LENGTH = 128;

export function isValidItemId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ITEM_ID_LENGTH;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

type Wire = Record<string, unknown>;

function wireRegisters<S>(registers: Registers<S>, into: Wire, flat: boolean): Wire {
  for (const [key, field] of Object.entries(registers as Record<string, Field<unknown> | undefined>)) {
    if (!field) continue;
    const { t, s } = field.stamp;
    into[key] = flat ? { t, s, ...(field.value as object) } : { t, s, v: field.value };
  }
  return into;
}

export function encodeDoc<R, I>(delta: DocDelta<R, I>, flat = false): Uint8Array {
  return encoder.encode(JSON.stringify(toWire(delta, flat)));
}

/** The JSON object of a delta (also used to size batches). */
export function toWire<R, I>(delta: DocDelta<R, I>, flat = false): Wire {
  const out: Wire = {};
  const root = wireRegisters(delta.root, {}, flat);
  if (Object.keys(root).length > 0) out['root'] = root;
  if (delta.items.length > 0)
    out['items'] = delta.items.map((item) => wireRegisters(item.fields, { id: item.id }, flat));
  if (delta.removed.length > 0)
    out['removed'] = delta.removed.map((t) => ({ id: t.id, t: t.stamp.t, s: t.stamp.s }));
  return out;
}

/** Parses and validates a delta; never throws. */
export function decodeDoc<R, I>(schema: DocSchema<R, I>, payload: Uint8Array): Decoded<DocDelta<R, I>> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(payload));
  } catch {
    return { ok: false, reason: `${schema.name}: not UTF-8 JSON` };
  }
  try {
    const o = asObject(json, 'root');
    const flat = schema.flat ?? false;
    const root = o['root'] === undefined ? {} : readRegisters(schema.root, asObject(o['root'], 'root'), flat);
    const hasItems = Object.keys(schema.item).length > 0;
    const items: ItemWrite<I>[] = [];
    for (const raw of hasItems ? optionalArray(o['items'], 'items') : []) {
      const item = asObject(raw, 'item');
      const id = item['id'];
      if (!isValidItemId(id)) throw new Invalid('item: bad id');
      items.push({ id, fields: readRegisters(schema.item, item, flat) });
    }
    const removed: Tombstone[] = (hasItems ? optionalArray(o['removed'], 'removed') : []).map((raw) => {
      const t = asObject(raw, 'removed');
      const id = t['id'];
      if (!isValidItemId(id)) throw new Invalid('removed: bad id');
      return { id, stamp: readStamp(t, 'removed') };
    });
    return { ok: true, value: { root, items, removed } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: `${schema.name}: ${error.message}` };
    throw error;
  }
}

function readRegisters<S>(readers: Readers<S>, o: Wire, flat: boolean): Registers<S> {
  const out: Record<string, Field<unknown>> = {};
  for (const [key, read] of Object.entries(readers as Record<string, Reader<unknown>>)) {
    const raw = o[key];
    if (raw === undefined) continue;
    const f = asObject(raw, key);
    const stamp = readStamp(f, key);
    try {
      out[key] = { stamp, value: read(flat ? f : f['v']) };
    } catch (error) {
      if (error instanceof Invalid) throw new Invalid(`${key}: ${error.message}`);
      throw error;
    }
  }
  return out as Registers<S>;
}

function readStamp(o: Wire, what: string): Stamp {
  const t = o['t'];
  const s = o['s'];
  if (!isValidTime(t)) throw new Invalid(`${what}: bad Lamport time`);
  if (!isValidSender(s)) throw new Invalid(`${what}: bad sender`);
  return { t, s };
}

export function asObject(v: unknown, what: string): Wire {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${what} is not an object`);
  return v as Wire;
}

function optionalArray(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Invalid(`${what} is not an array`);
  return v;
}
