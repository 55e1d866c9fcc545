// The desktop's replicated state: a state-based CRDT of placed items. Each item is a set of
// last-writer-wins registers ("field groups": content, position, size, layer), each stamped
// with a Lamport stamp; removal writes a tombstone that wins over every write to that id, so
// a remove beats concurrent moves and ids are never revived. Updates are deltas of the same
// shape as the whole state, so merge = join, and applying anything twice is harmless.
import type { Stamp } from './lamport';
import { isNewer } from './lamport';

export interface ContentField {
  readonly stamp: Stamp;
  readonly reference: string;
  readonly title?: string;
}
export interface PositionField {
  readonly stamp: Stamp;
  readonly x: number;
  readonly y: number;
}
export interface SizeField {
  readonly stamp: Stamp;
  readonly width: number;
  readonly height: number;
}
export interface LayerField {
  readonly stamp: Stamp;
  readonly z: number;
}

/** One item's registers. A record without `content` is a write that arrived before its place. */
export interface ItemRecord {
  readonly id: string;
  content?: ContentField;
  position?: PositionField;
  size?: SizeField;
  layer?: LayerField;
}

export interface Tombstone {
  readonly id: string;
  readonly stamp: Stamp;
}

/** A set of register writes and removals: an update, a checkpoint or a persisted state. */
export interface DesktopDelta {
  readonly items: readonly ItemRecord[];
  readonly removed: readonly Tombstone[];
}

const GROUPS = ['content', 'position', 'size', 'layer'] as const;

type Group = (typeof GROUPS)[number];

function stampOf(record: ItemRecord | undefined, g: Group): Stamp | undefined {
  return record?.[g]?.stamp;
}

function copyGroup(to: ItemRecord, from: ItemRecord, g: Group): void {
  switch (g) {
    case 'content':
      to.content = from.content;
      break;
    case 'position':
      to.position = from.position;
      break;
    case 'size':
      to.size = from.size;
      break;
    case 'layer':
      to.layer = from.layer;
      break;
  }
}

export function isEmptyDelta(delta: DesktopDelta): boolean {
  return delta.items.length === 0 && delta.removed.length === 0;
}

/** Every stamp in a delta (for advancing the Lamport clock). */
export function* stampsOf(delta: DesktopDelta): Iterable<Stamp> {
  for (const t of delta.removed) yield t.stamp;
  for (const item of delta.items) {
    for (const g of GROUPS) {
      const stamp = stampOf(item, g);
      if (stamp) yield stamp;
    }
  }
}

export interface MergeResult {
  /** The part of the delta that changed this state. */
  readonly applied: DesktopDelta;
  /** Items refused because the record limit was reached. */
  readonly refused: number;
}

export class DesktopState {
  readonly #records = new Map<string, ItemRecord>();
  readonly #tombstones = new Map<string, Stamp>();
  readonly #maxRecords: number;

  /** `maxRecords` bounds memory against peers that flood writes for unknown ids. */
  constructor(maxRecords: number) {
    this.#maxRecords = maxRecords;
  }

  get recordCount(): number {
    return this.#records.size;
  }

  record(id: string): ItemRecord | undefined {
    return this.#records.get(id);
  }

  isRemoved(id: string): boolean {
    return this.#tombstones.has(id);
  }

  /** Items that have been placed and not removed. */
  *placed(): Iterable<ItemRecord & { content: ContentField }> {
    for (const r of this.#records.values()) if (r.content) yield r as ItemRecord & { content: ContentField };
  }

  merge(delta: DesktopDelta): MergeResult {
    const items: ItemRecord[] = [];
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
        if (this.#records.size >= this.#maxRecords) {
          refused += 1;
          continue;
        }
        record = { id: incoming.id };
        this.#records.set(incoming.id, record);
      }
      const won: ItemRecord = { id: incoming.id };
      let any = false;
      for (const g of GROUPS) {
        const stamp = stampOf(incoming, g);
        if (stamp && isNewer(stamp, stampOf(record, g))) {
          copyGroup(record, incoming, g);
          copyGroup(won, incoming, g);
          any = true;
        }
      }
      if (any) items.push(won);
    }
    return { applied: { items, removed }, refused };
  }

  /** The whole state as a delta. */
  toDelta(): DesktopDelta {
    return {
      items: [...this.#records.values()].map((r) => ({ ...r })),
      removed: [...this.#tombstones].map(([id, stamp]) => ({ id, stamp })),
    };
  }

  /** What this state has that `other` lacks: the writes and removals `other` would accept. */
  diff(other: DesktopState): DesktopDelta {
    const items: ItemRecord[] = [];
    const removed: Tombstone[] = [];
    for (const [id, stamp] of this.#tombstones) {
      const theirs = other.#tombstones.get(id);
      if (theirs === undefined || isNewer(stamp, theirs)) removed.push({ id, stamp });
    }
    for (const r of this.#records.values()) {
      if (other.#tombstones.has(r.id)) continue;
      const theirs = other.#records.get(r.id);
      const out: ItemRecord = { id: r.id };
      let any = false;
      for (const g of GROUPS) {
        const stamp = stampOf(r, g);
        if (stamp && isNewer(stamp, stampOf(theirs, g))) {
          copyGroup(out, r, g);
          any = true;
        }
      }
      if (any) items.push(out);
    }
    return { items, removed };
  }
}
