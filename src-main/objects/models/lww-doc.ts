// The replicated state of the LWW document models (the desktop and the 3D models): a document
// of object-level LWW registers ("root") plus an optional table of records, each a set of LWW
// registers ("field groups"), with tombstones. Every register is stamped with a Lamport stamp;
// the highest stamp wins. A tombstone wins over every write to its id, so a remove beats
// concurrent moves and ids are never revived. Updates are deltas of the same shape as the
// whole state, so merge = join and applying anything twice is harmless.
import type { Stamp } from './lamport';
import { isNewer } from './lamport';

export interface Field<T> {
  readonly stamp: Stamp;
  readonly value: T;
}

/** Some of the registers of a record whose values have the shape S. */
export type Registers<S> = { [K in keyof S]?: Field<S[K]> };

export interface ItemWrite<I> {
  readonly id: string;
  readonly fields: Registers<I>;
}

export interface Tombstone {
  readonly id: string;
  readonly stamp: Stamp;
}

/** A set of register writes and removals: an update, a checkpoint or a persisted state. */
export interface DocDelta<R, I> {
  readonly root: Registers<R>;
  readonly items: readonly ItemWrite<I>[];
  readonly removed: readonly Tombstone[];
}

export interface MergeResult<R, I> {
  /** The part of the delta that changed this state. */
  readonly applied: DocDelta<R, I>;
  /** Records refused because the record limit was reached. */
  readonly refused: number;
}

type AnyRegisters = Record<string, Field<unknown> | undefined>;

/** Copies into `target` the registers of `incoming` newer than its own; returns those. */
export function mergeRegisters<S>(
  target: Registers<S>,
  incoming: Registers<S>,
  keys: readonly (keyof S)[],
): Registers<S> {
  const t = target as AnyRegisters;
  const i = incoming as AnyRegisters;
  const won: AnyRegisters = {};
  for (const key of keys as readonly string[]) {
    const field = i[key];
    if (field && isNewer(field.stamp, t[key]?.stamp)) {
      t[key] = field;
      won[key] = field;
    }
  }
  return won as Registers<S>;
}

/** The registers of `mine` that `theirs` would accept. */
export function diffRegisters<S>(
  mine: Registers<S>,
  theirs: Registers<S> | undefined,
  keys: readonly (keyof S)[],
): Registers<S> {
  const m = mine as AnyRegisters;
  const o = (theirs ?? {}) as AnyRegisters;
  const out: AnyRegisters = {};
  for (const key of keys as readonly string[]) {
    const field = m[key];
    if (field && isNewer(field.stamp, o[key]?.stamp)) out[key] = field;
  }
  return out as Registers<S>;
}

export function isEmptyRegisters<S>(registers: Registers<S>): boolean {
  for (const v of Object.values(registers)) if (v !== undefined) return false;
  return true;
}

export function isEmptyDelta<R, I>(delta: DocDelta<R, I>): boolean {
  return isEmptyRegisters(delta.root) && delta.items.length === 0 && delta.removed.length === 0;
}

/** Every stamp in a delta (for advancing the Lamport clock). */
export function* stampsOf<R, I>(delta: DocDelta<R, I>): Iterable<Stamp> {
  for (const f of Object.values(delta.root as AnyRegisters)) if (f) yield f.stamp;
  for (const t of delta.removed) yield t.stamp;
  for (const item of delta.items)
    for (const f of Object.values(item.fields as AnyRegisters)) if (f) yield f.stamp;
}

export class DocState<R, I> {
  readonly #root: Registers<R> = {};
  readonly #records = new Map<string, Registers<I>>();
  readonly #tombstones = new Map<string, Stamp>();
  readonly #rootKeys: readonly (keyof R)[];
  readonly #itemKeys: readonly (keyof I)[];
  readonly #maxRecords: number;

  /** `maxRecords` bounds memory against peers that flood writes for unknown ids. */
  constructor(rootKeys: readonly (keyof R)[], itemKeys: readonly (keyof I)[], maxRecords: number) {
    this.#rootKeys = rootKeys;
    this.#itemKeys = itemKeys;
    this.#maxRecords = maxRecords;
  }

  get root(): Readonly<Registers<R>> {
    return this.#root;
  }

  get recordCount(): number {
    return this.#records.size;
  }

  record(id: string): Readonly<Registers<I>> | undefined {
    return this.#records.get(id);
  }

  isRemoved(id: string): boolean {
    return this.#tombstones.has(id);
  }

  /** Live records that have register `key` (e.g. the content written when placed). */
  *having<K extends keyof I>(key: K): Iterable<[string, Registers<I> & { [P in K]-?: Field<I[P]> }]> {
    for (const [id, r] of this.#records) {
      if (r[key] !== undefined) yield [id, r as Registers<I> & { [P in K]-?: Field<I[P]> }];
    }
  }

  merge(delta: DocDelta<R, I>): MergeResult<R, I> {
    const root = mergeRegisters(this.#root, delta.root, this.#rootKeys);
    const items: ItemWrite<I>[] = [];
    const removed: Tombstone[] = [];
    let refused = 0;
    for (const t of delta.removed) {
      const known = this.#tombstones.get(t.id);
      // Any tombstone wins; keeping the newest stamp makes the stored one deterministic.
      if (known !== undefined && !isNewer(t.stamp, known)) continue;
      this.#tombstones.set(t.id, t.stamp);
      this.#records.delete(t.id);
      removed.push(t);
    }
    for (const incoming of delta.items) {
      if (this.#tombstones.has(incoming.id)) continue;
      let record = this.#records.get(incoming.id);
      if (!record) {
        if (isEmptyRegisters(incoming.fields)) continue;
        if (this.#records.size >= this.#maxRecords) {
          refused += 1;
          continue;
        }
        record = {};
        this.#records.set(incoming.id, record);
      }
      const won = mergeRegisters(record, incoming.fields, this.#itemKeys);
      if (!isEmptyRegisters(won)) items.push({ id: incoming.id, fields: won });
    }
    return { applied: { root, items, removed }, refused };
  }

  /** The whole state as a delta. */
  toDelta(): DocDelta<R, I> {
    return {
      root: { ...this.#root },
      items: [...this.#records].map(([id, fields]) => ({ id, fields: { ...fields } })),
      removed: [...this.#tombstones].map(([id, stamp]) => ({ id, stamp })),
    };
  }

  /** What this state has that `other` lacks: the writes and removals `other` would accept. */
  diff(other: DocState<R, I>): DocDelta<R, I> {
    const items: ItemWrite<I>[] = [];
    const removed: Tombstone[] = [];
    for (const [id, stamp] of this.#tombstones) {
      const theirs = other.#tombstones.get(id);
      if (theirs === undefined || isNewer(stamp, theirs)) removed.push({ id, stamp });
    }
    for (const [id, fields] of this.#records) {
      if (other.#tombstones.has(id)) continue;
      const out = diffRegisters(fields, other.#records.get(id), this.#itemKeys);
      if (!isEmptyRegisters(out)) items.push({ id, fields: out });
    }
    return { root: diffRegisters(this.#root, other.#root, this.#rootKeys), items, removed };
  }
}
